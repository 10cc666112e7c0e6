/// The name/value pairs of one Query-protocol request (RDS, STS, EC2): the query string, and for
/// anything but GET the form body on top of it. Each service reads its own flattening conventions
/// from these (`RDSParameters`, `EC2Parameters`).
struct QueryForm {
    let values: [String: String]

    init(_ request: SimRequest) {
        var values: [String: String] = [:]
        for item in request.queryItems where values[item.name] == nil { values[item.name] = item.value }
        if request.method != "GET" {
            for item in request.formItems where !item.name.isEmpty { values[item.name] = item.value }
        }
        self.values = values
    }

    var action: String? { values["Action"] }

    /// The value of `name`; an empty value counts as absent.
    func string(_ name: String) -> String? {
        guard let value = values[name], !value.isEmpty else { return nil }
        return value
    }
}
