import Engine
import Foundation
import Glibc
import XCTest

@testable import Daemon

final class ServerPeerIdentityTests: XCTestCase {
    /// alice (1000, primary group alice 1000, also in cutover-approvers 2001 and wheel 10);
    /// bob (1001) has no supplementary groups; gid 4242 has no name.
    private func resolver(loginUIDs: [Int32: UInt32] = [:]) -> PeerIdentityResolver {
        let users: [UInt32: (name: String, primaryGID: UInt32)] = [1000: ("alice", 1000), 1001: ("bob", 1001)]
        let memberships: [String: [UInt32]] = ["alice": [1000, 2001, 10], "bob": [1001]]
        let groups: [UInt32: String] = [1000: "alice", 1001: "bob", 2001: "cutover-approvers", 10: "wheel", 0: "root"]
        return PeerIdentityResolver(
            lookups: .init(
                user: { users[$0] },
                groupIDs: { name, _ in memberships[name] ?? [] },
                groupName: { groups[$0] },
                loginUID: { loginUIDs[$0] }))
    }

    func testUserAndEveryGroupComeFromTheDatabase() {
        let identity = resolver().identity(for: PeerCredentials(pid: 7, uid: 1000, gid: 1000))

        XCTAssertEqual(identity.user, "alice")
        XCTAssertEqual(identity.uid, 1000)
        XCTAssertEqual(identity.groups, ["alice", "cutover-approvers", "wheel"])
        XCTAssertNil(identity.loginUser)
        XCTAssertNil(identity.loginUid)
    }

    func testThePeersOwnGIDIsAddedWhenItDiffers() {
        // `sg cutover-approvers cutoverctl …` as bob: the process's gid is not one of bob's groups.
        let identity = resolver().identity(for: PeerCredentials(pid: 7, uid: 1001, gid: 2001))

        XCTAssertEqual(identity.groups, ["bob", "cutover-approvers"])
    }

    func testUnknownUIDAndGIDAreNamedByNumber() {
        let identity = resolver().identity(for: PeerCredentials(pid: 7, uid: 5555, gid: 4242))

        XCTAssertEqual(identity.user, "uid-5555")
        XCTAssertEqual(identity.groups, ["gid-4242"])
    }

    func testLoginUserBehindSudoIsRecorded() {
        let identity = resolver(loginUIDs: [99: 1000]).identity(for: PeerCredentials(pid: 99, uid: 0, gid: 0))

        XCTAssertEqual(identity.user, "uid-0")
        XCTAssertEqual(identity.loginUid, 1000)
        XCTAssertEqual(identity.loginUser, "alice")
        XCTAssertEqual(identity.description, "uid-0 (uid 0) via alice")
    }

    func testLoginUIDThatIsUnsetOrTheSameIsIgnored() {
        let unset = resolver(loginUIDs: [5: PeerIdentityResolver.unsetLoginUID]).identity(
            for: PeerCredentials(pid: 5, uid: 1000, gid: 1000))
        XCTAssertNil(unset.loginUid)
        let same = resolver(loginUIDs: [5: 1000]).identity(for: PeerCredentials(pid: 5, uid: 1000, gid: 1000))
        XCTAssertNil(same.loginUid)
        XCTAssertNil(same.loginUser)
    }

    func testLoginUIDWithoutAnEntryIsNamedByNumber() {
        let identity = resolver(loginUIDs: [5: 3333]).identity(for: PeerCredentials(pid: 5, uid: 1000, gid: 1000))

        XCTAssertEqual(identity.loginUser, "uid-3333")
    }

    func testSystemLookupsResolveThisProcess() throws {
        let me = PeerCredentials(pid: getpid(), uid: getuid(), gid: getgid())
        let identity = PeerIdentityResolver.system.identity(for: me)

        let expectedName = try XCTUnwrap(getpwuid(getuid()).map { String(cString: $0.pointee.pw_name) })
        XCTAssertEqual(identity.user, expectedName)
        XCTAssertEqual(identity.uid, getuid())
        let primaryGroup = try XCTUnwrap(serverGroupName(getgid()))
        XCTAssertTrue(identity.groups.contains(primaryGroup), "\(identity.groups)")
        // loginuid: whatever the kernel says, never our own uid echoed back.
        XCTAssertNotEqual(identity.loginUid, getuid())
    }

    func testSystemLookupsAnswerNilForAnUnknownUID() {
        XCTAssertNil(PeerIdentityResolver.Lookups.system.user(4_000_000_001))
        XCTAssertEqual(
            PeerIdentityResolver.system.identity(for: PeerCredentials(pid: 1, uid: 4_000_000_001, gid: 4_000_000_001)).user,
            "uid-4000000001")
    }
}
