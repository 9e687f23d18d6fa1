import Foundation
import GRDB
@testable import HandletDomain
import XCTest
import HandletTestSupport

/// Every role × every changing command through the real binary: a role the permission table
/// allows succeeds and is audited; any other is refused with exit 77, one line naming the roles
/// that may, nothing on standard output, and nothing changed (the audit log included).
final class RoleMatrixCLITests: XCTestCase {
    private var root: URL!
    private var template: URL!

    override func setUpWithError() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("handlet-roles-\(UUID().uuidString)")
        template = root.appendingPathComponent("template")
        try PurgeWorkspace.build(in: template, layout: .init(due: 6, live: 4, held: 2, missingFiles: 0))
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: root) }

    /// The changing commands, each with the permission the domain checks for it.
    private let commands: [(arguments: [String], permission: Permission)] = [
        (["retention", "set", "7", "--yes"], .changeRetention),
        (["retention", "set", "60"], .changeRetention),
        (["retention", "disable", "--yes"], .changeRetention),
        (["retention", "disable", "--delete-now", "--yes"], .changeRetention),
        (["retention", "enable"], .changeRetention),
        (["hold", "CA-E2E-3", "--reason", "Insurance claim"], .legalHold),
        (["release", "CA-E2E-0", "--reason", "Claim settled", "--yes"], .legalHold),
        (["users", "add", "new@example.test", "--name", "New Person", "--role", "viewer"], .manageUsers),
        (["users", "role", "agent@example.test", "viewer"], .manageUsers),
        (["users", "disable", "agent@example.test", "--yes"], .manageUsers),
        (["users", "enable", "extra@example.test"], .manageUsers),
    ]

    private func snapshot(_ database: String) throws -> [String] {
        let queue = try DatabaseQueue(path: database)
        defer { try? queue.close() }
        return try queue.read { db in
            try ["audit_events", "users", "workspace", "recordings"].flatMap { table in
                try Row.fetchAll(db, sql: "SELECT * FROM \(table) ORDER BY 1").map { "\(table): \($0)" }
            }
        }
    }

    func testEveryRoleAgainstEveryChangingCommand() throws {
        var checked = 0
        for (index, command) in commands.enumerated() {
            for (_, email, role) in PurgeWorkspace.users {
                let folder = root.appendingPathComponent("c\(index)-\(role.rawValue)")
                try PurgeCrashTests.clone(template, to: folder)
                defer { try? FileManager.default.removeItem(at: folder) }
                let database = folder.appendingPathComponent("workspace.sqlite").path
                // Enabling needs something disabled first (else it changes nothing): the owner
                // turns recording off, or adds and disables a user nobody acts as.
                var setup: [[String]] = []
                if command.arguments == ["retention", "enable"] { setup = [["retention", "disable", "--yes"]] }
                if command.arguments.starts(with: ["users", "enable"]) {
                    setup = [["users", "add", "extra@example.test", "--name", "Extra", "--role", "agent"], ["users", "disable", "extra@example.test", "--yes"]]
                }
                for step in setup {
                    let done = try HandletBinary.run(step + ["--db", database, "--user", "owner@example.test"])
                    XCTAssertEqual(done.status, 0, "\(step): \(done.stderr)")
                }
                let before = try snapshot(database)
                let name = "\(command.arguments.prefix(3).joined(separator: " ")) as \(role.rawValue)"
                let run = try HandletBinary.run(command.arguments + ["--db", database, "--user", email])
                if role.allows(command.permission) {
                    XCTAssertEqual(run.status, 0, "\(name): \(run.stderr)")
                    XCTAssertNotEqual(try snapshot(database), before, "\(name): allowed, so something changed")
                } else {
                    XCTAssertEqual(run.status, 77, "\(name): \(run.stderr)")
                    let roles = command.permission.allowedRoles.map(\.rawValue)
                    let expected = "handlet: Only \(roles.count == 1 ? roles[0] : roles.dropLast().joined(separator: ", ") + " or " + roles.last!) may "
                        + "\(command.permission.summary); you are \(role.rawValue).\n"
                    XCTAssertEqual(run.stderr, expected, name)
                    XCTAssertEqual(run.stdout, "", "\(name): nothing on standard output")
                    XCTAssertEqual(try snapshot(database), before, "\(name): refused, so nothing changed")
                }
                checked += 1
            }
        }
        XCTAssertEqual(checked, commands.count * 4)
    }

    /// A refused role is refused before its reference is looked up: naming a call, user or notice
    /// that does not exist still exits 77, so a refused user never learns which records exist.
    /// Allowed, the same reference is bad data (65).
    func testARefusedRoleIsRefusedWhateverItNames() throws {
        let folder = root.appendingPathComponent("nothing-named")
        try PurgeCrashTests.clone(template, to: folder)
        let database = folder.appendingPathComponent("workspace.sqlite").path
        let cases: [(arguments: [String], refused: String, allowed: String)] = [
            (["hold", "999999", "--reason", "Claim"], "agent@example.test", "owner@example.test"),
            (["release", "NO-SUCH-CALL", "--reason", "Settled"], "viewer@example.test", "owner@example.test"),
            (["users", "disable", "nobody@x.test"], "viewer@example.test", "owner@example.test"),
            (["users", "enable", "nobody@x.test"], "agent@example.test", "owner@example.test"),
            (["users", "role", "nobody@x.test", "viewer"], "viewer@example.test", "owner@example.test"),
            (["notices", "ack", "no-such-notice", "--yes"], "agent@example.test", "owner@example.test"),
            (["notices", "object", "no-such-notice", "--reason", "No"], "admin@example.test", "owner@example.test"),
        ]
        for command in cases {
            let name = command.arguments.prefix(2).joined(separator: " ")
            let refused = try HandletBinary.run(command.arguments + ["--db", database, "--user", command.refused])
            XCTAssertEqual(refused.status, 77, "\(name) as \(command.refused): \(refused.stderr)")
            XCTAssertTrue(refused.stderr.contains("Only "), "\(name): the role, not the record: \(refused.stderr)")
            let allowed = try HandletBinary.run(command.arguments + ["--db", database, "--user", command.allowed])
            XCTAssertEqual(allowed.status, 65, "\(name) as \(command.allowed): \(allowed.stderr)")
        }
    }
}
