import ControlProtocol
import Foundation
import Testing

/// Issue 16: one route table for `cutoverctl`'s client and the daemon's server. Every path the
/// client renders is parsed by the server back into the same route, whatever the run id holds.
@Suite struct ControlRouteTableTests {
    static let ids = ["r-20261201-010000-1a2b", "run with space", "ünïcode", "r.1~x"]

    static var routes: [ControlRoute] {
        [.health, .metrics, .runs, .runbooks, .plan, .reload]
            + ids.flatMap { id in
                [.run(id), .runPlan(id), .approvals(id), .events(id)]
                    + ["pause", "resume", "cancel", "rollback", "retry", "mark-undone", "decide"].map { ControlRoute.action(id, $0) }
            }
    }

    @Test(arguments: ControlRouteTableTests.routes)
    func theServerParsesWhatTheClientRenders(_ route: ControlRoute) throws {
        // The server percent-decodes the request target before routing (ControlRequestTarget).
        let decoded = try #require(route.path.removingPercentEncoding)
        #expect(ControlRoute(path: decoded) == route, "\(route.path)")
    }

    @Test func theEventsQueryIsNotPartOfTheRoute() {
        #expect(ControlRoute.eventsPath("r-1", after: 7, follow: true) == "/v1/runs/r-1/events?after=7&follow=true")
        #expect(ControlRoute.eventsPath("r-1", follow: false) == "/v1/runs/r-1/events")
    }

    @Test func pathsTheAPIDoesNotServeAreUnknown() {
        for path in ["/", "/v2/runs", "/v1", "/v1/runs/r-1/events/extra", "/v1/nothing", "/metrics/x"] {
            #expect(ControlRoute(path: path) == .unknown, "\(path)")
        }
    }
}
