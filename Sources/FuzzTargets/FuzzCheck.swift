/// The fuzz targets' assertions. Unlike `precondition`, which traps silently in an optimised
/// build, these print what broke, so a libFuzzer crash report names the invariant.
enum FuzzCheck {
    /// Traps with `message` unless `condition` holds.
    static func require(_ condition: Bool, _ message: @autoclosure () -> String) {
        if !condition { fatalError("fuzz invariant broken: \(message())") }
    }

    /// Traps with `message`.
    static func fail(_ message: String) -> Never {
        fatalError("fuzz invariant broken: \(message)")
    }
}
