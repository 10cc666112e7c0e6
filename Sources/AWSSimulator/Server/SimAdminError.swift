/// An admin API request the simulator cannot carry out, answered as
/// `{"error":{"code":…,"message":…}}` with `status`.
public struct SimAdminError: Error, Sendable, Equatable {
    public var status: Int
    public var code: String
    public var message: String

    public init(_ status: Int, _ code: String, _ message: String) {
        self.status = status
        self.code = code
        self.message = message
    }
}
