import ControlProtocol
import Engine
import Foundation

/// `cutoverctl runs` as a table.
struct RunListRenderer {
    var style: Style

    func text(_ list: RunList) -> String {
        guard !list.runs.isEmpty else { return "No runs. Start one with `cutoverctl start RUNBOOK`.\n" }
        let runs = list.runs.sorted { $0.createdAt > $1.createdAt }
        let header = ["RUN", "RUNBOOK", "STATUS", "STEPS", "INITIATOR", "CREATED", "CURRENT"]
        let rows = runs.map { run in
            [
                run.runId, run.runbook, run.status.rawValue, "\(run.stepsDone)/\(run.stepsTotal)", run.initiator,
                TimeText.time(run.createdAt), run.current ?? "-",
            ]
        }
        var widths = header.map(\.count)
        for row in rows {
            for (index, cell) in row.enumerated() { widths[index] = max(widths[index], cell.count) }
        }
        func render(_ row: [String], colourStatus: RunStatus?) -> String {
            row.enumerated().map { index, cell in
                let padded = index == row.count - 1 ? cell : cell.padding(toLength: widths[index], withPad: " ", startingAt: 0)
                if index == 2, let status = colourStatus { return RunStatusColour.apply(status, to: padded, style: style) }
                return padded
            }.joined(separator: "  ")
        }
        var lines = [style.bold(render(header, colourStatus: nil))]
        for (run, row) in zip(runs, rows) { lines.append(render(row, colourStatus: run.status)) }
        return lines.joined(separator: "\n") + "\n"
    }
}

/// The colour of a run status word.
enum RunStatusColour {
    static func apply(_ status: RunStatus, to text: String, style: Style) -> String {
        switch status {
        case .completed: return style.green(text)
        case .running: return style.cyan(text)
        case .paused, .rollingBack: return style.yellow(text)
        case .rolledBack, .cancelled: return style.red(text)
        }
    }
}
