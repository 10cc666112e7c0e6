import Daemon
import Foundation

/// The daemon's config loader (`cutoverd.yaml`) on arbitrary text, with a fixed environment for
/// `${…}` expansion. Invariant: loading is deterministic.
enum ConfigFuzzTarget {
    static let loader = DaemonConfigLoader(environment: [
        "CREDENTIALS_DIRECTORY": "/run/credentials/cutoverd.service", "STATE_DIRECTORY": "/var/lib/cutover",
        "RUNTIME_DIRECTORY": "/run/cutover",
    ])

    static func run(_ data: Data) {
        guard let text = String(data: data, encoding: .utf8) else { return }
        let first: DaemonConfig
        do {
            first = try loader.load(text: text, file: "cutoverd.yaml")
        } catch {
            _ = error.description
            return
        }
        let second = try? loader.load(text: text, file: "cutoverd.yaml")
        FuzzCheck.require(second == first, "loading the same configuration twice differs")
    }
}
