import Foundation

extension STSService {
    /// The shortest session AssumeRole grants (STS API Reference, AssumeRole `DurationSeconds`).
    static let minimumDuration = 900
    /// Role chaining caps a session at one hour, whatever the role allows [BC-STS; AWS-NOTES §7.4].
    static let chainedMaximumDuration = 3600
    /// Session tags per AssumeRole call (STS API Reference, `Tags`).
    static let maximumTags = 50

    /// AssumeRole, in AWS's order of checks: input validation (`ValidationError`), then the
    /// caller's authority over the role (`AccessDenied`: role missing, trust, ExternalId), then the
    /// duration against the role's limit and the chaining cap (`ValidationError`).
    func assumeRole(
        _ parameters: [(name: String, value: String)], context: inout SimCallContext, iam: inout IAMState
    )
        throws(SimError) -> SimResponse
    {
        func value(_ name: String) -> String? { parameters.first { $0.name == name }?.value }

        guard let roleArn = value("RoleArn") else { throw Self.missing("roleArn") }
        context.resource = roleArn
        guard roleArn.count >= 20, roleArn.count <= 2048 else {
            throw Self.validation(
                "Value '\(roleArn)' at 'roleArn' failed to satisfy constraint: Member must have length between 20 and 2048"
            )
        }
        guard let sessionName = value("RoleSessionName") else { throw Self.missing("roleSessionName") }
        guard STSValidation.isRoleSessionName(sessionName) else {
            throw Self.validation(
                "Value '\(sessionName)' at 'roleSessionName' failed to satisfy constraint: Member must have length between 2 "
                    + "and 64 and satisfy regular expression pattern: [\\w+=,.@-]*")
        }
        var requestedDuration: Int?
        if let text = value("DurationSeconds") {
            guard let seconds = Int(text), seconds >= Self.minimumDuration, seconds <= 43200 else {
                throw Self.validation(
                    "Value '\(text)' at 'durationSeconds' failed to satisfy constraint: Member must have value between "
                        + "\(Self.minimumDuration) and 43200")
            }
            requestedDuration = seconds
        }
        let externalId = value("ExternalId")
        if let externalId, !STSValidation.isExternalId(externalId) {
            throw Self.validation(
                "Value at 'externalId' failed to satisfy constraint: Member must have length between 2 and 1224 and satisfy "
                    + "regular expression pattern: [\\w+=,.@:\\/-]*")
        }
        var sourceIdentity = value("SourceIdentity")
        if let sourceIdentity, !STSValidation.isSourceIdentity(sourceIdentity) {
            throw Self.validation(
                "Value '\(sourceIdentity)' at 'sourceIdentity' failed to satisfy constraint: Member must have length between 2 "
                    + "and 64 and satisfy regular expression pattern: [\\w+=,.@-]*")
        }
        let tags = try Self.sessionTags(parameters)

        // Authority: AWS does not say whether the role is missing or merely not trusting, so
        // both answer the same AccessDenied (observed behaviour; the message is AWS's).
        let caller = context.principal
        let denied = SimError(
            "AccessDenied", "User: \(caller.arn) is not authorized to perform: sts:AssumeRole on resource: \(roleArn)",
            status: 403)
        guard let role = iam.roles[roleArn], iam.trusts(role, caller) else { throw denied }
        if let required = role.externalId, externalId != required { throw denied }

        let callerSession = iam.sessions[caller.accessKeyId]
        let chained = callerSession != nil
        // Without DurationSeconds AWS grants one hour; the configuration may shorten that default
        // (never past the role's or the chaining limit, which asked-for durations are checked against).
        let duration =
            requestedDuration
            ?? min(context.configuration.defaultSessionDuration, role.maxSessionDuration, Self.chainedMaximumDuration)
        if duration > role.maxSessionDuration {
            throw Self.validation(
                "The requested DurationSeconds exceeds the MaxSessionDuration set for this role.")
        }
        if chained && duration > Self.chainedMaximumDuration {
            throw Self.validation(
                "The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.")
        }
        // A source identity, once set, follows the role chain and cannot be changed (IAM User
        // Guide, "Monitor and control actions taken with assumed roles").
        if let inherited = callerSession?.sourceIdentity {
            if let sourceIdentity, sourceIdentity != inherited { throw denied }
            sourceIdentity = inherited
        }

        let session = iam.issueSession(
            role: role, sessionName: sessionName, duration: duration, now: context.now, chained: chained,
            sourceIdentity: sourceIdentity, tags: tags)

        var body = ""
        if let sourceIdentity { body += "    <SourceIdentity>\(Self.escape(sourceIdentity))</SourceIdentity>\n" }
        body += """
                <AssumedRoleUser>
                  <AssumedRoleId>\(Self.escape(session.assumedRoleId))</AssumedRoleId>
                  <Arn>\(Self.escape(session.assumedRoleArn))</Arn>
                </AssumedRoleUser>
                <Credentials>
                  <AccessKeyId>\(session.accessKeyId)</AccessKeyId>
                  <SecretAccessKey>\(Self.escape(session.secretAccessKey))</SecretAccessKey>
                  <SessionToken>\(Self.escape(session.sessionToken))</SessionToken>
                  <Expiration>\(Self.iso8601(session.expiration))</Expiration>
                </Credentials>
            """
        // PackedPolicySize is answered when session policies or tags were passed; AWS packs them
        // in a compressed form whose size the simulator only approximates (percent of 2,048 bytes).
        let packed =
            tags.reduce(0) { $0 + $1.key.utf8.count + $1.value.utf8.count } + (value("Policy")?.utf8.count ?? 0)
        if !tags.isEmpty || value("Policy") != nil {
            body += "\n    <PackedPolicySize>\(min(100, max(1, (packed * 100 + 2047) / 2048)))</PackedPolicySize>"
        }
        return Self.result("AssumeRole", body, requestId: context.requestId)
    }

    /// `Tags.member.N.Key` / `.Value`, in N order.
    static func sessionTags(_ parameters: [(name: String, value: String)]) throws(SimError) -> [IAMState.SessionTag] {
        var keys: [Int: String] = [:]
        var values: [Int: String] = [:]
        for (name, value) in parameters where name.hasPrefix("Tags.member.") {
            let parts = name.split(separator: ".")
            guard parts.count == 4, let index = Int(parts[2]) else { continue }
            if parts[3] == "Key" { keys[index] = value } else if parts[3] == "Value" { values[index] = value }
        }
        guard keys.count <= maximumTags else {
            throw validation(
                "Value at 'tags' failed to satisfy constraint: Member must have length less than or equal to 50")
        }
        var tags: [IAMState.SessionTag] = []
        var seen: Set<String> = []
        for index in keys.keys.sorted() {
            let key = keys[index] ?? ""
            let value = values[index] ?? ""
            guard (1...128).contains(key.count), value.count <= 256 else {
                throw validation(
                    "Value at 'tags.\(index).member' failed to satisfy constraint: a tag key has 1-128 characters and a value at most 256"
                )
            }
            // Tag keys are case-insensitive in STS (API Reference, AssumeRole `Tags`).
            guard seen.insert(key.lowercased()).inserted else {
                throw SimError(
                    "InvalidParameterValue",
                    "Duplicate tag keys found. Please note that Tag keys are case insensitive.", status: 400)
            }
            tags.append(IAMState.SessionTag(key: key, value: value))
        }
        return tags
    }

    static func validation(_ detail: String) -> SimError {
        let prefix = detail.hasPrefix("Value") ? "1 validation error detected: " : ""
        return SimError("ValidationError", prefix + detail, status: 400)
    }

    static func missing(_ member: String) -> SimError {
        validation("Value null at '\(member)' failed to satisfy constraint: Member must not be null")
    }

    /// `2019-11-09T13:34:41Z`, as STS writes `Expiration`.
    static func iso8601(_ date: Date) -> String {
        let stamp = SimAuthenticator.amzDate(date)  // yyyyMMddTHHmmssZ
        let c = Array(stamp)
        return
            "\(String(c[0..<4]))-\(String(c[4..<6]))-\(String(c[6..<8]))T\(String(c[9..<11])):\(String(c[11..<13])):\(String(c[13..<15]))Z"
    }
}
