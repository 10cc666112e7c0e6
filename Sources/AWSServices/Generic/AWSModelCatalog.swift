import AWSClient
import Foundation
import Synchronization

/// What the daemon knows about the services `aws.call` and `aws.wait` may call: for each, its wire
/// protocol and addressing, its operations, and the shapes of their inputs (to check a runbook's
/// parameter names at plan time and serialise them as botocore does) and, for the XML protocols,
/// of their answers (to know which elements are lists, so a path reads as in the AWS CLI's JSON).
///
/// Generated from botocore's service models by `scripts/gen-aws-catalog` into
/// `AWSModelCatalog+Data.swift`; each service is decoded the first time it is used.
public final class AWSModelCatalog: Sendable {
    private let texts: [String: String]
    private let decoded = Mutex<[String: AWSServiceModel]>([:])

    /// The catalog compiled into this binary.
    public static let shared = AWSModelCatalog(texts: compactServices)

    /// A catalog of compact service models (JSON text by service name, as the generator writes them).
    public init(texts: [String: String]) { self.texts = texts }

    /// Service names in order, for hints.
    public var serviceNames: [String] { texts.keys.sorted() }

    /// The service's model, decoded the first time it is asked for (EC2's alone is 280 KB of
    /// JSON, so a runbook that calls only ELBv2 never pays for it). Nil for an unknown name — or
    /// a model that does not decode, which the catalog tests rule out for the generated text.
    public func service(_ name: String) -> AWSServiceModel? {
        if let model = decoded.withLock({ $0[name] }) { return model }
        guard let text = texts[name], let model = try? AWSServiceModel(name: name, json: Data(text.utf8)) else { return nil }
        decoded.withLock { $0[name] = model }
        return model
    }

    /// Decodes one service's text, throwing what is wrong with it (the catalog tests use it).
    public func decode(_ name: String) throws -> AWSServiceModel {
        guard let text = texts[name] else { throw CatalogDecodeError(message: "no service \(name)") }
        return try AWSServiceModel(name: name, json: Data(text.utf8))
    }

    /// The size of the compact JSON of every service, in bytes (for measurements).
    public var compactSize: Int { texts.values.map(\.utf8.count).reduce(0, +) }
}

/// A compact model that does not decode.
public struct CatalogDecodeError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}
