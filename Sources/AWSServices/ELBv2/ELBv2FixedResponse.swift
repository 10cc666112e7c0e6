/// A rule action that answers the request itself (`fixed-response`): the maintenance page.
/// AWS's limits: a 2XX, 4XX or 5XX status, one of five content types, a body of at most 1,024
/// characters (botocore's `FixedResponseActionConfig`; moto accepts longer bodies).
public struct ELBv2FixedResponse: Sendable, Hashable {
    public var statusCode: String
    public var contentType: String?
    public var messageBody: String?

    public init(statusCode: String, contentType: String? = nil, messageBody: String? = nil) {
        self.statusCode = statusCode
        self.contentType = contentType
        self.messageBody = messageBody
    }

    /// The content types AWS accepts.
    public static let contentTypes = ["text/plain", "text/css", "text/html", "application/javascript", "application/json"]
    /// The longest body AWS accepts, in characters.
    public static let maxBodyLength = 1_024

    /// Whether AWS accepts `code` as a fixed-response status (`^(2|4|5)\d\d$`).
    public static func isValidStatus(_ code: String) -> Bool {
        let digits = Array(code.utf8)
        guard digits.count == 3, digits.allSatisfy({ (48...57).contains($0) }) else { return false }
        return [UInt8(ascii: "2"), UInt8(ascii: "4"), UInt8(ascii: "5")].contains(digits[0])
    }
}

/// One action of a rule as DescribeRules reports it: its type and, for a fixed response, its config.
public struct ELBv2RuleAction: Sendable, Hashable {
    public var type: String
    public var order: Int?
    public var fixedResponse: ELBv2FixedResponse?
    public var targetGroupArn: String?

    public init(type: String, order: Int? = nil, fixedResponse: ELBv2FixedResponse? = nil, targetGroupArn: String? = nil) {
        self.type = type
        self.order = order
        self.fixedResponse = fixedResponse
        self.targetGroupArn = targetGroupArn
    }

    public static func fixedResponse(_ response: ELBv2FixedResponse) -> ELBv2RuleAction {
        ELBv2RuleAction(type: "fixed-response", fixedResponse: response)
    }
}

extension ELBv2RuleAction {
    init(_ x: QueryFields) throws {
        let fixed = try x.nested("FixedResponseConfig").map { config in
            ELBv2FixedResponse(
                statusCode: try config.required("StatusCode"), contentType: config.string("ContentType"),
                messageBody: config.string("MessageBody"))
        }
        self.init(type: try x.required("Type"), order: try x.int("Order"), fixedResponse: fixed, targetGroupArn: x.string("TargetGroupArn"))
    }
}

extension QueryParameters {
    /// `Actions.member.N.Type` and its `FixedResponseConfig` / `TargetGroupArn`.
    mutating func addActions(_ actions: [ELBv2RuleAction]) {
        for (i, action) in actions.enumerated() {
            let prefix = "Actions.member.\(i + 1)"
            add("\(prefix).Type", action.type)
            add("\(prefix).Order", action.order)
            add("\(prefix).TargetGroupArn", action.targetGroupArn)
            if let fixed = action.fixedResponse {
                add("\(prefix).FixedResponseConfig.StatusCode", fixed.statusCode)
                add("\(prefix).FixedResponseConfig.ContentType", fixed.contentType)
                add("\(prefix).FixedResponseConfig.MessageBody", fixed.messageBody)
            }
        }
    }
}
