import Foundation

/// Where `swift build` put the package's executables (`cutoverd`, `cutoverctl`,
/// `cutover-aws-sim`): the folder holding the running test bundle. `scripts/test` builds every
/// product before the tests run, so a missing binary is a build problem, reported as such.
public enum BuiltProducts {
    public static var directory: URL {
        if let override = ProcessInfo.processInfo.environment["CUTOVER_BIN_DIR"] { return URL(fileURLWithPath: override) }
        // The test binary sits in the build folder (…/.build/debug/CutoverPackageTests.xctest); on
        // Linux Bundle.main is that folder, elsewhere the bundle inside it. Take the first
        // candidate that holds the package's executables.
        let executable = URL(fileURLWithPath: CommandLine.arguments.first ?? ".").resolvingSymlinksInPath().deletingLastPathComponent()
        let bundle = Bundle.main.bundleURL
        let candidates = [executable, bundle, bundle.deletingLastPathComponent()]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.appendingPathComponent("cutoverctl").path) }
            ?? executable
    }

    /// The executable `name`, or a failure that says how to build it.
    public static func executable(_ name: String) throws -> URL {
        let url = directory.appendingPathComponent(name)
        guard FileManager.default.isExecutableFile(atPath: url.path) else {
            throw BuiltProductMissing(name: name, directory: directory.path)
        }
        return url
    }

    /// The package root (the folder with Package.swift), found upwards from the build folder.
    public static var packageRoot: URL {
        var url = directory
        while url.path != "/" {
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { return url }
            url = url.deletingLastPathComponent()
        }
        return URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
    }
}

public struct BuiltProductMissing: Error, CustomStringConvertible {
    public var name: String
    public var directory: String
    public var description: String { "\(name) is not built in \(directory); run `swift build` (scripts/test does) first" }
}
