import ControlProtocol
import Foundation

/// The JSON `--output json` prints: the control API's coding (ISO 8601 dates with fractional
/// seconds, camelCase), pretty-printed with sorted keys so output diffs cleanly.
enum ControlJSONOutput {
    static var encoder: JSONEncoder { ControlJSON.encoder(pretty: true) }

    /// One compact line (NDJSON), for streams.
    static var lineEncoder: JSONEncoder { ControlJSON.encoder(pretty: false) }
}
