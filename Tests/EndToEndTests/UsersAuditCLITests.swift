import Foundation
import GRDB
@testable import HandletDomain
import XCTest
import HandletTestSupport

/// `handlet users …` and `handlet audit …` as the real binary with no terminal: exit statuses
/// (0, 64 usage, 65 bad data, 77 refused), one-line reasons, and refusals that change nothing.
final class UsersAuditCLITests: XCTestCase {
    private var folder: URL!
    private var database: String { folder.appendingPathComponent("workspace.sqlite").path }
    private let start = Date(timeIntervalSince1970: 1_767_225_600) // 2026-01-01 00:00 UTC
    /// The binary's clock (HANDLET_TEST_NOW): an hour after the workspace was made, so no run
    /// crosses a midnight between the events and the filters that count them.
    private var now: Date { start.addingTimeInterval(3_600) }

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("handlet-users-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let users = [("Olive Owner", "owner@example.test", Role.owner), ("Adam Admin", "admin@example.test", .admin),
                     ("Aggie Agent", "agent@example.test", .agent), ("Vic Viewer", "viewer@example.test", .viewer)]
        _ = try Workspace.createFixture(at: URL(fileURLWithPath: database),
                                 workspace: WorkspaceRecord(name: "CLI", businessName: "CLI Ltd", timeZone: "UTC", createdAt: start),
                                 users: users.map { User(name: $0.0, email: $0.1, role: $0.2, createdAt: start) }, now: start) { _, _ in }
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: folder) }

    private func handlet(_ arguments: String..., user: String? = nil) throws -> HandletBinary.Outcome {
        try HandletBinary.run(arguments + ["--db", database],
                              environment: ["HANDLET_USER": user ?? "", "HANDLET_TEST_NOW": String(Int(now.timeIntervalSince1970))])
    }

    private func jsonArray(_ outcome: HandletBinary.Outcome) throws -> [[String: Any]] {
        XCTAssertEqual(outcome.status, 0, outcome.stderr)
        return try XCTUnwrap(JSONSerialization.jsonObject(with: Data(outcome.stdout.utf8)) as? [[String: Any]], outcome.stdout)
    }

    /// The users (as JSON) and the audit head: what a refusal must leave as it was.
    private func state() throws -> String {
        try handlet("users", "list", "--json").stdout + handlet("audit", "checkpoint").stdout
    }

    private func assertRefused(_ outcome: HandletBinary.Outcome, _ status: Int32, _ reason: String, unchanged before: String,
                               file: StaticString = #filePath, line: UInt = #line) throws {
        XCTAssertEqual(outcome.status, status, outcome.stderr, file: file, line: line)
        XCTAssertTrue(outcome.stderr.hasPrefix("handlet: ") && outcome.stderr.contains(reason), outcome.stderr, file: file, line: line)
        XCTAssertEqual(outcome.stderr.split(separator: "\n").count, 1, "one line: \(outcome.stderr)", file: file, line: line)
        XCTAssertEqual(try state(), before, "nothing changed", file: file, line: line)
    }

    private func withDatabase<T>(_ work: (Database) throws -> T) throws -> T {
        let queue = try DatabaseQueue(path: database)
        defer { try? queue.close() }
        return try queue.writeWithoutTransaction(work)
    }

    func testUsersAddChangeDisableAndEnable() throws {
        let added = try handlet("users", "add", "jo@example.test", "--name", "Jo Bloggs", "--role", "agent", user: "admin@example.test")
        XCTAssertEqual(added.status, 0, added.stderr)
        XCTAssertEqual(added.stdout, "Added Jo Bloggs <jo@example.test> as agent.\n")
        let role = try handlet("users", "role", "JO@example.test", "admin", "--json", user: "admin@example.test")
        XCTAssertEqual(role.status, 0, role.stderr)
        let change = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(role.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(change["previous_role"] as? String, "agent")
        XCTAssertEqual(change["changed"] as? Bool, true)
        XCTAssertEqual((change["user"] as? [String: Any])?["role"] as? String, "admin")
        XCTAssertEqual(try handlet("users", "disable", "jo@example.test", "--yes", user: "owner@example.test").stdout,
                       "Jo Bloggs <jo@example.test> is now disabled.\n")
        let listed = try jsonArray(handlet("users", "list", "--json"))
        let jo = try XCTUnwrap(listed.first { $0["email"] as? String == "jo@example.test" })
        XCTAssertEqual(jo["disabled"] as? Bool, true)
        XCTAssertEqual(Set(jo.keys), ["id", "name", "email", "role", "disabled"])
        // A disabled user cannot act; enabled again, they can.
        let refused = try handlet("users", "disable", "agent@example.test", user: "jo@example.test")
        XCTAssertEqual(refused.status, 77)
        XCTAssertEqual(refused.stderr, "handlet: User jo@example.test is disabled.\n")
        XCTAssertEqual(try handlet("users", "enable", "jo@example.test", user: "owner@example.test").status, 0)
        XCTAssertEqual(try handlet("users", "disable", "agent@example.test", "--yes", user: "jo@example.test").status, 0)
        let actions = try jsonArray(handlet("audit", "list", "--json", "--actor", "ADMIN@example.test")).map { $0["action"] as? String }
        XCTAssertEqual(actions, ["user.role_changed", "user.added"])
        XCTAssertEqual(try handlet("audit", "verify").status, 0)
    }

    func testUserManagementRefusalsNameTheReasonAndChangeNothing() throws {
        let before = try state()
        try assertRefused(handlet("users", "add", "boss@example.test", "--name", "Boss", "--role", "owner", user: "admin@example.test"),
                          77, "Only owner may add, promote, change or disable an owner; you are admin.", unchanged: before)
        try assertRefused(handlet("users", "role", "agent@example.test", "owner", user: "admin@example.test"),
                          77, "Only owner may", unchanged: before)
        try assertRefused(handlet("users", "disable", "owner@example.test", user: "admin@example.test"),
                          77, "Only owner may", unchanged: before)
        try assertRefused(handlet("users", "disable", "viewer@example.test", user: "agent@example.test"),
                          77, "Only owner or admin may manage users; you are agent.", unchanged: before)
        try assertRefused(handlet("users", "disable", "owner@example.test", user: "owner@example.test"),
                          77, "The last enabled owner can be neither demoted nor disabled", unchanged: before)
        try assertRefused(handlet("users", "role", "owner@example.test", "viewer", user: "owner@example.test"),
                          77, "The last enabled owner", unchanged: before)
        try assertRefused(handlet("users", "disable", "agent@example.test", user: "nobody@example.test"),
                          77, "No user nobody@example.test in this workspace", unchanged: before)
        try assertRefused(handlet("users", "disable", "nobody@example.test", user: "owner@example.test"),
                          65, "No user nobody@example.test in this workspace", unchanged: before)
        try assertRefused(handlet("users", "add", "AGENT@example.test", "--name", "Twin", "--role", "viewer", user: "owner@example.test"),
                          65, "already exists", unchanged: before)
        try assertRefused(handlet("users", "add", "not-an-email", "--name", "X", "--role", "viewer", user: "owner@example.test"),
                          65, "is not an email address", unchanged: before)
        try assertRefused(handlet("users", "add", "x@example.test", "--name", "X\u{1B}[2J", "--role", "viewer", user: "owner@example.test"),
                          65, "without control characters", unchanged: before)
        try assertRefused(handlet("users", "disable", "agent@example.test"), 64, "No acting user", unchanged: before)
        let badRole = try handlet("users", "role", "agent@example.test", "boss", user: "owner@example.test")
        XCTAssertEqual(badRole.status, 64, badRole.stderr)
        XCTAssertEqual(try state(), before)
    }

    func testNamesAreSanitisedOnOutput() throws {
        try withDatabase { db in
            try db.execute(sql: "UPDATE users SET name = 'Vic \u{1B}]0;pwned\u{07}\u{1B}[31mViewer\u{202E}' WHERE email = 'viewer@example.test'")
        }
        for outcome in [try handlet("users", "list"),
                        try handlet("users", "disable", "viewer@example.test", "--yes", user: "owner@example.test")] {
            XCTAssertEqual(outcome.status, 0, outcome.stderr)
            XCTAssertFalse(outcome.stdout.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x07 || $0.value == 0x202E },
                           outcome.stdout.debugDescription)
            XCTAssertTrue(outcome.stdout.contains("Viewer"), outcome.stdout)
        }
    }

    func testAuditListFiltersAndPages() throws {
        for index in 1...5 {
            XCTAssertEqual(try handlet("users", "add", "u\(index)@example.test", "--name", "U \(index)", "--role", "viewer",
                                       user: index.isMultiple(of: 2) ? "admin@example.test" : "owner@example.test").status, 0)
        }
        let all = try jsonArray(handlet("audit", "list", "--json"))
        XCTAssertEqual(all.map { $0["seq"] as? Int }, [6, 5, 4, 3, 2, 1])
        XCTAssertEqual(Set(all[0].keys), ["seq", "at", "actor", "action", "target", "details", "previous_hash", "hash"])
        let details = try XCTUnwrap(all[0]["details"] as? [String: Any])
        XCTAssertEqual(details["role"] as? String, "viewer")
        XCTAssertEqual(details["user_id"] as? Int, 9)
        XCTAssertEqual(details.count, 2)
        XCTAssertEqual(all.last?["action"] as? String, "workspace.created")
        let page1 = try jsonArray(handlet("audit", "list", "--json", "--limit", "2"))
        XCTAssertEqual(page1.map { $0["seq"] as? Int }, [6, 5])
        let page2 = try jsonArray(handlet("audit", "list", "--json", "--limit", "2", "--after", "5"))
        XCTAssertEqual(page2.map { $0["seq"] as? Int }, [4, 3])
        XCTAssertEqual(try jsonArray(handlet("audit", "list", "--json", "--action", "user.added", "--actor", "admin@example.test"))
            .map { $0["seq"] as? Int }, [5, 3])
        XCTAssertEqual(try jsonArray(handlet("audit", "list", "--json", "--actor", "system")).map { $0["seq"] as? Int }, [1])
        // Every event was written today (UTC, the workspace's zone).
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withFullDate]
        let yesterday = formatter.string(from: now.addingTimeInterval(-86_400))
        XCTAssertEqual(try jsonArray(handlet("audit", "list", "--json", "--until", yesterday)).count, 0)
        XCTAssertEqual(try jsonArray(handlet("audit", "list", "--json", "--since", yesterday)).count, 6)
        XCTAssertEqual(try jsonArray(handlet("audit", "list", "--json", "--since", "today", "--until", "today")).count, 6)
        let future = ISO8601DateFormatter().string(from: now.addingTimeInterval(3_600))
        XCTAssertEqual(try jsonArray(handlet("audit", "list", "--json", "--since", future)).count, 0)
        XCTAssertEqual(try jsonArray(handlet("audit", "list", "--json", "--until", future)).count, 6)
        let text = try handlet("audit", "list", "--limit", "1")
        XCTAssertEqual(text.status, 0)
        XCTAssertTrue(text.stdout.hasPrefix("    SEQ  WHEN"), text.stdout)
        XCTAssertTrue(text.stdout.contains("user.added") && text.stdout.contains("role=viewer user_id=9"), text.stdout)
        XCTAssertEqual(try handlet("audit", "list", "--action", "user.deleted").status, 64)
        XCTAssertEqual(try handlet("audit", "list", "--since", "yesterday-ish").status, 64)
        let agent = try handlet("audit", "list", user: "agent@example.test")
        XCTAssertEqual(agent.status, 77)
        XCTAssertEqual(agent.stderr, "handlet: Only owner, admin or viewer may read the audit log; you are agent.\n")
        XCTAssertEqual(try handlet("audit", "verify", user: "agent@example.test").status, 77)
        XCTAssertEqual(try handlet("audit", "checkpoint", user: "agent@example.test").status, 77)
        XCTAssertEqual(try handlet("audit", "list", "--json", user: "viewer@example.test").status, 0)
    }

    func testVerifyNamesTheBreakAndCheckpointsCatchARewrittenTail() throws {
        for index in 1...4 {
            XCTAssertEqual(try handlet("users", "add", "u\(index)@example.test", "--name", "U\(index)", "--role", "viewer", user: "owner@example.test").status, 0)
        }
        let checkpoint = try handlet("audit", "checkpoint").stdout.trimmingCharacters(in: .newlines)
        XCTAssertNotNil(AuditCheckpoint(checkpoint), checkpoint)
        XCTAssertTrue(checkpoint.hasPrefix("5:"), checkpoint)
        let intact = try handlet("audit", "verify", "--checkpoint", checkpoint)
        XCTAssertEqual(intact.status, 0, intact.stderr)
        XCTAssertEqual(intact.stdout, "The audit log is intact: 5 events checked; event 5 still has the checkpoint's hash; head \(checkpoint).\n")
        let checkpointJSON = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(handlet("audit", "checkpoint", "--json").stdout.utf8))
            as? [String: Any])
        XCTAssertEqual(checkpointJSON["checkpoint"] as? String, checkpoint)
        XCTAssertEqual(checkpointJSON["seq"] as? Int, 5)

        // Rewrite event 3 and every hash after it, as a forger with the file would.
        try withDatabase { db in
            try db.execute(sql: "DROP TRIGGER audit_events_no_update")
            try db.execute(sql: "UPDATE audit_events SET actor = 'system' WHERE seq = 3")
            let broken = try HandletBinary.run(["audit", "verify", "--db", database])
            XCTAssertEqual(broken.status, 65)
            XCTAssertEqual(broken.stderr, "handlet: The audit log is broken: event 3 was changed: its stored hash does not match its contents.\n")
            var previous = try String.fetchOne(db, sql: "SELECT hash FROM audit_events WHERE seq = 2")!
            for event in try AuditEvent.filter(sql: "seq >= 3").order(Column("seq")).fetchAll(db) {
                let hash = AuditLog.chainHash(seq: event.seq!, at: event.at, actor: event.actor, action: event.action,
                                              target: event.target, details: event.details, previousHash: previous)
                try db.execute(sql: "UPDATE audit_events SET previous_hash = ?, hash = ? WHERE seq = ?", arguments: [previous, hash, event.seq])
                previous = hash
            }
        }
        XCTAssertEqual(try handlet("audit", "verify").status, 0, "the chain alone cannot tell")
        let caught = try handlet("audit", "verify", "--checkpoint", checkpoint, "--json")
        XCTAssertEqual(caught.status, 65)
        XCTAssertEqual(caught.stderr.split(separator: "\n").count, 1, caught.stderr)
        XCTAssertTrue(caught.stderr.contains("event 5 no longer has the checkpoint's hash"), caught.stderr)
        let result = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(caught.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(result["intact"] as? Bool, false)
        XCTAssertEqual((result["problem"] as? [String: Any])?["kind"] as? String, "checkpoint_mismatch")
        XCTAssertEqual((result["problem"] as? [String: Any])?["seq"] as? Int, 5)

        try withDatabase { db in
            try db.execute(sql: "DROP TRIGGER audit_events_no_delete")
            try db.execute(sql: "DELETE FROM audit_events WHERE seq = 2")
        }
        let gap = try handlet("audit", "verify")
        XCTAssertEqual(gap.status, 65)
        XCTAssertTrue(gap.stderr.contains("event 2 is missing"), gap.stderr)
        XCTAssertEqual(try handlet("audit", "verify", "--checkpoint", "5:nothex").status, 64)
    }

    /// A workspace created with nobody in it: `users add` with no acting user makes its first
    /// user its owner; after that, a user flag is needed as everywhere else.
    func testTheFirstUserAddedToAnEmptyWorkspaceIsItsOwner() throws {
        let empty = folder.appendingPathComponent("empty.sqlite").path
        _ = try Workspace.create(at: URL(fileURLWithPath: empty),
                                 workspace: WorkspaceRecord(name: "Empty", businessName: "Empty Ltd", timeZone: "UTC", createdAt: start),
                                 users: [])
        func run(_ arguments: String..., user: String = "") throws -> HandletBinary.Outcome {
            try HandletBinary.run(arguments + ["--db", empty], environment: ["HANDLET_USER": user])
        }
        let first = try run("users", "add", "fran@example.test", "--name", "Fran First", "--role", "agent")
        XCTAssertEqual(first.status, 0, first.stderr)
        XCTAssertEqual(first.stdout, "Added Fran First <fran@example.test> as owner: a new workspace's first user is its owner (not agent).\n")
        let listed = try jsonArray(run("users", "list", "--json"))
        XCTAssertEqual(listed.map { $0["role"] as? String }, ["owner"])
        let second = try run("users", "add", "sly@example.test", "--name", "Sly", "--role", "owner")
        XCTAssertEqual(second.status, 64, second.stderr)
        XCTAssertEqual(second.stderr, "handlet: No acting user: pass --user EMAIL or set HANDLET_USER.\n")
        XCTAssertEqual(try jsonArray(run("users", "list", "--json")).count, 1, "nothing changed")
        let byOwner = try run("users", "add", "val@example.test", "--name", "Val", "--role", "viewer", user: "fran@example.test")
        XCTAssertEqual(byOwner.stdout, "Added Val <val@example.test> as viewer.\n")
        XCTAssertEqual(try run("audit", "verify").status, 0)
    }
}
