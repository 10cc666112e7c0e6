import ArgumentParser
import Audit
import Foundation

/// `cutoverctl audit export RUN -o FILE`: the run's records and anchors as one JSON Lines file
/// that `audit verify FILE --key PUBKEY` checks anywhere, without the daemon or its journal.
struct AuditExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Export a run's audit log as a bundle that verifies offline.",
        discussion: """
            The bundle holds every record of the run exactly as stored and its checkpoint anchors; \
            the header names the daemon's public key (from --key, else the daemon's key file) as a \
            convenience. Auditors should pin the key they got from the operators: \
            `cutoverctl audit verify FILE --key PUBKEY`.
            """)

    @Argument(help: ArgumentHelp("The run id.", valueName: "run")) var runId: String

    @Option(name: [.customShort("o"), .customLong("out")], help: ArgumentHelp("The bundle file to write.", valueName: "file"), completion: .file())
    var file: String

    @Option(help: ArgumentHelp("The public key to name in the header (text or file).", valueName: "pubkey"), completion: .file())
    var key: String?

    @OptionGroup var state: StateDirectoryOptions

    func run() throws {
        let store = AuditStore(layout: state.layout)
        var publicKey = try key.map(PinnedKey.parse)
        if publicKey == nil {
            let (daemonKey, problem) = store.daemonKey()
            publicKey = daemonKey
            if let problem { Console.warning("the bundle names no key (\(problem)); verifiers must pass --key") }
        }
        let journal = try store.openJournal()
        defer { journal.close() }
        do {
            let bundle = try AuditBundle.export(run: runId, from: journal, anchorLog: store.anchorLog, publicKey: publicKey)
            try bundle.write(to: file)
            Console.line(
                "Exported run \(runId): \(bundle.records.count) records, \(bundle.anchors.count) anchors, key \(publicKey?.keyId ?? "none") → \(file)")
        } catch {
            throw CLIFailure(error)
        }
    }
}
