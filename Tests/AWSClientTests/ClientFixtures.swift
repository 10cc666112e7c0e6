import AWSClient
import AWSSigV4
import Foundation
import Synchronization
import TestSupport

/// Records the backoff delays a client asked for, so retry tests need no real sleeping.
final class SleepRecorder: Sendable {
    private let delays = Mutex<[Duration]>([])
    var recorded: [Duration] { delays.withLock { $0 } }
    var sleep: @Sendable (Duration) async throws -> Void {
        { d in self.delays.withLock { $0.append(d) } }
    }
}

let testCredentials = AWSCredentials(accessKeyId: "AKIDTESTCLIENT", secretAccessKey: "test/secret+KEY", sessionToken: "TOKEN123")

func makeClient(
    _ server: LoopbackHTTPServer, service: AWSService = .s3, retry: RetryConfiguration = .standard,
    sleeper: SleepRecorder = SleepRecorder(), now: @escaping @Sendable () -> Date = { Date() }
) -> AWSClient {
    AWSClient(
        service: service, region: "eu-west-1", credentials: StaticCredentialProvider(testCredentials),
        transport: CurlTransport(proxy: ProxySettings()), endpoints: EndpointResolver(overrideURL: server.baseURL),
        retry: retry, account: "111111111111", timeouts: TransportTimeouts(connect: .seconds(2), total: .seconds(5)),
        now: now, sleep: sleeper.sleep)
}

/// Answers with `replies` in order, then repeats the last one.
func scripted(_ replies: [LoopbackHTTPServer.Reply]) -> LoopbackHTTPServer.Handler {
    let index = Mutex(0)
    return { _ in
        let i = index.withLock { i in
            defer { i += 1 }
            return i
        }
        return replies[min(i, replies.count - 1)]
    }
}

func s3Error(_ status: Int, code: String, message: String = "msg", requestId: String = "REQ") -> LoopbackHTTPServer.Reply {
    .text(
        status,
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>\(code)</Code><Message>\(message)</Message><RequestId>\(requestId)</RequestId><HostId>HOST\(requestId)</HostId></Error>",
        headers: [("Content-Type", "application/xml"), ("x-amz-request-id", requestId)])
}
