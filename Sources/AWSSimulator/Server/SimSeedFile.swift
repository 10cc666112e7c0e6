import Foundation

/// A `SimWorldSeed` JSON document on disk — the body `POST /_sim/seed` takes — which
/// `cutover-aws-sim --seed-file PATH` applies before it listens, so a demo starts with its world
/// already there (Runbooks/demo/admin-console-world.json is the admin-console one).
public enum SimSeedFile {
    /// Reads and decodes the document at `path`.
    public static func load(_ path: String) throws(SimSeedFileError) -> SimWorldSeed {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            let reason = (error as NSError).localizedFailureReason ?? error.localizedDescription
            throw SimSeedFileError(path: path, stage: .read, code: nil, message: reason)
        }
        do throws(SimAdminError) {
            return try SimAdminAPI.decode(json: data)
        } catch {
            throw SimSeedFileError(path: path, stage: .parse, code: error.code, message: error.message)
        }
    }

    /// Loads the document at `path` and seeds `simulator` with it. A rejected entry stops the
    /// seeding there (see `SimWorldSeed.apply`); the error says which and how much was applied.
    @discardableResult
    public static func apply(_ path: String, to simulator: Simulator) throws(SimSeedFileError) -> SimWorldSeed.Applied {
        let seed = try load(path)
        do throws(SimAdminError) {
            return try seed.apply(to: simulator)
        } catch {
            throw SimSeedFileError(path: path, stage: .apply, code: error.code, message: error.message)
        }
    }
}
