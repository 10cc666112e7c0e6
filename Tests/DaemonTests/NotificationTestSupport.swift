import AWSClient
import Daemon
import Foundation
import Synchronization

/// Collects what a `DaemonLog` writes, for tests that check what was logged.
final class NotificationLogLines: Sendable {
    private let lines = Mutex<[String]>([])

    var log: DaemonLog {
        DaemonLog(level: .debug) { [self] line in self.append(line) }
    }

    private func append(_ line: String) { lines.withLock { $0.append(line) } }

    var all: [String] { lines.withLock { $0 } }

    func matching(_ text: String) -> [String] { all.filter { $0.contains(text) } }
}

/// A target that holds every delivery until `open()`, to fill the notifier's queue.
struct NotificationGateTarget: NotificationTarget {
    final class Gate: Sendable {
        private let state = Mutex((open: false, delivered: 0))
        func open() { state.withLock { $0.open = true } }
        var isOpen: Bool { state.withLock { $0.open } }
        var delivered: Int { state.withLock { $0.delivered } }
        func count() { state.withLock { $0.delivered += 1 } }
    }

    let name = "gate"
    let events: [CutoverNotification.Kind] = []
    let gate: Gate

    func deliver(_ notification: CutoverNotification) async throws(NotificationDeliveryError) {
        while !gate.isOpen {
            do {
                try await Task.sleep(for: .milliseconds(5))
            } catch {
                throw NotificationDeliveryError(target: name, status: nil, code: "Cancelled", message: "cancelled")
            }
        }
        gate.count()
    }
}

extension CutoverNotification {
    static func approval(run: String = "r-42", step: String = "delete-source") -> CutoverNotification {
        CutoverNotification(
            kind: .approvalNeeded, runId: run, runbook: "admin-console-cutover", step: step,
            title: "Approval needed: \(step)",
            text: "The source bucket admin-images is about to be emptied and deleted. This cannot be undone.",
            fields: ["account": "legacy (111111111111)", "irreversible": "yes"])
    }

    static func event(_ kind: Kind, run: String = "r-42") -> CutoverNotification {
        CutoverNotification(kind: kind, runId: run, runbook: "admin-console-cutover", title: "\(kind.rawValue) in \(run)", text: "details")
    }
}

/// A JSON object from a request body.
func notificationJSON(_ data: Data) throws -> [String: Any] {
    guard let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
        throw NotificationTestFailure("the body is not a JSON object")
    }
    return object
}

struct NotificationTestFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Form fields of a Query-protocol body, decoded.
func notificationForm(_ body: Data) -> [String: String] {
    var fields: [String: String] = [:]
    for pair in String(decoding: body, as: UTF8.self).split(separator: "&") {
        let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
        let decode = { (s: String) in s.replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? s }
        fields[decode(parts[0])] = parts.count == 2 ? decode(parts[1]) : ""
    }
    return fields
}
