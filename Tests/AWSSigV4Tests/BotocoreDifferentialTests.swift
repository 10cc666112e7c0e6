import AWSSigV4
import Foundation
import TestSupport
import Testing

/// Signs thousands of random requests generated and signed by botocore
/// (`scripts/sigv4-differential.py`) and demands byte-identical results.
@Suite struct BotocoreDifferentialTests {
    static let seed = 20_261_121
    static let count = 2_500

    /// One line of the generator's output (see the script's docstring).
    struct Case: Decodable {
        var index: Int
        var method: String
        var path: String
        var query: [[String]]
        var headers: [[String]]
        var body_base64: String
        var payload: String
        var content_header: Bool
        var service: String
        var region: String
        var access_key_id: String
        var secret_access_key: String
        var session_token: String?
        var s3: Bool
        var presign_expires: Int?
        var epoch_seconds: Int
        var epoch_microseconds: Int
        var canonical_request: String
        var string_to_sign: String
        var signature: String
        var authorization: String?
        var url_query: String?
    }

    struct Mismatch: CustomStringConvertible {
        var index: Int
        var field: String
        var ours: String
        var botocore: String
        var description: String {
            "seed \(BotocoreDifferentialTests.seed) index \(index): \(field) differs\n"
                + "--- ours\n\(ours)\n--- botocore\n\(botocore)"
        }
    }

    @Test func signaturesMatchBotocoreOnRandomRequests() async throws {
        let lines = try await Self.runGenerator(seed: Self.seed, count: Self.count)
        #expect(lines.count == Self.count)
        let cache = SigningKeyCache()
        var mismatches: [Mismatch] = []
        var presignedCount = 0
        for line in lines {
            let generated = try JSONDecoder().decode(Case.self, from: Data(line.utf8))
            if generated.presign_expires != nil { presignedCount += 1 }
            mismatches += try Self.compare(generated, cache: cache)
        }
        for mismatch in mismatches.prefix(5) {
            Issue.record("\(mismatch)")
        }
        #expect(
            mismatches.isEmpty,
            """
            \(mismatches.count) field mismatches against botocore; reproduce with \
            scripts/sigv4-differential.py --seed \(Self.seed) --count \(Self.count)
            """)
        // The generator must keep exercising both signing modes.
        #expect(presignedCount > Self.count / 10)
    }

    static func compare(_ generated: Case, cache: SigningKeyCache) throws -> [Mismatch] {
        var options: SigV4Options = generated.s3 ? .s3 : .standard
        if generated.content_header { options.addContentSHA256Header = true }
        let signer = SigV4Signer(
            service: generated.service, region: generated.region, options: options, keyCache: cache)
        let body = try #require(Data(base64Encoded: generated.body_base64), "index \(generated.index): bad base64")
        let payload: SigV4Payload
        switch generated.payload {
        case "bytes": payload = .bytes(body)
        case "precomputed": payload = .precomputedHash(SigV4Payload.bytes(body).canonicalHash)
        case "unsigned": payload = .unsigned
        default:
            throw GeneratorError(description: "index \(generated.index): unknown payload kind \(generated.payload)")
        }
        let request = SigV4Request(
            method: generated.method, path: generated.path,
            query: generated.query.map { ($0[0], $0[1]) }, headers: generated.headers.map { ($0[0], $0[1]) },
            payload: payload)
        let credentials = AWSCredentials(
            accessKeyId: generated.access_key_id, secretAccessKey: generated.secret_access_key,
            sessionToken: generated.session_token)
        let date = Date(
            timeIntervalSince1970: Double(generated.epoch_seconds) + Double(generated.epoch_microseconds) / 1_000_000)

        var found: [Mismatch] = []
        func check(_ field: String, _ ours: String?, _ theirs: String?) {
            if ours != theirs {
                found.append(
                    Mismatch(index: generated.index, field: field, ours: ours ?? "nil", botocore: theirs ?? "nil"))
            }
        }
        if let expires = generated.presign_expires {
            let presigned = try signer.presign(request, credentials: credentials, date: date, expires: expires)
            check("canonical request (presigned)", presigned.canonicalRequest, generated.canonical_request)
            check("string to sign (presigned)", presigned.stringToSign, generated.string_to_sign)
            check("signature (presigned)", presigned.signature, generated.signature)
            let wireQuery = (request.query + presigned.queryToAdd).map {
                SigV4URIEncoding.encode($0.name, encodeSlash: true) + "="
                    + SigV4URIEncoding.encode($0.value, encodeSlash: true)
            }.joined(separator: "&")
            check("presigned URL query", wireQuery, generated.url_query)
        } else {
            let signed = signer.sign(request, credentials: credentials, date: date)
            check("canonical request", signed.canonicalRequest, generated.canonical_request)
            check("string to sign", signed.stringToSign, generated.string_to_sign)
            check("signature", String(signed.signature), generated.signature)
            check(
                "Authorization", signed.headersToAdd.first { $0.name == "Authorization" }?.value,
                generated.authorization)
        }
        return found
    }

    struct GeneratorError: Error, CustomStringConvertible {
        var description: String
    }

    /// Runs the generator and returns its JSON lines; fails with what to do if Python or botocore
    /// is missing.
    static func runGenerator(seed: Int, count: Int) async throws -> [String] {
        try await runOffPool { try generatorWaiting(seed: seed, count: count) }
    }

    private static func generatorWaiting(seed: Int, count: Int) throws -> [String] {
        let script = RepositoryPaths.packageRoot.appendingPathComponent("scripts/sigv4-differential.py")
        let python = ProcessInfo.processInfo.environment["PYTHON"] ?? "python3"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [python, script.path, "--seed", String(seed), "--count", String(count)]
        let stdout = Pipe()
        // stderr goes to a file so a chatty failure can never block the pipe we read.
        let stderrURL = FileManager.default.temporaryDirectory.appendingPathComponent(
            "sigv4-differential-\(UUID()).err")
        guard FileManager.default.createFile(atPath: stderrURL.path, contents: nil) else {
            throw GeneratorError(description: "cannot create \(stderrURL.path) for the generator's stderr")
        }
        let stderr = try FileHandle(forWritingTo: stderrURL)
        defer { try? FileManager.default.removeItem(at: stderrURL) }
        process.standardOutput = stdout
        process.standardError = stderr
        do {
            try process.run()
        } catch {
            throw GeneratorError(
                description:
                    "could not start \(python) (\(error)); install Python 3 and botocore with scripts/bootstrap")
        }
        let output = stdout.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        try? stderr.close()
        guard process.terminationStatus == 0 else {
            let message = (try? String(contentsOf: stderrURL, encoding: .utf8)) ?? ""
            throw GeneratorError(
                description: "scripts/sigv4-differential.py exited with \(process.terminationStatus): \(message)"
                    + " — if python3 or botocore is missing, run scripts/bootstrap")
        }
        return String(decoding: output, as: UTF8.self).split(separator: "\n").map(String.init)
    }
}
