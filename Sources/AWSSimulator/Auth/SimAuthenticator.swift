import Foundation

/// Verifies SigV4 signatures against the simulator's own credential store.
public enum SimAuthenticator {
    /// The credential scope's service and region, read without verifying anything (to pick the
    /// service and the error format before authentication).
    public struct Scope: Sendable, Equatable {
        public var service: String
        public var region: String
    }

    /// Reads `Credential=AKID/DATE/REGION/SERVICE/aws4_request` from the Authorization header or the
    /// `X-Amz-Credential` query parameter of a presigned URL.
    public static func scope(of request: SimRequest) -> Scope? {
        var credential: String?
        if let auth = request.header("Authorization"), let range = auth.range(of: "Credential=") {
            credential = String(auth[range.upperBound...].prefix { $0 != "," && $0 != " " })
        } else {
            credential = request.query("X-Amz-Credential")
        }
        guard let parts = credential?.split(separator: "/"), parts.count == 5, parts[4] == "aws4_request" else { return nil }
        return Scope(service: String(parts[3]), region: String(parts[2]))
    }

    public static func authenticate(_ request: SimRequest, iam: IAMState, now: Date) -> Result<SimPrincipal, SimError> {
        .failure(SimError("InvalidAccessKeyId", "The AWS Access Key Id you provided does not exist in our records.", status: 403))
    }
}
