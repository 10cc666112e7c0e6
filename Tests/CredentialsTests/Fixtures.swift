import AWSClient
import AWSSigV4
import Foundation
import Synchronization
import TestSupport

/// A transport that talks to the loopback servers directly, whatever proxies the CI host sets.
let loopbackTransport = CurlTransport(proxy: ProxySettings())

/// Secrets the tests hand out; no error or description may contain them.
enum Secret {
    static let envSecret = "envSECRETwJalrXUtnFEMIK7MDENGbPxRfiCY"
    static let fileSecret = "fileSECRETwJalrXUtnFEMIK7MDENG"
    static let stsSecret = "stsSECRETwJalrXUtnFEMIK7MDENG"
    static let stsToken = "stsSESSIONTOKENFwoGZXIvYXdzEJr"
    static let containerSecret = "ecsSECRETwJalrXUtnFEMIK7MDENG"
    static let containerToken = "ecsSESSIONTOKENIQoJb3JpZ2lu"
    static let imdsSecret = "imdsSECRETwJalrXUtnFEMIK7MDENG"
    static let imdsToken = "imdsSESSIONTOKENIQoJb3JpZ2lu"
    static let all = [envSecret, fileSecret, stsSecret, stsToken, containerSecret, containerToken, imdsSecret, imdsToken]
}

/// A scratch directory removed when the value goes away.
final class ScratchDirectory: Sendable {
    let path: String
    init() throws {
        path = NSTemporaryDirectory() + "cutover-creds-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }
    deinit { try? FileManager.default.removeItem(atPath: path) }

    @discardableResult
    func write(_ name: String, _ text: String) throws -> String {
        let file = path + "/" + name
        try text.write(toFile: file, atomically: true, encoding: .utf8)
        return file
    }
}

/// A clock the test moves by hand.
final class TestClock: Sendable {
    private let current: Mutex<Date>
    init(_ start: Date = Date(timeIntervalSince1970: 1_800_000_000)) { current = Mutex(start) }
    var now: Date { current.withLock { $0 } }
    func advance(by seconds: TimeInterval) { current.withLock { $0 = $0.addingTimeInterval(seconds) } }
    var closure: @Sendable () -> Date { { self.now } }
}

/// The JSON the container endpoint and IMDS serve.
func metadataJSON(keyId: String, secret: String, token: String, expiration: Date, accountId: String? = nil, code: String? = nil) -> Data {
    var object: [String: String] = [
        "AccessKeyId": keyId, "SecretAccessKey": secret, "Token": token,
        "Expiration": expiration.formatted(Date.ISO8601FormatStyle()),
    ]
    if let accountId { object["AccountId"] = accountId }
    if let code { object["Code"] = code }
    return try! JSONSerialization.data(withJSONObject: object)
}

/// A real STS AssumeRole response, as https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html shows it.
func assumeRoleResponseXML(keyId: String = "ASIAASSUMEDROLEKEY01", expiration: Date, account: String = "222222222222") -> String {
    """
    <AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
      <AssumeRoleResult>
        <SourceIdentity>ops-oncall</SourceIdentity>
        <AssumedRoleUser>
          <Arn>arn:aws:sts::\(account):assumed-role/CutoverTarget/cutover-session</Arn>
          <AssumedRoleId>ARO123EXAMPLE123:cutover-session</AssumedRoleId>
        </AssumedRoleUser>
        <Credentials>
          <AccessKeyId>\(keyId)</AccessKeyId>
          <SecretAccessKey>\(Secret.stsSecret)</SecretAccessKey>
          <SessionToken>\(Secret.stsToken)</SessionToken>
          <Expiration>\(expiration.formatted(Date.ISO8601FormatStyle()))</Expiration>
        </Credentials>
        <PackedPolicySize>6</PackedPolicySize>
      </AssumeRoleResult>
      <ResponseMetadata>
        <RequestId>c6104cbe-af31-11e0-8154-cbc7ccf896c7</RequestId>
      </ResponseMetadata>
    </AssumeRoleResponse>
    """
}

func webIdentityResponseXML(keyId: String = "ASIAWEBIDENTITYKEY01", expiration: Date) -> String {
    """
    <AssumeRoleWithWebIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
      <AssumeRoleWithWebIdentityResult>
        <SubjectFromWebIdentityToken>system:serviceaccount:cutover:cutoverd</SubjectFromWebIdentityToken>
        <AssumedRoleUser>
          <Arn>arn:aws:sts::333333333333:assumed-role/CutoverIRSA/cutover-irsa</Arn>
          <AssumedRoleId>AROACLKWSDQRAOEXAMPLE:cutover-irsa</AssumedRoleId>
        </AssumedRoleUser>
        <Credentials>
          <AccessKeyId>\(keyId)</AccessKeyId>
          <SecretAccessKey>\(Secret.stsSecret)</SecretAccessKey>
          <SessionToken>\(Secret.stsToken)</SessionToken>
          <Expiration>\(expiration.formatted(Date.ISO8601FormatStyle()))</Expiration>
        </Credentials>
        <Audience>sts.amazonaws.com</Audience>
      </AssumeRoleWithWebIdentityResult>
      <ResponseMetadata><RequestId>ad4156e9-bce1-11e2-82e6-6b6efEXAMPLE</RequestId></ResponseMetadata>
    </AssumeRoleWithWebIdentityResponse>
    """
}

/// Decodes an `application/x-www-form-urlencoded` body into name → value.
func formFields(_ body: Data) -> [String: String] {
    var fields: [String: String] = [:]
    for pair in String(decoding: body, as: UTF8.self).split(separator: "&") {
        let parts = pair.split(separator: "=", maxSplits: 1).map { String($0).removingPercentEncoding ?? String($0) }
        fields[parts[0]] = parts.count > 1 ? parts[1] : ""
    }
    return fields
}

/// A stand-in IMDS: token PUT, role list, role credentials; records nothing itself (the server does).
func imdsHandler(
    role: String = "cutover-instance-role", token: String = "AQAEAimdsv2token==", expiration: Date
) -> LoopbackHTTPServer.Handler {
    { request in
        switch (request.method, request.path) {
        case ("PUT", "/latest/api/token"):
            guard request.header("x-aws-ec2-metadata-token-ttl-seconds") != nil else { return .text(400, "missing TTL") }
            return .text(200, token)
        case ("GET", _) where request.header("x-aws-ec2-metadata-token") != token:
            return .text(401, "")
        case ("GET", "/latest/meta-data/iam/security-credentials/"):
            return .text(200, role)
        case ("GET", "/latest/meta-data/iam/security-credentials/\(role)"):
            return .respond(
                status: 200,
                body: metadataJSON(
                    keyId: "ASIAIMDSROLEKEY00001", secret: Secret.imdsSecret, token: Secret.imdsToken,
                    expiration: expiration, code: "Success"))
        default:
            return .text(404, "not found")
        }
    }
}

/// Counts fetches and can hold them until released.
final class CountingProvider: CredentialProvider {
    private struct State {
        var fetches = 0
        var results: [Result<AWSCredentials, CredentialsError>] = []
    }
    private let state = Mutex(State())
    private let gate: AsyncGate?
    private let gateFromFetch: Int

    /// - Parameter gateFromFetch: the first fetch (1-based) that waits for `gate`.
    init(results: [Result<AWSCredentials, CredentialsError>], gate: AsyncGate? = nil, gateFromFetch: Int = 1) {
        state.withLock { $0.results = results }
        self.gate = gate
        self.gateFromFetch = gateFromFetch
    }

    var fetches: Int { state.withLock { $0.fetches } }

    func credentials() async throws -> AWSCredentials {
        let (result, number) = state.withLock { s in
            s.fetches += 1
            return (s.results.count > 1 ? s.results.removeFirst() : s.results[0], s.fetches)
        }
        if let gate, number >= gateFromFetch { await gate.wait() }
        return try result.get()
    }
}

/// A one-shot latch: waiters suspend until `open()`.
final class AsyncGate: Sendable {
    private let state = Mutex<(open: Bool, waiters: [CheckedContinuation<Void, Never>])>((false, []))
    func wait() async {
        await withCheckedContinuation { continuation in
            let resumeNow = state.withLock { s -> Bool in
                if s.open { return true }
                s.waiters.append(continuation)
                return false
            }
            if resumeNow { continuation.resume() }
        }
    }
    func open() {
        let waiters = state.withLock { s in
            s.open = true
            defer { s.waiters = [] }
            return s.waiters
        }
        for waiter in waiters { waiter.resume() }
    }
}

func temporaryCredentials(_ keyId: String, expiresAt: Date) -> AWSCredentials {
    AWSCredentials(accessKeyId: keyId, secretAccessKey: "tmp-secret-\(keyId)", sessionToken: "tmp-token", expiration: expiresAt)
}

/// A context whose network sources all point at loopback servers, or at nothing.
func testContext(
    environment: [String: String], sts: LoopbackHTTPServer? = nil, imdsEndpoint: String = "http://127.0.0.1:9",
    containerBase: String = "http://127.0.0.1:9", clock: TestClock = TestClock()
) -> CredentialSourceContext {
    CredentialSourceContext(
        environment: environment, region: "eu-west-1", transport: loopbackTransport, metadataTransport: loopbackTransport,
        endpoints: sts.map { EndpointResolver(overrideURL: $0.baseURL) }, containerBaseURL: containerBase,
        imdsEndpoint: imdsEndpoint, containerRetryDelay: .milliseconds(1), now: clock.closure)
}

/// Asserts helper: none of the test secrets appear in `text`.
func leaksSecret(_ text: String) -> Bool { Secret.all.contains { text.contains($0) } }

/// Passes requests to `loopbackTransport` and remembers their URLs, so a test can show that a
/// source was never contacted without starting a server that nobody connects to.
final class RecordingTransport: HTTPTransport {
    private let sent = Mutex<[String]>([])
    var urls: [String] { sent.withLock { $0 } }

    func send(_ request: HTTPRequest, timeout: TransportTimeouts) async throws -> HTTPResponse {
        sent.withLock { $0.append(request.url) }
        return try await loopbackTransport.send(request, timeout: timeout)
    }
}
