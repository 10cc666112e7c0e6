/// `arn:PARTITION:sns:REGION:ACCOUNT:TOPIC`, parsed: the region an SNS client must use comes
/// from it unless the configuration names one.
struct SNSTopicARN: Sendable, Equatable {
    var partition: String
    var region: String
    var account: String
    var topic: String

    init?(_ text: String) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 6, parts[0] == "arn", parts[1].hasPrefix("aws"), parts[2] == "sns", Self.isRegion(parts[3]),
            parts[4].count == 12, parts[4].allSatisfy(\.isNumber), (1...256).contains(parts[5].count),
            parts[5].allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == ".") })
        else { return nil }
        partition = parts[1]
        region = parts[3]
        account = parts[4]
        topic = parts[5]
    }

    /// `eu-west-1`, `us-gov-west-1`, `cn-north-1`: lower-case letters, digits and hyphens.
    static func isRegion(_ text: String) -> Bool {
        !text.isEmpty && text.count <= 64 && text.first?.isLetter == true
            && text.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" }
    }
}
