import Foundation
import GRDB
@testable import HandletDomain
import XCTest
import HandletTestSupport

/// The rules of user management beyond the role table: the last enabled owner, unique and
/// well-formed emails, plain names, audit details without personal data, and refusals that leave
/// the users table and the audit head exactly as they were.
final class UserManagementTests: XCTestCase {
    private var fixture: RetentionFixture!
    private var owner: WorkspaceSession { fixture.workspace.session(as: fixture.owner) }
    private var admin: WorkspaceSession { fixture.workspace.session(as: fixture.admin) }

    override func setUpWithError() throws { fixture = try RetentionFixture() }
    override func tearDown() { fixture = nil }

    /// The users table and the audit head: what a refusal must leave untouched.
    private func state() throws -> [Row] {
        try fixture.workspace.dbPool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM users ORDER BY id")
                + Row.fetchAll(db, sql: "SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1")
        }
    }

    private func assertRefused(_ work: () throws -> Void, _ check: (Error) -> Void, file: StaticString = #filePath,
                               line: UInt = #line) throws {
        let before = try state()
        XCTAssertThrowsError(try work(), file: file, line: line) { check($0) }
        XCTAssertEqual(try state(), before, "nothing changed", file: file, line: line)
    }

    func testTheLastEnabledOwnerCanBeNeitherDemotedNorDisabled() throws {
        let me = try fixture.userID("owner@example.test")
        for command in [WorkspaceCommand<UserManagement.Change>.changeRole(of: me, to: .admin), .disableUser(me)] {
            try assertRefused({ try owner.perform(command) }) { error in
                XCTAssertEqual(error as? UserRuleError, .lastEnabledOwner)
                XCTAssertTrue(String(describing: error).hasPrefix("The last enabled owner can be neither demoted nor disabled"))
            }
        }
        // A disabled second owner does not count.
        try fixture.addUser("second-owner@example.test", .owner, disabled: true)
        try assertRefused({ try owner.perform(.disableUser(me)) }) { XCTAssertEqual($0 as? UserRuleError, .lastEnabledOwner) }
        // Once another owner is enabled, the first may step down.
        try owner.perform(.enableUser(try fixture.userID("second-owner@example.test")))
        XCTAssertEqual(try owner.perform(.changeRole(of: me, to: .admin)).previousRole, .owner)
        XCTAssertEqual(try fixture.user("owner@example.test")?.role, .admin)
        XCTAssertNil(try fixture.workspace.dbPool.read { try AuditLog.verify($0) })
    }

    func testAnAdminCanNeverMakeOrTouchAnOwner() throws {
        try fixture.addUser("second-owner@example.test", .owner)
        let second = try fixture.userID("second-owner@example.test")
        let agent = try fixture.userID("agent@example.test")
        let denied = PermissionDenied(permission: .manageOwners, role: .admin)
        for command: WorkspaceCommand<UserManagement.Change> in [
            .addUser(name: "Boss", email: "boss@example.test", role: .owner), .changeRole(of: agent, to: .owner),
            .changeRole(of: second, to: .admin), .disableUser(second),
        ] {
            try assertRefused({ try admin.perform(command) }) { error in
                XCTAssertEqual(error as? PermissionDenied, denied)
                XCTAssertEqual(String(describing: error), "Only owner may add, promote, change or disable an owner; you are admin.")
            }
        }
    }

    func testEmailsAreUniqueIgnoringCaseAndWellFormed() throws {
        try assertRefused({ try owner.perform(.addUser(name: "Twin", email: " AGENT@Example.TEST ", role: .viewer)) }) {
            XCTAssertEqual($0 as? UserRuleError, .emailTaken("agent@example.test"))
        }
        for email in ["", "no-at-sign", "two@@example.test", "@example.test", "jo@", "jo@localhost", "jo@example.", "jo bloggs@example.test",
                      "jo@exa\u{1B}mple.test"] {
            try assertRefused({ try owner.perform(.addUser(name: "Jo", email: email, role: .viewer)) }) {
                guard case .invalidEmail? = $0 as? UserRuleError else { return XCTFail("\(email): \($0)") }
            }
        }
        for (name, reason) in [("  ", UserRuleError.emptyName), ("Jo\u{1B}[31m", .nameHasControlCharacters),
                               ("Jo\nBloggs", .nameHasControlCharacters), ("Jo\u{202E}", .nameHasControlCharacters),
                               (String(repeating: "a", count: 101), .nameTooLong(maximum: 100))] {
            try assertRefused({ try owner.perform(.addUser(name: name, email: "jo@example.test", role: .viewer)) }) {
                XCTAssertEqual($0 as? UserRuleError, reason)
            }
        }
        let added = try owner.perform(.addUser(name: "  Jo Bloggs ", email: " Jo@Example.test", role: .viewer))
        XCTAssertEqual(added.user.name, "Jo Bloggs")
        XCTAssertEqual(added.user.email, "Jo@Example.test")
        XCTAssertEqual(try owner.read(.userID(email: "jo@example.TEST")), added.user.id)
    }

    func testAuditDetailsCarryIdentifiersAndRolesNeverNamesOrEmails() throws {
        let added = try admin.perform(.addUser(name: "Jo Bloggs", email: "jo@example.test", role: .agent))
        let id = try XCTUnwrap(added.user.id)
        try admin.perform(.changeRole(of: id, to: .viewer))
        try admin.perform(.disableUser(id))
        try admin.perform(.enableUser(id))
        let events = try fixture.workspace.dbPool.read { db in
            try AuditEvent.filter(sql: "action LIKE 'user.%'").order(Column("seq")).fetchAll(db)
        }
        XCTAssertEqual(events.map(\.action), ["user.added", "user.role_changed", "user.disabled", "user.enabled"])
        XCTAssertEqual(events.map(\.detailValues), [
            ["user_id": .int(id.rawValue), "role": "agent"],
            ["user_id": .int(id.rawValue), "old_role": "agent", "new_role": "viewer"],
            ["user_id": .int(id.rawValue), "role": "viewer"],
            ["user_id": .int(id.rawValue), "role": "viewer"],
        ])
        for event in events {
            XCTAssertEqual(event.target, "user:\(id)")
            XCTAssertEqual(event.actor, "admin@example.test", "the actor is who acted")
            for personal in ["Jo", "Bloggs", "jo@example.test"] {
                XCTAssertFalse(event.details.contains(personal) || event.target.contains(personal), "\(event.action): \(personal)")
            }
        }
    }

    func testAskingForWhatAlreadyIsChangesNothingAndWritesNoEvent() throws {
        let agent = try fixture.userID("agent@example.test")
        let before = try state()
        XCTAssertFalse(try admin.perform(.changeRole(of: agent, to: .agent)).changed)
        XCTAssertFalse(try admin.perform(.enableUser(agent)).changed)
        XCTAssertEqual(try state(), before)
    }

    func testUnknownAndDisabledUsersAreRefusedWithTheReason() throws {
        try assertRefused({ _ = try owner.read(.userID(email: "nobody@example.test")) }) {
            XCTAssertEqual($0 as? UserRuleError, .noSuchUser("nobody@example.test"))
        }
        try assertRefused({ try owner.perform(.disableUser(User.ID(999))) }) { XCTAssertEqual($0 as? UserRuleError, .noSuchUserID(User.ID(999))) }
        try assertRefused({ _ = try fixture.workspace.session(actingAs: "nobody@example.test", otherwise: .refuse) }) {
            XCTAssertEqual($0 as? ActorError, .unknownUser("nobody@example.test"))
        }
        // Disabled by an admin: an admin session opened before that is refused at its next change.
        let stale = admin
        try owner.perform(.disableUser(try fixture.userID("admin@example.test")))
        try assertRefused({ try stale.perform(.addUser(name: "Jo", email: "jo@example.test", role: .viewer)) }) {
            XCTAssertEqual($0 as? ActorError, .disabledUser("admin@example.test"))
        }
        try assertRefused({ _ = try fixture.workspace.session(actingAs: "ADMIN@example.test", otherwise: .refuse) }) {
            XCTAssertEqual($0 as? ActorError, .disabledUser("ADMIN@example.test"))
        }
    }

    // MARK: A new workspace's first user is its owner

    private func emptyWorkspace(users: [User] = []) throws -> (Workspace, URL) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("handlet-first-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: folder) }
        let workspace = try Workspace.create(at: folder.appendingPathComponent("workspace.sqlite"),
                                             workspace: WorkspaceRecord(name: "New", businessName: "New Ltd", createdAt: RetentionFixture.start),
                                             users: users)
        return (workspace, folder)
    }

    func testAWorkspacesFirstUserIsItsOwnerWhateverRoleItWasGiven() throws {
        let (workspace, _) = try emptyWorkspace(users: [User(name: "First", email: "first@example.test", role: .viewer, createdAt: RetentionFixture.start),
                                                        User(name: "Second", email: "second@example.test", role: .viewer, createdAt: RetentionFixture.start)])
        let roles = try workspace.dbPool.read { try Row.fetchAll($0, sql: "SELECT email, role FROM users ORDER BY id") }
            .map { "\($0["email"] as String) \($0["role"] as String)" }
        XCTAssertEqual(roles, ["first@example.test owner", "second@example.test viewer"])
        XCTAssertEqual(try workspace.localOwner(), try workspace.actor(email: "first@example.test"))
    }

    func testTheFirstUserAddedToAnEmptyWorkspaceIsItsOwnerAndOnlyTheFirst() throws {
        let (workspace, _) = try emptyWorkspace()
        XCTAssertThrowsError(try workspace.localOwner(), "nobody to fall back to yet")
        let first = try workspace.addFirstOwner(name: "Fran First", email: "fran@example.test", at: RetentionFixture.start)
        XCTAssertEqual(first.user.role, .owner)
        XCTAssertFalse(first.user.disabled)
        let event = try XCTUnwrap(try workspace.dbPool.read { try AuditEvent.order(Column("seq").desc).fetchOne($0) })
        XCTAssertEqual([event.actor, event.action, event.target], ["system", "user.added", "user:\(first.user.id!.rawValue)"])
        XCTAssertEqual(event.detailValues["role"], .string("owner"))
        XCTAssertEqual(event.detailValues["first_user"], .bool(true))
        XCTAssertNil(try workspace.dbPool.read { try AuditLog.verify($0) })
        // The owner now manages users through a session; the bootstrap is closed for good.
        let before = try workspace.dbPool.read { try Row.fetchAll($0, sql: "SELECT * FROM users ORDER BY id") }
        XCTAssertThrowsError(try workspace.addFirstOwner(name: "Sly", email: "sly@example.test")) {
            XCTAssertEqual($0 as? UserRuleError, .workspaceHasUsers)
        }
        XCTAssertEqual(try workspace.dbPool.read { try Row.fetchAll($0, sql: "SELECT * FROM users ORDER BY id") }, before)
        let owner = workspace.session(as: try workspace.actor(email: "fran@example.test"))
        XCTAssertEqual(try owner.perform(.addUser(name: "Val", email: "val@example.test", role: .viewer)).user.role, .viewer)
        // Bad input is refused before anything is written.
        let (other, _) = try emptyWorkspace()
        XCTAssertThrowsError(try other.addFirstOwner(name: "X", email: "not-an-email")) {
            XCTAssertEqual($0 as? UserRuleError, .invalidEmail("not-an-email"))
        }
        XCTAssertEqual(try other.dbPool.read { try User.fetchCount($0) }, 0)
    }
}
