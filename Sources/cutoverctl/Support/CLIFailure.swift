import ControlProtocol
import Foundation

/// A command's failure as the operator sees it: one message (what went wrong and what to do),
/// optional detail lines (every runbook diagnostic the daemon reported), and the exit code.
struct CLIFailure: Error, CustomStringConvertible {
    var code: CLIExitCode
    var message: String
    var details: [String]

    init(_ code: CLIExitCode, _ message: String, details: [String] = []) {
        self.code = code
        self.message = message
        self.details = details
    }

    var description: String { message }

    /// Exits with `code` and prints nothing: the command already said why.
    static func silent(_ code: CLIExitCode) -> CLIFailure { CLIFailure(code, "") }

    /// A failure to reach the daemon, or its refusal, with the daemon's message and details.
    init(_ error: ControlClientError) {
        switch error.kind {
        case .daemonNotRunning, .timeout, .connectionFailed:
            self.init(.daemonUnreachable, error.message)
        case .permissionDenied:
            self.init(.notAuthorized, error.message)
        case .rejected:
            let code = CLIExitCode.forAPIError(code: error.apiError?.code, status: error.status)
            var message = error.apiError?.message ?? error.message
            if let apiCode = error.apiError?.code { message += " [\(apiCode)]" }
            self.init(code, message, details: error.apiError?.details?.map(\.message) ?? [])
        default:
            self.init(.daemonError, error.message)
        }
    }

    /// Writes `cutoverctl: error: …` and the details to standard error.
    func report() {
        guard !message.isEmpty else { return }
        let style = Style.standardError
        var text = "\(style.red("cutoverctl: error:")) \(message)\n"
        // Details are runbook diagnostics (`file:line:column: error: …`): unindented, so editors link them.
        for detail in details { text += "\(detail)\n" }
        Console.error(text)
    }
}
