// sigv4-bench: how fast the SigV4 signer signs, against the floor of the cryptography it must do.
//
//   swift run -c release --scratch-path .build-bench sigv4-bench [--json] [--runs N]
//       [--dump-requests FILE] [--requests FILE] [--dump-floor FILE]
//
// Signs a fixed, deterministically generated set of 10,000 requests (S3 GETs with query strings,
// STS and RDS Query-protocol POSTs with form bodies), timed runs after one warm-up, and prints the
// median signatures per second. The floor is what no signer can avoid per request once the
// signing key is cached: SHA-256 of the body (for a request whose body the signer hashes: the
// Query-protocol POSTs), one SHA-256 of the canonical request and one HMAC-SHA256 of the string
// to sign, resumed from the key's two pad blocks hashed once when the key was cached (RFC 2104
// §4), as the signer's key cache does.
//
// The floor timed here, in this binary, runs 5-25 % faster or slower from one build to the next
// with its code unchanged (the Swift code around it moves it), so the figure of record is
// Benchmarks/SigV4Floor/sigv4_floor.c, a C program built with fixed flags: `--dump-floor FILE`
// writes its inputs (per request: the body the signer hashes, canonical request, string to sign,
// signing key and signature) and exits. The in-process floor stays as a witness of that effect.
//
// `--dump-requests FILE` writes the request set as JSON Lines (one request per line: method, URL,
// wire path, decoded query, headers, base64 body, service, region, S3 or not, signing time,
// credentials, and the signature this signer gives it) and exits; `--requests FILE` signs a set
// read from such a file instead of the built-in one. Benchmarks/sigv4_peers.py uses the pair so
// botocore and the AWS Common Runtime sign exactly the requests measured here.

import AWSSigV4
import CCrypto
import Foundation

/// SplitMix64: a tiny seeded generator, so every run signs the same requests.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

struct Workload {
    struct Item {
        var signer: SigV4Signer
        var request: SigV4Request
        var credentials: AWSCredentials
        var date: Date
    }

    var items: [Item] = []

    init(items: [Item]) { self.items = items }

    /// The built-in set: the same `count` requests for the same `seed`, on every machine.
    init(count: Int, seed: UInt64) {
        var rng = SplitMix64(state: seed)
        let base = Date(timeIntervalSince1970: 1_795_000_000)  // a fixed day in 2026
        let regions = ["us-east-1", "eu-west-1", "ap-southeast-2"]
        let credentials = [
            AWSCredentials(
                accessKeyId: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"),
            AWSCredentials(
                accessKeyId: "ASIAIOSFODNN7EXAMPLE", secretAccessKey: "je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY",
                sessionToken: String(repeating: "FwoGZXIvYXdzEBYaDH", count: 20)),
        ]
        let signers: [String: SigV4Signer] = Dictionary(
            uniqueKeysWithValues: regions.flatMap { region in
                [
                    ("s3/\(region)", SigV4Signer(service: "s3", region: region, options: .s3)),
                    ("sts/\(region)", SigV4Signer(service: "sts", region: region)),
                    ("rds/\(region)", SigV4Signer(service: "rds", region: region)),
                ]
            })
        let keyNames = ["photos/2026/01/IMG 0001.jpg", "logs/app.log", "a+b=c/d~e.txt", "données/été.csv", "x"]
        for index in 0..<count {
            let region = regions[Int(rng.next() % UInt64(regions.count))]
            let creds = credentials[Int(rng.next() % 2)]
            let date = base + Double(index % 3600)
            let kind = rng.next() % 4
            let request: SigV4Request
            let signer: SigV4Signer
            if kind < 2 {
                signer = signers["s3/\(region)"]!
                let bucket = "bucket-\(rng.next() % 50)"
                let key = keyNames[Int(rng.next() % UInt64(keyNames.count))] + "-\(index)"
                let path = "/\(bucket)/" + SigV4URIEncoding.encode(key, encodeSlash: false)
                var query: [(name: String, value: String)] = []
                if rng.next() % 2 == 0 {
                    query = [("list-type", "2"), ("prefix", "logs/\(index % 97)/"), ("max-keys", "1000")]
                    if rng.next() % 2 == 0 {
                        query.append(("continuation-token", "1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM="))
                    }
                } else if rng.next() % 3 == 0 {
                    query = [("versionId", "3HL4kqtJlcpXroDTDmJ+rmSpXd3dIbrHY+MTRCxf3vjVBH40Nr8X8gdRQBpUMLUo")]
                }
                var headers: [(name: String, value: String)] = [
                    ("Host", "s3.\(region).amazonaws.com"), ("User-Agent", "cutover/1.0 swift/6.3"),
                ]
                if rng.next() % 3 == 0 { headers.append(("Range", "bytes=0-\(rng.next() % 1_000_000)")) }
                request = SigV4Request(
                    method: "GET", path: path, query: query, headers: headers, payload: .bytes(Data()))
            } else {
                let isSTS = kind == 2
                signer = signers[isSTS ? "sts/\(region)" : "rds/\(region)"]!
                let body =
                    isSTS
                    ? "Action=AssumeRole&RoleArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2Fcutover-\(index % 17)"
                        + "&RoleSessionName=cutover-\(index)&DurationSeconds=3600&Version=2011-06-15"
                    : "Action=DescribeDBInstances&DBInstanceIdentifier=db-\(index % 251)&MaxRecords=100"
                        + "&Version=2014-10-31"
                request = SigV4Request(
                    method: "POST", path: "/", query: [],
                    headers: [
                        ("Host", isSTS ? "sts.\(region).amazonaws.com" : "rds.\(region).amazonaws.com"),
                        ("Content-Type", "application/x-www-form-urlencoded; charset=utf-8"),
                        ("User-Agent", "cutover/1.0 swift/6.3"),
                    ], payload: .bytes(Data(body.utf8)))
            }
            items.append(Item(signer: signer, request: request, credentials: creds, date: date))
        }
    }
}

/// One request of the set as it travels between this program and Benchmarks/sigv4_peers.py.
///
/// `path` is the wire path and `query` the decoded pairs, as `SigV4Request` takes them; `url` is
/// the same request as sent (query encoded with `SigV4URIEncoding`, the encoder the signer uses
/// for the canonical query), which is what botocore and aws-c-auth read.
struct RequestRecord: Codable {
    var index: Int
    var method: String
    var url: String
    var path: String
    var query: [[String]]
    var headers: [[String]]
    var bodyBase64: String
    var service: String
    var region: String
    var s3: Bool
    var epochSeconds: Double
    var amzDate: String
    var accessKeyId: String
    var secretAccessKey: String
    var sessionToken: String?
    /// What this signer produced, so a peer can check it agrees.
    var signature: String?
    var authorization: String?

    enum CodingKeys: String, CodingKey {
        case index, method, url, path, query, headers, service, region, s3, signature, authorization
        case bodyBase64 = "body_base64"
        case epochSeconds = "epoch_seconds"
        case amzDate = "amz_date"
        case accessKeyId = "access_key_id"
        case secretAccessKey = "secret_access_key"
        case sessionToken = "session_token"
    }
}

struct BenchFailure: Error, CustomStringConvertible {
    var description: String
}

extension Workload {
    /// Reads a set written by `--dump-requests` (or by hand, in the same format).
    init(contentsOf path: String) throws {
        let text: String
        do { text = try String(contentsOfFile: path, encoding: .utf8) } catch {
            throw BenchFailure(description: "cannot read \(path): \(error.localizedDescription)")
        }
        var signers: [String: SigV4Signer] = [:]
        var sharedCredentials: [String: AWSCredentials] = [:]
        var items: [Item] = []
        let decoder = JSONDecoder()
        for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: true).enumerated() {
            let record: RequestRecord
            do { record = try decoder.decode(RequestRecord.self, from: Data(line.utf8)) } catch {
                throw BenchFailure(description: "\(path):\(number + 1): not a request record: \(error)")
            }
            guard let body = Data(base64Encoded: record.bodyBase64) else {
                throw BenchFailure(description: "\(path):\(number + 1): body_base64 is not base64")
            }
            let pairs = { (rows: [[String]], what: String) throws -> [(name: String, value: String)] in
                try rows.map { row in
                    guard row.count == 2 else {
                        throw BenchFailure(description: "\(path):\(number + 1): \(what) entries are [name, value]")
                    }
                    return (row[0], row[1])
                }
            }
            let signerKey = "\(record.service)/\(record.region)/\(record.s3)"
            let signer =
                signers[signerKey]
                ?? SigV4Signer(service: record.service, region: record.region, options: record.s3 ? .s3 : .standard)
            signers[signerKey] = signer
            // One value per credential set, as a credential provider hands the daemon one.
            let credentialsKey = [record.accessKeyId, record.secretAccessKey, record.sessionToken ?? ""]
                .joined(separator: "\n")
            let credentials =
                sharedCredentials[credentialsKey]
                ?? AWSCredentials(
                    accessKeyId: record.accessKeyId, secretAccessKey: record.secretAccessKey,
                    sessionToken: record.sessionToken)
            sharedCredentials[credentialsKey] = credentials
            items.append(
                Item(
                    signer: signer,
                    request: SigV4Request(
                        method: record.method, path: record.path, query: try pairs(record.query, "query"),
                        headers: try pairs(record.headers, "headers"), payload: .bytes(body)),
                    credentials: credentials, date: Date(timeIntervalSince1970: record.epochSeconds)))
        }
        guard !items.isEmpty else { throw BenchFailure(description: "\(path) holds no requests") }
        // cutoverd builds each request just before signing it, so its strings are fresh and next to
        // each other. Decoded from JSON, the same strings land among the decoder's own allocations,
        // and there the signer measured ~20 % slower than on the identical built-in set (1,850 vs
        // 1,490 ns per signature, same signatures): a figure of the decoder's memory, not of the
        // signer. So every request is copied again, in signing order, once decoding is done; with
        // the shared credentials above it signs at the built-in set's speed (1,500 ns).
        self.init(
            items: items.map { item in
                var item = item
                item.request = item.request.laidOutAfresh()
                return item
            })
    }

    /// Writes the set as JSON Lines, each request with the signature this signer gives it.
    func write(to path: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var out = Data()
        for (index, item) in items.enumerated() {
            let signed = item.signer.sign(item.request, credentials: item.credentials, date: item.date)
            let request = item.request
            let host = request.headers.first { $0.name.lowercased() == "host" }?.value ?? "localhost"
            let query = request.query.map {
                SigV4URIEncoding.encode($0.name, encodeSlash: true) + "="
                    + SigV4URIEncoding.encode($0.value, encodeSlash: true)
            }.joined(separator: "&")
            let body: Data
            switch request.payload {
            case .bytes(let data): body = data
            case .precomputedHash, .unsigned:
                throw BenchFailure(description: "request \(index): only literal bodies can be written out")
            }
            let record = RequestRecord(
                index: index, method: request.method,
                url: "https://\(host)\(request.path)" + (query.isEmpty ? "" : "?\(query)"), path: request.path,
                query: request.query.map { [$0.name, $0.value] }, headers: request.headers.map { [$0.name, $0.value] },
                bodyBase64: body.base64EncodedString(), service: item.signer.service, region: item.signer.region,
                s3: item.signer.options == .s3, epochSeconds: item.date.timeIntervalSince1970,
                amzDate: signed.stringToSign.split(separator: "\n")[1].description,
                accessKeyId: item.credentials.accessKeyId, secretAccessKey: item.credentials.secretAccessKey,
                sessionToken: item.credentials.sessionToken, signature: String(signed.signature),
                authorization: signed.headersToAdd.first { $0.name == "Authorization" }?.value)
            out.append(try encoder.encode(record))
            out.append(UInt8(ascii: "\n"))
        }
        guard FileManager.default.createFile(atPath: path, contents: out) else {
            throw BenchFailure(description: "cannot write \(path)")
        }
    }
}

extension SigV4Request {
    /// The same request in new storage: every string, list and body allocated again, in order.
    func laidOutAfresh() -> SigV4Request {
        let copy = { (pairs: [(name: String, value: String)]) in
            pairs.map { (name: $0.name.freshCopy(), value: $0.value.freshCopy()) }
        }
        let payload: SigV4Payload
        switch self.payload {
        case .bytes(let data): payload = .bytes(data.withUnsafeBytes { Data($0) })
        case .precomputedHash(let hash): payload = .precomputedHash(hash.freshCopy())
        case .unsigned: payload = .unsigned
        }
        return SigV4Request(
            method: method.freshCopy(), path: path.freshCopy(), query: copy(query), headers: copy(headers),
            payload: payload)
    }
}

extension String {
    /// The same text in a new allocation (a plain copy of a `String` shares its storage).
    func freshCopy() -> String {
        String(unsafeUninitializedCapacity: utf8.count) { buffer in buffer.initialize(fromContentsOf: utf8) }
    }
}

func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    return sorted[sorted.count / 2]
}

func seconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
}

/// CPU time of the calling thread. On a shared machine a busy neighbour stretches wall time but
/// not this, so rates per CPU second compare contestants measured minutes apart.
func threadCPUSeconds() -> Double {
    var time = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
    return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
}

/// Wall and CPU seconds one pass took.
struct PassTime {
    var wall: Double
    var cpu: Double
}

/// Signs every item once; returns the time taken and a checksum that keeps the work observable.
func signAll(_ workload: Workload) -> (elapsed: PassTime, checksum: UInt8) {
    var checksum: UInt8 = 0
    let clock = ContinuousClock()
    let start = clock.now
    let cpuStart = threadCPUSeconds()
    for item in workload.items {
        let signed = item.signer.sign(item.request, credentials: item.credentials, date: item.date)
        checksum ^= signed.signature.utf8.first ?? 0
    }
    return (PassTime(wall: seconds(clock.now - start), cpu: threadCPUSeconds() - cpuStart), checksum)
}

/// The floor: per request, SHA-256 of the body the signer hashes (none for an empty or
/// unsigned body), SHA-256 of its canonical request and HMAC-SHA256 of its string to sign from
/// the cached key's prepared pad states (`keyStates`, 16 words per request).
func floorAll(
    bodies: [[UInt8]], canonicalRequests: [[UInt8]], stringsToSign: [[UInt8]], keyStates: [[UInt32]]
) -> (
    elapsed: PassTime, checksum: UInt8
) {
    var checksum: UInt8 = 0
    var bodyDigest = [UInt8](repeating: 0, count: 32)
    var digest = [UInt8](repeating: 0, count: 32)
    var mac = [UInt8](repeating: 0, count: 32)
    let clock = ContinuousClock()
    let start = clock.now
    let cpuStart = threadCPUSeconds()
    for index in canonicalRequests.indices {
        if !bodies[index].isEmpty {
            bodies[index].withUnsafeBytes { bytes in
                _ = cutover_sha256(bytes.baseAddress, bytes.count, &bodyDigest)
            }
        }
        canonicalRequests[index].withUnsafeBytes { bytes in
            _ = cutover_sha256(bytes.baseAddress, bytes.count, &digest)
        }
        keyStates[index].withUnsafeBufferPointer { state in
            stringsToSign[index].withUnsafeBytes { message in
                _ = cutover_hmac_sha256_prepared(state.baseAddress, message.baseAddress, message.count, &mac)
            }
        }
        checksum ^= bodyDigest[0] ^ digest[0] ^ mac[0]
    }
    return (PassTime(wall: seconds(clock.now - start), cpu: threadCPUSeconds() - cpuStart), checksum)
}

func hmac(_ key: [UInt8], _ message: String) -> [UInt8] {
    var out = [UInt8](repeating: 0, count: 32)
    let bytes = Array(message.utf8)
    _ = cutover_hmac_sha256(key, key.count, bytes, bytes.count, &out)
    return out
}

func derivedKey(secret: String, dateStamp: String, region: String, service: String) -> [UInt8] {
    hmac(hmac(hmac(hmac(Array("AWS4\(secret)".utf8), dateStamp), region), service), "aws4_request")
}

/// Writes what Benchmarks/SigV4Floor/sigv4_floor.c reads: a header line, the request count, then
/// per request five length-prefixed fields (32-bit little-endian lengths): the body the signer
/// hashes (empty when none), the canonical request, the string to sign, the signing key and the
/// signature's hex.
func writeFloorInputs(
    to path: String, bodies: [[UInt8]], canonicalRequests: [[UInt8]], stringsToSign: [[UInt8]],
    signingKeys: [[UInt8]], signatures: [String]
) throws {
    var out = Data("sigv4-floor 1\n".utf8)
    func append(_ value: Int) {
        withUnsafeBytes(of: UInt32(value).littleEndian) { out.append(contentsOf: $0) }
    }
    func append(_ field: [UInt8]) {
        append(field.count)
        out.append(contentsOf: field)
    }
    append(canonicalRequests.count)
    for index in canonicalRequests.indices {
        append(bodies[index])
        append(canonicalRequests[index])
        append(stringsToSign[index])
        append(signingKeys[index])
        append(Array(signatures[index].utf8))
    }
    guard FileManager.default.createFile(atPath: path, contents: out) else {
        throw BenchFailure(description: "cannot write \(path)")
    }
}

/// The value after `name` on the command line, if `name` is there.
func option(_ name: String) -> String? {
    let arguments = CommandLine.arguments
    guard let at = arguments.firstIndex(of: name) else { return nil }
    guard at + 1 < arguments.count else {
        FileHandle.standardError.write(Data("sigv4-bench: \(name) needs a value\n".utf8))
        exit(64)
    }
    return arguments[at + 1]
}

let json = CommandLine.arguments.contains("--json")
guard let runs = Int(option("--runs") ?? "5"), runs > 0 else {
    FileHandle.standardError.write(Data("sigv4-bench: --runs takes a positive number\n".utf8))
    exit(64)
}
let source = option("--requests")
let workload: Workload
do {
    workload = try source.map { try Workload(contentsOf: $0) } ?? Workload(count: 10_000, seed: 0x5157_4234)
    if let dump = option("--dump-requests") {
        try workload.write(to: dump)
        print("sigv4-bench: wrote \(workload.items.count) requests to \(dump)")
        exit(0)
    }
} catch {
    FileHandle.standardError.write(Data("sigv4-bench: \(error)\n".utf8))
    exit(66)
}
let requestCount = workload.items.count

// Inputs for the floor, taken from one signing pass (which also serves as the warm-up).
var bodies: [[UInt8]] = []
var canonicalRequests: [[UInt8]] = []
var stringsToSign: [[UInt8]] = []
var keyStates: [[UInt32]] = []
var signingKeys: [[UInt8]] = []
var signatures: [String] = []
var hashedBodies = 0
for item in workload.items {
    let signed = item.signer.sign(item.request, credentials: item.credentials, date: item.date)
    signatures.append(String(signed.signature))
    canonicalRequests.append(Array(signed.canonicalRequest.utf8))
    stringsToSign.append(Array(signed.stringToSign.utf8))
    // The body the signer hashes: its SHA-256 is in the canonical request's last line.
    if case .bytes(let data) = item.request.payload, !data.isEmpty,
        signed.canonicalRequest.hasSuffix(SigV4Payload.bytes(data).canonicalHash)
    {
        bodies.append(Array(data))
        hashedBodies += 1
    } else {
        bodies.append([])
    }
    let dateStamp = String(signed.stringToSign.split(separator: "\n")[2].prefix(8))
    let key = derivedKey(
        secret: item.credentials.secretAccessKey, dateStamp: dateStamp, region: item.signer.region,
        service: item.signer.service)
    signingKeys.append(key)
    var state = [UInt32](repeating: 0, count: 16)
    _ = cutover_hmac_sha256_prepare(key, key.count, &state)
    keyStates.append(state)
    // The prepared state must give the plain HMAC (checked on every 100th request), or the floor
    // would time the wrong work.
    if keyStates.count % 100 == 1 {
        let message = Array(signed.stringToSign.utf8)
        var plain = [UInt8](repeating: 0, count: 32)
        var prepared = [UInt8](repeating: 0, count: 32)
        _ = cutover_hmac_sha256(key, key.count, message, message.count, &plain)
        _ = cutover_hmac_sha256_prepared(state, message, message.count, &prepared)
        guard plain == prepared else {
            FileHandle.standardError.write(
                Data("sigv4-bench: the prepared HMAC of request \(keyStates.count) differs from the plain one\n".utf8))
            exit(70)
        }
    }
}
if let path = option("--dump-floor") {
    do {
        try writeFloorInputs(
            to: path, bodies: bodies, canonicalRequests: canonicalRequests, stringsToSign: stringsToSign,
            signingKeys: signingKeys, signatures: signatures)
    } catch {
        FileHandle.standardError.write(Data("sigv4-bench: \(error)\n".utf8))
        exit(73)
    }
    print("sigv4-bench: wrote the floor's inputs for \(requestCount) requests to \(path)")
    exit(0)
}
_ = floorAll(bodies: bodies, canonicalRequests: canonicalRequests, stringsToSign: stringsToSign, keyStates: keyStates)

var signRates: [Double] = []
var floorRates: [Double] = []
var signCPURates: [Double] = []
var floorCPURates: [Double] = []
var checksum: UInt8 = 0
for _ in 0..<runs {
    let signed = signAll(workload)
    signRates.append(Double(requestCount) / signed.elapsed.wall)
    signCPURates.append(Double(requestCount) / signed.elapsed.cpu)
    let floor = floorAll(bodies: bodies, canonicalRequests: canonicalRequests, stringsToSign: stringsToSign, keyStates: keyStates)
    floorRates.append(Double(requestCount) / floor.elapsed.wall)
    floorCPURates.append(Double(requestCount) / floor.elapsed.cpu)
    checksum ^= signed.checksum ^ floor.checksum
}

let signMedian = median(signRates)
let floorMedian = median(floorRates)
let meanCanonicalBytes = Double(canonicalRequests.map(\.count).reduce(0, +)) / Double(requestCount)
if json {
    let list = { (rates: [Double]) in "[" + rates.map { String(Int($0)) }.joined(separator: ", ") + "]" }
    let fields: [String] = [
        "\"requests\": \(requestCount)", "\"runs\": \(runs)",
        "\"source\": \"\(source == nil ? "built-in" : "file")\"",
        "\"signatures_per_second_median\": \(Int(signMedian))",
        "\"floor_per_second_median\": \(Int(floorMedian))",
        "\"signatures_per_second_runs\": \(list(signRates))",
        "\"floor_per_second_runs\": \(list(floorRates))",
        "\"signatures_per_cpu_second_runs\": \(list(signCPURates))",
        "\"floor_per_cpu_second_runs\": \(list(floorCPURates))",
        "\"microseconds_per_signature\": \(String(format: "%.3f", 1e6 / signMedian))",
        "\"microseconds_floor\": \(String(format: "%.3f", 1e6 / floorMedian))",
        "\"signer_to_floor_ratio\": \(String(format: "%.2f", floorMedian / signMedian))",
        "\"mean_canonical_request_bytes\": \(Int(meanCanonicalBytes))",
        "\"floor_hashed_bodies\": \(hashedBodies)",
        "\"checksum\": \(checksum)",
    ]
    print("{" + fields.joined(separator: ", ") + "}")
} else {
    print(
        "sigv4-bench: \(requestCount) requests (\(source ?? "built-in: S3 GET + STS/RDS POST")), "
            + "median of \(runs) runs after warm-up")
    print(String(format: "  signer : %10.0f signatures/s  (%.2f µs each)", signMedian, 1e6 / signMedian))
    print(
        String(
            format:
                "  floor  : %10.0f /s  (SHA-256 of body and canonical request + HMAC from the cached key's pad states; %.2f µs;"
                + " in this binary, so it moves with its layout: sigv4-floor is the figure of record)",
            floorMedian, 1e6 / floorMedian))
    print(
        String(
            format: "  signer is %.2fx the floor; mean canonical request %.0f bytes", floorMedian / signMedian,
            meanCanonicalBytes)
            + "; signer runs/s: " + signRates.map { String(Int($0)) }.joined(separator: " "))
    print(
        String(
            format: "  per CPU second of the signing thread: signer %.0f, floor %.0f", median(signCPURates),
            median(floorCPURates)))
    print("  checksum \(checksum)")
}
