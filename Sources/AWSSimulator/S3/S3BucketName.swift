/// General purpose bucket naming rules (S3UG bucketnamingrules.html): 3–63 characters of
/// lower-case letters, digits, dots and hyphens; starting and ending with a letter or digit; no
/// adjacent dots; not an IP address; none of the reserved prefixes and suffixes.
enum S3BucketName {
    static func isValid(_ name: String) -> Bool {
        let bytes = Array(name.utf8)
        guard (3...63).contains(bytes.count) else { return false }
        func alnum(_ b: UInt8) -> Bool { (b >= 0x61 && b <= 0x7A) || (b >= 0x30 && b <= 0x39) }
        guard bytes.allSatisfy({ alnum($0) || $0 == 0x2E || $0 == 0x2D }) else { return false }
        guard alnum(bytes.first!), alnum(bytes.last!), !name.contains("..") else { return false }
        let octets = name.split(separator: ".", omittingEmptySubsequences: false)
        if octets.count == 4, octets.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isNumber) }) { return false }
        for prefix in ["xn--", "sthree-", "amzn-s3-demo-"] where name.hasPrefix(prefix) { return false }
        for suffix in ["-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3"] where name.hasSuffix(suffix) { return false }
        return true
    }

    static func invalid(_ name: String) -> SimError {
        SimError("InvalidBucketName", "The specified bucket is not valid.", status: 400, resource: name)
    }
}
