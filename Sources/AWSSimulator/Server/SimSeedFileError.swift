/// Why a seed file could not be applied: the file, the stage that failed, and the simulator's
/// own error code where there is one (`MalformedJSON`, `EntityAlreadyExists`, `BucketAlreadyExists`…).
public struct SimSeedFileError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Stage: String, Sendable {
        /// The file could not be read.
        case read
        /// The file is not a `SimWorldSeed` JSON document.
        case parse
        /// An entry was rejected while seeding.
        case apply
    }

    public var path: String
    public var stage: Stage
    public var code: String?
    public var message: String

    public init(path: String, stage: Stage, code: String?, message: String) {
        self.path = path
        self.stage = stage
        self.code = code
        self.message = message
    }

    public var description: String {
        let what: String
        switch stage {
        case .read: what = "cannot read the seed file"
        case .parse: what = "the seed file is not a world seed (the JSON POST /_sim/seed takes)"
        case .apply: what = "seeding from the file failed"
        }
        return "seed file \(path): \(what)\(code.map { " (\($0))" } ?? ""): \(message)"
    }
}
