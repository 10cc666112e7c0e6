import Foundation

/// What both verify primitives read of the restored instance or cluster.
struct RDSRestoredState: Sendable {
    var status: String
    var engine: String?
    var engineVersion: String?
    var storageEncrypted: Bool
    var kmsKeyId: String?
}

extension RDSMoveContext {
    /// What is wrong with the restored resource, in the words the verify failure uses: not
    /// `available`, another engine or engine version than the source (as the preflight saw it),
    /// or storage not encrypted with the target's key.
    func problems(with restored: RDSRestoredState) -> [String] {
        var problems: [String] = []
        if restored.status != "available" { problems.append("status is \(restored.status), not available") }
        if let engine = output(of: "preflight", "engine"), !engine.isEmpty, restored.engine != engine {
            problems.append("engine is \(restored.engine ?? "unknown"), the source runs \(engine)")
        }
        if let version = output(of: "preflight", "engineVersion"), !version.isEmpty, restored.engineVersion != version {
            problems.append("engine version is \(restored.engineVersion ?? "unknown"), the source runs \(version)")
        }
        let expectedKey = output(of: "preflight", "targetKeyArn") ?? settings.kmsKey
        if !restored.storageEncrypted {
            problems.append("storage is not encrypted")
        } else if restored.kmsKeyId != expectedKey {
            problems.append("storage is encrypted with \(restored.kmsKeyId ?? "an unknown key"), not the target key \(expectedKey)")
        }
        return problems
    }
}
