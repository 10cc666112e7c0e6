import Foundation
import Glibc
import TestSupport
import Testing

@testable import AWSClient

/// Issue 9: TLS verification cannot be turned off. A real TLS server on 127.0.0.1 with a
/// self-signed certificate (made here with the openssl CLI, served by python3's ssl module): the
/// transport refuses the handshake with a certificate error, whatever the environment says; and
/// the same server is reached once its certificate is the trusted CA (AWS_CA_BUNDLE), so the
/// refusal is the verification, not a broken server.
@Suite(.serialized) struct TLSVerificationTests {
    /// A one-request-at-a-time HTTPS server answering 200 "tls ok".
    final class SelfSignedServer: @unchecked Sendable {
        let directory: URL
        let process = Process()
        let port: Int
        var certificate: String { directory.appendingPathComponent("cert.pem").path }

        init() throws {
            directory = FileManager.default.temporaryDirectory.appendingPathComponent("tls-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            let openssl = try Self.run(
                "/usr/bin/openssl",
                [
                    "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
                    "-addext", "subjectAltName=IP:127.0.0.1",
                    "-keyout", directory.appendingPathComponent("key.pem").path, "-out", directory.appendingPathComponent("cert.pem").path,
                ])
            try #require(openssl == 0, "openssl req -x509 failed (exit \(openssl)); the openssl package is in scripts/bootstrap's list")
            let script = """
                import http.server, ssl, sys
                class H(http.server.BaseHTTPRequestHandler):
                    def do_GET(self):
                        self.send_response(200); self.send_header("Content-Length", "6"); self.end_headers(); self.wfile.write(b"tls ok")
                    def log_message(self, *a): pass
                s = http.server.HTTPServer(("127.0.0.1", 0), H)
                c = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER); c.load_cert_chain(sys.argv[1], sys.argv[2])
                s.socket = c.wrap_socket(s.socket, server_side=True)
                print(s.server_address[1], flush=True)
                s.serve_forever()
                """
            let output = Pipe()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = [
                "python3", "-c", script, directory.appendingPathComponent("cert.pem").path,
                directory.appendingPathComponent("key.pem").path,
            ]
            process.standardOutput = output
            process.standardError = FileHandle.nullDevice  // never hold the test runner's pipes open
            try process.run()
            let line = String(decoding: output.fileHandleForReading.availableData, as: UTF8.self)
            port = try #require(
                Int(line.trimmingCharacters(in: .whitespacesAndNewlines)), "the python3 TLS server printed no port: \(line)")
        }

        /// SIGKILL: a child of the test runner may inherit SIGTERM ignored. No wait: this may run on
        /// the cooperative pool, which must not block.
        deinit {
            kill(process.processIdentifier, SIGKILL)
            try? FileManager.default.removeItem(at: directory)
        }

        static func run(_ executable: String, _ arguments: [String]) throws -> Int32 {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: executable)
            process.arguments = arguments
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            process.waitUntilExit()
            return process.terminationStatus
        }
    }

    /// Starting the server blocks (openssl, the port line): off the cooperative pool.
    static func startServer() async throws -> SelfSignedServer {
        try await runOffPool { try SelfSignedServer() }
    }

    /// Both ways a request can go: through libcurl, and on the direct lane (`bulk`), whose TLS is
    /// OpenSSL's, set up by the transport itself.
    @Test(arguments: [false, true]) func aSelfSignedCertificateIsRefusedWithACertificateError(bulk: Bool) async throws {
        let server = try await Self.startServer()
        defer { withExtendedLifetime(server) {} }
        // Whatever the environment holds, the transport ignores anything that would switch
        // verification off (curl has no such variable; neither do we).
        let transport = CurlTransport(proxy: .fromEnvironment(["CURL_INSECURE": "1", "AWS_VERIFY_SSL": "false", "PYTHONHTTPSVERIFY": "0"]))
        let error = await #expect(throws: TransportError.self) {
            _ = try await transport.send(
                HTTPRequest(method: "GET", url: "https://127.0.0.1:\(server.port)/", bulk: bulk), timeout: .default)
        }
        #expect(error?.kind == .certificate, "\(String(describing: error))")
        if bulk { #expect(error?.message.contains("certificate did not verify") == true, "\(String(describing: error))") }
        #expect(error?.message.contains("always verified") == true)
        #expect(RetryClassifier.classify(try #require(error)) == .notRetryable)
        print("self-signed TLS endpoint refused: \(error.map(String.init(describing:)) ?? "-")")
    }

    @Test(arguments: [false, true]) func theSameServerIsReachedOnceItsCertificateIsTrusted(bulk: Bool) async throws {
        let server = try await Self.startServer()
        defer { withExtendedLifetime(server) {} }
        let transport = CurlTransport(proxy: .fromEnvironment(["AWS_CA_BUNDLE": server.certificate]))
        let response = try await transport.send(
            HTTPRequest(method: "GET", url: "https://127.0.0.1:\(server.port)/", bulk: bulk), timeout: .default)
        #expect(response.status == 200)
        #expect(String(decoding: response.body, as: UTF8.self) == "tls ok")
        #expect(transport.directCounters.opened == (bulk ? 1 : 0))
    }
}
