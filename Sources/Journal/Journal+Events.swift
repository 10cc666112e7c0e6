import Foundation

extension Journal {
    /// Appends `event`, encoded as JSON, as the next record of `stream`.
    ///
    /// The encoding is fixed so that the same event always hashes the same: sorted keys, no
    /// escaped slashes, and dates in the journal's text form (`2026-12-01T01:00:00.000Z`).
    /// - Throws: `.appendRejected` if the event does not encode; otherwise as `append(_:)`.
    @discardableResult
    public func append<E: Encodable>(
        stream: String, kind: String, event: E, at wallTime: Date
    ) throws(JournalError)
        -> JournalRecord
    {
        let payload: String
        do {
            payload = String(decoding: try Self.eventEncoder().encode(event), as: UTF8.self)
        } catch {
            throw JournalError(
                code: .appendRejected,
                message: "the \(kind) event for \(stream) did not encode: \(error); nothing was written",
                path: path)
        }
        return try append(JournalEntry(stream: stream, kind: kind, payload: payload, wallTime: wallTime))
    }

    /// The encoder `append(stream:kind:event:at:)` uses; exposed so callers can produce identical
    /// payloads elsewhere (golden files, exports).
    public static func eventEncoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(JournalTimestamp.format(date))
        }
        return encoder
    }

    /// The decoder that reads payloads written by `eventEncoder()`.
    public static func eventDecoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let container = try decoder.singleValueContainer()
            let text = try container.decode(String.self)
            guard let date = JournalTimestamp.parse(text) else {
                throw DecodingError.dataCorruptedError(
                    in: container, debugDescription: "\(text) is not of the form 2026-12-01T01:00:00.000Z")
            }
            return date
        }
        return decoder
    }
}

extension JournalRecord {
    /// The payload decoded as `type`, with the journal's date form. Throws the decoder's error: a
    /// payload that does not match is the caller's schema question, not a journal failure.
    public func decodePayload<T: Decodable>(as type: T.Type) throws -> T {
        try Journal.eventDecoder().decode(type, from: Data(payload.utf8))
    }
}
