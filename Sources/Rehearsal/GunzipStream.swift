import CZlib
import Foundation

/// Decompresses a gzip stream piece by piece with a fixed output buffer, so an S3 Inventory data
/// file of any size is read in bounded memory. Corrupt input, or input that ends inside a gzip
/// member, is an error — never a silently short listing.
final class GunzipStream {
    struct Corrupt: Error, CustomStringConvertible {
        var description: String
    }

    private let state: OpaquePointer
    private var output = [UInt8](repeating: 0, count: 64 * 1024)
    /// True between gzip members (and before the first): input may end here.
    private var atMemberBoundary = true
    private var sawInput = false

    init() throws {
        guard let state = cutover_gunzip_new() else { throw Corrupt(description: "zlib could not start a gzip stream") }
        self.state = state
    }

    deinit { cutover_gunzip_free(state) }

    /// Feeds compressed bytes; `sink` gets every decompressed piece in order.
    func feed(_ data: Data, _ sink: (Data) throws -> Void) throws {
        guard !data.isEmpty else { return }
        sawInput = true
        try data.withUnsafeBytes { raw in
            guard var input = raw.bindMemory(to: UInt8.self).baseAddress else { return }
            var remaining = raw.count
            while remaining > 0 {
                var consumed = 0
                var produced = 0
                let status = output.withUnsafeMutableBufferPointer { out in
                    cutover_gunzip_step(state, input, remaining, out.baseAddress, out.count, &consumed, &produced)
                }
                if status == 0 { throw Corrupt(description: "the data is not valid gzip") }
                if produced > 0 { try sink(Data(output[0..<produced])) }
                atMemberBoundary = status == 2
                if consumed == 0 && produced == 0 && status != 2 { throw Corrupt(description: "zlib made no progress on the data") }
                input += consumed
                remaining -= consumed
            }
        }
        // Output may still be pending inside zlib when the output buffer filled exactly.
        while !atMemberBoundary {
            var consumed = 0
            var produced = 0
            let status = output.withUnsafeMutableBufferPointer { out in
                cutover_gunzip_step(state, nil, 0, out.baseAddress, out.count, &consumed, &produced)
            }
            if status == 0 { throw Corrupt(description: "the data is not valid gzip") }
            if produced > 0 { try sink(Data(output[0..<produced])) }
            atMemberBoundary = status == 2
            if produced == 0 { break }
        }
    }

    /// Checks the stream ended at the end of a gzip member.
    func finish() throws {
        guard sawInput else { throw Corrupt(description: "the file is empty") }
        guard atMemberBoundary else { throw Corrupt(description: "the gzip data ends early (truncated file)") }
    }
}
