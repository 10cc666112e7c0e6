import AWSSimulator
import Foundation

/// `cutover-aws-sim`'s options, parsed by hand (the simulator takes no dependency beyond NIO).
struct SimCommandLine {
    var port = 0
    var portFile: String?
    var timeScale = 1.0
    /// Simulated time at the anchor (`--time-origin`).
    var timeOrigin: Date?
    /// The real instant simulated time is `timeOrigin` (`--time-anchor`); nil: the process start.
    var timeAnchor: Date?
    var virtualClock = false
    var seedFile: String?
    var seed: UInt64 = 1
    var nameHold: TimeInterval = 3600
    /// AssumeRole's session length when the request gives no DurationSeconds (`--session-duration`).
    var sessionDuration = 3600
    /// S3 Batch Operations tasks per simulated second (nil: `S3BatchTimings`' default).
    var batchJobRate: Double?
    var region = "us-east-1"
    /// Services handed on to a moto server (`--forward`, `--forward-services`).
    var forwarding: SimForwarding?
    var forwardServices: Set<String>?
    var log = false
    var help = false

    static let help = """
        cutover-aws-sim: an AWS stand-in (S3, RDS, STS, KMS, and EC2 security-group lookups) on a
        loopback port, faithful where moto is not: bucket-name holds, RDS state timing, cross-account
        sharing, throttling and faults.

        USAGE: cutover-aws-sim [options]

        OPTIONS
          --port N             Listen on 127.0.0.1:N. Default 0: a free port, printed on stdout.
          --port-file PATH     Once listening, write the port to PATH (removed again on exit), so a
                               script can wait for the file instead of parsing stdout.
          --time-scale X       Run simulated time X times faster than real time. 360 = one simulated
                               hour every ten seconds. Default 1. Change it later with
                               POST /_sim/clock {"scale": X}.
          --time-origin ISO8601
                               Simulated time at the anchor, e.g. 2026-12-01T01:00:00+09:00.
                               Simulated now = origin + (real now - anchor) x scale.
                               Default: the anchor itself.
          --time-anchor UNIX_SECONDS
                               The real instant (seconds since 1970, fractions allowed, e.g.
                               1796000000.25) at which simulated time is the origin. Default: the
                               moment this process started. Give cutoverd the same origin, anchor
                               and scale and both agree on simulated time exactly.
          --virtual-clock      Freeze simulated time; it moves only by POST /_sim/clock
                               {"advanceSeconds": N}. Excludes --time-scale, --time-origin and
                               --time-anchor.
          --seed-file PATH     Before listening, seed the world from PATH: a JSON document of the
                               form POST /_sim/seed takes (accounts, users with fixed keys, roles,
                               KMS keys, RDS, buckets). If it cannot be read or applied, print why
                               and exit 65 without listening.
          --seed N             Seed for request IDs and fault draws; the same seed and the same
                               requests give the same run. Default 1.
          --name-hold SECONDS  How long a deleted bucket's name stays unavailable (409
                               OperationAborted), in simulated seconds. Default 3600.
          --session-duration SECONDS
                               How long an AssumeRole session lasts when the request gives no
                               DurationSeconds, in simulated seconds, 900 to 43200. Default 3600,
                               as AWS. Shorter sessions make clients refresh within one run.
          --batch-job-rate N   S3 Batch Operations tasks per simulated second while a job is Active.
                               Default 100 (AWS publishes no rate).
          --region R           The simulated region. Default us-east-1.
          --forward URL        Hand the services this simulator does not implement to a moto server
                               at URL (http://127.0.0.1:PORT, moto without its own authentication):
                               each call is authenticated here first, then sent on unchanged in the
                               caller's account (x-moto-account-id). Default services: ELBv2, ECS,
                               Route 53, Secrets Manager, SSM and CloudWatch, the switch-over of a
                               cutover.
          --forward-services LIST
                               Comma-separated signing names to forward instead of the default
                               (elasticloadbalancing,ecs,route53,secretsmanager,ssm,monitoring).
          --log                One line per request on stderr: method, target, status, time, bytes,
                               request ID, injected connection fault.
          -h, --help           Show this help.

        ADMIN API (JSON, loopback only)
          GET  /_sim/health                      liveness, simulated time, the routes
          GET  /_sim/requests?operation=&service=&account=&status=&since=
                                                 the request log
          GET|POST /_sim/clock                   {"scale": 360} | {"advanceSeconds": 3600}
          GET|POST|DELETE /_sim/faults           fault rules, e.g. {"service":"s3","operation":"GetObject",
                                                 "effect":"resetAfter","bodyBytes":100,"probability":0.1}
          GET|POST|DELETE /_sim/rate-limit       {"writesPerSecond":3500,"readsPerSecond":5500} | {"enabled":false}
          POST /_sim/seed                        {"accounts":[{"id":"111111111111","name":"legacy",
                                                 "users":[{"name":"cutover"}]}], "buckets":[…], "rds":{…}, "kms":{…}}
          GET  /_sim/state                       the seeded world read back

        Stop with Ctrl-C or SIGTERM: requests in flight finish, then the process exits 0.
        """

    init<Arguments: Collection<String>>(_ arguments: Arguments) throws(SimCommandLineError) {
        var rest = Array(arguments)[...]
        var sawTimeScale = false
        func value(for option: String) throws(SimCommandLineError) -> String {
            guard let next = rest.popFirst() else { throw SimCommandLineError("\(option) needs a value") }
            return next
        }
        while let argument = rest.popFirst() {
            // --option=value is accepted as well as --option value.
            var option = argument
            if argument.hasPrefix("--"), let equals = argument.firstIndex(of: "=") {
                option = String(argument[..<equals])
                rest.insert(String(argument[argument.index(after: equals)...]), at: rest.startIndex)
            }
            switch option {
            case "-h", "--help": help = true
            case "--log": log = true
            case "--virtual-clock": virtualClock = true
            case "--port":
                let text = try value(for: option)
                guard let n = Int(text), (0...65535).contains(n) else { throw SimCommandLineError("--port must be 0…65535, not \(text)") }
                port = n
            case "--port-file": portFile = try value(for: option)
            case "--seed-file":
                let text = try value(for: option)
                guard !text.isEmpty else { throw SimCommandLineError("--seed-file needs a path") }
                seedFile = text
            case "--time-origin":
                let text = try value(for: option)
                guard let date = Self.parseISO8601(text) else {
                    throw SimCommandLineError(
                        "--time-origin must be an ISO 8601 date and time such as 2026-12-01T01:00:00+09:00, not \(text)")
                }
                timeOrigin = date
            case "--time-anchor":
                let text = try value(for: option)
                guard let seconds = Double(text), seconds.isFinite, seconds >= 0 else {
                    throw SimCommandLineError("--time-anchor must be seconds since 1970 (fractions allowed), not \(text)")
                }
                timeAnchor = Date(timeIntervalSince1970: seconds)
            case "--time-scale":
                let text = try value(for: option)
                guard let x = Double(text), x.isFinite, x >= 0 else {
                    throw SimCommandLineError("--time-scale must be a number ≥ 0, not \(text)")
                }
                timeScale = x
                sawTimeScale = true
            case "--seed":
                let text = try value(for: option)
                guard let n = UInt64(text) else { throw SimCommandLineError("--seed must be a non-negative integer, not \(text)") }
                seed = n
            case "--name-hold":
                let text = try value(for: option)
                guard let s = TimeInterval(text), s.isFinite, s >= 0 else {
                    throw SimCommandLineError("--name-hold must be seconds ≥ 0, not \(text)")
                }
                nameHold = s
            case "--session-duration":
                let text = try value(for: option)
                guard let s = Int(text), (900...43200).contains(s) else {
                    throw SimCommandLineError("--session-duration must be whole seconds from 900 to 43200, not \(text)")
                }
                sessionDuration = s
            case "--batch-job-rate":
                let text = try value(for: option)
                guard let rate = Double(text), rate.isFinite, rate > 0 else {
                    throw SimCommandLineError("--batch-job-rate must be tasks per second > 0, not \(text)")
                }
                batchJobRate = rate
            case "--region":
                let text = try value(for: option)
                guard !text.isEmpty, text.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" }) else {
                    throw SimCommandLineError("--region must look like us-east-1, not \(text)")
                }
                region = text
            case "--forward":
                let text = try value(for: option)
                do throws(SimForwardingError) { forwarding = try SimForwarding(url: text) } catch {
                    throw SimCommandLineError("--forward: \(error)")
                }
            case "--forward-services":
                let names = try value(for: option).split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter {
                    !$0.isEmpty
                }
                guard !names.isEmpty else {
                    throw SimCommandLineError("--forward-services needs at least one signing name, e.g. ecs,route53")
                }
                forwardServices = Set(names)
            default:
                throw SimCommandLineError("unknown option \(argument)")
            }
        }
        if let names = forwardServices {
            guard forwarding != nil else { throw SimCommandLineError("--forward-services needs --forward URL") }
            forwarding?.services = names
        }
        if virtualClock && sawTimeScale { throw SimCommandLineError("--virtual-clock and --time-scale exclude each other") }
        if virtualClock && timeOrigin != nil { throw SimCommandLineError("--virtual-clock and --time-origin exclude each other") }
        if virtualClock && timeAnchor != nil { throw SimCommandLineError("--virtual-clock and --time-anchor exclude each other") }
    }

    /// The simulator's clock; `processStart` anchors scaled time when `--time-anchor` is absent.
    func clock(processStart: Date) -> any SimClock {
        if virtualClock { return VirtualClock(start: processStart) }
        return ScaledClock(scale: timeScale, start: timeOrigin, anchor: timeAnchor ?? processStart)
    }

    var clockDescription: String {
        if virtualClock { return "virtual clock" }
        var text = timeScale == 1 ? "real-time clock" : "time ×\(timeScale)"
        if let timeOrigin { text += " from \(timeOrigin.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true)))" }
        if let timeAnchor { text += " at anchor \(timeAnchor.timeIntervalSince1970)" }
        return text
    }

    /// `2026-12-01T01:00:00+09:00`, `…Z`, with or without fractional seconds.
    static func parseISO8601(_ text: String) -> Date? {
        for fractional in [false, true] {
            let formatter = ISO8601DateFormatter()
            formatter.formatOptions = fractional ? [.withInternetDateTime, .withFractionalSeconds] : [.withInternetDateTime]
            if let date = formatter.date(from: text) { return date }
        }
        return nil
    }
}

struct SimCommandLineError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
