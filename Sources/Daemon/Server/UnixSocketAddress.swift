import Glibc

/// A `sockaddr_un` for a filesystem path or a Linux abstract name, with the exact length the
/// kernel expects: for an abstract name the length counts the leading NUL and the name, never
/// the unused rest of `sun_path` (those bytes would become part of the name).
struct UnixSocketAddress {
    private var storage = sockaddr_un()
    let length: socklen_t

    /// The room in `sun_path` for a path, leaving one byte for its terminating NUL (107 on Linux).
    static let maxPathBytes = MemoryLayout.size(ofValue: sockaddr_un().sun_path) - 1

    private static let pathOffset = MemoryLayout<sockaddr_un>.offset(of: \sockaddr_un.sun_path)!

    /// Nil when the path is empty or longer than `maxPathBytes`.
    init?(path: String) {
        let bytes = Array(path.utf8)
        guard !bytes.isEmpty, bytes.count <= Self.maxPathBytes, !bytes.contains(0) else { return nil }
        storage.sun_family = sa_family_t(AF_UNIX)
        Self.copy(bytes, into: &storage, at: 0)
        length = socklen_t(Self.pathOffset + bytes.count + 1)
    }

    /// An abstract-namespace address (`@name` in systemd's notation, without the `@`).
    init?(abstractName: String) {
        let bytes = Array(abstractName.utf8)
        guard bytes.count <= Self.maxPathBytes else { return nil }
        storage.sun_family = sa_family_t(AF_UNIX)
        Self.copy(bytes, into: &storage, at: 1)
        length = socklen_t(Self.pathOffset + 1 + bytes.count)
    }

    /// systemd's notation, as in `NOTIFY_SOCKET`: `@name` is abstract, anything else a path.
    init?(systemdNotation address: String) {
        if address.hasPrefix("@") {
            self.init(abstractName: String(address.dropFirst()))
        } else {
            self.init(path: address)
        }
    }

    func withSockaddr<Result>(_ body: (UnsafePointer<sockaddr>, socklen_t) throws -> Result) rethrows -> Result {
        var copy = storage
        return try withUnsafePointer(to: &copy) { pointer in
            try pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { try body($0, length) }
        }
    }

    private static func copy(_ bytes: [UInt8], into address: inout sockaddr_un, at offset: Int) {
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (index, byte) in bytes.enumerated() { raw[offset + index] = byte }
        }
    }

    /// The path a bound socket reports (`getsockname`); nil for unnamed or abstract sockets.
    static func boundPath(of fd: Int32) -> String? {
        var address = sockaddr_un()
        var length = socklen_t(MemoryLayout<sockaddr_un>.size)
        let result = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        guard result == 0, address.sun_family == sa_family_t(AF_UNIX), Int(length) > pathOffset else { return nil }
        let bytes = withUnsafeBytes(of: &address.sun_path) { raw in Array(raw.prefix(Int(length) - pathOffset)) }
        guard let first = bytes.first, first != 0 else { return nil }
        return String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self)
    }
}

/// errno as text, for messages people read.
func errnoDescription(_ code: Int32 = errno) -> String {
    String(cString: strerror(code))
}
