import AWSSigV4
import AWSSimulator
import Foundation
import Testing

/// STS through `Simulator.handle` on a virtual clock: caller identity, AssumeRole's trust,
/// ExternalId and duration rules, role chaining, and expiry of what it issues.
@Suite("SimSTS: GetCallerIdentity and AssumeRole")
struct SimSTSTests {
    static func body(_ response: SimResponse) -> String { String(decoding: response.body, as: UTF8.self) }

    /// The error code and status of a Query-protocol error response, or "200".
    static func code(_ response: SimResponse) -> String {
        response.status == 200 ? "200" : "\(xml("Code", response) ?? "?") \(response.status)"
    }

    @Test func callerIdentityNamesTheAccountOfTheCredentials() throws {
        let world = try SimAuthWorld()
        let legacy = world.sts("GetCallerIdentity", as: world.alice.credentials)
        #expect(legacy.status == 200)
        #expect(xml("Account", legacy) == SimAuthWorld.legacyAccount)
        #expect(xml("Arn", legacy) == "arn:aws:iam::111111111111:user/alice")
        #expect(xml("UserId", legacy)?.hasPrefix("AIDA") == true)
        #expect(xml("RequestId", legacy)?.isEmpty == false)
        #expect(
            Self.body(legacy).contains(
                #"<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">"#))
        #expect(legacy.header("Content-Type") == "text/xml")

        let product = world.sts("GetCallerIdentity", as: world.bob.credentials)
        #expect(xml("Account", product) == SimAuthWorld.productAccount)
        #expect(xml("Arn", product) == "arn:aws:iam::222222222222:user/bob")

        let carol = world.sts("GetCallerIdentity", as: world.carol.credentials)
        #expect(xml("Arn", carol) == "arn:aws:iam::111111111111:user/carol")
        #expect(world.carol.accessKeyId.hasPrefix("AKIA") && world.carol.accessKeyId.count == 20)
    }

    @Test func actionIsReadFromTheQueryStringToo() throws {
        let world = try SimAuthWorld()
        let request = SimAuthWorld.signed(
            service: "sts", query: [("Action", "GetCallerIdentity"), ("Version", "2011-06-15")],
            credentials: world.bob.credentials, date: world.clock.now())
        let response = world.simulator.handle(request)
        #expect(response.status == 200)
        #expect(xml("Account", response) == SimAuthWorld.productAccount)
    }

    @Test func assumeRoleIntoATrustingAccountGivesCredentialsThatActThere() throws {
        let world = try SimAuthWorld()
        let roleArn = try world.simulator.addRole(
            account: SimAuthWorld.productAccount, name: "migrator", trustedPrincipals: [SimAuthWorld.legacyAccount])
        #expect(roleArn == "arn:aws:iam::222222222222:role/migrator")
        let (response, credentials) = world.assumeRole(roleArn, session: "cutover-42", as: world.alice.credentials)
        #expect(response.status == 200, "\(Self.body(response))")
        let issued = try #require(credentials)
        #expect(issued.accessKeyId.hasPrefix("ASIA") && issued.accessKeyId.count == 20)
        #expect(issued.secretAccessKey.count == 40)
        #expect(xml("Expiration", response) == "2026-11-30T01:53:20Z")  // start + 3600 s, the default
        #expect(xml("Arn", response) == "arn:aws:sts::222222222222:assumed-role/migrator/cutover-42")
        #expect(xml("AssumedRoleId", response)?.hasPrefix("AROA") == true)
        #expect(xml("AssumedRoleId", response)?.hasSuffix(":cutover-42") == true)
        #expect(xml("PackedPolicySize", response) == nil)

        let identity = world.sts("GetCallerIdentity", as: issued)
        #expect(identity.status == 200, "\(Self.body(identity))")
        #expect(xml("Account", identity) == SimAuthWorld.productAccount)
        #expect(xml("Arn", identity) == "arn:aws:sts::222222222222:assumed-role/migrator/cutover-42")
        #expect(xml("UserId", identity) == xml("AssumedRoleId", response))

        let record = try #require(world.simulator.requests { $0.operation == "AssumeRole" }.first)
        #expect(record.account == SimAuthWorld.legacyAccount)
        #expect(record.principalArn == "arn:aws:iam::111111111111:user/alice")
        #expect(record.resource == roleArn)
        #expect(record.mutated == false)
        #expect(record.status == 200)
    }

    @Test func assumeRoleIsDeniedWhenTheTrustExcludesTheCallerOrTheRoleIsMissing() throws {
        let world = try SimAuthWorld()
        let roleArn = try world.simulator.addRole(
            account: SimAuthWorld.productAccount, name: "outsiders-only",
            trustedPrincipals: [SimAuthWorld.outsiderAccount])
        let denied = world.assumeRole(roleArn, as: world.alice.credentials).response
        #expect(Self.code(denied) == "AccessDenied 403")
        #expect(
            xml("Message", denied)
                == "User: arn:aws:iam::111111111111:user/alice is not authorized to perform: sts:AssumeRole on resource: \(roleArn)"
        )
        #expect(xml("Type", denied) == "Sender")
        #expect(Self.body(denied).hasPrefix(#"<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">"#))
        #expect(xml("RequestId", denied) == denied.header("x-amzn-RequestId"))

        let missing = world.assumeRole("arn:aws:iam::222222222222:role/does-not-exist", as: world.alice.credentials)
            .response
        #expect(Self.code(missing) == "AccessDenied 403")
        let record = try #require(world.simulator.requests { $0.errorCode == "AccessDenied" }.last)
        #expect(record.resource == "arn:aws:iam::222222222222:role/does-not-exist")
    }

    @Test func trustNamingAUserAdmitsOnlyThatUser() throws {
        let world = try SimAuthWorld()
        let roleArn = try world.simulator.addRole(
            account: SimAuthWorld.productAccount, name: "alice-only",
            trustedPrincipals: ["arn:aws:iam::111111111111:user/alice"])
        #expect(world.assumeRole(roleArn, as: world.alice.credentials).response.status == 200)
        #expect(Self.code(world.assumeRole(roleArn, as: world.carol.credentials).response) == "AccessDenied 403")
        let rootTrust = try world.simulator.addRole(
            account: SimAuthWorld.productAccount, name: "legacy-root",
            trustedPrincipals: ["arn:aws:iam::111111111111:root"])
        #expect(world.assumeRole(rootTrust, as: world.carol.credentials).response.status == 200)
        #expect(Self.code(world.assumeRole(rootTrust, as: world.bob.credentials).response) == "AccessDenied 403")
    }

    @Test func externalIdIsRequiredAndMustMatchWhenTheRoleSetsOne() throws {
        let world = try SimAuthWorld()
        let roleArn = try world.simulator.addRole(
            account: SimAuthWorld.productAccount, name: "vendor", trustedPrincipals: [SimAuthWorld.legacyAccount],
            externalId: "cutover-7f3a")
        #expect(Self.code(world.assumeRole(roleArn, as: world.alice.credentials).response) == "AccessDenied 403")
        #expect(
            Self.code(world.assumeRole(roleArn, [("ExternalId", "cutover-0000")], as: world.alice.credentials).response)
                == "AccessDenied 403")
        #expect(
            world.assumeRole(roleArn, [("ExternalId", "cutover-7f3a")], as: world.alice.credentials).response.status
                == 200)

        // A role that sets none accepts any well-formed ExternalId, as a trust policy without the
        // condition ignores it.
        let open = try world.simulator.addRole(
            account: SimAuthWorld.productAccount, name: "open", trustedPrincipals: [SimAuthWorld.legacyAccount])
        #expect(
            world.assumeRole(open, [("ExternalId", "anything")], as: world.alice.credentials).response.status == 200)
        #expect(
            Self.code(world.assumeRole(open, [("ExternalId", "x")], as: world.alice.credentials).response)
                == "ValidationError 400")
    }

    @Test func durationMustLieBetween900SecondsAndTheRoleMaximum() throws {
        let world = try SimAuthWorld()
        let oneHour = try world.simulator.addRole(
            account: SimAuthWorld.productAccount, name: "short", trustedPrincipals: [SimAuthWorld.legacyAccount])
        let twelveHours = try world.simulator.addRole(
            account: SimAuthWorld.productAccount, name: "long", trustedPrincipals: [SimAuthWorld.legacyAccount],
            maxSessionDuration: 43200)
        func assume(_ role: String, _ seconds: Int) -> SimResponse {
            world.assumeRole(role, [("DurationSeconds", String(seconds))], as: world.alice.credentials).response
        }
        #expect(Self.code(assume(oneHour, 899)) == "ValidationError 400")
        #expect(Self.code(assume(oneHour, 900)) == "200")
        #expect(Self.code(assume(oneHour, 3600)) == "200")
        let tooLong = assume(oneHour, 3601)
        #expect(Self.code(tooLong) == "ValidationError 400")
        #expect(
            xml("Message", tooLong) == "The requested DurationSeconds exceeds the MaxSessionDuration set for this role."
        )
        let longest = assume(twelveHours, 43200)
        #expect(Self.code(longest) == "200")
        #expect(xml("Expiration", longest) == "2026-11-30T12:53:20Z")
        #expect(Self.code(assume(twelveHours, 43201)) == "ValidationError 400")
        #expect(
            Self.code(world.assumeRole(oneHour, [("DurationSeconds", "soon")], as: world.alice.credentials).response)
                == "ValidationError 400")
    }

    @Test func aShorterDefaultSessionAppliesOnlyWhenNoDurationIsAsked() throws {
        let world = try SimAuthWorld(configuration: SimConfiguration(defaultSessionDuration: 900))
        let role = try world.simulator.addRole(
            account: SimAuthWorld.productAccount, name: "brief", trustedPrincipals: [SimAuthWorld.legacyAccount])
        let unasked = world.assumeRole(role, session: "campaign", as: world.alice.credentials).response
        #expect(Self.code(unasked) == "200")
        #expect(xml("Expiration", unasked) == "2026-11-30T01:08:20Z")  // start + 900 s
        let asked = world.assumeRole(role, [("DurationSeconds", "3600")], as: world.alice.credentials).response
        #expect(xml("Expiration", asked) == "2026-11-30T01:53:20Z")  // what was asked for wins

        // Longer than AWS's hour is capped by the role's maximum when nothing is asked.
        let long = try SimAuthWorld(configuration: SimConfiguration(defaultSessionDuration: 7200))
        let capped = try long.simulator.addRole(
            account: SimAuthWorld.productAccount, name: "capped", trustedPrincipals: [SimAuthWorld.legacyAccount])
        let answer = long.assumeRole(capped, session: "campaign", as: long.alice.credentials).response
        #expect(xml("Expiration", answer) == "2026-11-30T01:53:20Z")
    }

    @Test func roleChainingCapsTheSessionAtOneHour() throws {
        let world = try SimAuthWorld()
        let first = try world.simulator.addRole(
            account: SimAuthWorld.productAccount, name: "hop1", trustedPrincipals: [SimAuthWorld.legacyAccount],
            maxSessionDuration: 43200)
        let second = try world.simulator.addRole(
            account: SimAuthWorld.outsiderAccount, name: "hop2", trustedPrincipals: [first], maxSessionDuration: 43200)
        let hop1 = try #require(
            world.assumeRole(first, [("DurationSeconds", "7200")], as: world.alice.credentials).credentials)
        // Alice herself is not trusted by hop2; only sessions of hop1 are.
        #expect(Self.code(world.assumeRole(second, as: world.alice.credentials).response) == "AccessDenied 403")

        let over = world.assumeRole(second, [("DurationSeconds", "3601")], as: hop1).response
        #expect(Self.code(over) == "ValidationError 400")
        #expect(
            xml("Message", over)
                == "The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.")
        let chained = world.assumeRole(second, [("DurationSeconds", "3600")], as: hop1)
        #expect(Self.code(chained.response) == "200")
        let hop2 = try #require(chained.credentials)
        let identity = world.sts("GetCallerIdentity", as: hop2)
        #expect(xml("Account", identity) == SimAuthWorld.outsiderAccount)
        #expect(xml("Arn", identity) == "arn:aws:sts::333333333333:assumed-role/hop2/cutover")

        let isChained = world.simulator.withState { $0.iam.sessions[hop2.accessKeyId]?.chained }
        #expect(isChained == true)
        let firstIsChained = world.simulator.withState { $0.iam.sessions[hop1.accessKeyId]?.chained }
        #expect(firstIsChained == false)
    }

    @Test func issuedCredentialsAreRefusedOnceExpired() throws {
        let world = try SimAuthWorld()
        let roleArn = try world.simulator.addRole(
            account: SimAuthWorld.productAccount, name: "brief", trustedPrincipals: [SimAuthWorld.legacyAccount])
        let issued = try #require(
            world.assumeRole(roleArn, [("DurationSeconds", "900")], as: world.alice.credentials).credentials)
        world.clock.advance(by: 899)
        #expect(world.sts("GetCallerIdentity", as: issued).status == 200)
        world.clock.advance(by: 1)
        let expired = world.sts("GetCallerIdentity", as: issued)
        #expect(Self.code(expired) == "ExpiredToken 403")
        #expect(xml("Message", expired) == "The security token included in the request is expired")
        let record = try #require(world.simulator.requestLog.last)
        #expect(record.errorCode == "ExpiredToken")
        #expect(record.account == nil)
        // The long-term key that assumed it still works, and can assume again.
        #expect(world.assumeRole(roleArn, as: world.alice.credentials).response.status == 200)
    }

    @Test func sessionCredentialsWithAForgedTokenAreRefused() throws {
        let world = try SimAuthWorld()
        let roleArn = try world.simulator.addRole(
            account: SimAuthWorld.productAccount, name: "r", trustedPrincipals: [SimAuthWorld.legacyAccount])
        var forged = try #require(world.assumeRole(roleArn, as: world.alice.credentials).credentials)
        forged.sessionToken = "IQoJb3JpZ2luX2VjEforged"
        #expect(Self.code(world.sts("GetCallerIdentity", as: forged)) == "InvalidClientTokenId 403")
    }

    @Test func roleSessionNameMustBe2To64AllowedCharacters() throws {
        let world = try SimAuthWorld()
        let roleArn = try world.simulator.addRole(
            account: SimAuthWorld.productAccount, name: "names", trustedPrincipals: [SimAuthWorld.legacyAccount])
        for bad in ["a", "has space", "slash/no", String(repeating: "n", count: 65), "é-accent"] {
            #expect(
                Self.code(world.assumeRole(roleArn, session: bad, as: world.alice.credentials).response)
                    == "ValidationError 400", "\(bad)")
        }
        for good in ["ab", "user@example.com", "a_b+c=d,e.f-g", String(repeating: "n", count: 64)] {
            #expect(
                world.assumeRole(roleArn, session: good, as: world.alice.credentials).response.status == 200, "\(good)")
        }
        let missing = world.sts("AssumeRole", [("RoleArn", roleArn)], as: world.alice.credentials)
        #expect(Self.code(missing) == "ValidationError 400")
        #expect(xml("Message", missing)?.contains("roleSessionName") == true)
    }

    @Test func sourceIdentityAndTagsAreAcceptedAndEchoed() throws {
        let world = try SimAuthWorld()
        let roleArn = try world.simulator.addRole(
            account: SimAuthWorld.productAccount, name: "tagged", trustedPrincipals: [SimAuthWorld.legacyAccount])
        let next = try world.simulator.addRole(
            account: SimAuthWorld.productAccount, name: "next", trustedPrincipals: [roleArn])
        let (response, credentials) = world.assumeRole(
            roleArn,
            [
                ("SourceIdentity", "alice@corp"), ("Tags.member.1.Key", "runbook"),
                ("Tags.member.1.Value", "cutover-42"),
                ("Tags.member.2.Key", "stage"), ("Tags.member.2.Value", "copy"),
            ], as: world.alice.credentials)
        #expect(response.status == 200, "\(Self.body(response))")
        #expect(xml("SourceIdentity", response) == "alice@corp")
        #expect(Int(xml("PackedPolicySize", response) ?? "") != nil)
        let issued = try #require(credentials)
        let tags = world.simulator.withState { $0.iam.sessions[issued.accessKeyId]?.tags }
        #expect(tags == [.init(key: "runbook", value: "cutover-42"), .init(key: "stage", value: "copy")])

        // The source identity follows the chain and cannot be changed on the way.
        let chained = world.assumeRole(next, as: issued).response
        #expect(xml("SourceIdentity", chained) == "alice@corp")
        #expect(
            Self.code(world.assumeRole(next, [("SourceIdentity", "mallory")], as: issued).response)
                == "AccessDenied 403")

        let duplicate = world.assumeRole(
            roleArn,
            [
                ("Tags.member.1.Key", "Stage"), ("Tags.member.1.Value", "a"), ("Tags.member.2.Key", "stage"),
                ("Tags.member.2.Value", "b"),
            ],
            as: world.alice.credentials
        ).response
        #expect(Self.code(duplicate) == "InvalidParameterValue 400")
        #expect(
            Self.code(world.assumeRole(roleArn, [("SourceIdentity", "x")], as: world.alice.credentials).response)
                == "ValidationError 400")
    }

    @Test func unimplementedActionsAreAnsweredInTheQueryErrorFormat() throws {
        let world = try SimAuthWorld()
        let response = world.sts("GetSessionToken", as: world.alice.credentials)
        #expect(response.status == 501)
        #expect(xml("Code", response) == "NotImplemented")
        #expect(xml("Type", response) == "Receiver")
    }

    @Test func seedingValidatesAccountsUsersAndRoles() throws {
        let world = try SimAuthWorld()
        #expect(throws: SimError.self) { try world.simulator.addAccount(id: "12345", name: "short") }
        #expect(throws: SimError.self) { try world.simulator.addAccount(id: SimAuthWorld.legacyAccount, name: "again") }
        #expect(throws: SimError.self) { try world.simulator.addUser(account: "999999999999", name: "ghost") }
        #expect(throws: SimError.self) {
            try world.simulator.addUser(account: SimAuthWorld.legacyAccount, name: "alice")
        }
        #expect(throws: SimError.self) {
            try world.simulator.addUser(
                account: SimAuthWorld.productAccount, name: "dup", accessKeyId: world.alice.accessKeyId, secret: "s")
        }
        #expect(throws: SimError.self) {
            try world.simulator.addRole(
                account: SimAuthWorld.productAccount, name: "r", trustedPrincipals: [], maxSessionDuration: 3599)
        }
        #expect(throws: SimError.self) {
            try world.simulator.addRole(
                account: SimAuthWorld.productAccount, name: "r", trustedPrincipals: ["not-a-principal"])
        }
        let roleArn = try world.simulator.addRole(
            account: SimAuthWorld.productAccount, name: "r", trustedPrincipals: ["*"], maxSessionDuration: 7200)

        let accounts = world.simulator.accounts
        #expect(
            accounts.map(\.id) == [
                SimAuthWorld.legacyAccount, SimAuthWorld.productAccount, SimAuthWorld.outsiderAccount,
            ])
        #expect(accounts[0].name == "legacy")
        #expect(accounts[0].users == ["alice", "carol"])
        #expect(world.simulator.account(id: SimAuthWorld.productAccount)?.roles == [roleArn])
        #expect(world.simulator.role(arn: roleArn)?.maxSessionDuration == 7200)

        // Generated keys are deterministic: the same seeding gives the same keys.
        let again = try SimAuthWorld()
        #expect(again.carol == world.carol)
    }
}
