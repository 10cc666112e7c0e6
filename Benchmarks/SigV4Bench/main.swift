// sigv4-bench: how fast the SigV4 signer signs, against the floor of the cryptography it must do.
//
//   swift run -c release --scratch-path .build-sigv4 sigv4-bench [--json]
//
// Signs a fixed, deterministically generated set of 10,000 requests (S3 GETs with query strings,
// STS and RDS Query-protocol POSTs with form bodies), five timed runs after one warm-up, and
// prints the median signatures per second. The floor is what no signer can avoid per request
// once the signing key is cached: one SHA-256 of the canonical request and one HMAC-SHA256 of the
// string to sign. (Body hashing is not in the floor; the bodies here are small.)

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

func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    return sorted[sorted.count / 2]
}

func seconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
}

/// Signs every item once; returns elapsed seconds and a checksum that keeps the work observable.
func signAll(_ workload: Workload) -> (elapsed: Double, checksum: UInt8) {
    var checksum: UInt8 = 0
    let clock = ContinuousClock()
    let start = clock.now
    for item in workload.items {
        let signed = item.signer.sign(item.request, credentials: item.credentials, date: item.date)
        checksum ^= signed.signature.utf8.first ?? 0
    }
    return (seconds(clock.now - start), checksum)
}

/// The floor: per request, SHA-256 of its canonical request and HMAC-SHA256 of its string to
/// sign under an already-derived key.
func floorAll(canonicalRequests: [[UInt8]], stringsToSign: [[UInt8]], keys: [[UInt8]]) -> (
    elapsed: Double, checksum: UInt8
) {
    var checksum: UInt8 = 0
    var digest = [UInt8](repeating: 0, count: 32)
    var mac = [UInt8](repeating: 0, count: 32)
    let clock = ContinuousClock()
    let start = clock.now
    for index in canonicalRequests.indices {
        canonicalRequests[index].withUnsafeBytes { bytes in
            _ = cutover_sha256(bytes.baseAddress, bytes.count, &digest)
        }
        keys[index].withUnsafeBytes { key in
            stringsToSign[index].withUnsafeBytes { message in
                _ = cutover_hmac_sha256(key.baseAddress, key.count, message.baseAddress, message.count, &mac)
            }
        }
        checksum ^= digest[0] ^ mac[0]
    }
    return (seconds(clock.now - start), checksum)
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

let json = CommandLine.arguments.contains("--json")
let requestCount = 10_000
let runs = 5
let workload = Workload(count: requestCount, seed: 0x5157_4234)

// Inputs for the floor, taken from one signing pass (which also serves as the warm-up).
var canonicalRequests: [[UInt8]] = []
var stringsToSign: [[UInt8]] = []
var keys: [[UInt8]] = []
for item in workload.items {
    let signed = item.signer.sign(item.request, credentials: item.credentials, date: item.date)
    canonicalRequests.append(Array(signed.canonicalRequest.utf8))
    stringsToSign.append(Array(signed.stringToSign.utf8))
    let dateStamp = String(signed.stringToSign.split(separator: "\n")[2].prefix(8))
    keys.append(
        derivedKey(
            secret: item.credentials.secretAccessKey, dateStamp: dateStamp, region: item.signer.region,
            service: item.signer.service))
}
_ = floorAll(canonicalRequests: canonicalRequests, stringsToSign: stringsToSign, keys: keys)

var signRates: [Double] = []
var floorRates: [Double] = []
var checksum: UInt8 = 0
for _ in 0..<runs {
    let signed = signAll(workload)
    signRates.append(Double(requestCount) / signed.elapsed)
    let floor = floorAll(canonicalRequests: canonicalRequests, stringsToSign: stringsToSign, keys: keys)
    floorRates.append(Double(requestCount) / floor.elapsed)
    checksum ^= signed.checksum ^ floor.checksum
}

let signMedian = median(signRates)
let floorMedian = median(floorRates)
let meanCanonicalBytes = Double(canonicalRequests.map(\.count).reduce(0, +)) / Double(requestCount)
if json {
    let fields: [String] = [
        "\"requests\": \(requestCount)", "\"runs\": \(runs)",
        "\"signatures_per_second_median\": \(Int(signMedian))",
        "\"floor_per_second_median\": \(Int(floorMedian))",
        "\"microseconds_per_signature\": \(String(format: "%.3f", 1e6 / signMedian))",
        "\"microseconds_floor\": \(String(format: "%.3f", 1e6 / floorMedian))",
        "\"signer_to_floor_ratio\": \(String(format: "%.2f", floorMedian / signMedian))",
        "\"mean_canonical_request_bytes\": \(Int(meanCanonicalBytes))",
        "\"checksum\": \(checksum)",
    ]
    print("{" + fields.joined(separator: ", ") + "}")
} else {
    print("sigv4-bench: \(requestCount) requests (S3 GET + STS/RDS POST), median of \(runs) runs after warm-up")
    print(String(format: "  signer : %10.0f signatures/s  (%.2f µs each)", signMedian, 1e6 / signMedian))
    print(
        String(
            format:
                "  floor  : %10.0f /s  (SHA-256 of canonical request + HMAC of string to sign, key cached; %.2f µs)",
            floorMedian, 1e6 / floorMedian))
    print(
        String(
            format: "  signer is %.2fx the floor; mean canonical request %.0f bytes", floorMedian / signMedian,
            meanCanonicalBytes)
            + "; signer runs/s: " + signRates.map { String(Int($0)) }.joined(separator: " "))
    print("  checksum \(checksum)")
}
