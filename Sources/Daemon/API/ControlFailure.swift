import ControlProtocol
import Engine
import Foundation
import Runbook

/// A refused request: the HTTP status and the JSON error the caller gets.
public struct ControlFailure: Error, Sendable, CustomStringConvertible {
    public var status: Int
    public var body: APIErrorBody

    public init(_ status: Int, _ code: String, _ message: String, details: [APIErrorBody.Detail]? = nil) {
        self.status = status
        body = APIErrorBody(code: code, message: message, details: details)
    }

    public var description: String { "\(status) \(body.code): \(body.message)" }

    public var response: ControlResponse { .json(status, body.encoded()) }

    /// The engine's refusals keep their code; the status says whose problem it is.
    public init(_ error: EngineError) {
        let status: Int
        switch error.code {
        case .runNotFound, .stepNotFound: status = 404
        case .notAnApprover, .initiatorMayNotApprove: status = 403
        case .alreadyApproved, .notWaitingForApproval, .notWaitingForDecision, .invalidTransition, .nothingToRetry, .undoNotFailed:
            status = 409
        case .commentRequired, .unknownOption, .unknownStepType: status = 422
        case .journalUnavailable, .corruptJournal: status = 503
        }
        self.init(status, error.code.rawValue, error.message)
    }

    /// Run management's refusals: who can fix it decides the status.
    public init(_ error: RunManagementError) {
        switch error {
        case .shuttingDown: self.init(503, ControlErrorCode.shuttingDown, error.description)
        case .planChanged: self.init(409, ControlErrorCode.planChanged, error.description)
        case let .runbookInvalid(diagnostics, file): self.init(diagnostics, file: file)
        case let .engine(engineError): self.init(engineError)
        case .journalStillUnavailable: self.init(503, EngineError.Code.journalUnavailable.rawValue, error.description)
        }
    }

    /// Every diagnostic of a runbook that does not load or plan.
    public init(_ diagnostics: RunbookDiagnostics, file: String) {
        let errors = diagnostics.errors
        self.init(
            422, ControlErrorCode.runbookInvalid,
            "\(file) has \(errors.count) error\(errors.count == 1 ? "" : "s"); nothing was started",
            details: diagnostics.diagnostics.map { .init(code: $0.code, message: $0.description) })
    }

    static func badRequest(_ message: String) -> ControlFailure { ControlFailure(400, ControlErrorCode.badRequest, message) }
}
