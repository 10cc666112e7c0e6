import Foundation
import Testing

@testable import AWSSimulator

@Suite("simulator request headers")
struct SimRequestHeaderTests {
    @Test func namesCompareWithASCIILettersFoldedOnly() {
        #expect(SimRequest.sameHeaderName("X-Amz-Date", "x-amz-date"))
        #expect(SimRequest.sameHeaderName("content-md5", "Content-MD5"))
        #expect(SimRequest.sameHeaderName("", ""))
        #expect(!SimRequest.sameHeaderName("x-amz-date", "x-amz-dates"))
        #expect(!SimRequest.sameHeaderName("x-amz-date", "x-amz-data"))
        // Bytes that differ only in bit 0x20 but are not letters are different names.
        #expect(!SimRequest.sameHeaderName("a[b", "a{b"))
        #expect(!SimRequest.sameHeaderName("x@y", "x`y"))
        #expect(!SimRequest.sameHeaderName("a-b", "a\rb"))
    }

    @Test func theFirstMatchingHeaderAnswers() {
        let request = SimRequest(
            method: "GET", target: "/b/k?x=1",
            headers: [(name: "Host", value: "s3"), (name: "X-AMZ-META-A", value: "1"), (name: "x-amz-meta-a", value: "2")], body: Data())
        #expect(request.header("x-amz-meta-a") == "1")
        #expect(request.header("HOST") == "s3")
        #expect(request.header("x-amz-meta-b") == nil)
    }
}
