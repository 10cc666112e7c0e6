import Foundation

/// The CSV of Batch Operations manifests and completion reports (BO-4, BO-5): no header, one
/// object per line, keys URL-encoded, fields quoted when they hold a comma, quote or newline.
enum S3BatchCSV {
    /// Splits CSV text into rows of fields (RFC 4180 quoting); blank lines are skipped.
    static func rows(_ text: String) -> [[String]] {
        var rows: [[String]] = []
        var row: [String] = []
        var field = ""
        var quoted = false
        var iterator = Array(text.unicodeScalars)[...]
        while let c = iterator.popFirst() {
            if quoted {
                if c == "\"" {
                    if iterator.first == "\"" {
                        field.unicodeScalars.append("\"")
                        iterator = iterator.dropFirst()
                    } else {
                        quoted = false
                    }
                } else {
                    field.unicodeScalars.append(c)
                }
                continue
            }
            switch c {
            case "\"" where field.isEmpty: quoted = true
            case ",":
                row.append(field)
                field = ""
            case "\n", "\r":
                if c == "\r", iterator.first == "\n" { iterator = iterator.dropFirst() }
                row.append(field)
                field = ""
                if row != [""] { rows.append(row) }
                row = []
            default: field.unicodeScalars.append(c)
            }
        }
        row.append(field)
        if row != [""] { rows.append(row) }
        return rows
    }

    /// One CSV line (without the newline).
    static func line(_ fields: [String]) -> String {
        fields.map { field in
            guard field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return field }
            return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }.joined(separator: ",")
    }

    /// Manifest keys are URL-encoded (form style: `+` is a space), BO-4.
    static func decodeKey(_ raw: String) -> String { SimPercent.decode(raw.replacingOccurrences(of: "+", with: " ")) }
}

extension S3BatchCSV {
    /// A key as a URL path (`/` kept, space as `%20`): what the simulator's S3 reads back.
    static func pathEncode(_ key: String) -> String {
        S3Service.urlEncode(key).replacingOccurrences(of: "+", with: "%20")
    }
}
