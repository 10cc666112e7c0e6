/// One object ACL grant: who (an account's canonical user, or an S3 group) may do what.
public struct S3Grant: Sendable, Hashable, Codable {
    public enum Grantee: Sendable, Hashable, Codable {
        /// A canonical user ID: one per AWS account.
        case canonicalUser(String)
        /// A group URI (`S3Grant.allUsers`, `S3Grant.authenticatedUsers`, the log delivery group).
        case group(String)
    }

    public var grantee: Grantee
    /// `FULL_CONTROL`, `READ`, `READ_ACP`, `WRITE_ACP` (objects), `WRITE` (buckets only).
    public var permission: String

    public init(_ grantee: Grantee, _ permission: String) {
        self.grantee = grantee
        self.permission = permission
    }

    public static let allUsers = "http://acs.amazonaws.com/groups/global/AllUsers"
    public static let authenticatedUsers = "http://acs.amazonaws.com/groups/global/AuthenticatedUsers"

    /// AllUsers or AuthenticatedUsers: a public grant in Block Public Access's sense.
    public var isPublic: Bool {
        if case .group(let uri) = grantee { return uri == Self.allUsers || uri == Self.authenticatedUsers }
        return false
    }

    /// The canonical user ID, for a canonical-user grant.
    public var canonicalUserId: String? {
        if case .canonicalUser(let id) = grantee { return id }
        return nil
    }

    /// `id="…"` or `uri="…"`, the form of the `x-amz-grant-*` headers.
    var headerItem: String {
        switch grantee {
        case .canonicalUser(let id): "id=\"\(id)\""
        case .group(let uri): "uri=\"\(uri)\""
        }
    }

    /// The `x-amz-grant-*` headers that set exactly `grants` on a new object (PutObject,
    /// CopyObject, CreateMultipartUpload); `WRITE` has no object header and is left out.
    public static func headers(_ grants: [S3Grant]) -> [(name: String, value: String)] {
        [
            ("FULL_CONTROL", "x-amz-grant-full-control"), ("READ", "x-amz-grant-read"), ("READ_ACP", "x-amz-grant-read-acp"),
            ("WRITE_ACP", "x-amz-grant-write-acp"),
        ].compactMap { permission, header in
            let items = grants.filter { $0.permission == permission }.map(\.headerItem)
            return items.isEmpty ? nil : (header, items.joined(separator: ", "))
        }
    }
}

/// An object's ACL as GetObjectAcl answers it: the owner's canonical user ID and the grants.
public struct S3AccessControlPolicy: Sendable, Equatable {
    public var ownerId: String?
    public var grants: [S3Grant]

    public init(ownerId: String?, grants: [S3Grant]) {
        self.ownerId = ownerId
        self.grants = grants
    }

    /// The grants beyond the owner's own full control: what a copy must reproduce.
    public var extraGrants: [S3Grant] {
        grants.filter { !($0.canonicalUserId == ownerId && $0.permission == "FULL_CONTROL") }
    }

    /// Decodes `<AccessControlPolicy>` (BC-S3 GetObjectAcl). The grantee kind comes from
    /// `xsi:type`, else from the child present (`ID`, `URI`); email grantees are reported as
    /// malformed since S3 no longer resolves them.
    init(xml root: XMLNode) throws {
        try S3Decoding.expectRoot(root, "AccessControlPolicy")
        ownerId = root.child("Owner")?.string("ID")
        var grants: [S3Grant] = []
        for grant in root.child("AccessControlList")?.children("Grant") ?? [] {
            let permission = try grant.require("Permission")
            guard let grantee = grant.child("Grantee") else { throw XMLDecodeError(message: "<Grant> without <Grantee>") }
            let kind = grantee.attributes.first { $0.key.hasSuffix("type") }?.value
            if kind == "Group" || (kind == nil && grantee.child("URI") != nil) {
                grants.append(S3Grant(.group(try grantee.require("URI")), permission))
            } else if kind == "CanonicalUser" || (kind == nil && grantee.child("ID") != nil) {
                grants.append(S3Grant(.canonicalUser(try grantee.require("ID")), permission))
            } else {
                throw XMLDecodeError(message: "grantee of type \(kind ?? "unknown") is not supported")
            }
        }
        self.grants = grants
    }

    /// The `<AccessControlPolicy>` body of PutObjectAcl.
    var document: XMLWriter {
        var xml = XMLWriter()
        xml.start("AccessControlPolicy", namespace: S3Client.namespace)
        xml.start("Owner")
        xml.optional("ID", ownerId)
        xml.end()
        xml.start("AccessControlList")
        for grant in grants {
            xml.start("Grant")
            switch grant.grantee {
            case .canonicalUser(let id):
                xml.raw("<Grantee xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:type=\"CanonicalUser\">")
                xml.element("ID", id)
            case .group(let uri):
                xml.raw("<Grantee xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:type=\"Group\">")
                xml.element("URI", uri)
            }
            xml.raw("</Grantee>")
            xml.element("Permission", grant.permission)
            xml.end()
        }
        xml.end()
        xml.end()
        return xml
    }
}
