import ControlProtocol
import Daemon
import Foundation

/// A control API request as the daemon takes it apart: the request target into path and query
/// (`ControlRequestTarget`), the path into a route (`ControlRoute`, the table the client renders paths with), and the body into the request type
/// that route decodes, with the daemon's own `ControlJSON` decoder. Also the client's decoding of
/// an error body, on the same bytes.
///
/// Invariant: every decoded request type survives an encode/decode round trip unchanged, as
/// `cutoverctl` encodes what the daemon decodes.
enum ControlRequestFuzzTarget {
    static func run(_ data: Data) {
        _ = APIErrorBody.decode(data)
        guard let raw = RawHTTPRequest(data) else { return }
        _ = APIErrorBody.decode(raw.body)
        guard let target = ControlRequestTarget(raw.target) else { return }
        _ = Int64(target.query["after"] ?? "0")
        switch (raw.method, ControlRoute(path: target.path)) {
        case ("POST", .runs): roundTrip(StartRunRequest.self, raw.body)
        case ("POST", .plan): roundTrip(PlanRequest.self, raw.body)
        case ("POST", .approvals): roundTrip(ApprovalRequest.self, raw.body)
        case ("POST", .action(_, let action)):
            if action == "decide" {
                roundTrip(DecideRequest.self, raw.body)
            } else if !raw.body.isEmpty {
                roundTrip(ActionRequest.self, raw.body)
            }
        default:
            // Other routes read no body; decode every type anyway, as a wrong method or path
            // must not change what decoding can survive.
            roundTrip(StartRunRequest.self, raw.body)
            roundTrip(ActionRequest.self, raw.body)
        }
    }

    private static func roundTrip<T: Codable & Equatable>(_ type: T.Type, _ body: Data) {
        guard let value = try? ControlJSON.decoder().decode(T.self, from: body) else { return }
        let encoded: Data
        do {
            encoded = try ControlJSON.encoder().encode(value)
        } catch {
            FuzzCheck.fail("a decoded \(T.self) cannot be encoded again: \(error)")
        }
        let again = try? ControlJSON.decoder().decode(T.self, from: encoded)
        FuzzCheck.require(again == value, "\(T.self) does not survive an encode/decode round trip")
    }
}
