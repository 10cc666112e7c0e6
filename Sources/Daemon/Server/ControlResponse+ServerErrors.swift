import ControlProtocol
import Foundation

extension ControlResponse {
    /// An error the server itself answers (malformed HTTP, an oversized body) in the control
    /// API's error format, so `cutoverctl` shows it like any other API error.
    static func serverError(status: Int, code: String = ControlErrorCode.badRequest, _ message: String) -> ControlResponse {
        .json(status, APIErrorBody(code: code, message: message).encoded())
    }
}
