import AWSSigV4
import AWSSimulator
import Foundation
import TestSupport
import Testing

/// A simulator on a virtual clock with two seeded accounts, plus ways to sign requests for it:
/// with Cutover's own `SigV4Signer`, and with botocore (`scripts/sim_sign.py`).
struct SimAuthWorld {
    static let start = Date(timeIntervalSince1970: 1_796_000_000)
    static let legacyAccount = "111111111111"
    static let productAccount = "222222222222"
    static let outsiderAccount = "333333333333"

    let clock = VirtualClock(start: SimAuthWorld.start)
    let simulator: Simulator
    /// `alice` in the legacy account, fixed key.
    let alice: SimAccessKey
    /// `carol`, a second user of the legacy account, generated key.
    let carol: SimAccessKey
    /// `bob` in the product account, fixed key.
    let bob: SimAccessKey

    init(configuration: SimConfiguration = SimConfiguration()) throws {
        simulator = Simulator(configuration: configuration, clock: clock)
        try simulator.addAccount(id: Self.legacyAccount, name: "legacy")
        try simulator.addAccount(id: Self.productAccount, name: "product")
        try simulator.addAccount(id: Self.outsiderAccount, name: "outsider")
        alice = try simulator.addUser(
            account: Self.legacyAccount, name: "alice", accessKeyId: "AKIALEGACYALICE00001",
            secret: "aliceSecret/With+Slash=AndPlus0123456789")
        carol = try simulator.addUser(account: Self.legacyAccount, name: "carol")
        bob = try simulator.addUser(
            account: Self.productAccount, name: "bob", accessKeyId: "AKIAPRODUCTBOB000001",
            secret: "bobSecretKey0123456789abcdefghijklmnopqr")
    }

    /// Verifies `request` the way the pipeline does, at the virtual clock's now.
    func authenticate(_ request: SimRequest) -> Result<SimPrincipal, SimError> {
        let now = clock.now()
        return simulator.withState { SimAuthenticator.authenticate(request, iam: $0.iam, now: now) }
    }

    /// Issues session credentials for `roleArn` directly in the store (no AssumeRole call).
    func issueSession(roleArn: String, duration: Int = 3600) throws -> AWSCredentials {
        let now = clock.now()
        let session: IAMState.Session? = simulator.withState { state in
            guard let role = state.iam.roles[roleArn] else { return nil }
            return state.iam.issueSession(
                role: role, sessionName: "fixture", duration: duration, now: now, chained: false, sourceIdentity: nil,
                tags: [])
        }
        let issued = try #require(session, "role \(roleArn) was not seeded")
        return AWSCredentials(
            accessKeyId: issued.accessKeyId, secretAccessKey: issued.secretAccessKey, sessionToken: issued.sessionToken,
            expiration: issued.expiration)
    }

    // MARK: - Our own signer

    static func host(_ service: String) -> String {
        service == "s3" ? "s3.amazonaws.com" : "\(service).us-east-1.amazonaws.com"
    }

    /// A header-signed request as `AWSClient` would send it.
    static func signed(
        service: String, method: String = "GET", path: String = "/", query: [(name: String, value: String)] = [],
        headers: [(name: String, value: String)] = [], body: Data = Data(), payload: SigV4Payload? = nil,
        credentials: AWSCredentials, date: Date
    ) -> SimRequest {
        let signer = SigV4Signer(service: service, region: "us-east-1", options: service == "s3" ? .s3 : .standard)
        let allHeaders = [("Host", host(service))] + headers
        let request = SigV4Request(
            method: method, path: path, query: query, headers: allHeaders, payload: payload ?? .bytes(body))
        let signature = signer.sign(request, credentials: credentials, date: date)
        return SimRequest(
            method: method, path: path, rawQuery: encodeQuery(query), headers: allHeaders + signature.headersToAdd,
            body: body)
    }

    /// A presigned URL request as `AWSClient` would build it.
    static func presigned(
        service: String, method: String = "GET", path: String, query: [(name: String, value: String)] = [],
        credentials: AWSCredentials, date: Date, expires: Int
    ) throws -> SimRequest {
        let signer = SigV4Signer(service: service, region: "us-east-1", options: service == "s3" ? .s3 : .standard)
        let headers = [("Host", host(service))]
        let presigned = try signer.presign(
            SigV4Request(method: method, path: path, query: query, headers: headers), credentials: credentials,
            date: date,
            expires: expires)
        return SimRequest(
            method: method, path: path, rawQuery: encodeQuery(query + presigned.queryToAdd), headers: headers)
    }

    static func encodeQuery(_ pairs: [(name: String, value: String)]) -> String {
        pairs.map {
            SigV4URIEncoding.encode($0.name, encodeSlash: true) + "="
                + SigV4URIEncoding.encode($0.value, encodeSlash: true)
        }
        .joined(separator: "&")
    }

    // MARK: - STS over the pipeline

    /// A signed STS Query call through `Simulator.handle`.
    func sts(
        _ action: String, _ parameters: [(name: String, value: String)] = [], as credentials: AWSCredentials
    )
        -> SimResponse
    {
        let form = [("Action", action), ("Version", "2011-06-15")] + parameters
        let request = Self.signed(
            service: "sts", method: "POST",
            headers: [("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")],
            body: Data(Self.encodeQuery(form).utf8), credentials: credentials, date: clock.now())
        return simulator.handle(request)
    }

    /// AssumeRole and the credentials it returned (nil unless 200).
    func assumeRole(
        _ roleArn: String, session: String = "cutover", _ extra: [(name: String, value: String)] = [],
        as credentials: AWSCredentials
    ) -> (response: SimResponse, credentials: AWSCredentials?) {
        let response = sts("AssumeRole", [("RoleArn", roleArn), ("RoleSessionName", session)] + extra, as: credentials)
        guard response.status == 200, let key = xml("AccessKeyId", response),
            let secret = xml("SecretAccessKey", response),
            let token = xml("SessionToken", response)
        else { return (response, nil) }
        return (response, AWSCredentials(accessKeyId: key, secretAccessKey: secret, sessionToken: token))
    }
}

/// The text of the first `<tag>…</tag>` in a response body (entities left as they are).
func xml(_ tag: String, _ response: SimResponse) -> String? {
    let text = String(decoding: response.body, as: UTF8.self)
    guard let open = text.range(of: "<\(tag)>"),
        let close = text.range(of: "</\(tag)>", range: open.upperBound..<text.endIndex)
    else { return nil }
    return String(text[open.upperBound..<close.lowerBound])
}

/// The error code of a failed authentication, or "accepted".
func outcome(_ result: Result<SimPrincipal, SimError>) -> String {
    switch result {
    case .success: "accepted"
    case .failure(let error): "\(error.code) \(error.status)"
    }
}

/// Replaces the character at `offset` with a different one of the same kind (hex digit for hex
/// digit, letter for letter), so the result is still well-formed but no longer what was signed.
func flipped(_ s: String, at offset: Int) -> String {
    var chars = Array(s)
    let c = chars[offset]
    chars[offset] =
        switch c {
        case "0"..."8", "a"..."e": Character(Unicode.Scalar(c.asciiValue! + 1))
        case "9": "0"
        case "f": "a"
        case "A"..."Y": Character(Unicode.Scalar(c.asciiValue! + 1))
        case "Z": "A"
        case "g"..."y": Character(Unicode.Scalar(c.asciiValue! + 1))
        case "z": "a"
        default: "x"
        }
    return String(chars)
}

// MARK: - botocore

/// One request for `scripts/sim_sign.py`.
struct BotocoreSpec: Encodable, Sendable {
    var signer: String
    var service: String
    var region = "us-east-1"
    var method: String
    var url: String
    var headers: [[String]]
    var bodyBase64: String
    var accessKey: String
    var secret: String
    var token: String?
    var time: Int
    var expires: Int?

    enum CodingKeys: String, CodingKey {
        case signer, service, region, method, url, headers, secret, token, time, expires
        case bodyBase64 = "body_base64"
        case accessKey = "access_key"
    }

    init(
        signer: String, service: String, method: String, url: String, headers: [[String]] = [], body: Data = Data(),
        credentials: AWSCredentials, time: Date, expires: Int? = nil
    ) {
        self.signer = signer
        self.service = service
        self.method = method
        self.url = url
        let host = URL(string: url)?.host ?? "localhost"
        self.headers = [["Host", host]] + headers
        self.bodyBase64 = body.base64EncodedString()
        self.accessKey = credentials.accessKeyId
        self.secret = credentials.secretAccessKey
        self.token = credentials.sessionToken
        self.time = Int(time.timeIntervalSince1970)
        self.expires = expires
    }
}

struct BotocoreSigningError: Error, CustomStringConvertible {
    var description: String
}

enum BotocoreSigner {
    /// The package root, from this file's location.
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    private struct Signed: Decodable {
        var method: String
        var path: String
        var query: String
        var headers: [[String]]
        var bodyBase64: String

        enum CodingKeys: String, CodingKey {
            case method, path, query, headers
            case bodyBase64 = "body_base64"
        }
    }

    /// Signs every spec with botocore; throws (so the test fails, never skips) with what to do when
    /// python3 or botocore is missing.
    static func sign(_ specs: [BotocoreSpec]) async throws -> [SimRequest] {
        try await runOffPool { try signWaiting(specs) }
    }

    private static func signWaiting(_ specs: [BotocoreSpec]) throws -> [SimRequest] {
        let script = packageRoot.appendingPathComponent("scripts/sim_sign.py")
        let python = ProcessInfo.processInfo.environment["PYTHON"] ?? "python3"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [python, script.path]
        let stdin = Pipe()
        let stdout = Pipe()
        let stderrURL = FileManager.default.temporaryDirectory.appendingPathComponent("sim-sign-\(UUID()).err")
        guard FileManager.default.createFile(atPath: stderrURL.path, contents: nil) else {
            throw BotocoreSigningError(description: "cannot create \(stderrURL.path) for sim_sign.py's stderr")
        }
        let stderr = try FileHandle(forWritingTo: stderrURL)
        defer { try? FileManager.default.removeItem(at: stderrURL) }
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stderr
        do {
            try process.run()
        } catch {
            throw BotocoreSigningError(
                description:
                    "could not start \(python) (\(error)): the signature tests need Python 3 with botocore; run scripts/bootstrap"
            )
        }
        // The input is small (well under a pipe buffer), so writing before reading cannot deadlock.
        try stdin.fileHandleForWriting.write(contentsOf: JSONEncoder().encode(specs))
        try stdin.fileHandleForWriting.close()
        let output = stdout.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        try? stderr.close()
        guard process.terminationStatus == 0 else {
            let message = (try? String(contentsOf: stderrURL, encoding: .utf8)) ?? ""
            throw BotocoreSigningError(
                description: "scripts/sim_sign.py exited with \(process.terminationStatus): \(message)"
                    + " — the signature tests need Python 3 with botocore; run scripts/bootstrap")
        }
        let lines = String(decoding: output, as: UTF8.self).split(separator: "\n")
        guard lines.count == specs.count else {
            throw BotocoreSigningError(
                description: "scripts/sim_sign.py answered \(lines.count) requests for \(specs.count)")
        }
        return try lines.map { line in
            let signed = try JSONDecoder().decode(Signed.self, from: Data(line.utf8))
            return SimRequest(
                method: signed.method, path: signed.path, rawQuery: signed.query,
                headers: signed.headers.map { (name: $0[0], value: $0[1]) },
                body: Data(base64Encoded: signed.bodyBase64) ?? Data())
        }
    }
}
