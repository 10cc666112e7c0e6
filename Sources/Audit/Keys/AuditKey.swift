import CCrypto
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// The daemon's Ed25519 signing key for checkpoints.
///
/// It comes from one of two places (`resolve`): systemd's `LoadCredential=audit.key:/etc/…`, which
/// places the file at `$CREDENTIALS_DIRECTORY/audit.key` (the key then lives outside the state
/// directory and can be backed up and rotated by configuration management), or, when no credential
/// is configured, `audit.key` in the state directory, generated on first start with mode 0600.
///
/// Files are PKCS#8 PEM (`PRIVATE KEY`), the form `openssl genpkey -algorithm ed25519` writes, so
/// an operator can create or inspect one with stock tools; a raw 32-byte seed is read too. The
/// seed never leaves this type except through `write(to:)`: `description` prints the key ID only.
public struct AuditKey: Sendable, CustomStringConvertible {
    private let seed: [UInt8]
    public let publicKey: AuditPublicKey
    /// Where the key was loaded from or stored, for logs and `audit key show`.
    public let path: String?

    /// The file name in the state directory and the conventional credential name.
    public static let fileName = "audit.key"

    /// PKCS#8 prefix for an Ed25519 private key (RFC 8410): version 0, OID 1.3.101.112, OCTET STRING { OCTET STRING (32) }.
    static let pkcs8Prefix: [UInt8] = [
        0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20,
    ]

    /// A key from its 32-byte private seed.
    public init(seed: [UInt8], path: String? = nil) throws(AuditError) {
        guard seed.count == 32 else { throw AuditError(.badKey, "an Ed25519 private key has 32 bytes, not \(seed.count)", path: path) }
        var publicBytes = [UInt8](repeating: 0, count: 32)
        let ok = seed.withUnsafeBufferPointer { s in
            publicBytes.withUnsafeMutableBufferPointer { cutover_ed25519_public_key(s.baseAddress, $0.baseAddress) }
        }
        guard ok == 1 else { throw AuditError(.crypto, "libcrypto could not derive the Ed25519 public key", path: path) }
        self.seed = seed
        self.publicKey = try AuditPublicKey(rawValue: publicBytes)
        self.path = path
    }

    /// A fresh key from libcrypto's CSPRNG, not yet stored anywhere.
    public static func generate() throws(AuditError) -> AuditKey {
        var seed = [UInt8](repeating: 0, count: 32)
        var publicBytes = [UInt8](repeating: 0, count: 32)
        let ok = seed.withUnsafeMutableBufferPointer { s in
            publicBytes.withUnsafeMutableBufferPointer { cutover_ed25519_keygen(s.baseAddress, $0.baseAddress) }
        }
        guard ok == 1 else { throw AuditError(.crypto, "libcrypto could not generate an Ed25519 key") }
        return try AuditKey(seed: seed)
    }

    public var keyId: String { publicKey.keyId }

    /// Signs `message` (pure Ed25519).
    public func sign(_ message: [UInt8]) throws(AuditError) -> [UInt8] {
        var signature = [UInt8](repeating: 0, count: 64)
        let ok = seed.withUnsafeBufferPointer { s in
            message.withUnsafeBytes { m in
                signature.withUnsafeMutableBufferPointer {
                    cutover_ed25519_sign(s.baseAddress, m.baseAddress, m.count, $0.baseAddress)
                }
            }
        }
        guard ok == 1 else { throw AuditError(.crypto, "libcrypto could not sign with the audit key", path: path) }
        return signature
    }

    public var description: String { "audit key \(keyId)" + (path.map { " (\($0))" } ?? "") }

    // MARK: Files

    /// The key as PKCS#8 PEM.
    public var pem: String { PEM.encode(Self.pkcs8Prefix + seed, label: "PRIVATE KEY") }

    /// Reads a key file: PKCS#8 PEM or a raw 32-byte seed. Refuses a file that group or others
    /// may read (as ssh does): a leaked key lets anyone sign a rewritten history.
    public static func load(from path: String) throws(AuditError) -> AuditKey {
        var info = stat()
        guard stat(path, &info) == 0 else {
            throw AuditError(.badKey, "cannot read the audit key: \(String(cString: strerror(errno)))", path: path)
        }
        guard info.st_mode & 0o077 == 0 else {
            throw AuditError(
                .badKey,
                "the audit key is readable by group or others (mode \(String(info.st_mode & 0o777, radix: 8))); run `chmod 600 \(path)` and check who may have copied it",
                path: path)
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw AuditError(.badKey, "cannot read the audit key", path: path)
        }
        let bytes = [UInt8](data)
        if bytes.count == 32 { return try AuditKey(seed: bytes, path: path) }
        let text = String(decoding: bytes, as: UTF8.self)
        guard let body = PEM.body(of: text, label: "PRIVATE KEY"),
            let der = Data(base64Encoded: body.filter { !$0.isWhitespace }).map([UInt8].init)
        else {
            throw AuditError(
                .badKey,
                "not an Ed25519 key: expected a PEM PRIVATE KEY (`openssl genpkey -algorithm ed25519`) or a raw 32-byte seed",
                path: path)
        }
        // PKCS#8 v1 (48 bytes) is what OpenSSL writes; v2 adds the public key after the seed.
        guard der.count >= 48, Array(der.prefix(16)) == pkcs8Prefix || isPKCS8v2(der) else {
            throw AuditError(.badKey, "the PEM PRIVATE KEY is not an Ed25519 key (RFC 8410)", path: path)
        }
        return try AuditKey(seed: Array(der[16..<48]), path: path)
    }

    private static func isPKCS8v2(_ der: [UInt8]) -> Bool {
        der.count > 48 && der[0] == 0x30 && Array(der[2...15]) == [0x02, 0x01, 0x01] + Array(pkcs8Prefix[5...15])
    }

    /// Writes the key as PEM to a new file with mode 0600 and syncs it; refuses to overwrite.
    public func write(to path: String) throws(AuditError) -> AuditKey {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            let reason = String(cString: strerror(errno))
            throw AuditError(.keyStorage, "cannot create the audit key file: \(reason)", path: path)
        }
        defer { close(fd) }
        let bytes = Array(pem.utf8)
        let written = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
        guard written == bytes.count, fsync(fd) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(path)
            throw AuditError(.keyStorage, "cannot write the audit key: \(reason)", path: path)
        }
        Self.syncDirectory(of: path)
        return try AuditKey(seed: seed, path: path)
    }

    /// The key at `<stateDirectory>/audit.key`, generated and stored there on first use.
    /// Two processes starting at once agree on one key: the file is created exclusively.
    public static func loadOrCreate(stateDirectory: String) throws(AuditError) -> AuditKey {
        let path = (stateDirectory as NSString).appendingPathComponent(fileName)
        if FileManager.default.fileExists(atPath: path) { return try load(from: path) }
        do {
            return try generate().write(to: path)
        } catch {
            // Another process created it between the check and the exclusive create.
            if FileManager.default.fileExists(atPath: path) { return try load(from: path) }
            throw error
        }
    }

    /// The key systemd passed with `LoadCredential=<name>:…`, or nil when `CREDENTIALS_DIRECTORY`
    /// is unset (not started by systemd, or no credentials configured) or holds no such file.
    public static func fromCredentials(
        name: String = fileName, environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(AuditError) -> AuditKey? {
        guard let directory = environment["CREDENTIALS_DIRECTORY"], !directory.isEmpty else { return nil }
        let path = (directory as NSString).appendingPathComponent(name)
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        return try load(from: path)
    }

    /// What the daemon uses: the systemd credential when there is one, else the state directory's
    /// key (created on first start).
    public static func resolve(
        stateDirectory: String, credentialName: String = fileName,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(AuditError) -> AuditKey {
        if let key = try fromCredentials(name: credentialName, environment: environment) { return key }
        return try loadOrCreate(stateDirectory: stateDirectory)
    }

    static func syncDirectory(of path: String) {
        let directory = (path as NSString).deletingLastPathComponent
        let fd = open(directory.isEmpty ? "." : directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if fd >= 0 {
            fsync(fd)
            close(fd)
        }
    }
}
