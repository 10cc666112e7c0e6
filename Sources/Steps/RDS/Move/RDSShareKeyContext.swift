import AWSClient
import AWSServices
import Engine
import Foundation
import Runbook

/// The share key's primitives at work, for either kind of move: the two accounts, the tags that
/// mark the key as this run's, and the search that finds it again. KMS's CreateKey has no
/// idempotency token, so the key is found by its tags (ListKeys + ListResourceTags) — after a
/// crash between CreateKey and its journaled outcome, `check` finds the key instead of creating
/// a second one.
struct RDSShareKeyContext: PrimitiveContext {
    typealias Inputs = RDSMoveCommonInputs

    let step: StepContext
    let inputs: RDSMoveCommonInputs
    let sessions: any AccountSessions

    init(_ step: StepContext, _ inputs: RDSMoveCommonInputs, sessions: any AccountSessions) {
        self.step = step
        self.inputs = inputs
        self.sessions = sessions
    }

    var sourceAccount: String { sessions.accountId(inputs.from) ?? inputs.from }
    var calls: AWSCallBoundary { AWSCallBoundary(context: step, service: "kms", region: sessions.region) }

    /// The tags the run's key carries: this run, and the `share-key` primitive of this move.
    var keyTags: [String: String] {
        [RDSNaming.runTag: step.runId, RDSNaming.stepTag: "\(step.step.origin).share-key"]
    }

    func sourceKMS() async throws -> KMSClient { try await sessions.kms(inputs.from) }

    /// With `sourceShareKey: auto`, whether the preflight journaled that the source is not on
    /// aws/rds: then the share-key primitives have nothing to do. nil when the preflight has not
    /// said (it always has by the time they run; a missing output is not read as "not needed").
    var notNeeded: Bool {
        guard inputs.shareKey == .auto else { return false }
        return step.output(of: "\(step.step.origin).preflight", "shareKeyNeeded") == "false"
    }

    /// A runbook account's 12-digit ID: the runbook's, or what STS says for its session.
    func accountId(_ account: String) async throws -> String {
        if let id = sessions.accountId(account) { return id }
        return try await AWSCallBoundary.read(account: account, resource: nil) {
            try await sessions.sts(account).getCallerIdentity().account
        }
    }

    /// The key this run's `share-key` created, or nil. Keys whose tags the caller may not read
    /// are not this run's (the run creates its key with a policy that lets its own account read them).
    func runKey() async throws -> KMSKeyMetadata? {
        let kms = try await sourceKMS()
        let keys = try await AWSCallBoundary.read(account: sourceAccount, resource: nil) { try await kms.listAllKeys() }
        for key in keys {
            let tags: [String: String]
            do {
                tags = try await kms.listResourceTags(keyId: key.keyArn ?? key.keyId)
            } catch let error as AWSError where !AWSCallBoundary.isTransient(error) {
                continue
            } catch {
                throw AWSCallBoundary.stepError(error, account: sourceAccount, resource: key.keyArn ?? key.keyId)
            }
            guard keyTags.allSatisfy({ tags[$0.key] == $0.value }) else { continue }
            return try await AWSCallBoundary.read(account: sourceAccount, resource: key.keyArn ?? key.keyId) {
                try await kms.describeKey(keyId: key.keyArn ?? key.keyId)
            }
        }
        return nil
    }

    /// The key policy of the run's key: the source account keeps full control (KMS refuses a
    /// policy that would lock it out), and the target account gets only what copying a shared
    /// snapshot needs — kms:Decrypt and kms:DescribeKey, and kms:CreateGrant only for grants RDS
    /// makes for an AWS resource (`kms:GrantIsForAWSResource`) — not Encrypt, ReEncrypt or
    /// GenerateDataKey, which the console's "Other AWS accounts" would add (AWS-NOTES-2 KMS-3).
    static func keyPolicy(source: String, target: String) -> String {
        let policy: [String: Any] = [
            "Version": "2012-10-17", "Id": "cutover-share-key",
            "Statement": [
                [
                    "Sid": "SourceAccountAdministersTheKey", "Effect": "Allow",
                    "Principal": ["AWS": "arn:aws:iam::\(source):root"], "Action": "kms:*", "Resource": "*",
                ],
                [
                    "Sid": "TargetAccountReadsTheSharedSnapshot", "Effect": "Allow",
                    "Principal": ["AWS": "arn:aws:iam::\(target):root"], "Action": ["kms:Decrypt", "kms:DescribeKey"], "Resource": "*",
                ],
                [
                    "Sid": "TargetAccountLetsRDSCopyTheSharedSnapshot", "Effect": "Allow",
                    "Principal": ["AWS": "arn:aws:iam::\(target):root"], "Action": "kms:CreateGrant", "Resource": "*",
                    "Condition": ["Bool": ["kms:GrantIsForAWSResource": "true"]],
                ],
            ],
        ]
        let data = (try? JSONSerialization.data(withJSONObject: policy, options: [.sortedKeys])) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }
}
