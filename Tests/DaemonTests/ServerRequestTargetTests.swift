import XCTest

@testable import Daemon

final class ServerRequestTargetTests: XCTestCase {
    func testPathIsPercentDecodedAndQuerySplit() throws {
        let target = try XCTUnwrap(ControlRequestTarget("/v1/runs/r%2D1/events?after=12&follow=true"))
        XCTAssertEqual(target.path, "/v1/runs/r-1/events")
        XCTAssertEqual(target.query, ["after": "12", "follow": "true"])
    }

    func testQueryValuesAreFormDecoded() throws {
        let target = try XCTUnwrap(ControlRequestTarget("/x?reason=window+closing%3A+abort&empty=&flag"))
        XCTAssertEqual(target.query, ["reason": "window closing: abort", "empty": "", "flag": ""])
    }

    func testPlusInThePathStaysAPlus() throws {
        XCTAssertEqual(ControlRequestTarget("/a+b")?.path, "/a+b")
    }

    func testRepeatedParameterKeepsTheLast() throws {
        XCTAssertEqual(ControlRequestTarget("/x?a=1&a=2")?.query, ["a": "2"])
    }

    func testAbsoluteFormTargetDropsTheAuthority() throws {
        let target = try XCTUnwrap(ControlRequestTarget("http://localhost/v1/health?x=1"))
        XCTAssertEqual(target.path, "/v1/health")
        XCTAssertEqual(target.query, ["x": "1"])
        XCTAssertEqual(ControlRequestTarget("http://localhost")?.path, "/")
    }

    func testMalformedTargetsAreRejected() {
        XCTAssertNil(ControlRequestTarget("/v1/%zz"))
        XCTAssertNil(ControlRequestTarget("/v1/%"))
        XCTAssertNil(ControlRequestTarget("/v1/%FF%FE"), "not UTF-8")
        XCTAssertNil(ControlRequestTarget("v1/health"), "not a path")
        XCTAssertNil(ControlRequestTarget("*"))
        XCTAssertNil(ControlRequestTarget("/x?a=%zz"))
    }
}
