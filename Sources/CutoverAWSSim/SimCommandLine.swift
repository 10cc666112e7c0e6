import Foundation

/// `cutover-aws-sim`'s options, parsed by hand (the package has no argument-parser dependency).
struct SimCommandLine {
    var port = 0
    var portFile: String?
    var timeScale = 1.0
    var virtualClock = false
    var seed: UInt64 = 1
    var nameHold: TimeInterval = 3600
    var region = "us-east-1"
    var log = false
    var help = false

    static let help = """
        cutover-aws-sim: an AWS stand-in (S3, RDS, STS, KMS) on a loopback port, faithful where moto
        is not: bucket-name holds, RDS state timing, cross-account sharing, throttling and faults.

        USAGE: cutover-aws-sim [options]

        OPTIONS
          --port N             Listen on 127.0.0.1:N. Default 0: a free port, printed on stdout.
          --port-file PATH     Once listening, write the port to PATH (removed again on exit), so a
                               script can wait for the file instead of parsing stdout.
          --time-scale X       Run simulated time X times faster than real time. 360 = one simulated
                               hour every ten seconds. Default 1. Change it later with
                               POST /_sim/clock {"scale": X}.
          --virtual-clock      Freeze simulated time; it moves only by POST /_sim/clock
                               {"advanceSeconds": N}. Excludes --time-scale.
          --seed N             Seed for request IDs and fault draws; the same seed and the same
                               requests give the same run. Default 1.
          --name-hold SECONDS  How long a deleted bucket's name stays unavailable (409
                               OperationAborted), in simulated seconds. Default 3600.
          --region R           The simulated region. Default us-east-1.
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
            case "--time-scale":
                let text = try value(for: option)
                guard let x = Double(text), x.isFinite, x >= 0 else { throw SimCommandLineError("--time-scale must be a number ≥ 0, not \(text)") }
                timeScale = x
                sawTimeScale = true
            case "--seed":
                let text = try value(for: option)
                guard let n = UInt64(text) else { throw SimCommandLineError("--seed must be a non-negative integer, not \(text)") }
                seed = n
            case "--name-hold":
                let text = try value(for: option)
                guard let s = TimeInterval(text), s.isFinite, s >= 0 else { throw SimCommandLineError("--name-hold must be seconds ≥ 0, not \(text)") }
                nameHold = s
            case "--region":
                let text = try value(for: option)
                guard !text.isEmpty, text.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" }) else {
                    throw SimCommandLineError("--region must look like us-east-1, not \(text)")
                }
                region = text
            default:
                throw SimCommandLineError("unknown option \(argument)")
            }
        }
        if virtualClock && sawTimeScale { throw SimCommandLineError("--virtual-clock and --time-scale exclude each other") }
    }

    var clockDescription: String {
        virtualClock ? "virtual clock" : timeScale == 1 ? "real-time clock" : "time ×\(timeScale)"
    }
}

struct SimCommandLineError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
