import Foundation
import GRDB
@testable import HandletDomain
import XCTest
import HandletTestSupport

/// `handlet notices …` and `handlet compliance` as the real binary (issue 13): import with a
/// summary of failures, list/show with --json, diff, ack/object refusals with their exit statuses,
/// hostile text made safe, and compliance's exit status flipping.
final class NoticesCLITests: XCTestCase {
    private var folder: URL!
    private var database: String { folder.appendingPathComponent("workspace.sqlite").path }
    private var notices: URL { folder.appendingPathComponent("notices") }
    private let start = Date(timeIntervalSince1970: 1_767_225_600)

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("handlet-notices-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: notices, withIntermediateDirectories: true)
        let users = [("Olive Owner", "owner@example.test", Role.owner), ("Adam Admin", "admin@example.test", .admin),
                     ("Vic Viewer", "viewer@example.test", .viewer)]
        _ = try Workspace.create(at: URL(fileURLWithPath: database),
                                 workspace: WorkspaceRecord(name: "CLI", businessName: "CLI Ltd", timeZone: "UTC", createdAt: start),
                                 users: users.map { User(name: $0.0, email: $0.1, role: $0.2, createdAt: start) })
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: folder) }

    private func handlet(_ arguments: String..., user: String? = nil) throws -> HandletBinary.Outcome {
        try HandletBinary.run(arguments + ["--db", database], environment: ["HANDLET_USER": user ?? ""])
    }

    private func write(_ name: String, _ text: String) throws {
        try Data(text.utf8).write(to: notices.appendingPathComponent(name))
    }

    /// A subprocessor change published today (so its window is open) and effective in 40 days.
    private func change(id: String = "sub", version: String = "1", body: String = "# Change\n\nA new provider.") -> String {
        let day = ISO8601DateFormatter()
        day.formatOptions = [.withFullDate]
        return """
            ---
            id: \(id)
            kind: subprocessor_change
            title: Change \(id)
            version: \(version)
            published: \(day.string(from: Date()))
            effective: \(day.string(from: Date().addingTimeInterval(40 * 86_400)))
            needs-acknowledgement: no
            ---
            \(body)
            """
    }

    func testImportListShowAckAndTheRefusals() throws {
        try write("a-good.md", change())
        try write("b-bad.md", "---\nid: x\nkind: memo\n---\nbody")
        let imported = try handlet("notices", "import", notices.path, user: "admin@example.test")
        XCTAssertEqual(imported.status, 65, "a refused file makes the run exit 65")
        XCTAssertTrue(imported.stdout.contains("Imported a-good.md: sub version 1."), imported.stdout)
        XCTAssertTrue(imported.stdout.contains("1 imported, 0 already present, 1 refused: b-bad.md."), imported.stdout)
        XCTAssertTrue(imported.stderr.contains("handlet: b-bad.md:3: unknown kind \"memo\""), imported.stderr)
        XCTAssertTrue(imported.stderr.hasSuffix("handlet: 1 file refused: b-bad.md\n"), imported.stderr)

        let list = try handlet("notices", "list", "--json")
        XCTAssertEqual(list.status, 0, list.stderr)
        let rows = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(list.stdout.utf8)) as? [[String: Any]])
        XCTAssertEqual(rows.count, 1)
        XCTAssertEqual(rows[0]["name"] as? String, "sub")
        XCTAssertEqual(rows[0]["state"] as? String, "new")
        XCTAssertEqual(rows[0]["answer_needed"] as? String, "object_or_accept")
        XCTAssertEqual((rows[0]["sha256"] as? String)?.count, 64)

        // Objecting as an admin: owners only (77); without a reason: usage (64).
        let asAdmin = try handlet("notices", "object", "sub", "--reason", "EU only", user: "admin@example.test")
        XCTAssertEqual(asAdmin.status, 77)
        XCTAssertEqual(asAdmin.stderr, "handlet: Only owner may object to a subprocessor change; you are admin.\n")
        let blank = try handlet("notices", "object", "sub", "--reason", " ", user: "owner@example.test")
        XCTAssertEqual(blank.status, 64, blank.stderr)

        let objected = try handlet("notices", "object", "sub", "--reason", "We need UK-only processing", "--json", user: "owner@example.test")
        XCTAssertEqual(objected.status, 0, objected.stderr)
        let answer = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(objected.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(answer["user"] as? String, "owner@example.test")
        XCTAssertEqual(answer["response"] as? String, "objected")
        XCTAssertEqual(answer["sha256"] as? String, rows[0]["sha256"] as? String)

        let show = try handlet("notices", "show", "sub@1")
        XCTAssertEqual(show.status, 0, show.stderr)
        XCTAssertTrue(show.stdout.contains("state: objected"), show.stdout)
        XCTAssertTrue(show.stdout.contains("Objected by owner@example.test"), show.stdout)
        let again = try handlet("notices", "ack", "sub", user: "admin@example.test")
        XCTAssertEqual(again.status, 77)
        XCTAssertEqual(again.stderr, "handlet: Version 1 was already objected by owner@example.test.\n")

        let events = try handlet("audit", "list", "--action", "notice.objected", "--json")
        XCTAssertTrue(events.stdout.contains("notice.objected") && !events.stdout.contains("UK-only"), events.stdout)

        // The same id and version with other text is refused with file and line.
        try FileManager.default.removeItem(at: notices.appendingPathComponent("b-bad.md"))
        try write("a-good.md", change(body: "Different words."))
        let changed = try handlet("notices", "import", notices.path, user: "admin@example.test")
        XCTAssertEqual(changed.status, 65)
        XCTAssertTrue(changed.stderr.contains("a-good.md:5: notice sub version 1 is already imported with other text"), changed.stderr)
        let missing = try handlet("notices", "show", "nope")
        XCTAssertEqual(missing.status, 65)
        XCTAssertEqual(missing.stderr.split(separator: "\n").count, 1)
    }

    func testDiffIsUnifiedAndPlainWhenNotATerminalAndHostileTextIsMadeSafe() throws {
        try write("1.md", change(body: "Line one\nLine two"))
        try write("2.md", change(version: "2", body: "Line one\nLine \u{1B}]0;owned\u{07}two\u{202E}"))
        XCTAssertEqual(try handlet("notices", "import", notices.path, user: "owner@example.test").status, 0)
        let diff = try handlet("notices", "diff", "sub")
        XCTAssertEqual(diff.status, 0, diff.stderr)
        XCTAssertFalse(diff.stdout.contains("\u{1B}"), "no escape reaches a pipe: \(diff.stdout.debugDescription)")
        XCTAssertFalse(diff.stdout.contains("\u{202E}"))
        XCTAssertEqual(diff.stdout.split(separator: "\n").map(String.init),
                       ["--- sub version 1", "+++ sub version 2", "@@ -1,2 +1,2 @@", " Line one", "-Line two", "+Line ␛]0;owned␇two<RLO>"])
        let coloured = try handlet("notices", "diff", "sub", "--color")
        XCTAssertTrue(coloured.stdout.contains("\u{1B}[31m-Line two\u{1B}[0m"), coloured.stdout.debugDescription)
        XCTAssertFalse(coloured.stdout.contains("\u{1B}]0;"), "the notice's own escape stays neutralised")
        let show = try handlet("notices", "show", "sub")
        XCTAssertFalse(show.stdout.contains("\u{1B}"))
        let none = try handlet("notices", "diff", "sub@1")
        XCTAssertEqual(none.status, 65)
    }

    func testComplianceExitsOneWhileAnyDutyFailsAndZeroOnceAllHold() throws {
        let failing = try handlet("compliance", "--json")
        XCTAssertEqual(failing.status, 1)
        XCTAssertEqual(failing.stderr, "handlet: 3 duties failing, 0 processor promises broken\n")
        let report = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(failing.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(report["failing"] as? Bool, true)
        let duties = try XCTUnwrap(report["duties"] as? [[String: Any]])
        XCTAssertEqual(duties.map { $0["duty"] as? String }, ["lawful_basis", "caller_notice", "marketing_consent", "auto_send",
                                                             "account_access", "data_subject_requests", "special_category"])
        XCTAssertEqual(duties.first { $0["duty"] as? String == "auto_send" }?["status"] as? String, "not_in_use")
        XCTAssertEqual(duties.first { $0["duty"] as? String == "data_subject_requests" }?["status"] as? String, "none_recorded")

        for purpose in ["call_handling", "call-recording", "messaging", "marketing"] {
            let set = try handlet("compliance", "basis", purpose, purpose == "marketing" ? "consent" : "contract", user: "admin@example.test")
            XCTAssertEqual(set.status, 0, set.stderr)
        }
        XCTAssertEqual(try handlet("compliance", "basis", "gossip", "contract", user: "admin@example.test").status, 64)
        XCTAssertEqual(try handlet("compliance", "caller-notice", "AI assistant; calls recorded", user: "viewer@example.test").status, 77)
        XCTAssertEqual(try handlet("compliance", "caller-notice", "AI assistant; calls recorded", user: "admin@example.test").status, 0)
        // Every user opens the console (its session start is the sign-in the access review reads).
        let workspace = try Workspace.open(at: URL(fileURLWithPath: database))
        for email in ["owner@example.test", "admin@example.test", "viewer@example.test"] {
            try workspace.session(actingAs: email, otherwise: .refuse).perform(.consoleSessionStarted(session: "t", clientAddress: nil))
        }
        let passing = try handlet("compliance")
        XCTAssertEqual(passing.status, 0, passing.stdout)
        XCTAssertTrue(passing.stdout.hasPrefix("STATUS"), passing.stdout)
        XCTAssertFalse(passing.stdout.contains("FAILING"))
    }

    /// Issue 28: a notice's title changed by SQL after it was acknowledged (the issue's example
    /// changed its body): `notices show` says it was tampered with above the text, its JSON says
    /// so, `compliance` counts a broken promise, and answering it is refused.
    func testATitleChangedBySQLShowsAsTamperingAndFailsCompliance() throws {
        try write("a-good.md", change())
        try write("b-dpa.md", "---\nid: dpa\nkind: dpa\ntitle: DPA\nversion: 1\npublished: 2026-01-01\neffective: 2026-01-02\nneeds-acknowledgement: yes\n---\nThe terms.")
        XCTAssertEqual(try handlet("notices", "import", notices.path, user: "admin@example.test").status, 0)
        XCTAssertEqual(try handlet("notices", "ack", "sub", "--yes", user: "owner@example.test").status, 0)
        let clean = try handlet("compliance", "--json")
        XCTAssertTrue(clean.stderr.contains("0 processor promises broken"), clean.stderr)
        XCTAssertFalse(try handlet("notices", "show", "sub").stdout.contains("TAMPERED"))

        let queue = try DatabaseQueue(path: database)
        try queue.write { db in
            try db.execute(sql: "UPDATE notices SET title = 'Change sub (no new provider)' WHERE notice_key = 'sub'")
            try db.execute(sql: "UPDATE notices SET body = 'The terms, softened.' WHERE notice_key = 'dpa'")
        }
        try queue.close()
        for key in ["sub", "dpa"] {
            let show = try handlet("notices", "show", key)
            XCTAssertEqual(show.status, 0, show.stderr)
            XCTAssertTrue(show.stdout.hasPrefix("TAMPERED: the stored text of this notice does not match the SHA-256"), show.stdout)
            let json = try handlet("notices", "show", key, "--json")
            XCTAssertTrue(json.stdout.contains("\"tampered\" : true"), json.stdout)
        }
        let compliance = try handlet("compliance", "--json")
        XCTAssertEqual(compliance.status, 1)
        XCTAssertTrue(compliance.stderr.contains("2 processor promises broken"), compliance.stderr)
        XCTAssertTrue(compliance.stdout.contains("text_as_imported"), compliance.stdout)
        let ack = try handlet("notices", "ack", "dpa", "--yes", user: "owner@example.test")
        XCTAssertEqual(ack.status, 65, ack.stderr)
        XCTAssertTrue(ack.stderr.contains("changed in the database"), ack.stderr)
    }
}
