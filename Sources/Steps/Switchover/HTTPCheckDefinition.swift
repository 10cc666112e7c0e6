import Foundation
import Runbook

/// `uses: http.check`: a URL answers with the expected status (and, optionally, body text)
/// within a time limit — the health check after a switch-over. Read-only: nothing to undo.
///
/// ```yaml
/// - id: health
///   uses: http.check
///   with: { url: "https://admin.example.com/health", status: 200, contains: "ok", within: 5m, every: 10s }
/// ```
///
/// Each attempt is one GET; a wrong answer or a transport failure is retried every `every` until
/// `within` has passed since the first attempt (the step's own `retry:` wins when written).
public struct HTTPCheckDefinition: StepDefinition {
    public static let type = "http.check"
    public init() {}

    public var type: String { Self.type }
    public var summary: String { "Check that a URL answers with a status (and body text) within a time limit; read-only." }
    public var inputs: [StepInput] {
        [
            StepInput("url", .string, required: true, summary: "The URL to GET (http:// or https://; TLS is verified)."),
            StepInput("status", .int, summary: "The expected status (default 200)."),
            StepInput("contains", .string, summary: "Text the body must contain."),
            StepInput("within", .duration, summary: "Give up after this long from the first attempt (default 5m)."),
            StepInput("every", .duration, summary: "Time between attempts (default 10s)."),
            StepInput("requestTimeout", .duration, summary: "Time limit of one request (default 10s)."),
        ]
    }
    public var outputs: [StepOutput] {
        [
            StepOutput("status", from: .primitive(nil, key: "status"), summary: "the status that satisfied the check"),
            StepOutput("checkedAt", from: .primitive(nil, key: "checkedAt")),
        ]
    }

    public func expand(_ step: StepSpec, in context: ExpansionContext) throws(RunbookDiagnostics) -> [PrimitiveTemplate] {
        var reader = StepInputReader(step, context: context)
        let url = reader.string("url", required: true) ?? ""
        let status = reader.int("status") ?? 200
        let contains = reader.string("contains")
        let within = reader.duration("within") ?? .seconds(300)
        let every = reader.duration("every") ?? .seconds(10)
        let requestTimeout = reader.duration("requestTimeout") ?? .seconds(10)
        if let value = reader.value("url"), !url.contains("${"), !Self.isHTTPURL(url) {
            reader.report(
                "bad-value", "`with.url` of step `\(step.id)` is not an http(s) URL: `\(url)`",
                hint: "write e.g. `https://admin.example.com/health`", at: value.location)
        }
        if let value = reader.value("status"), !(100...599).contains(status) {
            reader.report(
                "bad-value", "`with.status` of step `\(step.id)` is not an HTTP status: \(status)",
                hint: "write e.g. `200`", at: value.location)
        }
        try reader.finish()
        let inputs = try StepValues.encode(
            HTTPCheckInputs(url: url, status: status, contains: contains, requestTimeout: requestTimeout.timeInterval), of: step)
        return [
            PrimitiveTemplate(
                type: Self.type, title: "Check \(url) answers \(status)" + (contains.map { " containing “\($0)”" } ?? ""),
                effect: .readOnly, reversibility: .nothingToUndo, estimatedDuration: every, inputs: inputs,
                retry: RetryPolicy(backoff: .fixed(interval: every), maxElapsed: within))
        ]
    }

    static func isHTTPURL(_ text: String) -> Bool {
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased(),
            scheme == "http" || scheme == "https", let host = components.host, !host.isEmpty
        else { return false }
        return true
    }
}

/// What an `http.check` primitive carries: the planner's resolved values, defaults filled in.
struct HTTPCheckInputs: Codable, Sendable {
    var url: String
    var status: Int
    var contains: String?
    /// Seconds.
    var requestTimeout: Double
}

/// What `http.check` hands on: the status that satisfied it and when.
struct HTTPCheckOutputs: Encodable, Sendable {
    var status: Int
    var checkedAt: Date
}
