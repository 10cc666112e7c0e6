import ArgumentParser
import Audit
import Foundation
import Journal

/// `cutoverctl audit show RUN`: the run's timeline — who started it, every step with attempts
/// and outcome, who approved what and when, every AWS mutation with its request ID — as text,
/// JSON, or a self-contained HTML report for the change record.
struct AuditShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Show a run's audit timeline (text, JSON, or an HTML report).",
        discussion: """
            RUN is a run id in the journal, or an exported bundle file. --html FILE writes a \
            self-contained report (no scripts, no external assets) with the verification result at \
            the top, checked against --key or, without it, the daemon's key file (journal) or the \
            key the bundle names. --terraform prints Terraform import blocks (one provider alias \
            per runbook account) for what the run created and did not remove: the database \
            instance or cluster, the bucket and each of its configuration resources.
            """)

    @Argument(help: ArgumentHelp("A run id, or an exported bundle file.", valueName: "run-or-bundle"), completion: .file())
    var target: String

    @Option(help: ArgumentHelp("Also write an HTML report to this file.", valueName: "file"), completion: .file(extensions: ["html"]))
    var html: String?

    @Option(help: ArgumentHelp("The public key to verify the report against (text or file).", valueName: "pubkey"), completion: .file())
    var key: String?

    @Flag(help: "Print Terraform import blocks for every resource the run created and left in place.")
    var terraform = false

    @OptionGroup var state: StateDirectoryOptions
    @OptionGroup var output: OutputOptions

    func run() throws {
        let pinned = try key.map(PinnedKey.parse)
        let store = AuditStore(layout: state.layout)
        let records: [JournalRecord]
        var verification: AuditVerification?
        if FileManager.default.fileExists(atPath: target) {
            let bundle: AuditBundle
            do {
                bundle = try AuditBundle.read(from: target)
            } catch {
                throw CLIFailure(error)
            }
            records = bundle.records
            if html != nil { verification = AuditVerifier.verify(bundle: bundle, pinnedKey: pinned) }
        } else {
            let journal = try store.openJournal()
            defer { journal.close() }
            records = try store.records(run: target, in: journal)
            if html != nil {
                let key = pinned ?? store.daemonKey().key
                if let key {
                    do {
                        verification = try AuditVerifier.verify(
                            journalAt: state.layout.journal, stream: target, anchorLog: store.anchorLog, key: key)
                    } catch {
                        throw CLIFailure(error)
                    }
                } else {
                    Console.warning("the report says \"not verified\": no --key, and the daemon's key file is not readable")
                }
            }
        }
        let timeline: AuditTimeline
        do {
            timeline = try AuditTimeline(records: records)
        } catch {
            throw CLIFailure(error)
        }
        if let html {
            let report = AuditHTMLReport(timeline: timeline, verification: verification).render()
            do {
                try Data(report.utf8).write(to: URL(fileURLWithPath: html), options: .atomic)
            } catch {
                throw CLIFailure(.notAuthorized, "cannot write \(html): \(error.localizedDescription)")
            }
            let result = verification.map { $0.valid ? "verified" : "verification FAILED" } ?? "not verified"
            Console.error("wrote the audit report of run \(timeline.runId) to \(html) (\(result))\n")
        }
        if terraform {
            let imports = TerraformImports(timeline: timeline)
            Console.out(imports.render(runId: timeline.runId, runbookName: timeline.runbookName, status: timeline.status))
        } else if output.json {
            do {
                Console.line(try timeline.json())
            } catch {
                throw CLIFailure(error)
            }
        } else if html == nil {
            Console.out(timeline.text.hasSuffix("\n") ? timeline.text : timeline.text + "\n")
        }
    }
}
