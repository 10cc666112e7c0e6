import Foundation

/// The simulated KMS API (JSON 1.1, `X-Amz-Target: TrentService.<Operation>`): keys with key
/// policies that can admit other accounts, aliases, and grants — the KMS a cross-account RDS move
/// touches, faithful where moto is not (MOTO-NOTES §4: moto answers a cross-account DescribeKey
/// with NotFoundException and CreateGrant with HTTP 500 even when the policy allows it).
///
/// Operations: DescribeKey, GetKeyPolicy, ListAliases, CreateGrant, CreateKey (with tags and
/// KMS's lockout check), ListKeys, ListResourceTags, ScheduleKeyDeletion, and the seeding
/// conveniences CreateAlias and PutKeyPolicy.
public struct KMSService: SimService {
    public init() {}

    public var signingName: String { "kms" }

    static let operations: Set<String> = [
        "DescribeKey", "GetKeyPolicy", "ListAliases", "CreateGrant", "CreateKey", "CreateAlias", "PutKeyPolicy",
        "ListKeys", "ListResourceTags", "ScheduleKeyDeletion",
    ]

    public func operation(of request: SimRequest) -> String? {
        guard request.method == "POST", let target = request.header("X-Amz-Target"), target.hasPrefix("TrentService.") else { return nil }
        let name = String(target.dropFirst("TrentService.".count))
        return Self.operations.contains(name) ? name : nil
    }

    public func handle(
        _ request: SimRequest, operation: String, context: inout SimCallContext, state: inout SimState
    ) throws(SimError) -> SimResponse {
        let input = try KMSInput(request.body)
        let output: [String: Any]
        switch operation {
        case "DescribeKey": output = try describeKey(input, &context, &state.kms)
        case "GetKeyPolicy": output = try getKeyPolicy(input, &context, &state.kms)
        case "ListAliases": output = try listAliases(input, &context, &state.kms)
        case "CreateGrant": output = try createGrant(input, &context, &state.kms)
        case "CreateKey": output = try createKey(input, &context, &state.kms)
        case "CreateAlias": output = try createAlias(input, &context, &state.kms)
        case "PutKeyPolicy": output = try putKeyPolicy(input, &context, &state.kms)
        case "ListKeys": output = try listKeys(input, &context, &state.kms)
        case "ListResourceTags": output = try listResourceTags(input, &context, &state.kms)
        case "ScheduleKeyDeletion": output = try scheduleKeyDeletion(input, &context, &state.kms)
        default: throw SimError("UnknownOperationException", "The operation \(operation) is not supported.", status: 400)
        }
        let body = (try? JSONSerialization.data(withJSONObject: output, options: [.sortedKeys])) ?? Data("{}".utf8)
        return SimResponse(status: 200, headers: Self.headers(context.requestId), body: body)
    }

    public func render(_ error: SimError, requestId: String) -> SimResponse {
        let object: [String: Any] = ["__type": error.code, "message": error.message]
        let body = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data()
        return SimResponse(status: error.status, headers: Self.headers(requestId), body: body)
    }

    private static func headers(_ requestId: String) -> [(name: String, value: String)] {
        [("Content-Type", "application/x-amz-json-1.1"), ("x-amzn-RequestId", requestId)]
    }

    // MARK: - Operations

    private func describeKey(_ input: KMSInput, _ context: inout SimCallContext, _ kms: inout KMSState) throws(SimError) -> [String: Any] {
        let reference = try input.required("KeyId")
        context.resource = reference
        let key = try reachableKey(reference, action: "kms:DescribeKey", context, &kms)
        return ["KeyMetadata": Self.metadata(key)]
    }

    private func getKeyPolicy(_ input: KMSInput, _ context: inout SimCallContext, _ kms: inout KMSState) throws(SimError) -> [String: Any] {
        let reference = try input.required("KeyId")
        context.resource = reference
        let policyName = input.string("PolicyName") ?? "default"
        guard !reference.hasPrefix("alias/"), !reference.contains(":alias/") else {
            throw KMSErrors.notFound("GetKeyPolicy takes a key ID or key ARN, not an alias: \(reference)")
        }
        let key = try ownKey(reference, action: "kms:GetKeyPolicy", context, &kms)
        guard policyName == "default" else { throw KMSErrors.notFound("No such policy exists: \(policyName)") }
        return ["Policy": key.policy.text, "PolicyName": "default"]
    }

    private func putKeyPolicy(_ input: KMSInput, _ context: inout SimCallContext, _ kms: inout KMSState) throws(SimError) -> [String: Any] {
        let reference = try input.required("KeyId")
        let policy = try input.required("Policy")
        context.resource = reference
        let key = try ownKey(reference, action: "kms:PutKeyPolicy", context, &kms)
        guard key.manager == .customer else {
            throw KMSErrors.accessDenied(principal: context.principal.arn, action: "kms:PutKeyPolicy", keyArn: key.arn)
        }
        try kms.putKeyPolicy(keyArn: key.arn, policy: policy)
        context.mutated = true
        return [:]
    }

    private func listAliases(_ input: KMSInput, _ context: inout SimCallContext, _ kms: inout KMSState) throws(SimError) -> [String: Any] {
        let account = context.principal.account
        let limit = try input.int("Limit") ?? 50
        guard (1...100).contains(limit) else {
            throw KMSErrors.validation(
                "1 validation error detected: Value '\(limit)' at 'limit' failed to satisfy constraint: Member must have value between 1 and 100"
            )
        }
        // Every account has the aws/rds alias; make sure its key exists so TargetKeyId is filled.
        _ = kms.awsManagedKey(account: account, region: context.region, now: context.now)
        var aliases = kms.aliases(account: account, region: context.region)
        if let keyReference = input.string("KeyId") {
            context.resource = keyReference
            // ListAliases never crosses accounts (BC-KMS ListAliases): a key of another account
            // simply has no aliases here.
            guard let key = kms.resolve(keyReference, account: account, region: context.region, now: context.now),
                !keyReference.hasPrefix("alias/")
            else {
                throw KMSErrors.keyNotFound(keyReference)
            }
            aliases = aliases.filter { $0.targetKeyId == key.keyId && key.account == account }
        }
        var start = 0
        if let marker = input.string("Marker") {
            guard let offset = Int(marker), offset >= 0, offset <= aliases.count else { throw KMSErrors.invalidMarker() }
            start = offset
        }
        let end = min(aliases.count, start + limit)
        var output: [String: Any] = [
            "Aliases": aliases[start..<end].map { alias -> [String: Any] in
                [
                    "AliasName": alias.name, "AliasArn": alias.arn, "TargetKeyId": alias.targetKeyId,
                    "CreationDate": alias.creationDate.timeIntervalSince1970, "LastUpdatedDate": alias.creationDate.timeIntervalSince1970,
                ]
            },
            "Truncated": end < aliases.count,
        ]
        if end < aliases.count { output["NextMarker"] = String(end) }
        return output
    }

    private func createGrant(_ input: KMSInput, _ context: inout SimCallContext, _ kms: inout KMSState) throws(SimError) -> [String: Any] {
        let reference = try input.required("KeyId")
        context.resource = reference
        let grantee = try input.required("GranteePrincipal")
        let operations = input.strings("Operations")
        guard !operations.isEmpty else {
            throw KMSErrors.validation(
                "1 validation error detected: Value null at 'operations' failed to satisfy constraint: Member must not be null")
        }
        for operation in operations where !Self.grantOperations.contains(operation) {
            throw KMSErrors.validation(
                "1 validation error detected: Value '[\(operation)]' at 'operations' failed to satisfy constraint: Member must satisfy enum value set: \(Self.grantOperations.sorted())"
            )
        }
        // CreateGrant names a key by key ID or key ARN only (BC-KMS CreateGrant KeyId).
        guard !reference.hasPrefix("alias/"), !reference.contains(":alias/") else { throw KMSErrors.keyNotFound(reference) }
        let key = try reachableKey(reference, action: "kms:CreateGrant", context, &kms)
        guard key.deletionDate == nil else { throw KMSErrors.pendingDeletion(key.arn) }
        guard key.enabled else { throw KMSErrors.disabled(key.arn) }
        guard
            let grant = kms.addGrant(
                keyArn: key.arn, grantee: grantee, retiring: input.string("RetiringPrincipal"), operations: operations,
                name: input.string("Name"), issuer: context.principal.account, now: context.now)
        else { throw KMSErrors.keyNotFound(reference) }
        context.mutated = true
        return ["GrantId": grant.grantId, "GrantToken": grant.grantToken]
    }

    private func createKey(_ input: KMSInput, _ context: inout SimCallContext, _ kms: inout KMSState) throws(SimError) -> [String: Any] {
        if let usage = input.string("KeyUsage"), usage != "ENCRYPT_DECRYPT" {
            throw SimError("UnsupportedOperationException", "The simulator models symmetric ENCRYPT_DECRYPT keys only.", status: 400)
        }
        var tags: [String: String] = [:]
        for tag in input.objects("Tags") {
            guard let key = tag["TagKey"] as? String, let value = tag["TagValue"] as? String else {
                throw KMSErrors.validation("1 validation error detected: every tag needs TagKey and TagValue")
            }
            tags[key] = value
        }
        if let policy = input.string("Policy"), input.bool("BypassPolicyLockoutSafetyCheck") != true {
            // KMS refuses a policy that would lock the caller out of PutKeyPolicy (BC-KMS CreateKey
            // BypassPolicyLockoutSafetyCheck).
            let document = try KMSKeyPolicyDocument(text: policy)
            guard document.allows(account: context.principal.account, principalArn: context.principal.arn, action: "kms:PutKeyPolicy")
            else {
                throw KMSErrors.malformedPolicy("The new key policy will not allow you to update the key policy in the future.")
            }
        }
        let key = try kms.createKey(
            account: context.principal.account, region: context.region, now: context.now, description: input.string("Description") ?? "",
            policy: input.string("Policy"), tags: tags)
        context.resource = key.arn
        context.mutated = true
        return ["KeyMetadata": Self.metadata(key)]
    }

    private func createAlias(_ input: KMSInput, _ context: inout SimCallContext, _ kms: inout KMSState) throws(SimError) -> [String: Any] {
        let name = try input.required("AliasName")
        let target = try input.required("TargetKeyId")
        context.resource = name
        try kms.createAlias(name: name, targetKeyId: target, account: context.principal.account, region: context.region, now: context.now)
        context.mutated = true
        return [:]
    }

    /// The caller's keys in the region, AWS managed ones included (BC-KMS ListKeys), paged by
    /// `Limit` (1–1000, default 100) and `Marker`.
    private func listKeys(_ input: KMSInput, _ context: inout SimCallContext, _ kms: inout KMSState) throws(SimError) -> [String: Any] {
        let limit = try input.int("Limit") ?? 100
        guard (1...1000).contains(limit) else {
            throw KMSErrors.validation(
                "1 validation error detected: Value '\(limit)' at 'limit' failed to satisfy constraint: Member must have value between 1 and 1000"
            )
        }
        let keys = kms.keys(account: context.principal.account).filter { $0.region == context.region }
        let (slice, next) = try Self.page(keys, limit: limit, marker: input.string("Marker"))
        var output: [String: Any] = ["Keys": slice.map { ["KeyId": $0.keyId, "KeyArn": $0.arn] }, "Truncated": next != nil]
        if let next { output["NextMarker"] = next }
        return output
    }

    /// The tags of one of the caller's keys (not across accounts: BC-KMS ListResourceTags).
    private func listResourceTags(
        _ input: KMSInput, _ context: inout SimCallContext, _ kms: inout KMSState
    ) throws(SimError) -> [String: Any] {
        let reference = try input.required("KeyId")
        context.resource = reference
        guard !reference.contains("alias/") else { throw KMSErrors.keyNotFound(reference) }
        let key = try ownKey(reference, action: "kms:ListResourceTags", context, &kms)
        let tags = key.tags.sorted { $0.key < $1.key }
        let (slice, next) = try Self.page(tags, limit: try input.int("Limit") ?? 50, marker: input.string("Marker"))
        var output: [String: Any] = ["Tags": slice.map { ["TagKey": $0.key, "TagValue": $0.value] }, "Truncated": next != nil]
        if let next { output["NextMarker"] = next }
        return output
    }

    /// ScheduleKeyDeletion: a customer managed key of the caller's becomes `PendingDeletion`
    /// (unusable) for `PendingWindowInDays`, 7–30, default 30 (AWS-NOTES-2 KMS-4). A key already
    /// pending deletion is KMSInvalidStateException; AWS managed keys cannot be deleted.
    private func scheduleKeyDeletion(
        _ input: KMSInput, _ context: inout SimCallContext, _ kms: inout KMSState
    ) throws(SimError) -> [String: Any] {
        let reference = try input.required("KeyId")
        context.resource = reference
        let days = try input.int("PendingWindowInDays") ?? 30
        guard (7...30).contains(days) else {
            // The service's range (KMS-4); the exact wording of its refusal is not documented.
            throw KMSErrors.validation("PendingWindowInDays must be between 7 and 30 (got \(days)).")
        }
        let key = try ownKey(reference, action: "kms:ScheduleKeyDeletion", context, &kms)
        guard key.manager == .customer else {
            throw KMSErrors.accessDenied(principal: context.principal.arn, action: "kms:ScheduleKeyDeletion", keyArn: key.arn)
        }
        guard key.deletionDate == nil else { throw KMSErrors.pendingDeletion(key.arn) }
        let date = context.now.addingTimeInterval(Double(days) * 86_400)
        kms.scheduleDeletion(keyArn: key.arn, at: date)
        context.mutated = true
        return ["KeyId": key.arn, "DeletionDate": date.timeIntervalSince1970, "KeyState": "PendingDeletion", "PendingWindowInDays": days]
    }

    /// One page of `items` from the offset in `marker`.
    private static func page<T>(_ items: [T], limit: Int, marker: String?) throws(SimError) -> (ArraySlice<T>, String?) {
        var start = 0
        if let marker {
            guard let offset = Int(marker), offset >= 0, offset <= items.count else { throw KMSErrors.invalidMarker() }
            start = offset
        }
        let end = min(items.count, start + max(1, limit))
        return (items[start..<end], end < items.count ? String(end) : nil)
    }

    // MARK: - Access

    /// A key the caller may act on with `action`: its own (by any reference) or another
    /// account's (by ARN only) whose policy or grants allow it. An unreachable key is
    /// NotFoundException; a reachable one the policy does not allow is AccessDeniedException.
    private func reachableKey(
        _ reference: String, action: String, _ context: SimCallContext, _ kms: inout KMSState
    ) throws(SimError) -> SimKMSKey {
        guard let key = kms.resolve(reference, account: context.principal.account, region: context.region, now: context.now) else {
            if reference.contains("alias/") {
                let arn =
                    reference.hasPrefix("arn:") ? reference : "arn:aws:kms:\(context.region):\(context.principal.account):\(reference)"
                throw KMSErrors.aliasNotFound(arn)
            }
            throw KMSErrors.keyNotFound(reference)
        }
        guard kms.permits(key, account: context.principal.account, principalArn: context.principal.arn, action: action) else {
            throw KMSErrors.accessDenied(principal: context.principal.arn, action: action, keyArn: key.arn)
        }
        return key
    }

    /// A key of the caller's own account. GetKeyPolicy and PutKeyPolicy do not work across
    /// accounts (BC-KMS: "Cross-account use: No"); AWS documents no error code for the attempt,
    /// so a foreign key ARN answers AccessDeniedException, as a call the policy does not cover.
    private func ownKey(_ reference: String, action: String, _ context: SimCallContext, _ kms: inout KMSState) throws(SimError) -> SimKMSKey
    {
        guard let key = kms.resolve(reference, account: context.principal.account, region: context.region, now: context.now) else {
            throw KMSErrors.keyNotFound(reference)
        }
        guard key.account == context.principal.account,
            kms.permits(key, account: context.principal.account, principalArn: context.principal.arn, action: action)
        else {
            throw KMSErrors.accessDenied(principal: context.principal.arn, action: action, keyArn: key.arn)
        }
        return key
    }

    static let grantOperations: Set<String> = [
        "Decrypt", "Encrypt", "GenerateDataKey", "GenerateDataKeyWithoutPlaintext", "ReEncryptFrom", "ReEncryptTo", "Sign",
        "Verify", "GetPublicKey", "CreateGrant", "RetireGrant", "DescribeKey", "GenerateDataKeyPair",
        "GenerateDataKeyPairWithoutPlaintext", "GenerateMac", "VerifyMac", "DeriveSharedSecret",
    ]

    /// `KeyMetadata` as DescribeKey and CreateKey return it (BC-KMS KeyMetadata).
    static func metadata(_ key: SimKMSKey) -> [String: Any] {
        var metadata: [String: Any] = [
            "AWSAccountId": key.account, "KeyId": key.keyId, "Arn": key.arn,
            "CreationDate": key.creationDate.timeIntervalSince1970, "Enabled": key.usable, "Description": key.description,
            "KeyUsage": "ENCRYPT_DECRYPT", "KeyState": key.keyState, "Origin": "AWS_KMS",
            "KeyManager": key.manager.rawValue, "CustomerMasterKeySpec": "SYMMETRIC_DEFAULT", "KeySpec": "SYMMETRIC_DEFAULT",
            "EncryptionAlgorithms": ["SYMMETRIC_DEFAULT"], "MultiRegion": false,
        ]
        if let date = key.deletionDate { metadata["DeletionDate"] = date.timeIntervalSince1970 }
        return metadata
    }
}

/// A KMS request body: a JSON object of the operation's members.
struct KMSInput {
    private let object: [String: Any]

    init(_ body: Data) throws(SimError) {
        if body.isEmpty {
            object = [:]
            return
        }
        guard let parsed = try? JSONSerialization.jsonObject(with: body) as? [String: Any] else {
            throw SimError("SerializationException", "The request body is not a JSON object.", status: 400)
        }
        object = parsed
    }

    func string(_ name: String) -> String? { object[name] as? String }

    func required(_ name: String) throws(SimError) -> String {
        guard let value = string(name), !value.isEmpty else {
            let member = name.prefix(1).lowercased() + name.dropFirst()
            throw KMSErrors.validation(
                "1 validation error detected: Value null at '\(member)' failed to satisfy constraint: Member must not be null")
        }
        return value
    }

    func int(_ name: String) throws(SimError) -> Int? {
        guard let value = object[name] else { return nil }
        // (On Linux a JSON 0 or 1 also casts to Bool, so Bool is not checked for.)
        guard let number = value as? NSNumber else {
            throw SimError("SerializationException", "\(name) must be a number.", status: 400)
        }
        return number.intValue
    }

    func strings(_ name: String) -> [String] { (object[name] as? [Any])?.compactMap { $0 as? String } ?? [] }

    func objects(_ name: String) -> [[String: Any]] { (object[name] as? [Any])?.compactMap { $0 as? [String: Any] } ?? [] }

    func bool(_ name: String) -> Bool? { (object[name] as? NSNumber)?.boolValue }
}
