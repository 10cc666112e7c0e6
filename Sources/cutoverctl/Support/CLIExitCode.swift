import ControlProtocol
import Engine

/// `cutoverctl`'s exit codes: stable, documented in `cutoverctl --help` and docs/CUTOVERCTL.md,
/// so scripts and runbooks around a cutover can branch on them.
enum CLIExitCode: Int32, CaseIterable {
    case ok = 0
    /// A runbook does not validate or plan, a preflight check failed, audit verification failed,
    /// or a start was not confirmed.
    case failed = 1
    /// The command line is wrong (unknown option, missing argument, bad `--param`).
    case usage = 2
    /// cutoverd is not running, did not answer in time, or is shutting down.
    case daemonUnreachable = 3
    /// The socket, the state directory or the operation is not allowed for this user.
    case notAuthorized = 4
    /// No such run, step, bundle or journal.
    case notFound = 5
    /// The engine refused: not an approver, the initiator may not approve, already approved, not
    /// waiting for that, an invalid transition, or the plan changed since it was reviewed.
    case refused = 6
    /// cutoverd failed (its journal is unavailable, an internal error) or answered nonsense.
    case daemonError = 7
    /// `status --watch`: the run ended rolled back.
    case rolledBack = 10
    /// `status --watch`: the run ended cancelled.
    case cancelled = 11
    /// `status --watch`: the run paused (a failure, the window, or an operator) and waits for someone.
    case paused = 12

    /// The text of `cutoverctl --help` and docs/CUTOVERCTL.md.
    static let table = """
        EXIT CODES
          0   success (status --watch: the run completed)
          1   a runbook is invalid, a preflight check failed, audit
              verification failed, or a start was not confirmed
          2   usage error (unknown option, missing argument, bad --param)
          3   cutoverd is not running, did not answer in time, or is
              shutting down
          4   permission denied: not in the socket's group, not in
              cutoverd's access groups, or the state directory is unreadable
          5   no such run, step, bundle or journal
          6   refused by the engine: not an approver, initiator may not
              approve, already approved, not waiting for that, invalid
              transition, or the plan changed since it was reviewed
          7   cutoverd failed (journal unavailable, internal error) or
              answered something this cutoverctl does not understand
          10  status --watch: the run was rolled back
          11  status --watch: the run was cancelled
          12  status --watch: the run paused (a failure, the window's end or
              an operator) and waits for someone
        """

    /// The exit code for a terminal (or paused) run status; nil while the run still moves.
    static func forWatched(_ status: RunStatus) -> CLIExitCode? {
        switch status {
        case .completed: return .ok
        case .rolledBack: return .rolledBack
        case .cancelled: return .cancelled
        case .paused: return .paused
        case .running, .rollingBack: return nil
        }
    }

    /// The exit code for an error the daemon answered: by its stable code, else by HTTP status.
    static func forAPIError(code: String?, status: Int?) -> CLIExitCode {
        switch code {
        case ControlErrorCode.runbookInvalid?, EngineError.Code.unknownStepType.rawValue?:
            return .failed
        case ControlErrorCode.badRequest?, ControlErrorCode.methodNotAllowed?:
            return .usage
        case ControlErrorCode.shuttingDown?:
            return .daemonUnreachable
        case ControlErrorCode.peerNotAuthorized?:
            return .notAuthorized
        case ControlErrorCode.notFound?, EngineError.Code.runNotFound.rawValue?, EngineError.Code.stepNotFound.rawValue?:
            return .notFound
        case ControlErrorCode.planChanged?, EngineError.Code.notWaitingForApproval.rawValue?,
            EngineError.Code.notAnApprover.rawValue?, EngineError.Code.initiatorMayNotApprove.rawValue?,
            EngineError.Code.alreadyApproved.rawValue?, EngineError.Code.commentRequired.rawValue?,
            EngineError.Code.notWaitingForDecision.rawValue?, EngineError.Code.unknownOption.rawValue?,
            EngineError.Code.invalidTransition.rawValue?, EngineError.Code.nothingToRetry.rawValue?,
            EngineError.Code.undoNotFailed.rawValue?:
            return .refused
        case ControlErrorCode.internalError?, EngineError.Code.journalUnavailable.rawValue?,
            EngineError.Code.corruptJournal.rawValue?:
            return .daemonError
        default:
            break
        }
        switch status ?? 0 {
        case 400: return .usage
        case 401, 403: return .notAuthorized
        case 404: return .notFound
        case 409, 422: return .refused
        case 503: return .daemonUnreachable
        default: return .daemonError
        }
    }
}
