import ControlProtocol
import Foundation
import Runbook
import Synchronization

/// The runbooks in the configured directories, loaded (and so validated) at start and on every
/// reload. `cutoverctl start NAME` starts one by name; a run in progress never changes, because
/// its plan and runbook text are in the journal.
public final class RunbookLibrary: Sendable {
    private struct Contents {
        var directories: [String] = []
        var entries: [RunbookInfo] = []
    }

    private let contents = Mutex(Contents())
    let catalog: StepCatalog

    public init(catalog: StepCatalog) { self.catalog = catalog }

    /// Re-reads every `*.yaml`/`*.yml` in `directories` (not recursively); a directory that does not exist holds none. Returns the problems
    /// found, one line each, for the log.
    @discardableResult
    public func reload(directories: [String]) -> [String] {
        var entries: [RunbookInfo] = []
        var problems: [String] = []
        let loader = RunbookLoader(catalog: catalog)
        for directory in directories where FileManager.default.fileExists(atPath: directory) {
            guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else {
                problems.append("\(directory): cannot read the runbook directory")
                continue
            }
            for name in names.sorted() where name.hasSuffix(".yaml") || name.hasSuffix(".yml") {
                let path = (directory as NSString).appendingPathComponent(name)
                do {
                    let runbook = try loader.load(file: path)
                    entries.append(RunbookInfo(name: runbook.name, file: path, valid: true, problems: []))
                } catch {
                    let lines = error.diagnostics.map(\.description)
                    problems += lines
                    let stem = ((name as NSString).deletingPathExtension)
                    entries.append(RunbookInfo(name: stem, file: path, valid: false, problems: lines))
                }
            }
        }
        contents.withLock { $0 = Contents(directories: directories, entries: entries) }
        return problems
    }

    public var list: RunbookList {
        contents.withLock { RunbookList(directories: $0.directories, runbooks: $0.entries) }
    }

    /// The runbook called `name` (its `name:` or its file name without extension).
    public func find(_ name: String) -> RunbookInfo? {
        contents.withLock { contents in
            contents.entries.first { $0.name == name }
                ?? contents.entries.first { (($0.file as NSString).lastPathComponent as NSString).deletingPathExtension == name }
        }
    }
}
