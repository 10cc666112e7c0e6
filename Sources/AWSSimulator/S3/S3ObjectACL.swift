import Foundation

/// One ACL grant on an object: a grantee (an account's canonical user, or one of S3's groups)
/// and a permission (`FULL_CONTROL`, `READ`, `READ_ACP`, `WRITE_ACP`; `WRITE` only on buckets).
///
/// Sources (docs/SIMULATOR.md "Object ACLs and Object Ownership"): AWS-NOTES-2 [ACL-1]–[ACL-6],
/// BC-S3 GetObjectAcl / PutObjectAcl / CopyObject (`x-amz-grant-*`), S3UG about-object-ownership,
/// acl-overview (canned ACLs), access-control-block-public-access.
public struct S3ObjectGrant: Sendable, Hashable, Codable {
    public enum Grantee: Sendable, Hashable, Codable {
        /// A canonical user ID (64 hex digits; one per account, `S3Service.canonicalId`).
        case canonicalUser(String)
        /// A group URI: `http://acs.amazonaws.com/groups/global/AllUsers`, `…/AuthenticatedUsers`,
        /// `http://acs.amazonaws.com/groups/s3/LogDelivery`.
        case group(String)
    }

    public var grantee: Grantee
    public var permission: String

    public init(_ grantee: Grantee, _ permission: String) {
        self.grantee = grantee
        self.permission = permission
    }

    public static let allUsers = "http://acs.amazonaws.com/groups/global/AllUsers"
    public static let authenticatedUsers = "http://acs.amazonaws.com/groups/global/AuthenticatedUsers"
    static let permissions: Set<String> = ["FULL_CONTROL", "READ", "READ_ACP", "WRITE_ACP", "WRITE"]

    /// AllUsers or AuthenticatedUsers: what Block Public Access calls a public ACL
    /// (S3UG access-control-block-public-access, "The meaning of public").
    public var isPublic: Bool {
        if case .group(let uri) = grantee { return uri == Self.allUsers || uri == Self.authenticatedUsers }
        return false
    }
}

extension S3Service {
    // MARK: - Bucket settings that govern ACLs

    /// Whether ACLs are disabled: Object Ownership `BucketOwnerEnforced` (S3UG about-object-ownership).
    static func aclsDisabled(_ bucket: S3Bucket) -> Bool {
        bucket.configurations[.ownershipControls]?.contains("BucketOwnerEnforced") == true
    }

    /// The bucket's Block Public Access flag `name` (`BlockPublicAcls`, `IgnorePublicAcls`). Only
    /// the bucket-level configuration is modelled, not the account-level one.
    static func publicAccessBlock(_ bucket: S3Bucket, _ name: String) -> Bool {
        guard let document = bucket.configurations[.publicAccessBlock], let root = S3XMLElement.parse(Data(document.utf8)) else {
            return false
        }
        return root.string(name)?.lowercased() == "true"
    }

    // MARK: - Reading an ACL from a request

    /// The grants a write asks for: a canned `x-amz-acl`, `x-amz-grant-*` headers, or (PutObjectAcl
    /// only) an `AccessControlPolicy` body; nil when the request sets no ACL. `owner` is the
    /// account that will own the object; canned ACLs are expanded as S3UG acl-overview "Canned ACL"
    /// lists them.
    static func requestedGrants(_ call: S3Call, owner: String, bucketOwner: String, body: Data? = nil) throws(SimError) -> [S3ObjectGrant]?
    {
        let canned = call.header("x-amz-acl")
        let headerGrants = try grantHeaders(call)
        if canned != nil && !headerGrants.isEmpty {
            // [ACL-6]: moto and S3 answer the same for both at once.
            throw S3Errors.invalidRequest("Specifying both Canned ACLs and Header Grants is not allowed", call.objectResource)
        }
        let ownerGrant = S3ObjectGrant(.canonicalUser(canonicalId(owner)), "FULL_CONTROL")
        if let canned {
            switch canned {
            case "private": return [ownerGrant]
            case "public-read": return [ownerGrant, S3ObjectGrant(.group(S3ObjectGrant.allUsers), "READ")]
            case "public-read-write":
                return [
                    ownerGrant, S3ObjectGrant(.group(S3ObjectGrant.allUsers), "READ"),
                    S3ObjectGrant(.group(S3ObjectGrant.allUsers), "WRITE"),
                ]
            case "authenticated-read": return [ownerGrant, S3ObjectGrant(.group(S3ObjectGrant.authenticatedUsers), "READ")]
            case "aws-exec-read": return [ownerGrant]
            case "bucket-owner-read":
                return owner == bucketOwner ? [ownerGrant] : [ownerGrant, S3ObjectGrant(.canonicalUser(canonicalId(bucketOwner)), "READ")]
            case "bucket-owner-full-control":
                return owner == bucketOwner
                    ? [ownerGrant] : [ownerGrant, S3ObjectGrant(.canonicalUser(canonicalId(bucketOwner)), "FULL_CONTROL")]
            default: throw S3Errors.invalidArgument("Invalid canned ACL \(canned)", call.objectResource)
            }
        }
        if !headerGrants.isEmpty { return headerGrants }
        guard let body, !body.isEmpty else { return nil }
        return try policyGrants(body, resource: call.objectResource)
    }

    /// `x-amz-grant-read: id="…", uri="http://acs.amazonaws.com/groups/global/AllUsers"` and the
    /// other three headers (BC-S3 PutObject `GrantRead`…). Email grantees are refused: AWS stopped
    /// resolving them on 2025-10-01 in most Regions ([ACL-3]).
    static func grantHeaders(_ call: S3Call) throws(SimError) -> [S3ObjectGrant] {
        var grants: [S3ObjectGrant] = []
        for (header, permission) in [
            ("x-amz-grant-full-control", "FULL_CONTROL"), ("x-amz-grant-read", "READ"), ("x-amz-grant-read-acp", "READ_ACP"),
            ("x-amz-grant-write-acp", "WRITE_ACP"),
        ] {
            guard let value = call.header(header) else { continue }
            for item in value.split(separator: ",") {
                let pair = item.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                guard pair.count == 2 else { throw S3Errors.invalidArgument("Invalid grant \(item) in \(header)", call.objectResource) }
                let target = pair[1].trimmingCharacters(in: CharacterSet(charactersIn: "\""))
                switch pair[0].lowercased() {
                case "id": grants.append(S3ObjectGrant(.canonicalUser(target), permission))
                case "uri": grants.append(S3ObjectGrant(.group(target), permission))
                case "emailaddress":
                    throw SimError(
                        "MethodNotAllowed", "Email grantees are no longer supported; use a canonical user ID", status: 405,
                        resource: call.objectResource)
                default: throw S3Errors.invalidArgument("Invalid grantee type \(pair[0]) in \(header)", call.objectResource)
                }
            }
        }
        return grants
    }

    /// The grants of an `AccessControlPolicy` document (PutObjectAcl's body). The grantee type
    /// is taken from its child (`ID` or `URI`), which is what `xsi:type` must agree with.
    static func policyGrants(_ body: Data, resource: String) throws(SimError) -> [S3ObjectGrant] {
        guard let root = S3XMLElement.parse(body), root.name == "AccessControlPolicy" else { throw S3Errors.malformedXML(resource) }
        var grants: [S3ObjectGrant] = []
        for grant in root.child("AccessControlList")?.children("Grant") ?? [] {
            guard let permission = grant.string("Permission"), S3ObjectGrant.permissions.contains(permission),
                let grantee = grant.child("Grantee")
            else { throw S3Errors.malformedXML(resource) }
            if let id = grantee.string("ID") {
                grants.append(S3ObjectGrant(.canonicalUser(id), permission))
            } else if let uri = grantee.string("URI") {
                grants.append(S3ObjectGrant(.group(uri), permission))
            } else {
                throw S3Errors.malformedXML(resource)
            }
        }
        return grants
    }

    /// The rules a requested ACL must pass on `bucket` ([ACL-2], [ACL-5]): with ACLs disabled only
    /// the bucket owner's full control (or an equivalent) is accepted, else
    /// `AccessControlListNotSupported`; with `BlockPublicAcls` a public grant is `AccessDenied`.
    /// Which of the two S3 checks first is not documented; this one checks ownership first.
    static func checkRequestedGrants(_ grants: [S3ObjectGrant], _ bucket: S3Bucket, resource: String) throws(SimError) {
        if aclsDisabled(bucket) {
            let ownerOnly = grants.allSatisfy { $0.grantee == .canonicalUser(canonicalId(bucket.owner)) && $0.permission == "FULL_CONTROL" }
            if !ownerOnly {
                throw SimError("AccessControlListNotSupported", "The bucket does not allow ACLs", status: 400, resource: bucket.name)
            }
        }
        if grants.contains(where: \.isPublic), publicAccessBlock(bucket, "BlockPublicAcls") {
            throw SimError("AccessDenied", "Access Denied", status: 403, resource: resource)
        }
    }

    /// The ACL a PutObject, CopyObject or CreateMultipartUpload sets, checked against the bucket;
    /// nil when the request sets none (the new object is private, whatever the copy source had:
    /// [ACL-3]). Setting one from another account needs `s3:PutObjectAcl` in the bucket policy
    /// ([COPY-2]).
    static func requestedACL(_ call: S3Call, _ bucket: S3Bucket) throws(SimError) -> [S3ObjectGrant]? {
        let owner = objectOwner(bucket, writer: call.account)
        guard let grants = try requestedGrants(call, owner: owner, bucketOwner: bucket.owner) else { return nil }
        if call.account != bucket.owner,
            bucket.policy?.decision(for: call.principal, action: "s3:PutObjectAcl", resource: "arn:aws:s3:::\(call.objectResource)")
                != .allow
        {
            throw S3Errors.accessDenied(bucket.name)
        }
        try checkRequestedGrants(grants, bucket, resource: call.objectResource)
        return grants
    }

    /// The grants a version's ACL holds: as set, or the owner's full control (S3's default ACL).
    static func effectiveGrants(_ version: S3StoredVersion) -> [S3ObjectGrant] {
        version.write.grants ?? [S3ObjectGrant(.canonicalUser(canonicalId(version.ownerAccount)), "FULL_CONTROL")]
    }

    /// Whether the version's ACL lets `account` read it: ACLs enabled, and a READ or FULL_CONTROL
    /// grant to the account's canonical user, or to AuthenticatedUsers/AllUsers unless the bucket
    /// ignores public ACLs (`IgnorePublicAcls`).
    static func aclAllowsRead(_ version: S3StoredVersion, account: String, bucket: S3Bucket) -> Bool {
        guard !aclsDisabled(bucket) else { return false }
        let ignorePublic = publicAccessBlock(bucket, "IgnorePublicAcls")
        return effectiveGrants(version).contains { grant in
            guard grant.permission == "READ" || grant.permission == "FULL_CONTROL" else { return false }
            if grant.isPublic { return !ignorePublic }
            return grant.grantee == .canonicalUser(canonicalId(account))
        }
    }

    // MARK: - GetObjectAcl / PutObjectAcl

    /// GetObjectAcl (`GET /key?acl`, `s3:GetObjectAcl` or `s3:GetObjectVersionAcl`): the owner and
    /// the grants as stored. ACL reads keep working when ACLs are disabled ([ACL-2]).
    func getObjectAcl(_ call: inout S3Call, _ s3: inout S3State) throws(SimError) -> SimResponse {
        let version = try aclTarget(call, s3, action: "GetObjectAcl")
        return call.xml(Self.accessControlPolicy(owner: version.ownerAccount, grants: Self.effectiveGrants(version)))
    }

    /// PutObjectAcl (`PUT /key?acl`, `s3:PutObjectAcl`): a canned ACL, grant headers or an
    /// `AccessControlPolicy` body replaces the version's ACL, under the rules of
    /// `checkRequestedGrants`.
    func putObjectAcl(_ call: inout S3Call, _ s3: inout S3State) throws(SimError) -> SimResponse {
        let version = try aclTarget(call, s3, action: "PutObjectAcl")
        let bucket = s3.buckets[call.bucket]!
        let body = try S3Payload(call.request, resource: call.objectResource).data
        guard let grants = try Self.requestedGrants(call, owner: version.ownerAccount, bucketOwner: bucket.owner, body: body) else {
            throw SimError(
                "MissingSecurityHeader", "Your request was missing a required header", status: 400, resource: call.objectResource)
        }
        try Self.checkRequestedGrants(grants, bucket, resource: call.objectResource)
        let (key, versionId) = (version.key, version.versionId)
        try s3.modify(call.bucket) { bucket in
            guard var history = bucket.histories[key], let index = history.firstIndex(where: { $0.versionId == versionId }) else { return }
            history[index].write.grants = grants
            bucket.histories[key] = history
        }
        call.mutated = true
        return call.respond()
    }

    private func aclTarget(_ call: S3Call, _ s3: S3State, action: String) throws(SimError) -> S3StoredVersion {
        let versionId = call.query("versionId")
        let name = versionId == nil ? "s3:\(action)" : "s3:\(action.replacingOccurrences(of: "Object", with: "ObjectVersion"))"
        try authorize(call, s3, .action(name, resource: call.objectResource))
        let bucket = s3.buckets[call.bucket]!
        guard let found = versionId.map({ bucket.version(call.key, $0) }) ?? bucket.current(call.key) else {
            throw versionId == nil ? S3Errors.noSuchKey(call.bucket, call.key) : S3Errors.noSuchVersion(call.bucket, call.key)
        }
        if found.isDeleteMarker {
            // [VER-3]: markers have no ACL.
            throw SimError(
                "MethodNotAllowed", "The specified method is not allowed against this resource.", status: 405, resource: call.objectResource
            )
        }
        return found
    }

    /// The `AccessControlPolicy` document of GetObjectAcl (BC-S3 GetObjectAcl output shape).
    static func accessControlPolicy(owner: String, grants: [S3ObjectGrant]) -> String {
        let xsi = "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\""
        var text = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<AccessControlPolicy xmlns=\"\(s3Namespace)\">"
        text += "<Owner><ID>\(canonicalId(owner))</ID></Owner><AccessControlList>"
        for grant in grants {
            switch grant.grantee {
            case .canonicalUser(let id):
                text += "<Grant><Grantee \(xsi) xsi:type=\"CanonicalUser\"><ID>\(S3XMLBuilder.escape(id))</ID></Grantee>"
            case .group(let uri):
                text += "<Grant><Grantee \(xsi) xsi:type=\"Group\"><URI>\(S3XMLBuilder.escape(uri))</URI></Grantee>"
            }
            text += "<Permission>\(grant.permission)</Permission></Grant>"
        }
        return text + "</AccessControlList></AccessControlPolicy>"
    }
}

extension S3State {
    /// The ACL of `key`'s current version (seeding and tests): owner account and grants.
    public func objectACL(bucket: String, key: String) -> (owner: String, grants: [S3ObjectGrant])? {
        guard let version = buckets[bucket]?.current(key), !version.isDeleteMarker else { return nil }
        return (version.ownerAccount, S3Service.effectiveGrants(version))
    }

    /// Whether an anonymous reader could fetch `key` (what a browser following a public URL
    /// sees): ACLs enabled, an AllUsers READ grant, and the bucket not ignoring public ACLs.
    public func isPubliclyReadable(bucket name: String, key: String) -> Bool {
        guard let bucket = buckets[name], let version = bucket.current(key), !version.isDeleteMarker,
            !S3Service.aclsDisabled(bucket), !S3Service.publicAccessBlock(bucket, "IgnorePublicAcls")
        else { return false }
        return S3Service.effectiveGrants(version).contains {
            $0.grantee == .group(S3ObjectGrant.allUsers) && ($0.permission == "READ" || $0.permission == "FULL_CONTROL")
        }
    }

    /// Sets the current version's grants directly (seeding), bypassing the request rules.
    public mutating func seedObjectGrants(bucket name: String, key: String, _ grants: [S3ObjectGrant]) throws(SimError) {
        try modify(name) { bucket throws(SimError) in
            guard var history = bucket.histories[key], !history.isEmpty else { throw S3Errors.noSuchKey(name, key) }
            history[history.count - 1].write.grants = grants
            bucket.histories[key] = history
        }
    }

    /// Replaces the grants of one version of `key` (seeding a noncurrent version's own ACL).
    public mutating func seedObjectGrants(bucket name: String, key: String, versionId: String, _ grants: [S3ObjectGrant]) throws(SimError) {
        try modify(name) { bucket throws(SimError) in
            guard var history = bucket.histories[key], let index = history.firstIndex(where: { $0.versionId == versionId }),
                !history[index].isDeleteMarker
            else { throw S3Errors.noSuchKey(name, key) }
            history[index].write.grants = grants
            bucket.histories[key] = history
        }
    }

    /// The owner account and grants of one version of `key`.
    public func objectACL(bucket: String, key: String, versionId: String) -> (owner: String, grants: [S3ObjectGrant])? {
        guard let version = buckets[bucket]?.histories[key]?.first(where: { $0.versionId == versionId }), !version.isDeleteMarker
        else { return nil }
        return (version.ownerAccount, S3Service.effectiveGrants(version))
    }

    /// The canonical user ID S3 shows for `account`.
    public static func canonicalUserId(_ account: String) -> String { S3Service.canonicalId(account) }
}
