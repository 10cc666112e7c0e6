import AWSSigV4
import AWSSimulator
import Foundation
import Testing

/// Authentication of requests signed by Cutover's own `SigV4Signer` (the path `AWSClient`
/// takes), and the error each service answers for each kind of failure.
@Suite("SimAuth: own signer, error codes per service")
struct SimAuthSignerTests {
    static let services = ["s3", "sts", "rds", "kms"]

    static func request(
        _ service: String, _ credentials: AWSCredentials, at date: Date, body: Data = Data("payload".utf8)
    ) -> SimRequest {
        SimAuthWorld.signed(
            service: service, method: "POST", path: service == "s3" ? "/bucket/key%20with%20space" : "/",
            headers: [("Content-Type", "application/octet-stream")], body: body, credentials: credentials, date: date)
    }

    @Test func acceptsOwnSignerRequestsForEveryServiceAndNamesThePrincipal() throws {
        let world = try SimAuthWorld()
        for service in Self.services {
            let principal = try world.authenticate(
                Self.request(service, world.alice.credentials, at: world.clock.now())
            ).get()
            #expect(principal.account == SimAuthWorld.legacyAccount, "\(service)")
            #expect(principal.arn == "arn:aws:iam::111111111111:user/alice")
            #expect(principal.userId.hasPrefix("AIDA"))
            #expect(principal.accessKeyId == world.alice.accessKeyId)
        }
    }

    @Test func unknownAccessKeyIsAnsweredAsEachServiceDoes() throws {
        let world = try SimAuthWorld()
        let stranger = AWSCredentials(accessKeyId: "AKIANOTSEEDED0000001", secretAccessKey: "whatever")
        let expected = [
            "s3": "InvalidAccessKeyId 403", "sts": "InvalidClientTokenId 403", "rds": "InvalidClientTokenId 403",
            "kms": "UnrecognizedClientException 400",
        ]
        for service in Self.services {
            #expect(
                outcome(world.authenticate(Self.request(service, stranger, at: world.clock.now()))) == expected[service]
            )
        }
    }

    @Test func wrongSecretIsASignatureMismatchAsEachServiceNamesIt() throws {
        let world = try SimAuthWorld()
        var wrong = world.alice.credentials
        wrong.secretAccessKey = "not-alice-secret-0123456789abcdefghijklm"
        let expected = [
            "s3": "SignatureDoesNotMatch 403", "sts": "SignatureDoesNotMatch 403", "rds": "SignatureDoesNotMatch 403",
            "kms": "InvalidSignatureException 400",
        ]
        for service in Self.services {
            #expect(
                outcome(world.authenticate(Self.request(service, wrong, at: world.clock.now()))) == expected[service])
        }
    }

    @Test func requestTimeMustBeWithinFifteenMinutesOfTheSimulatorClock() throws {
        let world = try SimAuthWorld()
        let now = world.clock.now()
        let expected = [
            "s3": "RequestTimeTooSkewed 403", "sts": "SignatureDoesNotMatch 403", "rds": "SignatureDoesNotMatch 403",
            "kms": "InvalidSignatureException 400",
        ]
        for service in Self.services {
            for skew: TimeInterval in [-14 * 60, 14 * 60] {
                let result = world.authenticate(
                    Self.request(service, world.alice.credentials, at: now.addingTimeInterval(skew)))
                #expect(outcome(result) == "accepted", "\(service) \(skew)")
            }
            for skew: TimeInterval in [-16 * 60, 16 * 60] {
                let result = world.authenticate(
                    Self.request(service, world.alice.credentials, at: now.addingTimeInterval(skew)))
                #expect(outcome(result) == expected[service], "\(service) \(skew)")
            }
        }
        let late = world.authenticate(
            Self.request("sts", world.alice.credentials, at: now.addingTimeInterval(-16 * 60)))
        #expect((try? late.get()) == nil)
        if case .failure(let error) = late { #expect(error.message.hasPrefix("Signature expired")) }
    }

    @Test func s3BodyMustMatchTheSignedContentHash() throws {
        let world = try SimAuthWorld()
        var request = Self.request("s3", world.alice.credentials, at: world.clock.now())
        request.body = Data("tampered".utf8)
        #expect(outcome(world.authenticate(request)) == "XAmzContentSHA256Mismatch 400")

        var unsigned = SimAuthWorld.signed(
            service: "s3", method: "PUT", path: "/bucket/key", body: Data("a".utf8), payload: .unsigned,
            credentials: world.alice.credentials, date: world.clock.now())
        unsigned.body = Data("b".utf8)
        #expect(outcome(world.authenticate(unsigned)) == "accepted")

        var missing = Self.request("s3", world.alice.credentials, at: world.clock.now())
        missing.headers.removeAll { $0.name.lowercased() == "x-amz-content-sha256" }
        #expect(outcome(world.authenticate(missing)) == "InvalidArgument 400")
    }

    @Test func s3RefusesAnAmzHeaderThatWasNotSigned() throws {
        let world = try SimAuthWorld()
        var request = Self.request("s3", world.alice.credentials, at: world.clock.now())
        request.headers.append(("x-amz-acl", "public-read"))
        #expect(outcome(world.authenticate(request)) == "AccessDenied 403")
    }

    @Test func nonS3PathsAreNormalisedAndDoubleEncodedS3PathsAreNot() throws {
        let world = try SimAuthWorld()
        let rds = SimAuthWorld.signed(
            service: "rds", path: "/a/./b//c%20d/../e", credentials: world.bob.credentials, date: world.clock.now())
        #expect(outcome(world.authenticate(rds)) == "accepted")
        let s3 = SimAuthWorld.signed(
            service: "s3", path: "/bucket/a//./b%2Fc~d", query: [("versionId", "v 1"), ("acl", "")],
            credentials: world.bob.credentials, date: world.clock.now())
        #expect(outcome(world.authenticate(s3)) == "accepted")
        // Under S3's rules "/a//b" and "/a/b" are different keys, so a signature for one must not
        // admit the other.
        var collapsed = s3
        collapsed.path = "/bucket/a/b%2Fc~d"
        #expect(outcome(world.authenticate(collapsed)) == "SignatureDoesNotMatch 403")
    }

    @Test func presignedS3URLsLiveUntilTheirExpiryAtMostSevenDays() throws {
        let world = try SimAuthWorld()
        let url = try SimAuthWorld.presigned(
            service: "s3", path: "/bucket/report.csv", credentials: world.alice.credentials, date: world.clock.now(),
            expires: 600)
        #expect(outcome(world.authenticate(url)) == "accepted")
        world.clock.advance(by: 599)
        #expect(outcome(world.authenticate(url)) == "accepted")
        world.clock.advance(by: 2)
        #expect(outcome(world.authenticate(url)) == "AccessDenied 403")

        var tooLong = try SimAuthWorld.presigned(
            service: "s3", path: "/bucket/report.csv", credentials: world.alice.credentials, date: world.clock.now(),
            expires: 604_800)
        #expect(outcome(world.authenticate(tooLong)) == "accepted")
        tooLong.rawQuery = tooLong.rawQuery.replacingOccurrences(
            of: "X-Amz-Expires=604800", with: "X-Amz-Expires=604801")
        #expect(outcome(world.authenticate(tooLong)) == "AuthorizationQueryParametersError 400")
    }

    @Test func sessionCredentialsNeedTheirOwnTokenAndExpire() throws {
        let world = try SimAuthWorld()
        let roleArn = try world.simulator.addRole(
            account: SimAuthWorld.productAccount, name: "reader", trustedPrincipals: [SimAuthWorld.legacyAccount])
        let session = try world.issueSession(roleArn: roleArn, duration: 900)
        for service in Self.services {
            let principal = try world.authenticate(Self.request(service, session, at: world.clock.now())).get()
            #expect(principal.arn == "arn:aws:sts::222222222222:assumed-role/reader/fixture")
            #expect(principal.account == SimAuthWorld.productAccount)
        }

        var wrongToken = session
        wrongToken.sessionToken = "IQoJb3JpZ2luX2VjEnotTheIssuedToken"
        var noToken = session
        noToken.sessionToken = nil
        var tokenOnLongTermKey = world.alice.credentials
        tokenOnLongTermKey.sessionToken = session.sessionToken
        let wrong = [
            "s3": "InvalidToken 400", "sts": "InvalidClientTokenId 403", "rds": "InvalidClientTokenId 403",
            "kms": "UnrecognizedClientException 400",
        ]
        let unknown = [
            "s3": "InvalidAccessKeyId 403", "sts": "InvalidClientTokenId 403", "rds": "InvalidClientTokenId 403",
            "kms": "UnrecognizedClientException 400",
        ]
        for service in Self.services {
            #expect(
                outcome(world.authenticate(Self.request(service, wrongToken, at: world.clock.now()))) == wrong[service])
            #expect(
                outcome(world.authenticate(Self.request(service, noToken, at: world.clock.now()))) == unknown[service])
            #expect(
                outcome(world.authenticate(Self.request(service, tokenOnLongTermKey, at: world.clock.now())))
                    == wrong[service])
        }

        world.clock.advance(by: 900)
        let expired = [
            "s3": "ExpiredToken 400", "sts": "ExpiredToken 403", "rds": "ExpiredToken 403",
            "kms": "ExpiredTokenException 400",
        ]
        for service in Self.services {
            // Signed now (not skewed), with credentials that are past their expiry.
            #expect(
                outcome(world.authenticate(Self.request(service, session, at: world.clock.now()))) == expired[service])
        }
    }

    @Test func pipelineAnswersAuthenticationFailuresInEachServicesTerms() throws {
        let world = try SimAuthWorld()
        var wrong = world.alice.credentials
        wrong.secretAccessKey = "not-alice-secret-0123456789abcdefghijklm"
        let form = [("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")]
        let now = world.clock.now()
        let requests: [(String, SimRequest, String)] = [
            ("s3", SimAuthWorld.signed(service: "s3", credentials: wrong, date: now), "SignatureDoesNotMatch 403"),
            (
                "rds",
                SimAuthWorld.signed(
                    service: "rds", method: "POST", headers: form,
                    body: Data("Action=DescribeDBInstances&Version=2014-10-31".utf8),
                    credentials: wrong, date: now), "SignatureDoesNotMatch 403"
            ),
            (
                "kms",
                SimAuthWorld.signed(
                    service: "kms", method: "POST",
                    headers: [
                        ("X-Amz-Target", "TrentService.DescribeKey"), ("Content-Type", "application/x-amz-json-1.1"),
                    ],
                    body: Data(#"{"KeyId":"alias/x"}"#.utf8), credentials: wrong, date: now),
                "InvalidSignatureException 400"
            ),
            (
                "sts",
                SimAuthWorld.signed(
                    service: "sts", query: [("Action", "GetCallerIdentity")], credentials: wrong, date: now),
                "SignatureDoesNotMatch 403"
            ),
        ]
        for (service, request, expected) in requests {
            let response = world.simulator.handle(request)
            let record = try #require(world.simulator.requestLog.last)
            #expect(record.service == service)
            #expect("\(record.errorCode ?? "none") \(response.status)" == expected, "\(service)")
            #expect(record.account == nil)
            #expect(
                String(decoding: response.body, as: UTF8.self).contains(expected.split(separator: " ")[0]), "\(service)"
            )
        }
    }

    @Test func requestsWithoutSigV4AreRefusedByThePipeline() throws {
        let world = try SimAuthWorld()
        let anonymous = world.simulator.handle(SimRequest(method: "GET", path: "/bucket"))
        #expect(anonymous.status == 403)
        var sigV2 = Self.request("sts", world.alice.credentials, at: world.clock.now())
        let index = try #require(sigV2.headers.firstIndex { $0.name == "Authorization" })
        sigV2.headers[index].value = sigV2.headers[index].value.replacingOccurrences(
            of: "AWS4-HMAC-SHA256", with: "AWS4-HMAC-SHA1")
        #expect(outcome(world.authenticate(sigV2)) == "IncompleteSignature 400")
    }

    @Test func errorMessagesNeverContainSecretsTokensOrSignatures() throws {
        let world = try SimAuthWorld()
        let roleArn = try world.simulator.addRole(
            account: SimAuthWorld.productAccount, name: "reader", trustedPrincipals: [SimAuthWorld.legacyAccount])
        let session = try world.issueSession(roleArn: roleArn, duration: 900)
        var wrongSecret = session
        wrongSecret.secretAccessKey = "wrongwrongwrongwrongwrongwrongwrongwrong"
        var wrongToken = session
        wrongToken.sessionToken = "IQoJb3JpZ2luX2VjEforgedTokenValue0000000000"
        var failures: [(SimError, [String])] = []
        for service in Self.services {
            for credentials in [wrongSecret, wrongToken] {
                let request = Self.request(service, credentials, at: world.clock.now())
                let signature = String(request.header("Authorization")?.suffix(64) ?? "")
                if case .failure(let error) = world.authenticate(request) {
                    failures.append(
                        (
                            error,
                            [
                                credentials.secretAccessKey, credentials.sessionToken ?? "", session.secretAccessKey,
                                session.sessionToken ?? "", signature,
                            ]
                        ))
                }
            }
        }
        world.clock.advance(by: 1000)
        for service in Self.services {
            if case .failure(let error) = world.authenticate(Self.request(service, session, at: world.clock.now())) {
                failures.append((error, [session.secretAccessKey, session.sessionToken ?? ""]))
            }
        }
        #expect(failures.count == 12)
        for (error, secrets) in failures {
            for secret in secrets where !secret.isEmpty {
                #expect(!error.message.contains(secret), "\(error.code) leaks a secret")
                #expect(!String(describing: error).contains(secret), "\(error.code) leaks a secret")
            }
        }
        // The seeded key's description is redacted too.
        #expect(!String(describing: world.alice).contains(world.alice.secretAccessKey))
    }
}
