import AWSSigV4
import AWSSimulator
import Foundation
import Testing

/// The simulator's signature check against an independent signer: botocore signs (through
/// `scripts/sim_sign.py`) with the simulator's seeded keys at the virtual clock's time; the
/// simulator must accept exactly those requests and refuse them once any signed byte changes.
@Suite("SimAuth: botocore-signed requests")
struct SimAuthBotocoreTests {
    /// One botocore-signed request and what tampering with it must answer.
    struct Case {
        var name: String
        var request: SimRequest
        /// Code and status for a wrong signature, path or signed header.
        var mismatch: String
        /// Code and status once the body changes ("accepted" when the body is not signed).
        var bodyTampered: String
        /// A signed header whose value the tamper test changes.
        var signedHeader: String
    }

    static let s3Mismatch = "SignatureDoesNotMatch 403"
    static let queryMismatch = "SignatureDoesNotMatch 403"
    static let kmsMismatch = "InvalidSignatureException 400"

    /// The world and its botocore-signed requests; signing them all in one python run.
    static func signedCases() async throws -> (SimAuthWorld, [Case]) {
        let world = try SimAuthWorld()
        let now = world.clock.now()
        let roleArn = try world.simulator.addRole(
            account: SimAuthWorld.productAccount, name: "migrator", trustedPrincipals: [SimAuthWorld.legacyAccount],
            maxSessionDuration: 43200)
        let session = try world.issueSession(roleArn: roleArn, duration: 7200)
        let alice = world.alice.credentials
        let form = "application/x-www-form-urlencoded; charset=utf-8"
        let specs: [BotocoreSpec] = [
            BotocoreSpec(
                signer: "sigv4", service: "sts", method: "POST", url: "http://sts.amazonaws.com/",
                headers: [["Content-Type", form]], body: Data("Action=GetCallerIdentity&Version=2011-06-15".utf8),
                credentials: alice, time: now),
            // S3 keys are signed exactly as sent: spaces, '//', '/./' and '~' stay as they are.
            BotocoreSpec(
                signer: "s3", service: "s3", method: "PUT",
                url:
                    "http://s3.amazonaws.com/legacy-bucket/reports/2026%20Q4//./draft~1.csv?tagging&x-id=PutObjectTagging",
                headers: [["x-amz-meta-owner", "  finance   team "], ["Content-Type", "text/csv"]],
                body: Data("id,amount\n1,42\n".utf8), credentials: alice, time: now),
            BotocoreSpec(
                signer: "s3-unsigned-payload", service: "s3", method: "PUT",
                url: "http://s3.amazonaws.com/legacy-bucket/big.bin",
                headers: [["x-amz-meta-owner", "finance"]], body: Data(repeating: 7, count: 300), credentials: alice,
                time: now),
            BotocoreSpec(
                signer: "s3-presign", service: "s3", method: "GET",
                url:
                    "http://s3.amazonaws.com/legacy-bucket/reports/a%2Bb.csv?versionId=v1&response-content-type=text%2Fplain",
                headers: [], credentials: session, time: now, expires: 3600),
            BotocoreSpec(
                signer: "sigv4", service: "kms", method: "POST", url: "https://kms.us-east-1.amazonaws.com/",
                headers: [
                    ["X-Amz-Target", "TrentService.DescribeKey"], ["Content-Type", "application/x-amz-json-1.1"],
                ],
                body: Data(#"{"KeyId":"alias/cutover"}"#.utf8), credentials: session, time: now),
            BotocoreSpec(
                signer: "sigv4", service: "rds", method: "POST", url: "https://rds.us-east-1.amazonaws.com/a/./b//c",
                headers: [["Content-Type", form]],
                body: Data("Action=DescribeDBSnapshots&Version=2014-10-31&DBSnapshotIdentifier=snap%201".utf8),
                credentials: world.bob.credentials, time: now),
            BotocoreSpec(
                signer: "presign", service: "sts", method: "GET",
                url: "https://sts.amazonaws.com/?Action=GetCallerIdentity&Version=2011-06-15", headers: [],
                credentials: world.bob.credentials, time: now, expires: 900),
        ]
        let signed = try await BotocoreSigner.sign(specs)
        let cases = [
            Case(
                name: "sts header", request: signed[0], mismatch: queryMismatch, bodyTampered: queryMismatch,
                signedHeader: "content-type"),
            Case(
                name: "s3 signed payload", request: signed[1], mismatch: s3Mismatch,
                bodyTampered: "XAmzContentSHA256Mismatch 400", signedHeader: "x-amz-meta-owner"),
            // AWS does not check an UNSIGNED-PAYLOAD body: that is what the literal means.
            Case(
                name: "s3 unsigned payload", request: signed[2], mismatch: s3Mismatch, bodyTampered: "accepted",
                signedHeader: "x-amz-meta-owner"),
            Case(
                name: "s3 presigned (session)", request: signed[3], mismatch: s3Mismatch, bodyTampered: "accepted",
                signedHeader: "host"),
            Case(
                name: "kms header (session)", request: signed[4], mismatch: kmsMismatch, bodyTampered: kmsMismatch,
                signedHeader: "x-amz-target"),
            Case(
                name: "rds header, normalised path", request: signed[5], mismatch: queryMismatch,
                bodyTampered: queryMismatch, signedHeader: "content-type"),
            Case(
                name: "sts presigned", request: signed[6], mismatch: queryMismatch, bodyTampered: queryMismatch,
                signedHeader: "host"),
        ]
        return (world, cases)
    }

    @Test func acceptsEveryBotocoreSignedRequest() async throws {
        let (world, cases) = try await Self.signedCases()
        for item in cases {
            #expect(outcome(world.authenticate(item.request)) == "accepted", "\(item.name)")
        }
        #expect(try world.authenticate(cases[0].request).get().arn == "arn:aws:iam::111111111111:user/alice")
        #expect(
            try world.authenticate(cases[3].request).get().arn
                == "arn:aws:sts::222222222222:assumed-role/migrator/fixture")
        #expect(try world.authenticate(cases[5].request).get().account == SimAuthWorld.productAccount)
    }

    @Test func botocoreSignedSTSCallsSucceedThroughThePipeline() async throws {
        let (world, cases) = try await Self.signedCases()
        let header = world.simulator.handle(cases[0].request)
        #expect(header.status == 200, "\(String(decoding: header.body, as: UTF8.self))")
        #expect(xml("Account", header) == SimAuthWorld.legacyAccount)
        let presigned = world.simulator.handle(cases[6].request)
        #expect(presigned.status == 200, "\(String(decoding: presigned.body, as: UTF8.self))")
        #expect(xml("Arn", presigned) == "arn:aws:iam::222222222222:user/bob")
    }

    @Test func refusesAFlippedSignatureByte() async throws {
        let (world, cases) = try await Self.signedCases()
        for item in cases {
            var request = item.request
            if let index = request.headers.firstIndex(where: { $0.name.lowercased() == "authorization" }) {
                let value = request.headers[index].value
                request.headers[index].value = flipped(value, at: value.count - 7)
            } else {
                let range = try #require(request.rawQuery.range(of: "X-Amz-Signature="), "\(item.name)")
                let offset = request.rawQuery.distance(from: request.rawQuery.startIndex, to: range.upperBound) + 20
                request.rawQuery = flipped(request.rawQuery, at: offset)
            }
            #expect(outcome(world.authenticate(request)) == item.mismatch, "\(item.name)")
        }
    }

    @Test func refusesAFlippedPathByte() async throws {
        let (world, cases) = try await Self.signedCases()
        for item in cases {
            var request = item.request
            if request.path == "/" {
                request.path = "/x"
            } else {
                request.path = flipped(request.path, at: 2)
            }
            #expect(outcome(world.authenticate(request)) == item.mismatch, "\(item.name): \(request.path)")
        }
    }

    @Test func refusesAFlippedSignedHeaderValue() async throws {
        let (world, cases) = try await Self.signedCases()
        for item in cases {
            var request = item.request
            let index = try #require(
                request.headers.firstIndex { $0.name.lowercased() == item.signedHeader }, "\(item.name)")
            request.headers[index].value = flipped(request.headers[index].value, at: 3)
            #expect(outcome(world.authenticate(request)) == item.mismatch, "\(item.name)")
        }
    }

    @Test func refusesAFlippedBodyByteWhereTheBodyIsSigned() async throws {
        let (world, cases) = try await Self.signedCases()
        for item in cases {
            var request = item.request
            if request.body.isEmpty {
                request.body = Data("x".utf8)
            } else {
                request.body[request.body.startIndex + request.body.count / 2] ^= 0x01
            }
            #expect(outcome(world.authenticate(request)) == item.bodyTampered, "\(item.name)")
        }
    }

    @Test func refusesAnUnsignedExtraQueryParameter() async throws {
        let (world, cases) = try await Self.signedCases()
        for item in cases {
            var request = item.request
            request.rawQuery += request.rawQuery.isEmpty ? "extra=1" : "&extra=1"
            #expect(outcome(world.authenticate(request)) == item.mismatch, "\(item.name)")
        }
    }

    @Test func botocoreRequestsAreRefusedOnceTheClockMovesPastTheirWindow() async throws {
        let (world, cases) = try await Self.signedCases()
        world.clock.advance(by: 16 * 60)
        #expect(outcome(world.authenticate(cases[0].request)) == "SignatureDoesNotMatch 403")
        #expect(outcome(world.authenticate(cases[1].request)) == "RequestTimeTooSkewed 403")
        #expect(outcome(world.authenticate(cases[4].request)) == "InvalidSignatureException 400")
        // The presigned S3 URL lives an hour, the STS one 15 minutes.
        #expect(outcome(world.authenticate(cases[3].request)) == "accepted")
        #expect(outcome(world.authenticate(cases[6].request)) == "SignatureDoesNotMatch 403")
        world.clock.advance(by: 45 * 60)
        #expect(outcome(world.authenticate(cases[3].request)) == "AccessDenied 403")
    }
}
