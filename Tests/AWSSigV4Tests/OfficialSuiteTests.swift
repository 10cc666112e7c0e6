import AWSSigV4
import Foundation
import Testing

/// The aws-c-auth v4 signing suite, every case, header and query variant, byte for byte.
@Suite struct OfficialSuiteTests {
    @Test("header signing matches the official suite", arguments: OfficialSuiteCase.names)
    func headerSigningMatchesSuite(_ name: String) throws {
        let suiteCase = try OfficialSuiteCase(name: name)
        let signed = suiteCase.signer.sign(
            suiteCase.request, credentials: suiteCase.credentials, date: try suiteCase.date)

        #expect(signed.canonicalRequest == (try suiteCase.expected("header-canonical-request.txt")))
        #expect(signed.stringToSign == (try suiteCase.expected("header-string-to-sign.txt")))
        #expect(signed.signature == (try suiteCase.expected("header-signature.txt")))

        // The Authorization line of the signed request must be exactly what we add.
        let signedRequest = try suiteCase.expected("header-signed-request.txt")
        let authorizationLine = signedRequest.split(separator: "\n").first { $0.hasPrefix("Authorization:") }
        let authorization = signed.headersToAdd.first { $0.name == "Authorization" }?.value
        #expect(authorizationLine.map { String($0.dropFirst("Authorization:".count)) } == authorization)
    }

    @Test("query signing matches the official suite", arguments: OfficialSuiteCase.names)
    func querySigningMatchesSuite(_ name: String) throws {
        let suiteCase = try OfficialSuiteCase(name: name)
        let presigned = try suiteCase.signer.presign(
            suiteCase.request, credentials: suiteCase.credentials, date: try suiteCase.date,
            expires: suiteCase.context.expiration_in_seconds)

        #expect(presigned.canonicalRequest == (try suiteCase.expected("query-canonical-request.txt")))
        #expect(presigned.stringToSign == (try suiteCase.expected("query-string-to-sign.txt")))
        #expect(presigned.signature == (try suiteCase.expected("query-signature.txt")))
        #expect(presigned.queryToAdd.last?.name == "X-Amz-Signature")
        #expect(presigned.queryToAdd.last?.value == presigned.signature)
    }

    @Test func suiteDirectoryHoldsExactlyTheListedCases() throws {
        let directory = RepositoryPaths.sigV4SuiteDirectory
        let entries = try #require(
            try? FileManager.default.contentsOfDirectory(atPath: directory.path),
            "The SigV4 test suite is missing at \(directory.path); set CUTOVER_SHARED_DIR to the shared directory")
        let cases = entries.filter { entry in
            var isDirectory: ObjCBool = false
            return FileManager.default.fileExists(
                atPath: directory.appendingPathComponent(entry).path, isDirectory: &isDirectory)
                && isDirectory.boolValue
        }
        #expect(Set(cases) == Set(OfficialSuiteCase.names))
        #expect(OfficialSuiteCase.names.count == 38)
    }
}
