import Foundation
import Runbook

/// Reads the nested `with:` values of the S3 step types (`from: { account, bucket }`,
/// `recreate: { every, for }`, `accountMap: { old-id: new-id }`) and reports every problem at its
/// line and column through the step's `StepInputReader`, so `expand` can throw them all at once.
enum S3InputReading {
    /// A bucket in an account, as `from:`/`to:` of `s3.copy-objects` write it.
    struct BucketRef: Sendable, Equatable {
        var account: String
        var bucket: String
        var create: Bool
    }

    /// S3's naming rules for general-purpose buckets (3–63 characters, lower-case letters, digits,
    /// dots and hyphens, starting and ending with a letter or digit).
    static func isValidBucketName(_ name: String) -> Bool {
        guard (3...63).contains(name.count) else { return false }
        let allowed = Set("abcdefghijklmnopqrstuvwxyz0123456789.-")
        guard name.allSatisfy({ allowed.contains($0) }) else { return false }
        guard let first = name.first, let last = name.last, first.isLetter || first.isNumber,
            last.isLetter || last.isNumber
        else { return false }
        return !name.contains("..")
    }

    /// Names in the account-regional namespace (`<prefix>-<account-id>-<region>-an`) can only
    /// ever be created by the account they name, so a same-name move to another account is
    /// impossible (AWS-NOTES §1.5).
    static func isAccountRegionalName(_ name: String) -> Bool {
        name.range(of: #"-[0-9]{12}-[a-z0-9-]+-an$"#, options: .regularExpression) != nil
    }

    static func bucket(_ value: RunbookValue?, _ what: String, required: Bool, reader: inout StepInputReader) -> String? {
        guard let value, value.kind != .null else {
            if required {
                reader.report(
                    "missing-key", "\(what) needs a bucket name", hint: "add `bucket: my-bucket`",
                    at: reader.step.with?.location ?? reader.step.location)
            }
            return nil
        }
        guard let name = value.scalar else {
            reader.report("wrong-type", "\(what) must be a bucket name", hint: "write `bucket: my-bucket`", at: value)
            return nil
        }
        guard isValidBucketName(name) else {
            reader.report(
                "bad-value", "\(what) `\(name)` is not a valid S3 bucket name",
                hint: "3–63 lower-case letters, digits, dots and hyphens, starting and ending with a letter or digit",
                at: value)
            return nil
        }
        return name
    }

    /// `{ account: legacy, bucket: admin-images, create: true }`.
    static func bucketRef(
        _ value: RunbookValue?, _ what: String, allowCreate: Bool, reader: inout StepInputReader
    )
        -> BucketRef?
    {
        guard let value, value.kind != .null else {
            reader.report(
                "missing-key", "step `\(reader.step.id)` needs \(what)",
                hint: "add `\(what.replacingOccurrences(of: "`", with: "")): { account: …, bucket: … }`",
                at: reader.step.with?.location ?? reader.step.location)
            return nil
        }
        guard case .mapping(let entries) = value.kind else {
            reader.report(
                "wrong-type", "\(what) must be a mapping", hint: "write `{ account: legacy, bucket: my-bucket }`", at: value)
            return nil
        }
        let known = allowCreate ? ["account", "bucket", "create"] : ["account", "bucket"]
        for entry in entries where !known.contains(entry.key) {
            reader.report(
                "unknown-key", "`\(entry.key)` is not a key of \(what)", hint: "keys: \(known.joined(separator: ", "))",
                at: entry.keyLocation)
        }
        var account: String?
        if let accountValue = value["account"] {
            account = reader.account(at: accountValue, "`account` of \(what)")
        } else {
            reader.report("missing-key", "\(what) needs `account:`", hint: "name an account declared under `accounts:`", at: value)
        }
        let bucket = bucket(value["bucket"], "`bucket` of \(what)", required: true, reader: &reader)
        var create = false
        if let createValue = value["create"] {
            switch createValue.scalar?.lowercased() {
            case "true"?, "yes"?: create = true
            case "false"?, "no"?: create = false
            default:
                reader.report("wrong-type", "`create` of \(what) must be true or false", hint: "write `create: true`", at: createValue)
            }
        }
        guard let account, let bucket else { return nil }
        return BucketRef(account: account, bucket: bucket, create: create)
    }

    static func duration(_ value: RunbookValue?, _ what: String, reader: inout StepInputReader) -> Duration? {
        guard let value, value.kind != .null else { return nil }
        guard let text = value.scalar, let duration = RunbookDuration.parse(text) else {
            reader.report(
                "bad-duration", "\(what) must be a duration", hint: RunbookDuration.acceptedForms, at: value)
            return nil
        }
        return duration
    }

    /// `recreate: { every: 10s, for: 5m }`.
    static func recreateLoop(_ value: RunbookValue?, reader: inout StepInputReader) -> (every: Duration, for: Duration) {
        var every: Duration = .seconds(10)
        var limit: Duration = .seconds(300)
        guard let value, value.kind != .null else { return (every, limit) }
        guard case .mapping(let entries) = value.kind else {
            reader.report("wrong-type", "`with.recreate` must be a mapping", hint: "write `recreate: { every: 10s, for: 5m }`", at: value)
            return (every, limit)
        }
        for entry in entries where !["every", "for"].contains(entry.key) {
            reader.report("unknown-key", "`\(entry.key)` is not a key of `with.recreate`", hint: "keys: every, for", at: entry.keyLocation)
        }
        if let parsed = duration(value["every"], "`with.recreate.every`", reader: &reader) {
            if parsed < .seconds(1) {
                reader.report(
                    "bad-value", "`with.recreate.every` must be at least 1s", hint: "S3 answers within a second; `10s` is usual",
                    at: value["every"])
            }
            every = parsed
        }
        if let parsed = duration(value["for"], "`with.recreate.for`", reader: &reader) { limit = parsed }
        if limit < every {
            reader.report(
                "bad-value", "`with.recreate.for` is shorter than `every`: the loop would try only once",
                hint: "e.g. `recreate: { every: 10s, for: 5m }`", at: value)
        }
        return (every, limit)
    }

    /// A mapping of strings (`accountMap`, `kmsKeyMap`), each key and value checked by `valid`.
    static func stringMap(
        _ value: RunbookValue?, _ what: String, reader: inout StepInputReader, describe: String,
        valid: (String) -> Bool
    ) -> [(String, String)] {
        guard let value, value.kind != .null else { return [] }
        guard case .mapping(let entries) = value.kind else {
            reader.report("wrong-type", "\(what) must be a mapping", hint: "write `{ \(describe) }`", at: value)
            return []
        }
        var result: [(String, String)] = []
        for entry in entries {
            guard let target = entry.value.scalar else {
                reader.report("wrong-type", "\(what).\(entry.key) must be a single value", hint: "write `{ \(describe) }`", at: entry.value)
                continue
            }
            guard valid(entry.key) else {
                reader.report(
                    "bad-value", "`\(entry.key)` in \(what) is not valid here", hint: "write `{ \(describe) }`", at: entry.keyLocation)
                continue
            }
            guard valid(target) else {
                reader.report("bad-value", "`\(target)` in \(what) is not valid here", hint: "write `{ \(describe) }`", at: entry.value)
                continue
            }
            result.append((entry.key, target))
        }
        return result
    }

    static func isAccountID(_ text: String) -> Bool {
        text.count == 12 && text.allSatisfy { $0.isASCII && $0.isNumber }
    }

    static func isKMSKeyReference(_ text: String) -> Bool {
        text.hasPrefix("arn:aws") && text.contains(":kms:") || text.hasPrefix("alias/")
            || text.range(of: #"^[0-9a-f-]{36}$"#, options: .regularExpression) != nil
    }
}
