import Engine
import Foundation

/// What a run created and left in place, as Terraform `import` blocks (Terraform 1.5+), so a team
/// that manages its infrastructure as code can adopt the moved resources instead of hand-writing
/// their addresses: `cutoverctl audit show RUN --terraform`.
///
/// Read from the audit log's AWS calls alone, in order: a successful create adds a resource, a
/// successful delete of the same resource in the same account removes it (a rolled-back run, or a
/// staging bucket the run removed, leaves nothing to import). Configuration calls on a bucket the
/// run created add that configuration's own resource type (`aws_s3_bucket_policy`, …), as the
/// AWS provider (v4 and later) splits a bucket into one resource per sub-resource.
public struct TerraformImports: Sendable, Equatable {
    /// One resource to import.
    public struct Resource: Sendable, Hashable {
        /// The provider resource type, e.g. `aws_db_instance`.
        public var type: String
        /// The import ID the provider expects for that type.
        public var id: String
        /// The runbook's label of the account that owns it (`product`), for the provider alias.
        public var account: String
        public var accountId: String?
        /// The operation that created it, for the block's comment.
        public var createdBy: String
    }

    public private(set) var resources: [Resource] = []

    /// - Parameters:
    ///   - calls: the run's AWS calls in journal order (reads are ignored).
    ///   - accounts: the runbook's account labels and their 12-digit IDs; calls name either.
    public init(calls: [AWSCallRecord], accounts: [String: String]) {
        let labelOf = Dictionary(accounts.map { ($0.value, $0.key) }, uniquingKeysWith: { a, _ in a })
        for call in calls where call.mutating && call.outcome == "ok" {
            guard let resource = call.resource, let account = call.account else { continue }
            let label = labelOf[account] ?? account
            let owner = accounts[label]
            switch Self.effect(of: call.service, call.operation, resource: resource) {
            case .creates(let type, let id):
                let bucketConfiguration = type.hasPrefix("aws_s3_bucket_")
                if bucketConfiguration, !resources.contains(where: { $0.type == "aws_s3_bucket" && $0.id == id && $0.account == label }) {
                    continue  // configuration written on a bucket the run did not create
                }
                if !resources.contains(where: { $0.type == type && $0.id == id && $0.account == label }) {
                    resources.append(Resource(type: type, id: id, account: label, accountId: owner, createdBy: call.operation))
                }
            case .deletes(let types, let id):
                resources.removeAll { types.contains($0.type) && $0.id == id && $0.account == label }
            case nil:
                continue
            }
        }
    }

    /// The resources of `timeline`'s run still standing at its end.
    public init(timeline: AuditTimeline) {
        self.init(calls: timeline.entries.compactMap(\.aws), accounts: timeline.accounts)
    }

    enum Effect: Equatable {
        case creates(type: String, id: String)
        case deletes(types: Set<String>, id: String)
    }

    /// What one successful call does to the set of resources. The journal's `resource` is the
    /// identifier the step acted on (an RDS call may name an ARN; the import ID is the identifier).
    static func effect(of service: String, _ operation: String, resource: String) -> Effect? {
        switch (service, operation) {
        case ("rds", "RestoreDBInstanceFromDBSnapshot"), ("rds", "CreateDBInstance"):
            return .creates(
                type: operation == "CreateDBInstance" ? "aws_rds_cluster_instance" : "aws_db_instance", id: rdsIdentifier(resource))
        case ("rds", "DeleteDBInstance"):
            return .deletes(types: ["aws_db_instance", "aws_rds_cluster_instance"], id: rdsIdentifier(resource))
        case ("rds", "RestoreDBClusterFromSnapshot"):
            return .creates(type: "aws_rds_cluster", id: rdsIdentifier(resource))
        case ("rds", "DeleteDBCluster"):
            return .deletes(types: ["aws_rds_cluster"], id: rdsIdentifier(resource))
        case ("kms", "CreateKey"):
            return .creates(type: "aws_kms_key", id: resource)
        case ("kms", "ScheduleKeyDeletion"):
            return .deletes(types: ["aws_kms_key"], id: resource)
        case ("s3", "CreateBucket"):
            return .creates(type: "aws_s3_bucket", id: resource)
        case ("s3", "DeleteBucket"):
            return .deletes(types: Set(bucketConfigurationTypes.values).union(["aws_s3_bucket"]), id: resource)
        case ("s3", _):
            for (stem, type) in bucketConfigurationTypes {
                if operation == "Put\(stem)" { return .creates(type: type, id: resource) }
                if operation == "Delete\(stem)" { return .deletes(types: [type], id: resource) }
            }
            return nil
        default:
            return nil
        }
    }

    /// Bucket configuration operations (`Put<stem>`, `Delete<stem>`) and the provider's resource
    /// type for each, all imported by bucket name. Tags have no resource of their own: they are
    /// `aws_s3_bucket`'s `tags`.
    static let bucketConfigurationTypes: [String: String] = [
        "BucketPolicy": "aws_s3_bucket_policy",
        "BucketVersioning": "aws_s3_bucket_versioning",
        "BucketEncryption": "aws_s3_bucket_server_side_encryption_configuration",
        "BucketCors": "aws_s3_bucket_cors_configuration",
        "BucketLifecycleConfiguration": "aws_s3_bucket_lifecycle_configuration",
        "PublicAccessBlock": "aws_s3_bucket_public_access_block",
        "BucketOwnershipControls": "aws_s3_bucket_ownership_controls",
        "BucketWebsite": "aws_s3_bucket_website_configuration",
        "BucketLogging": "aws_s3_bucket_logging",
        "BucketNotificationConfiguration": "aws_s3_bucket_notification",
        "BucketReplication": "aws_s3_bucket_replication_configuration",
        "ObjectLockConfiguration": "aws_s3_bucket_object_lock_configuration",
        "BucketAccelerateConfiguration": "aws_s3_bucket_accelerate_configuration",
        "BucketRequestPayment": "aws_s3_bucket_request_payment_configuration",
    ]

    /// `arn:aws:rds:us-east-1:222222222222:db:admin-db` → `admin-db`; an identifier stays as it is.
    static func rdsIdentifier(_ resource: String) -> String {
        guard resource.hasPrefix("arn:") else { return resource }
        return resource.split(separator: ":", omittingEmptySubsequences: false).last.map(String.init) ?? resource
    }

    /// The import blocks, one per resource, grouped by account with a provider alias named after
    /// the runbook's account label; a header says where they come from and what to do next.
    public func render(runId: String, runbookName: String, status: String) -> String {
        var lines = [
            "# Terraform import blocks for what run \(runId) (runbook \(runbookName), \(status)) created and left in place,",
            "# read from its audit log by `cutoverctl audit show --terraform`. Each block needs a provider",
            "# alias for the account it names; `terraform plan -generate-config-out=generated.tf` then writes",
            "# the resource blocks for you to review.",
        ]
        if resources.isEmpty {
            lines.append("#")
            lines.append("# The run left no resource it created: nothing to import.")
            return lines.joined(separator: "\n") + "\n"
        }
        var names = Set<String>()
        for account in orderedAccounts {
            let owned = resources.filter { $0.account == account }
            let id = owned.first?.accountId.map { " (\($0))" } ?? ""
            lines.append("")
            lines.append("# account \(account)\(id): provider \"aws\" { alias = \"\(Self.identifier(account))\" … }")
            for resource in owned {
                var name = Self.identifier(resource.id)
                var suffix = 2
                while names.contains("\(resource.type).\(name)") {
                    name = "\(Self.identifier(resource.id))_\(suffix)"
                    suffix += 1
                }
                names.insert("\(resource.type).\(name)")
                lines.append("")
                lines.append("# created by \(resource.createdBy)")
                lines.append("import {")
                lines.append("  provider = aws.\(Self.identifier(account))")
                lines.append("  to       = \(resource.type).\(name)")
                lines.append("  id       = \(Self.quoted(resource.id))")
                lines.append("}")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private var orderedAccounts: [String] {
        var seen: [String] = []
        for resource in resources where !seen.contains(resource.account) { seen.append(resource.account) }
        return seen
    }

    /// A Terraform name: letters, digits and underscores, starting with a letter or underscore.
    static func identifier(_ text: String) -> String {
        var name = String(text.lowercased().map { $0.isASCII && ($0.isLetter || $0.isNumber) ? $0 : "_" })
        if let first = name.first, first.isNumber { name = "_" + name }
        return name.isEmpty ? "_" : name
    }

    /// An HCL string literal: quotes and backslashes escaped, and the template openers `${` and
    /// `%{` doubled so they stay literal.
    static func quoted(_ text: String) -> String {
        let escaped = text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "${", with: "$${").replacingOccurrences(of: "%{", with: "%%{")
        return "\"" + escaped + "\""
    }
}
