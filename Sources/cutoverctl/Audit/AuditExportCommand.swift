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
            `cutoverctl audit verify FILE --key PUBKEY`. --version-map MAP.csv also writes the old → new \
            version IDs of every S3 version and delete marker the run's history copies reproduced \
            (columns step,attempt,source,destination,key,position,sourceVersionId,versionId,deleteMarker), \
            read from the same records the bundle holds.
            """)

    @Argument(help: ArgumentHelp("The run id.", valueName: "run")) var runId: String

    @Option(
        name: [.customShort("o"), .customLong("out")], help: ArgumentHelp("The bundle file to write.", valueName: "file"),
        completion: .file())
    var file: String

    @Option(help: ArgumentHelp("The public key to name in the header (text or file).", valueName: "pubkey"), completion: .file())
    var key: String?

    @Option(
        name: .customLong("version-map"),
        help: ArgumentHelp("Also write the S3 version mapping (old → new version IDs) as CSV.", valueName: "file"), completion: .file())
    var versionMap: String?

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
        let bundle: AuditBundle
        do {
            bundle = try AuditBundle.export(run: runId, from: journal, anchorLog: store.anchorLog, publicKey: publicKey)
            try bundle.write(to: file)
            Console.line(
                "Exported run \(runId): \(bundle.records.count) records, \(bundle.anchors.count) anchors, key \(publicKey?.keyId ?? "none") → \(file)"
            )
        } catch {
            throw CLIFailure(error)
        }
        if let versionMap { try writeVersionMap(bundle, to: versionMap) }
    }

    /// The run's S3 version mapping (`S3VersionMapExport`) as CSV.
    private func writeVersionMap(_ bundle: AuditBundle, to path: String) throws {
        let timeline: AuditTimeline
        do {
            timeline = try AuditTimeline(records: bundle.records)
        } catch {
            throw CLIFailure(error)
        }
        let map = S3VersionMapExport(timeline: timeline)
        do {
            try Data(map.csv.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw CLIFailure(.notAuthorized, "cannot write \(path): \(error.localizedDescription)")
        }
        Console.line("Version map: \(map.rows.count) versions and delete markers → \(path)")
    }
}
