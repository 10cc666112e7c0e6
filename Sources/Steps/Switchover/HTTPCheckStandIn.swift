import AWSClient
import Foundation
import Runbook

/// What a rehearsal's `http.check` reaches instead of the real URL: an in-process stand-in that
/// answers each URL the plan's checks name with the status the check expects and a body holding
/// the text it looks for. A rehearsal runs against a twin of the AWS accounts, not of the
/// service behind them, so the health URL (the real site, or a DNS name the twin's Route 53
/// change never published) cannot be reached meaningfully: the check's own code runs — request,
/// status and body matching, retries — but what it checks is not rehearsed, and the rehearsal
/// report says so. A URL no check of the plan names is answered 503, so a stand-in never hides
/// a check it was not told about.
public struct HTTPCheckStandIn: HTTPTransport {
    struct Expectation: Sendable {
        var status: Int
        var contains: String?
    }
    let expectations: [String: Expectation]

    /// The expectations of every `http.check` primitive of `plan`.
    public init(plan: RunbookPlan) {
        var found: [String: Expectation] = [:]
        for step in plan.steps where step.type == HTTPCheckDefinition.type {
            guard case let .object(members) = step.inputs else { continue }
            let f = Dictionary(members, uniquingKeysWith: { a, _ in a })
            guard let url = f["url"]?.stringValue else { continue }
            var status = 200
            if case let .number(n)? = f["status"] {
                status = Int(n)
            } else if let text = f["status"]?.stringValue, let n = Int(text) {
                status = n
            }
            found[url] = Expectation(status: status, contains: f["contains"]?.stringValue)
        }
        expectations = found
    }

    /// The URLs the stand-in answers for.
    public var urls: [String] { expectations.keys.sorted() }

    public func send(_ request: HTTPRequest, timeout: TransportTimeouts) async throws -> HTTPResponse {
        guard let expected = expectations[request.url] else {
            return HTTPResponse(
                status: 503, headers: ["Content-Type": "text/plain"],
                body: Data("rehearsal stand-in: no http.check of this plan names \(request.url)\n".utf8))
        }
        let text = (expected.contains ?? "") + "\n(rehearsal stand-in for \(request.url): not reached)\n"
        return HTTPResponse(status: expected.status, headers: ["Content-Type": "text/plain"], body: Data(text.utf8))
    }
}
