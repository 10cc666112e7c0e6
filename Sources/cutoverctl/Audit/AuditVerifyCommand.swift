import ArgumentParser
import Audit
import Foundation
import Journal

/// `cutoverctl audit verify [RUN | BUNDLE] [--key PUBKEY]`: recomputes every hash and link,
/// checks every checkpoint signature and anchor, and says exactly what it covered. Exit 0 only
/// when everything checked out.
struct AuditVerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Verify the audit log: a whole journal, one run, or an exported bundle.",
        discussion: """
            Without an argument the whole journal is checked, including gap-free sequence numbers. \
            A RUN checks that run's stream; a path to an existing file is read as a bundle from \
            `cutoverctl audit export`. Signatures are checked against --key (a key or a file holding \
            one: hex, base64 or PEM, as `cutoverctl audit key` prints it); without --key, a journal is \
            checked against the daemon's key file in the state directory and a bundle against the key \
            its header names (which proves consistency, not origin: pin the key). Exits 0 when valid, \
            1 when anything does not verify, naming the first bad record of each stream.
            """)

    @Argument(
        help: ArgumentHelp("A run id, or an exported bundle file (default: the whole journal).", valueName: "run-or-bundle"),
        completion: .file())
    var target: String?

    @Option(help: ArgumentHelp("The public key to pin (text or file).", valueName: "pubkey"), completion: .file())
    var key: String?

    @OptionGroup var state: StateDirectoryOptions
    @OptionGroup var output: OutputOptions

    func run() throws {
        let pinned = try key.map(PinnedKey.parse)
        let store = AuditStore(layout: state.layout)
        let verification: AuditVerification
        let scope: String
        if let target, FileManager.default.fileExists(atPath: target) {
            let bundle: AuditBundle
            do {
                bundle = try AuditBundle.read(from: target)
            } catch {
                throw CLIFailure(error)
            }
            verification = AuditVerifier.verify(bundle: bundle, pinnedKey: pinned)
            scope = "bundle \(target): run \(bundle.runId), exported \(TimeText.time(bundle.header.exportedAt))"
        } else {
            // Fails first if the journal is missing or unreadable: that matters more than the key.
            try store.openJournal().close()
            var keyToUse = pinned
            if keyToUse == nil {
                let (daemonKey, problem) = store.daemonKey()
                keyToUse = daemonKey
                if let problem, !output.json {
                    Console.warning("no --key, and the daemon's key is not usable: \(problem)")
                }
            }
            do {
                verification = try AuditVerifier.verify(
                    journalAt: state.layout.journal, stream: target, anchorLog: store.anchorLog, key: keyToUse)
            } catch {
                throw CLIFailure(error)
            }
            scope =
                target.map { "run \($0) in \(state.layout.journal)" }
                ?? "the whole journal \(state.layout.journal) (\(verification.streams.count) streams)"
        }
        if output.json {
            try Console.json(VerificationDocument(scope: scope, verification))
        } else {
            let style = Style.standardOutput
            Console.line("Verified \(scope)")
            for line in verification.description.split(separator: "\n", omittingEmptySubsequences: false) {
                let text = String(line)
                Console.line(text.hasPrefix("INVALID") || text.contains(": INVALID") ? style.red(text) : text)
            }
            Console.line(verification.valid ? style.green("VALID") : style.red("INVALID"))
        }
        if !verification.valid { throw CLIFailure.silent(.failed) }
    }
}

/// `audit verify --output json`.
struct VerificationDocument: Encodable {
    struct Failure: Encodable {
        var code: String
        var stream: String?
        var streamSequence: Int64?
        var sequence: Int64?
        var kind: String?
        var suspectFrom: Int64?
        var suspectTo: Int64?
        var message: String
        init(_ failure: AuditFailure) {
            code = failure.code.rawValue
            stream = failure.stream
            streamSequence = failure.streamSequence
            sequence = failure.sequence
            kind = failure.kind
            suspectFrom = failure.suspectRange?.lowerBound
            suspectTo = failure.suspectRange?.upperBound
            message = failure.message
        }
    }

    struct Stream: Encodable {
        var stream: String
        var valid: Bool
        var records: Int
        var expectedRecords: Int
        var validRecords: Int
        var signedCheckpoints: Int
        var lastCovered: Int64?
        var unsignedTail: Int
        var ended: Bool
        var firstTime: Date?
        var lastTime: Date?
        var summary: String
        var failure: Failure?
    }

    var scope: String
    var valid: Bool
    var keyId: String?
    var keySource: String
    var streams: [Stream]
    var journalFailures: [Failure]
    var summary: String

    init(scope: String, _ verification: AuditVerification) {
        self.scope = scope
        valid = verification.valid
        keyId = verification.keyId
        keySource = verification.keySource.rawValue
        streams = verification.streams.map {
            Stream(
                stream: $0.stream, valid: $0.valid, records: $0.records, expectedRecords: $0.expectedRecords,
                validRecords: $0.validRecords, signedCheckpoints: $0.signedCheckpoints, lastCovered: $0.lastCovered,
                unsignedTail: $0.unsignedTail, ended: $0.ended, firstTime: $0.firstTime, lastTime: $0.lastTime,
                summary: $0.summary, failure: $0.failure.map(Failure.init))
        }
        journalFailures = verification.journalFailures.map(Failure.init)
        summary = verification.description
    }
}
