import Foundation

/// The control API's route table, one for both ends: `cutoverctl`'s client renders a route into a
/// path (`path`) and the daemon's server parses a request's path back into one (`init(path:)`),
/// so the two cannot disagree about where a route lives. `ControlAPI` lists what each answers.
public enum ControlRoute: Equatable, Sendable {
    case health, metrics, runs, runbooks, plan, reload
    case run(String), runPlan(String), approvals(String), events(String)
    /// `POST /v1/runs/{id}/{pause,resume,cancel,rollback,retry,mark-undone,decide}`.
    case action(String, String)
    /// Anything the API does not serve.
    case unknown

    /// The route for a percent-decoded path; `.unknown` for anything the API does not serve.
    public init(path: String) {
        let parts = path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        switch parts.count {
        case 1 where parts[0] == "metrics": self = .metrics
        case 2 where parts[0] == ControlAPI.version:
            switch parts[1] {
            case "health": self = .health
            case "runs": self = .runs
            case "runbooks": self = .runbooks
            case "plan": self = .plan
            case "reload": self = .reload
            default: self = .unknown
            }
        case 3 where parts[0] == ControlAPI.version && parts[1] == "runs": self = .run(parts[2])
        case 4 where parts[0] == ControlAPI.version && parts[1] == "runs":
            switch parts[3] {
            case "plan": self = .runPlan(parts[2])
            case "approvals": self = .approvals(parts[2])
            case "events": self = .events(parts[2])
            default: self = .action(parts[2], parts[3])
            }
        default: self = .unknown
        }
    }

    /// The path, with run ids and actions percent-encoded (no query).
    public var path: String {
        let base = "/" + ControlAPI.version
        switch self {
        case .health: return base + "/health"
        case .metrics: return "/metrics"
        case .runs: return base + "/runs"
        case .runbooks: return base + "/runbooks"
        case .plan: return base + "/plan"
        case .reload: return base + "/reload"
        case .run(let id): return base + "/runs/" + Self.segment(id)
        case .runPlan(let id): return Self.run(id).path + "/plan"
        case .approvals(let id): return Self.run(id).path + "/approvals"
        case .events(let id): return Self.run(id).path + "/events"
        case .action(let id, let action): return Self.run(id).path + "/" + Self.segment(action)
        case .unknown: return base + "/unknown"
        }
    }

    /// `GET /v1/runs/{id}/events`, from record `after` on, following the run while it lasts.
    public static func eventsPath(_ id: String, after: Int64 = 0, follow: Bool) -> String {
        var query: [String] = []
        if after > 0 { query.append("after=\(after)") }
        if follow { query.append("follow=true") }
        return events(id).path + (query.isEmpty ? "" : "?" + query.joined(separator: "&"))
    }

    /// Percent-encodes one path segment (unreserved characters stay).
    public static func segment(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }
}
