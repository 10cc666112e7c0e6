import Foundation

/// Short, human descriptions of decoding errors, for messages that name a line.
enum BundleDiagnostics {
    static func describe(_ error: any Error) -> String {
        guard let error = error as? DecodingError else { return "\(error)" }
        func path(_ context: DecodingError.Context) -> String {
            let keys = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }
            return keys.isEmpty ? "" : " at \(keys.joined(separator: "."))"
        }
        switch error {
        case let .keyNotFound(key, context): return "missing field \(key.stringValue)\(path(context))"
        case let .typeMismatch(_, context): return "wrong type\(path(context)): \(context.debugDescription)"
        case let .valueNotFound(_, context): return "missing value\(path(context))"
        case let .dataCorrupted(context):
            if let underlying = context.underlyingError as NSError? {
                return
                    "not JSON\(path(context)): \(underlying.userInfo[NSDebugDescriptionErrorKey] as? String ?? underlying.localizedDescription)"
            }
            return "\(context.debugDescription)\(path(context))"
        @unknown default: return "\(error)"
        }
    }
}
