import Audit
import Foundation
import TestSupport
import Testing

@Suite struct AuditKeyTests {
    func temporaryDirectory() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("cutover-audit-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    @Test func aSignatureVerifiesOnlyUnderItsKeyAndOnlyForItsMessage() throws {
        let key = try AuditKey.generate()
        let other = try AuditKey.generate()
        let message = Array("records 1–12, head 3f…".utf8)
        let signature = try key.sign(message)
        #expect(signature.count == 64)
        #expect(key.publicKey.isValidSignature(signature, of: message))
        #expect(!other.publicKey.isValidSignature(signature, of: message))
        #expect(!key.publicKey.isValidSignature(signature, of: message + [0]))
        #expect(key.keyId.count == 16 && key.keyId != other.keyId)
    }

    @Test func firstStartCreatesAPrivateKeyFileAndLaterStartsLoadTheSameKey() throws {
        let directory = try temporaryDirectory()
        let created = try AuditKey.loadOrCreate(stateDirectory: directory)
        let path = (directory as NSString).appendingPathComponent("audit.key")
        let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        #expect(try String(contentsOfFile: path, encoding: .utf8).hasPrefix("-----BEGIN PRIVATE KEY-----"))
        let loaded = try AuditKey.loadOrCreate(stateDirectory: directory)
        #expect(loaded.publicKey == created.publicKey)
        #expect(!String(describing: loaded).contains(loaded.pem))
    }

    @Test func aKeyFileOthersCanReadIsRefused() throws {
        let directory = try temporaryDirectory()
        _ = try AuditKey.loadOrCreate(stateDirectory: directory)
        let path = (directory as NSString).appendingPathComponent("audit.key")
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: path)
        #expect(throws: AuditError.self) { try AuditKey.load(from: path) }
        do {
            _ = try AuditKey.load(from: path)
        } catch {
            #expect(error.code == .badKey)
            #expect(error.message.contains("chmod 600"))
        }
    }

    @Test func systemdCredentialWinsOverTheStateDirectory() throws {
        let credentials = try temporaryDirectory()
        let state = try temporaryDirectory()
        let key = try AuditKey.generate().write(to: (credentials as NSString).appendingPathComponent("audit.key"))
        let resolved = try AuditKey.resolve(stateDirectory: state, environment: ["CREDENTIALS_DIRECTORY": credentials])
        #expect(resolved.publicKey == key.publicKey)
        #expect(!FileManager.default.fileExists(atPath: (state as NSString).appendingPathComponent("audit.key")))
        let fallback = try AuditKey.resolve(stateDirectory: state, environment: [:])
        #expect(fallback.publicKey != key.publicKey)
        #expect(try AuditKey.fromCredentials(environment: [:]) == nil)
    }

    @Test func keysFromOpenSSLAreReadAndOurPublicKeyMatchesOpenSSLs() async throws {
        let directory = try temporaryDirectory()
        let path = (directory as NSString).appendingPathComponent("audit.key")
        try await runOpenSSL(["genpkey", "-algorithm", "ed25519", "-out", path])
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path)
        let key = try AuditKey.load(from: path)
        let publicPEM = try await runOpenSSL(["pkey", "-in", path, "-pubout"])
        #expect(try AuditPublicKey(parsing: publicPEM) == key.publicKey)
        #expect(key.publicKey.pem == publicPEM)
    }

    @Test func publicKeysParseFromEveryExportedForm() throws {
        let key = try AuditKey.generate().publicKey
        for text in [key.base64, key.hex, key.pem, "  \(key.base64)\n"] {
            #expect(try AuditPublicKey(parsing: text) == key)
        }
        #expect(throws: AuditError.self) { try AuditPublicKey(parsing: "not a key") }
        #expect(throws: AuditError.self) { try AuditPublicKey(parsing: Data(count: 31).base64EncodedString()) }
    }

    @discardableResult
    func runOpenSSL(_ arguments: [String]) async throws -> String {
        try await runOffPool { try Self.openSSLWaiting(arguments) }
    }

    static func openSSLWaiting(_ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw FixtureError("openssl \(arguments) failed") }
        return String(decoding: data, as: UTF8.self)
    }
}
