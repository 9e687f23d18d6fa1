import Foundation
import GRDB
import HandletDomain
import XCTest
import HandletTestSupport

/// The retention, hold, purge and users commands, run as the real binary with no terminal.
final class RetentionCommandTests: XCTestCase {
    private var folder: URL!
    private var database: String { folder.appendingPathComponent("workspace.sqlite").path }

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("handlet-cli-\(UUID().uuidString)")
        try PurgeWorkspace.build(in: folder, layout: .init(due: 20, live: 10, held: 2, missingFiles: 1))
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: folder) }

    private func handlet(_ arguments: String..., user: String? = nil) throws -> HandletBinary.Outcome {
        try HandletBinary.run(arguments + ["--db", database], environment: user.map { ["HANDLET_USER": $0] } ?? [:])
    }

    private func json(_ outcome: HandletBinary.Outcome) throws -> [String: Any] {
        XCTAssertEqual(outcome.status, 0, outcome.stderr)
        return try XCTUnwrap(JSONSerialization.jsonObject(with: Data(outcome.stdout.utf8)) as? [String: Any])
    }

    private func retentionDays() throws -> Int? { try json(handlet("retention", "show", "--json"))["retention_days"] as? Int }

    func testInvalidPeriodsAreRefusedWithTheRangeAndChangeNothing() throws {
        // Out of range is bad data (65); not a whole number at all is usage (64).
        for (days, status) in [("0", 65), ("731", 65), ("800", 65), ("30.5", 64), ("thirty", 64), ("-1", 64), ("abc", 64)] as [(String, Int32)] {
            let outcome = try handlet("retention", "set", days, "--yes", user: "owner@example.test")
            XCTAssertEqual(outcome.status, status, days)
            XCTAssertTrue(outcome.stderr.hasPrefix("handlet: "), outcome.stderr)
            XCTAssertTrue(outcome.stderr.contains("a whole number of days from 1 to 730"), outcome.stderr)
            XCTAssertEqual(outcome.stderr.split(separator: "\n").count, 1, "one line")
        }
        XCTAssertEqual(try retentionDays(), 30)
    }

    func testChangingCommandsNeedAnActingUserWithTheRole() throws {
        let anonymous = try handlet("retention", "set", "60")
        XCTAssertEqual(anonymous.status, 64, "usage: no acting user")
        XCTAssertEqual(anonymous.stderr, "handlet: No acting user: pass --user EMAIL or set HANDLET_USER.\n")
        let viewer = try handlet("retention", "set", "60", user: "viewer@example.test")
        XCTAssertEqual(viewer.stderr, "handlet: Only owner or admin may change recording retention; you are viewer.\n")
        XCTAssertEqual(viewer.status, 77, "a refused role exits EX_NOPERM (DESIGN §2)")
        let agent = try handlet("hold", "CA-E2E-5", "--reason", "Claim", user: "agent@example.test")
        XCTAssertEqual(agent.stderr, "handlet: Only owner or admin may place or release a legal hold; you are agent.\n")
        XCTAssertEqual(agent.status, 77)
        let flag = try HandletBinary.run(["retention", "set", "60", "--db", database, "--user", "nobody@example.test"])
        XCTAssertTrue(flag.stderr.contains("No user nobody@example.test"), flag.stderr)
        XCTAssertEqual(try retentionDays(), 30)
    }

    /// DESIGN §2: a refused permission exits 77 (sysexits EX_NOPERM) with one line naming the roles
    /// that may, even with `--yes`, and changes nothing.
    func testARefusedRoleExitsSeventySevenWithOneLineNamingTheRoles() throws {
        let before = try handlet("retention", "show", "--json").stdout
        let refused = try HandletBinary.run(["retention", "set", "7", "--yes", "--db", database, "--user", "viewer@example.test"])
        XCTAssertEqual(refused.status, 77, refused.stderr)
        XCTAssertEqual(refused.stderr, "handlet: Only owner or admin may change recording retention; you are viewer.\n")
        XCTAssertEqual(refused.stdout, "", "refused before any preview is shown")
        let hold = try HandletBinary.run(["release", "CA-E2E-5", "--reason", "Settled", "--db", database, "--user", "viewer@example.test"])
        XCTAssertEqual(hold.status, 77, hold.stderr)
        XCTAssertEqual(hold.stderr.split(separator: "\n").count, 1, "one line")
        XCTAssertEqual(try handlet("retention", "show", "--json").stdout, before)
        let allowed = try handlet("retention", "set", "60", "--yes", user: "admin@example.test")
        XCTAssertEqual(allowed.status, 0, "an allowed role still exits 0: \(allowed.stderr)")
    }

    func testShorteningShowsTheImpactAndNeedsYesWithoutATerminal() throws {
        let refused = try handlet("retention", "set", "7", user: "admin@example.test")
        XCTAssertEqual(refused.status, 64, "a question with no terminal and no --yes is usage")
        XCTAssertTrue(refused.stdout.contains("Shortening the retention period from 30 days to 7 days:"), refused.stdout)
        XCTAssertTrue(refused.stdout.contains("become due"), refused.stdout)
        let workspace = try Workspace.open(at: URL(fileURLWithPath: database))
        let preview = try workspace.session(as: workspace.actor(email: "admin@example.test")).read(.impactPreview(changingTo: try RetentionPeriod(parsing: "7")))
        XCTAssertEqual(refused.stdout.split(separator: "\n").map(String.init),
                       [RetentionText.change(preview) + ":", "  " + RetentionText.impact(preview)],
                       "the same wording as the Retention tab's confirmation")
        XCTAssertTrue(refused.stderr.contains("Refusing without --yes"), refused.stderr)
        XCTAssertEqual(try retentionDays(), 30)

        let change = try json(handlet("retention", "set", "7", "--yes", "--json", user: "admin@example.test"))
        XCTAssertEqual(change["changed"] as? Bool, true)
        XCTAssertEqual(change["recordings_redated"] as? Int, 30, "every stored recording, held or not")
        XCTAssertGreaterThan((change["impact"] as? [String: Any])?["recordings"] as? Int ?? 0, 0)
        XCTAssertEqual(try retentionDays(), 7)
        let lengthen = try handlet("retention", "set", "365", user: "admin@example.test")
        XCTAssertEqual(lengthen.status, 0, "lengthening deletes nothing, so it does not ask")
    }

    func testHoldReleaseAndShow() throws {
        let held = try json(handlet("hold", "CA-E2E-7", "--reason", "Insurance claim", "--json", user: "owner@example.test"))
        XCTAssertEqual(held["call_external_id"] as? String, "CA-E2E-7")
        XCTAssertEqual(held["held_by_email"] as? String, "owner@example.test")
        let show = try json(handlet("retention", "show", "--json"))
        XCTAssertEqual((show["on_hold"] as? [[String: Any]])?.count, 3)
        XCTAssertEqual(show["recording_enabled"] as? Bool, true)
        XCTAssertEqual((show["due_now"] as? [String: Any])?["recordings"] as? Int, 20 - 3)
        let released = try json(handlet("release", "CA-E2E-7", "--reason", "Settled", "--yes", "--json", user: "owner@example.test"))
        XCTAssertEqual(released["due_at_next_purge"] as? Bool, true)
        let again = try handlet("release", "CA-E2E-7", "--reason", "Again", user: "owner@example.test")
        XCTAssertEqual(again.stderr, "handlet: The recording of call CA-E2E-7 is not on legal hold.\n")
        let human = try handlet("retention", "show")
        let holds = try XCTUnwrap(human.stdout.split(separator: "\n").first { $0.contains("HELD BY") })
        XCTAssertEqual(holds.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ")
                           .replacingOccurrences(of: #" \(Europe/London\)"#, with: "", options: .regularExpression),
                       LegalHold.Held.columns.headers(for: .plainText).map { $0.uppercased() }.joined(separator: " "),
                       "the declared columns, the time's saying its zone")
        XCTAssertTrue(holds.contains("SINCE (Europe/London)"), String(holds))
        XCTAssertTrue(human.stdout.contains("Retention period:  30 days"), human.stdout)
        XCTAssertTrue(human.stdout.contains("Last purge:        never"), human.stdout)
    }

    /// `hold CALL` takes the call's number in this workspace as well as its external id; a number
    /// no call has is one line, exit 65 (no such record), and changes nothing.
    func testHoldAndReleaseByCallNumber() throws {
        let queue = try DatabaseQueue(path: database)
        let number = try queue.read { db in try Int64.fetchOne(db, sql: "SELECT id FROM calls WHERE external_id = 'CA-E2E-9'")! }
        try queue.close()
        XCTAssertFalse(String(number).hasPrefix("CA"), "a plain number")
        let held = try json(handlet("hold", String(number), "--reason", "Insurance claim", "--json", user: "owner@example.test"))
        XCTAssertEqual(held["call_external_id"] as? String, "CA-E2E-9", "the number named that call")
        let show = try json(handlet("retention", "show", "--json"))
        XCTAssertTrue((show["on_hold"] as? [[String: Any]] ?? []).contains { $0["call_external_id"] as? String == "CA-E2E-9" }, "\(show)")
        let released = try json(handlet("release", String(number), "--reason", "Settled", "--yes", "--json", user: "owner@example.test"))
        XCTAssertEqual(released["due_at_next_purge"] as? Bool, true)

        let before = try handlet("retention", "show", "--json").stdout
        let unknown = try handlet("hold", "999999", "--reason", "Claim", user: "owner@example.test")
        XCTAssertEqual(unknown.status, 65, unknown.stderr)
        XCTAssertEqual(unknown.stdout, "")
        XCTAssertEqual(unknown.stderr.filter { $0 == "\n" }.count, 1, unknown.stderr)
        XCTAssertTrue(unknown.stderr.hasPrefix("handlet: ") && unknown.stderr.contains("999999"), unknown.stderr)
        XCTAssertEqual(try handlet("retention", "show", "--json").stdout, before, "nothing changed")
    }

    func testPurgeDryRunThenPurge() throws {
        let plan = try json(handlet("purge", "--dry-run", "--json"))
        XCTAssertEqual(plan["recordings"] as? Int, 18)
        XCTAssertEqual((plan["candidates"] as? [[String: Any]])?.count, 18)
        XCTAssertEqual(try json(handlet("purge", "--dry-run", "--json"))["recordings"] as? Int, 18, "a dry run changes nothing")
        let listing = try handlet("purge", "--dry-run")
        XCTAssertTrue(listing.stdout.contains("Would purge 18 recordings"), listing.stdout)
        let report = try json(handlet("purge", "--batch", "5", "--json"))
        let run = try XCTUnwrap(report["this_run"] as? [String: Any])
        XCTAssertEqual(run["purged"] as? Int, 18)
        XCTAssertEqual(run["missing_files"] as? Int, 1)
        XCTAssertEqual(run["batches"] as? Int, 4)
        let bad = try handlet("purge", "--batch", "0")
        XCTAssertTrue(bad.stderr == "handlet: --batch 0: expected a whole number from 1 to 100000.\n", bad.stderr)
        let show = try json(handlet("retention", "show", "--json"))
        XCTAssertEqual((show["last_purge"] as? [String: Any])?["purged"] as? Int, 18)
        XCTAssertEqual((show["last_purge"] as? [String: Any])?["actor"] as? String, "system")
    }

    func testDisableDeleteNowNeedsYesThenDeletes() throws {
        let refused = try handlet("retention", "disable", "--delete-now", user: "owner@example.test")
        XCTAssertEqual(refused.status, 64)
        XCTAssertTrue(refused.stderr.contains("Refusing without --yes"), refused.stderr)
        XCTAssertEqual(try json(handlet("retention", "show", "--json"))["recording_enabled"] as? Bool, true)
        let done = try json(handlet("retention", "disable", "--delete-now", "--yes", "--json", user: "owner@example.test"))
        XCTAssertEqual((done["recording"] as? [String: Any])?["kept_on_hold"] as? Int, 2)
        XCTAssertEqual(((done["purge"] as? [String: Any])?["this_run"] as? [String: Any])?["purged"] as? Int, 28)
        XCTAssertEqual(try json(handlet("retention", "show", "--json"))["recording_enabled"] as? Bool, false)
        let enable = try handlet("retention", "enable", user: "admin@example.test")
        XCTAssertEqual(enable.stdout, "Recording is on for calls taken from now on.\n")
    }

    func testUsersList() throws {
        let outcome = try handlet("users", "list", "--json")
        XCTAssertEqual(outcome.status, 0, outcome.stderr)
        let users = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(outcome.stdout.utf8)) as? [[String: Any]])
        XCTAssertEqual(users.map { $0["role"] as? String }, ["owner", "admin", "agent", "viewer"])
        XCTAssertEqual(users.first?["email"] as? String, "owner@example.test")
        XCTAssertEqual(users.first?["disabled"] as? Bool, false)
        let table = try handlet("users", "list")
        XCTAssertTrue(table.stdout.contains("viewer  viewer@example.test"), table.stdout)
        XCTAssertEqual(table.stdout.split(separator: "\n").first?.components(separatedBy: "  ").filter { !$0.isEmpty }
                           .map { $0.trimmingCharacters(in: .whitespaces) },
                       UserDirectory.Listed.columns.headers(for: .plainText).map { $0.uppercased() })
    }
}
