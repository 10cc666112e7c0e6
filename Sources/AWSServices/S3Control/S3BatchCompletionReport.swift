import Foundation

/// A Batch Operations completion report (AWS-NOTES-2 BO-5): `<prefix>/job-<id>/manifest.json`
/// names one results CSV per task status; each CSV row is one task.
///
/// AWS's `ReportSchema` says "Bucket, Key, VersionId, TaskStatus, ErrorCode, HTTPStatusCode,
/// ResultMessage" but its sample rows put the HTTP status fifth and the error code sixth, so a
/// row is read by content: whichever of the two columns is a number is the status.
public enum S3BatchCompletionReport {
    /// One results file named in manifest.json.
    public struct ResultFile: Sendable, Equatable {
        public var taskExecutionStatus: String
        public var bucket: String
        public var key: String
        public var md5: String?
    }

    /// One task's line.
    public struct TaskResult: Sendable, Equatable {
        public var bucket: String
        /// Decoded (the report echoes the manifest's URL-encoded key).
        public var key: String
        public var versionId: String?
        /// `succeeded` or `failed`.
        public var status: String
        public var httpStatus: Int?
        public var errorCode: String?
        public var message: String

        public var succeeded: Bool { status.lowercased() == "succeeded" }
    }

    public struct ReportError: Error, Sendable, CustomStringConvertible {
        public var description: String
    }

    /// The key of a job's report manifest under `prefix`.
    public static func manifestKey(jobId: String, prefix: String?) -> String {
        let base = prefix.map { $0.isEmpty || $0.hasSuffix("/") ? $0 : $0 + "/" } ?? ""
        return base + "job-\(jobId)/manifest.json"
    }

    /// Reads manifest.json.
    public static func resultFiles(_ data: Data) throws -> [ResultFile] {
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any], let results = object["Results"] as? [Any] else {
            throw ReportError(description: "the report manifest is not JSON with a Results list")
        }
        return try results.map { entry in
            guard let entry = entry as? [String: Any], let bucket = entry["Bucket"] as? String, let key = entry["Key"] as? String,
                let status = entry["TaskExecutionStatus"] as? String
            else { throw ReportError(description: "a Results entry lacks Bucket, Key or TaskExecutionStatus") }
            return ResultFile(taskExecutionStatus: status, bucket: bucket, key: key, md5: entry["MD5Checksum"] as? String)
        }
    }

    /// Reads one results CSV.
    public static func tasks(_ data: Data) throws -> [TaskResult] {
        try rows(String(decoding: data, as: UTF8.self)).enumerated().map { number, row in
            guard row.count >= 4 else { throw ReportError(description: "results line \(number + 1) has \(row.count) fields, not 7") }
            func at(_ i: Int) -> String { i < row.count ? row[i] : "" }
            var http: Int?
            var code: String?
            if let value = Int(at(4)) {
                http = value
                code = at(5)
            } else if let value = Int(at(5)) {
                http = value
                code = at(4)
            } else {
                code = at(4)
            }
            return TaskResult(
                bucket: at(0), key: decodeKey(at(1)), versionId: at(2).isEmpty ? nil : at(2), status: at(3), httpStatus: http,
                errorCode: code?.isEmpty == false ? code : nil, message: row.count > 6 ? row[6...].joined(separator: ",") : "")
        }
    }

    /// Form-style URL decoding (`+` is a space), as manifest keys are written.
    public static func decodeKey(_ raw: String) -> String {
        let spaced = raw.replacingOccurrences(of: "+", with: " ")
        return spaced.removingPercentEncoding ?? spaced
    }

    /// Form-style URL encoding for manifest keys (BO-4): unreserved and `/` kept, space as `+`.
    public static func encodeKey(_ key: String) -> String {
        var out = ""
        for byte in key.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "~"), UInt8(ascii: "/"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            case UInt8(ascii: " "): out += "+"
            default: out += String(format: "%%%02X", byte)
            }
        }
        return out
    }

    /// RFC 4180 rows; blank lines skipped.
    static func rows(_ text: String) -> [[String]] {
        var rows: [[String]] = []
        var row: [String] = []
        var field = ""
        var quoted = false
        var rest = Array(text.unicodeScalars)[...]
        while let c = rest.popFirst() {
            if quoted {
                if c == "\"" {
                    if rest.first == "\"" {
                        field.unicodeScalars.append("\"")
                        rest = rest.dropFirst()
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
                if c == "\r", rest.first == "\n" { rest = rest.dropFirst() }
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
}
