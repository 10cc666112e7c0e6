import AWSServices
import Foundation
import Runbook

/// What planning `rds.move-instance` and `rds.move-cluster` share: the checks of the inputs both
/// take, the retry policies of their primitives, how a primitive is planned, and the five
/// primitives of the snapshot chain (snapshot → wait → share → copy → wait for the copy).
enum RDSMovePlanning {
    /// Retries for the calls themselves (throttling, 5xx): a few, backing off.
    static let callRetry = RetryPolicy(
        backoff: .exponential(initial: .seconds(5), multiplier: 2, cap: .seconds(60), jitter: true), maxAttempts: 6)

    /// Retries for a wait's describe calls: every poll is an attempt, so the budget is the wait's
    /// time, not a count.
    static func pollRetry(_ timeout: Duration) -> RetryPolicy {
        RetryPolicy(backoff: .exponential(initial: .seconds(5), multiplier: 2, cap: .seconds(60), jitter: true), maxElapsed: timeout)
    }

    /// `securityGroups: [sg-…, …]`: a non-empty list of IDs (both moves read it).
    static func securityGroups(_ reader: inout StepInputReader) -> [String] {
        guard let value = reader.value("securityGroups"), value.kind != .null else { return [] }
        guard case let .sequence(items) = value.kind else { return [] }  // the kind check reports it
        var groups: [String] = []
        for item in items {
            guard let id = item.scalar, id.hasPrefix("sg-") || id.contains("${") else {
                reader.report(
                    "bad-value",
                    "`with.securityGroups` of step `\(reader.step.id)` holds `\(item.scalar ?? "a non-scalar")`, not a security group ID",
                    hint: "VPC security group IDs look like `sg-0abc1234`", at: item)
                continue
            }
            groups.append(id)
        }
        if items.isEmpty {
            reader.report(
                "bad-value", "`with.securityGroups` of step `\(reader.step.id)` is empty",
                hint: "name the target's security groups; RDS would otherwise use the VPC's default group", at: value)
        }
        return groups
    }

    /// The checks `rds.move-instance` and `rds.move-cluster` make of the inputs they share: another
    /// account to move to, a KMS key reference that is an alias, a key ID or a KMS ARN, and a poll
    /// interval of at least 5 s. `subject` names what moves in the message.
    static func checkMoveInputs(
        _ reader: inout StepInputReader, moving subject: String, from: String?, to: String?, kmsKey: String?, pollInterval: Duration?
    ) {
        let id = reader.step.id
        if let from, let to, from == to {
            reader.report(
                "bad-value", "step `\(id)` moves \(subject) from `\(from)` to the same account",
                hint: "`to:` must be another account declared under `accounts:`", at: reader.value("to"))
        }
        if let kmsKey, kmsKey.hasPrefix("arn:"), !kmsKey.hasPrefix("arn:aws") || !kmsKey.contains(":kms:") {
            reader.report(
                "bad-value", "`with.kmsKey` of step `\(id)` is not a KMS key ARN: `\(kmsKey)`",
                hint: "an alias (`alias/admin-db`), a key ID or `arn:aws:kms:REGION:ACCOUNT:key/…`", at: reader.value("kmsKey"))
        }
        if let pollInterval, pollInterval < .seconds(5) {
            reader.report(
                "bad-value", "`with.pollInterval` of step `\(id)` is under 5s",
                hint: "RDS changes slowly; 30s is botocore's interval", at: reader.value("pollInterval"))
        }
    }

    /// The inputs both moves take for a source whose key cannot be shared.
    static let shareKeyInputs = [
        StepInput(
            "sourceShareKey", .string,
            summary: "How a source under the AWS managed key aws/rds (whose snapshots cannot be shared) is moved. `auto` (the "
                + "default): the preflight reads the source's key at run time; only if it is aws/rds does the run create a KMS key "
                + "in the source account for the shared copy, copy the snapshot under it, share the copy, remove it at the end and "
                + "schedule the key's deletion after an approval — otherwise those steps complete at once as not needed. `create`: "
                + "always so. A customer managed key (alias, ID or ARN) in the source account whose policy lets the target use it: "
                + "the copy is made under it. `none`: never; an aws/rds source fails the preflight."),
        StepInput(
            "shareKeyDeletionDays", .int,
            summary: "With `sourceShareKey: auto` or `create`: the pending window, 7–30 days (default 30), when the run's key is "
                + "scheduled for deletion."),
    ]

    /// `sourceShareKey` and `shareKeyDeletionDays`, checked: what the primitives receive — the
    /// runbook's word, or `auto` when it says nothing.
    static func shareKey(_ reader: inout StepInputReader) -> (sourceShareKey: String, deletionDays: Int?) {
        let id = reader.step.id
        let text = reader.string("sourceShareKey") ?? RDSShareKeyChoice.autoWord
        let days = reader.int("shareKeyDeletionDays")
        if text.hasPrefix("arn:"), !text.hasPrefix("arn:aws") || !text.contains(":kms:") {
            reader.report(
                "bad-value", "`with.sourceShareKey` of step `\(id)` is neither `auto`, `create`, `none` nor a KMS key: `\(text)`",
                hint: "`auto` (the default), `create`, `none`, an alias (`alias/share-admin-db`), a key ID or "
                    + "`arn:aws:kms:REGION:ACCOUNT:key/…`",
                at: reader.value("sourceShareKey"))
        }
        let choice = RDSShareKeyChoice.parse(text)
        if let days {
            if !KMSKeyDeletion.allowedWindow.contains(days) {
                reader.report(
                    "bad-value", "`with.shareKeyDeletionDays` of step `\(id)` is \(days)",
                    hint: "KMS keeps a key pending deletion for 7 to 30 days", at: reader.value("shareKeyDeletionDays"))
            }
            if choice?.mayCreateKey != true {
                reader.report(
                    "bad-value", "`with.shareKeyDeletionDays` of step `\(id)` applies only when the run may create the key",
                    hint: "the run deletes only a key it created; remove it, or set `sourceShareKey: auto` or `create`",
                    at: reader.value("shareKeyDeletionDays"))
            }
        }
        return (text, choice?.mayCreateKey == true ? days : nil)
    }

    static func isIdentifier(_ text: String, max: Int) -> Bool {
        !text.isEmpty && text.count <= max && text.first?.isLetter == true && text.last != "-" && !text.contains("--")
            && text.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }
    }
}
