import Foundation

/// A streaming reader of S3 Inventory CSV (RFC 4180: every field may be quoted, `""` inside a
/// quoted field is a quote, a newline inside quotes is part of the field): bytes in, one record at
/// a time out. Only the record being read is held, so memory stays bounded whatever the file's
/// size. A stray quote or a file ending inside quotes is an error, with the record number.
struct InventoryCSVReader {
    struct Malformed: Error, CustomStringConvertible {
        var description: String
    }

    /// A record longer than this is taken as a corrupt file rather than read into memory.
    static let maxRecordBytes = 1 << 20

    private var field: [UInt8] = []
    private var fields: [String] = []
    private var inQuotes = false
    private var afterQuote = false
    private var recordBytes = 0
    private(set) var records = 0

    mutating func feed(_ data: Data, _ record: ([String]) throws -> Void) throws {
        for byte in data {
            recordBytes += 1
            if recordBytes > Self.maxRecordBytes {
                throw Malformed(description: "record \(records + 1) is longer than \(Self.maxRecordBytes) bytes")
            }
            if inQuotes {
                if byte == UInt8(ascii: "\"") {
                    inQuotes = false
                    afterQuote = true
                } else {
                    field.append(byte)
                }
                continue
            }
            switch byte {
            case UInt8(ascii: "\""):
                if afterQuote {
                    // `""` inside a quoted field: a literal quote.
                    field.append(byte)
                    inQuotes = true
                    afterQuote = false
                } else if field.isEmpty {
                    inQuotes = true
                } else {
                    throw Malformed(description: "record \(records + 1): a quote inside an unquoted field")
                }
            case UInt8(ascii: ","):
                endField()
            case UInt8(ascii: "\n"):
                endField()
                try endRecord(record)
            case UInt8(ascii: "\r"):
                continue
            default:
                if afterQuote { throw Malformed(description: "record \(records + 1): text after a closing quote") }
                field.append(byte)
            }
        }
    }

    /// The last record when the file does not end with a newline; an error inside quotes.
    mutating func finish(_ record: ([String]) throws -> Void) throws {
        if inQuotes { throw Malformed(description: "the file ends inside a quoted field (record \(records + 1))") }
        if !field.isEmpty || !fields.isEmpty || afterQuote {
            endField()
            try endRecord(record)
        }
    }

    private mutating func endField() {
        fields.append(String(decoding: field, as: UTF8.self))
        field.removeAll(keepingCapacity: true)
        afterQuote = false
    }

    private mutating func endRecord(_ record: ([String]) throws -> Void) throws {
        records += 1
        recordBytes = 0
        let done = fields
        fields.removeAll(keepingCapacity: true)
        if done == [""] { return }
        try record(done)
    }
}
