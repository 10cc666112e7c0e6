import AWSSimulator
import CCrypto
import Foundation

/// Drives `S3Service` directly (no signing, no HTTP): each call builds the request, names its
/// operation as the pipeline would, and runs it against one `SimState` at a settable simulated
/// time, for a chosen account and region.
struct SimS3Harness {
    static let legacy = "111111111111"
    static let product = "222222222222"
    static let squatter = "333333333333"

    struct Answer {
        var status: Int
        var headers: [(name: String, value: String)]
        var body: Data
        var operation: String?
        var resource: String?
        var mutated: Bool

        func header(_ name: String) -> String? {
            headers.first { $0.name.lowercased() == name.lowercased() }?.value
        }

        var text: String { String(decoding: body, as: UTF8.self) }

        /// The `<Code>` of an error body.
        var code: String? { element("Code") }

        /// The text of the first `<name>` element.
        func element(_ name: String) -> String? {
            guard let open = text.range(of: "<\(name)>"), let close = text.range(of: "</\(name)>", range: open.upperBound..<text.endIndex)
            else { return nil }
            return String(text[open.upperBound..<close.lowerBound])
        }

        /// Every `<name>` element's text.
        func elements(_ name: String) -> [String] {
            var found: [String] = []
            var rest = text[...]
            while let open = rest.range(of: "<\(name)>"), let close = rest.range(of: "</\(name)>", range: open.upperBound..<rest.endIndex) {
                found.append(String(rest[open.upperBound..<close.lowerBound]))
                rest = rest[close.upperBound...]
            }
            return found
        }
    }

    var state = SimState()
    var now = Date(timeIntervalSince1970: 1_796_000_000)
    var configuration = SimConfiguration(region: "us-east-1", bucketNameHold: 3600)
    let service = S3Service()
    private var sequence = 0

    mutating func advance(_ seconds: TimeInterval) { now = now.addingTimeInterval(seconds) }

    @discardableResult
    mutating func call(
        _ method: String, _ path: String, query: String = "", headers: [(name: String, value: String)] = [], body: Data = Data(),
        account: String = legacy, region: String? = nil
    ) -> Answer {
        sequence += 1
        let request = SimRequest(method: method, path: path, rawQuery: query, headers: headers, body: body)
        let requestId = String(format: "%016X", sequence)
        guard let operation = service.operation(of: request) else {
            return Answer(status: 501, headers: [], body: Data(), operation: nil, resource: nil, mutated: false)
        }
        let principal = SimPrincipal(
            account: account, arn: "arn:aws:iam::\(account):user/tester", userId: "AIDA\(account)", accessKeyId: "AKIA\(account)")
        var context = SimCallContext(
            principal: principal, now: now, requestId: requestId, region: region ?? configuration.region, configuration: configuration)
        let response: SimResponse
        do throws(SimError) {
            response = try service.handle(request, operation: operation, context: &context, state: &state)
        } catch {
            response = service.render(error, requestId: requestId)
        }
        return Answer(
            status: response.status, headers: response.headers, body: response.body, operation: operation, resource: context.resource,
            mutated: context.mutated)
    }

    // MARK: - Shorthands

    @discardableResult
    mutating func createBucket(
        _ name: String, account: String = legacy, region: String = "us-east-1", headers: [(name: String, value: String)] = []
    ) -> Answer {
        let body =
            region == "us-east-1"
            ? Data()
            : Data(
                "<CreateBucketConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><LocationConstraint>\(region)</LocationConstraint></CreateBucketConfiguration>"
                    .utf8)
        return call("PUT", "/\(name)", headers: headers, body: body, account: account, region: region)
    }

    @discardableResult
    mutating func put(
        _ bucket: String, _ key: String, _ body: Data, account: String = legacy, headers: [(name: String, value: String)] = []
    ) -> Answer {
        call("PUT", "/\(bucket)/\(Self.encode(key))", headers: headers, body: body, account: account)
    }

    @discardableResult
    mutating func get(
        _ bucket: String, _ key: String, account: String = legacy, query: String = "", headers: [(name: String, value: String)] = []
    ) -> Answer {
        call("GET", "/\(bucket)/\(Self.encode(key))", query: query, headers: headers, account: account)
    }

    @discardableResult
    mutating func putConfiguration(_ bucket: String, _ subresource: String, _ document: String, account: String = legacy) -> Answer {
        let body = Data(document.utf8)
        return call("PUT", "/\(bucket)", query: subresource, headers: [("Content-MD5", Self.md5Base64(body))], body: body, account: account)
    }

    mutating func enableVersioning(_ bucket: String) {
        putConfiguration(
            bucket, "versioning",
            "<VersioningConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Status>Enabled</Status></VersioningConfiguration>")
    }

    static func encode(_ key: String) -> String {
        key.addingPercentEncoding(withAllowedCharacters: CharacterSet.urlPathAllowed.subtracting(CharacterSet(charactersIn: "+&=?"))) ?? key
    }

    static func md5Base64(_ data: Data) -> String {
        var out = [UInt8](repeating: 0, count: 16)
        data.withUnsafeBytes { raw in _ = cutover_md5(raw.baseAddress, raw.count, &out) }
        return Data(out).base64EncodedString()
    }

    static func md5Hex(_ data: Data) -> String {
        var out = [UInt8](repeating: 0, count: 16)
        data.withUnsafeBytes { raw in _ = cutover_md5(raw.baseAddress, raw.count, &out) }
        return out.map { String(format: "%02x", $0) }.joined()
    }

    static func sha256Base64(_ data: Data) -> String {
        var out = [UInt8](repeating: 0, count: 32)
        data.withUnsafeBytes { raw in _ = cutover_sha256(raw.baseAddress, raw.count, &out) }
        return Data(out).base64EncodedString()
    }

    /// A bucket policy allowing `account` the given actions on the bucket and its objects.
    static func allowPolicy(
        bucket: String, account: String, actions: [String] = ["s3:GetObject", "s3:ListBucket"], effect: String = "Allow"
    ) -> String {
        let list = actions.map { "\"\($0)\"" }.joined(separator: ",")
        return """
            {"Version":"2012-10-17","Statement":[{"Effect":"\(effect)","Principal":{"AWS":"arn:aws:iam::\(account):root"},\
            "Action":[\(list)],"Resource":["arn:aws:s3:::\(bucket)","arn:aws:s3:::\(bucket)/*"]}]}
            """
    }
}
