import AWSSigV4
import Foundation

/// Values shared by the unit tests: the credentials and dates of AWS's documented examples.
enum TestFixtures {
    /// AWS's S3 documentation example credentials.
    static let s3ExampleCredentials = AWSCredentials(
        accessKeyId: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")
    /// 2013-05-24T00:00:00Z, the S3 examples' signing time.
    static let s3ExampleDate = Date(timeIntervalSince1970: 1_369_353_600)

    static let suiteCredentials = AWSCredentials(
        accessKeyId: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")
    /// 2015-08-30T12:36:00Z, the official suite's signing time.
    static let suiteDate = Date(timeIntervalSince1970: 1_440_938_160)

    static func header(
        _ name: String, in headers: some Sequence<(name: String, value: String)>
    ) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }

    /// The signed-headers line (second to last) of a canonical request.
    static func signedHeaders(of canonicalRequest: String) -> String {
        let lines = canonicalRequest.split(separator: "\n", omittingEmptySubsequences: false)
        return String(lines[lines.count - 2])
    }

    /// The canonical URI line of a canonical request.
    static func canonicalURI(of canonicalRequest: String) -> String {
        String(canonicalRequest.split(separator: "\n", omittingEmptySubsequences: false)[1])
    }
}
