import AWSServices
import Engine
import Foundation

/// The preflight checks an instance move and a cluster move share, each returning the problems it
/// found as sentences an operator can act on (AWS failures other than "not there" are thrown):
/// whether the source key can be shared with the target, whether the target has the KMS key it
/// re-encrypts with, and whether the target has the DB subnet group and security groups (in the
/// subnet group's VPC) the runbook names — no silent fall-back to the account's defaults.
struct RDSPreflightChecks: Sendable {
    let sessions: any AccountSessions
    /// The runbook's names of the two accounts.
    let from: String
    let to: String
    /// Their account IDs as journaled.
    let sourceAccount: String
    let targetAccount: String

    /// What the preflight decides for `sourceShareKey: auto`: whether the source is on aws/rds
    /// (a share key is needed), and the problems of a source that is not.
    struct SourceKeyFinding: Sendable {
        var shareKeyNeeded: Bool
        var problems: [String]
    }

    /// `sourceShareKey: auto`: an unencrypted source needs no share key; one under the AWS managed
    /// key aws/rds does (the plan's share-key primitives then work); one under a customer managed
    /// key needs none but must be usable by the target (`sourceKeyProblems`).
    func autoShareKey(
        encrypted: Bool, sourceKey: String?, targetId: String, what: String, copyCall: String
    ) async throws -> SourceKeyFinding {
        guard encrypted, let sourceKey else { return SourceKeyFinding(shareKeyNeeded: false, problems: []) }
        let metadata = try await describeSourceKey(sourceKey)
        if metadata.isAWSManaged { return SourceKeyFinding(shareKeyNeeded: true, problems: []) }
        return SourceKeyFinding(
            shareKeyNeeded: false,
            problems: try await sourceKeyProblems(sourceKey, metadata: metadata, targetId: targetId, what: what, copyCall: copyCall))
    }

    private func describeSourceKey(_ keyArn: String) async throws -> KMSKeyMetadata {
        try await AWSCallBoundary.read(account: sourceAccount, resource: keyArn) {
            try await sessions.kms(from).describeKey(keyId: keyArn)
        }
    }

    /// The source key must be customer managed and usable by the target account.
    /// - Parameters:
    ///   - metadata: the key as already described, if it was.
    ///   - what: what the key protects, for the message (`` `admin-db` ``, `snapshot `…``).
    ///   - copyCall: the call the move then makes in the source (`CopyDBSnapshot`).
    func sourceKeyProblems(
        _ keyArn: String, metadata described: KMSKeyMetadata? = nil, targetId: String, what: String, copyCall: String
    ) async throws -> [String] {
        let metadata: KMSKeyMetadata
        if let described { metadata = described } else { metadata = try await describeSourceKey(keyArn) }
        if metadata.isAWSManaged {
            return [
                "\(what) in \(from) is encrypted with the AWS managed key aws/rds (\(metadata.arn ?? keyArn)), "
                    + "which cannot be shared with another account, and this step says `sourceShareKey: none`. Remove that line "
                    + "(the default, `auto`, handles it) or set `sourceShareKey: create`: the move then "
                    + "creates a KMS key in \(from) that only lets \(targetId) decrypt the shared copy, copies the snapshot under "
                    + "it (\(copyCall) with KmsKeyId), shares that copy, removes it at the end and schedules the key's deletion "
                    + "after an approval. Or name a customer managed KMS key of \(from) whose policy lets \(targetId) use it "
                    + "(kms:Decrypt, DescribeKey, CreateGrant): `sourceShareKey: alias/…`"
            ]
        }
        if metadata.keyState.map({ $0 != "Enabled" }) ?? false {
            return ["the key of \(what) in \(from) (\(metadata.arn ?? keyArn)) is \(metadata.keyState ?? "not enabled")"]
        }
        // The target must be able to use the source key to copy the shared snapshot.
        do {
            _ = try await sessions.kms(to).describeKey(keyId: metadata.arn ?? keyArn)
            return []
        } catch let error as AWSError where !AWSCallBoundary.isTransient(error) {
            return [
                "\(to) (\(targetId)) cannot use the key of \(what), \(metadata.arn ?? keyArn) (\(error.code)): "
                    + "add account \(targetId) to that key's policy in \(from) (kms:CreateGrant, Decrypt, DescribeKey, "
                    + "ReEncrypt*, GenerateDataKey*, Encrypt)"
            ]
        } catch {
            throw AWSCallBoundary.stepError(error, account: targetAccount, resource: keyArn)
        }
    }

    /// `sourceShareKey: <key>`: a customer managed key of the source account, enabled, that the
    /// target account can use — its ARN (when KMS knows it) and the problems.
    func shareKeyProblems(_ key: String, targetId: String) async throws -> (String?, [String]) {
        let metadata: KMSKeyMetadata
        do {
            metadata = try await sessions.kms(from).describeKey(keyId: key)
        } catch let error as AWSError where !AWSCallBoundary.isTransient(error) {
            return (nil, ["\(from) has no usable KMS key `\(key)` (\(error.code)); fix `with.sourceShareKey` or set it to `create`"])
        } catch {
            throw AWSCallBoundary.stepError(error, account: sourceAccount, resource: key)
        }
        let arn = metadata.arn ?? key
        if metadata.isAWSManaged {
            return (
                arn, ["`sourceShareKey` `\(key)` is an AWS managed key, which cannot be shared; name a customer managed key or `create`"]
            )
        }
        if let owner = metadata.awsAccountId, owner != sourceAccount, sessions.accountId(from) != nil {
            return (arn, ["`sourceShareKey` `\(key)` belongs to account \(owner), not to \(from) (\(sourceAccount))"])
        }
        if metadata.keyState.map({ $0 != "Enabled" }) ?? false {
            return (arn, ["`sourceShareKey` `\(key)` in \(from) is \(metadata.keyState ?? "not enabled")"])
        }
        do {
            _ = try await sessions.kms(to).describeKey(keyId: arn)
            return (arn, [])
        } catch let error as AWSError where !AWSCallBoundary.isTransient(error) {
            return (
                arn,
                [
                    "\(to) (\(targetId)) cannot use `sourceShareKey` \(arn) (\(error.code)): add account \(targetId) to that key's "
                        + "policy in \(from) (kms:Decrypt, DescribeKey, and CreateGrant with kms:GrantIsForAWSResource), or set `sourceShareKey: create`"
                ]
            )
        } catch {
            throw AWSCallBoundary.stepError(error, account: targetAccount, resource: arn)
        }
    }

    /// The key the copy is re-encrypted with must exist, enabled, in the target: its ARN (when
    /// KMS knows it) and the problems.
    func targetKey(_ kmsKey: String) async throws -> (String?, [String]) {
        do {
            let metadata = try await sessions.kms(to).describeKey(keyId: kmsKey)
            if let owner = metadata.awsAccountId, owner != targetAccount, sessions.accountId(to) != nil {
                return (metadata.arn, ["KMS key `\(kmsKey)` belongs to account \(owner), not to \(to) (\(targetAccount))"])
            }
            if metadata.keyState.map({ $0 != "Enabled" }) ?? false {
                return (metadata.arn, ["KMS key `\(kmsKey)` in \(to) is \(metadata.keyState ?? "not enabled")"])
            }
            return (metadata.arn, [])
        } catch let error as AWSError where !AWSCallBoundary.isTransient(error) {
            return (nil, ["\(to) has no usable KMS key `\(kmsKey)` (\(error.code)); create it or fix `with.kmsKey`"])
        } catch {
            throw AWSCallBoundary.stepError(error, account: targetAccount, resource: kmsKey)
        }
    }

    /// The placement lookups in the target account.
    func placement() async throws -> RDSPlacementClient {
        RDSPlacementClient(
            rds: try await sessions.client(.rds, account: to), ec2: try await sessions.client(RDSPlacementClient.ec2Service, account: to))
    }

    /// Subnet group and security groups (in the subnet group's VPC) in the target.
    func networkProblems(subnetGroup: String, securityGroups: [String], placement: RDSPlacementClient) async throws -> [String] {
        var problems: [String] = []
        let subnet = try await AWSCallBoundary.read(account: targetAccount, resource: subnetGroup) {
            try await placement.subnetGroupVpc(subnetGroup)
        }
        if !subnet.exists {
            problems.append("\(to) has no DB subnet group `\(subnetGroup)`; create it or fix `with.subnetGroup`")
        }
        var missing: [String] = []
        var elsewhere: [String] = []
        for group in securityGroups {
            let found = try await AWSCallBoundary.read(account: targetAccount, resource: group) {
                try await placement.securityGroupVpc(group)
            }
            if !found.exists {
                missing.append(group)
            } else if let vpc = subnet.vpcId, let groupVpc = found.vpcId, groupVpc != vpc {
                elsewhere.append("\(group) (\(groupVpc))")
            }
        }
        if !missing.isEmpty {
            problems.append("\(to) has no security group \(missing.joined(separator: ", ")); fix `with.securityGroups`")
        }
        if !elsewhere.isEmpty {
            problems.append(
                "security groups \(elsewhere.joined(separator: ", ")) are not in the VPC of subnet group `\(subnetGroup)` (\(subnet.vpcId ?? "?"))"
            )
        }
        return problems
    }
}

/// What a move's preflight hands on, for either kind: what later primitives compare against or
/// fall back on. `multiAZ` is an instance's; `memberCount` and `memberClass` a cluster's.
struct RDSPreflightOutputs: Encodable, Sendable {
    var sourceArn: String
    var engine: String
    var engineVersion: String
    var targetKeyArn: String
    var targetAccountId: String
    var snapshot: String
    var multiAZ: Bool?
    var memberCount: Int?
    var memberClass: String?
    var deletionProtection: Bool
    var sourceEncrypted: Bool
    var sourceKey: String?
    var shareKeyArn: String?
    /// Whether the move copies the snapshot under a share key before sharing it: with
    /// `sourceShareKey: auto`, true only for a source on aws/rds. The share-key primitives read it.
    var shareKeyNeeded: Bool
}
