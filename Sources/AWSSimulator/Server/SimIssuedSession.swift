import Foundation

/// One set of temporary credentials the simulator issued (AssumeRole), as `GET /_sim/sessions`
/// lists them — secret and token included: the admin API is a test instrument on loopback, and a
/// test that checks cutover never writes a secret anywhere must know every secret there was.
struct SimIssuedSession: Encodable, Sendable {
    var accessKeyId: String
    var secretAccessKey: String
    var sessionToken: String
    var account: String
    var roleArn: String
    var sessionName: String
    var expiration: Date

    init(_ session: IAMState.Session) {
        accessKeyId = session.accessKeyId
        secretAccessKey = session.secretAccessKey
        sessionToken = session.sessionToken
        account = session.account
        roleArn = session.roleArn
        sessionName = session.sessionName
        expiration = session.expiration
    }
}
