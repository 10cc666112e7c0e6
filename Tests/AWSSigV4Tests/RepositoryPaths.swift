import Foundation

/// Where the tests find files outside the test target: the repository and the shared test data.
enum RepositoryPaths {
    /// The package root, from this file's location (`Tests/AWSSigV4Tests/RepositoryPaths.swift`).
    static let packageRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // AWSSigV4Tests
        .deletingLastPathComponent()  // Tests
        .deletingLastPathComponent()  // package root

    /// `$CUTOVER_SHARED_DIR`, else `../shared` next to the package root.
    static var sharedDirectory: URL {
        if let override = ProcessInfo.processInfo.environment["CUTOVER_SHARED_DIR"], !override.isEmpty {
            return URL(fileURLWithPath: override)
        }
        return packageRoot.deletingLastPathComponent().appendingPathComponent("shared")
    }

    /// The aws-c-auth v4 signing suite.
    static var sigV4SuiteDirectory: URL {
        sharedDirectory.appendingPathComponent("testdata/aws-sigv4-suite/v4")
    }
}
