import Foundation
import XCTest
import HandletTestSupport

/// Issue 24: `handlet init` makes a real, empty workspace, with its owner, recording on at 30 days
/// and Auto-Send off; it never replaces one, and bad input creates nothing.
final class InitCommandTests: XCTestCase {
    private var folder: URL!
    private var database: String { folder.appendingPathComponent("business.sqlite").path }

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("handlet-init-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: folder) }

    private func json(_ arguments: [String], user: String? = nil) throws -> [String: Any] {
        var environment: [String: String] = [:]
        if let user { environment["HANDLET_USER"] = user }
        let outcome = try HandletBinary.run(arguments + ["--json", "--db", database], environment: environment)
        XCTAssertEqual(outcome.status, 0, outcome.stderr)
        return try XCTUnwrap(JSONSerialization.jsonObject(with: Data(outcome.stdout.utf8)) as? [String: Any])
    }

    func testInitMakesAnEmptyWorkspaceOwnedByItsOwnerWithTheDefaults() throws {
        let created = try HandletBinary.run(["init", "--db", database, "--name", "Aire Valley Plumbing Ltd",
                                             "--owner", "sam@airevalley.example", "--owner-name", "Sam Rhodes"])
        XCTAssertEqual(created.status, 0, created.stderr)
        XCTAssertTrue(created.stdout.contains("Created workspace Aire Valley Plumbing Ltd at \(database)"), created.stdout)
        XCTAssertTrue(created.stdout.contains("handlet import"), created.stdout)

        let info = try json(["info"])
        XCTAssertEqual(info["name"] as? String, "Aire Valley Plumbing Ltd")
        XCTAssertEqual(info["demo"] as? Bool ?? info["is_demo"] as? Bool, false)
        let counts = try XCTUnwrap(info["counts"] as? [String: Int])
        XCTAssertEqual(counts["users"], 1)
        for kind in ["calls", "messages", "contacts", "recordings", "threads"] { XCTAssertEqual(counts[kind], 0, kind) }

        let users = try HandletBinary.run(["users", "list", "--db", database])
        XCTAssertTrue(users.stdout.contains("sam@airevalley.example"), users.stdout)
        XCTAssertTrue(users.stdout.contains("owner"), users.stdout)
        XCTAssertTrue(users.stdout.contains("Sam Rhodes"), users.stdout)

        let retention = try HandletBinary.run(["retention", "show", "--db", database])
        XCTAssertTrue(retention.stdout.contains("30 days"), retention.stdout)
        let autoSend = try json(["autosend", "show"])
        XCTAssertEqual(autoSend["master"] as? Bool, false)
        let intents = try XCTUnwrap(autoSend["intents"] as? [[String: Any]])
        XCTAssertEqual(intents.count, 7)
        XCTAssertTrue(intents.allSatisfy { $0["enabled"] as? Bool == false }, "every intent off")
        let check = try HandletBinary.run(["autosend", "check", "--db", database])
        XCTAssertEqual(check.status, 0, check.stderr)

        // The owner acts at once; the workspace's audit log starts with its creation.
        let audit = try HandletBinary.run(["audit", "verify", "--db", database], environment: ["HANDLET_USER": "sam@airevalley.example"])
        XCTAssertEqual(audit.status, 0, audit.stderr)
    }

    func testInitNeverReplacesAWorkspace() throws {
        XCTAssertEqual(try HandletBinary.run(["init", "--db", database, "--name", "First", "--owner", "a@first.example"]).status, 0)
        let before = try Data(contentsOf: URL(fileURLWithPath: database))
        let again = try HandletBinary.run(["init", "--db", database, "--name", "Second", "--owner", "b@second.example"])
        XCTAssertEqual(again.status, 73, again.stderr)
        XCTAssertTrue(again.stderr.hasPrefix("handlet: A workspace already exists at \(database)"), again.stderr)
        XCTAssertEqual(again.stdout, "")
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: database)), before)
    }

    func testBadInputSaysWhyAndCreatesNothing() throws {
        let cases: [([String], Int32, String)] = [
            (["--name", "Shop", "--owner", "not-an-email"], 65, "not-an-email"),
            (["--name", "   ", "--owner", "a@shop.example"], 64, "business name cannot be empty"),
            (["--name", "Shop\u{1B}]0;pwned\u{07}", "--owner", "a@shop.example"], 64, "control or formatting"),
            (["--name", String(repeating: "x", count: 200), "--owner", "a@shop.example"], 65, "at most 120"),
            (["--name", "Shop", "--owner", "a@shop.example", "--time-zone", "Mars/Olympus"], 64, "not a time zone"),
            (["--owner", "a@shop.example"], 64, "--name"),
        ]
        for (arguments, status, says) in cases {
            let outcome = try HandletBinary.run(["init", "--db", database] + arguments)
            XCTAssertEqual(outcome.status, status, "\(arguments): \(outcome.stderr)")
            XCTAssertTrue(outcome.stderr.contains(says), "\(arguments): \(outcome.stderr)")
            XCTAssertFalse(outcome.stderr.contains("\u{1B}"), "no raw escape echoed")
            XCTAssertFalse(FileManager.default.fileExists(atPath: database), "\(arguments) created nothing")
            XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.path), [], "\(arguments) left nothing")
        }
    }
}
