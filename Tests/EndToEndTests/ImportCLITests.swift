import Foundation
import GRDB
@testable import HandletDomain
import XCTest
import HandletTestSupport

/// Issue 24 through the real binary: export → import into an empty workspace round-trips, a
/// SIGKILL mid-import leaves whole batches and a re-run finishes without duplicates, imported
/// control characters never reach the terminal raw, and the exit statuses.
final class ImportCLITests: XCTestCase {
    private var root: URL!
    private static let now = "1795435200"
    private static let owner = "me@shop.example"

    override func setUpWithError() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("handlet-import-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: root) }

    private func handlet(_ arguments: [String], user: String? = nil, environment: [String: String] = [:]) throws -> HandletBinary.Outcome {
        var env = ["HANDLET_TEST_NOW": Self.now]
        if let user { env["HANDLET_USER"] = user }
        for (key, value) in environment { env[key] = value }
        return try HandletBinary.run(arguments, environment: env, timeout: 300)
    }

    private func newWorkspace(_ name: String) throws -> String {
        let database = root.appendingPathComponent("\(name).sqlite").path
        let made = try handlet(["init", "--db", database, "--name", "Shop", "--owner", Self.owner])
        XCTAssertEqual(made.status, 0, made.stderr)
        return database
    }

    private func scalar(_ database: String, _ sql: String) throws -> Int {
        let queue = try DatabaseQueue(path: database)
        defer { try? queue.close() }
        return try queue.read { db in try Int.fetchOne(db, sql: sql) ?? 0 }
    }

    /// A review picked as one contact's (as `dsr reviews --pick` does), so the pick travels with an export.
    private func pickAReview(_ database: String) throws {
        let queue = try DatabaseQueue(path: database)
        defer { try? queue.close() }
        try queue.write { db in
            try db.execute(sql: """
                INSERT INTO review_authors (review_id, contact_id, attributed_at)
                VALUES ((SELECT MIN(id) FROM reviews), (SELECT MIN(id) FROM contacts WHERE phone IS NOT NULL), 1796000000)
                """)
        }
    }

    /// Each line as a JSON object without the recording's path (which names each workspace's own folder).
    private func records(_ path: String) throws -> [NSDictionary] {
        try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map { line in
            let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            return object.filter { $0.key != "recording" } as NSDictionary
        }
    }

    /// A SHA-256 over the rows `sql` selects, sorted (row order and ids differ between workspaces).
    private func contentHash(_ database: String, _ sql: String) throws -> String {
        let queue = try DatabaseQueue(path: database)
        defer { try? queue.close() }
        let lines = try queue.read { db in
            try Row.fetchAll(db, sql: sql).map { row in row.databaseValues.map { $0.description }.joined(separator: "\u{1F}") }
        }
        return SHA256Hex.of(Data(lines.sorted().joined(separator: "\n").utf8))
    }

    private static let contact = "(SELECT name || '|' || COALESCE(phone, '') FROM contacts k WHERE k.id = %@)"
    private static func user(_ column: String) -> String { "(SELECT email FROM users u WHERE u.id = \(column))" }

    /// Each table's content, ids aside (users by email, contacts by name and phone), for "the same records".
    private static let contents: [String: String] = [
        "contacts": "SELECT name, phone, email, opted_out_at, opt_out_keyword, restricted_at, restriction_reason, objected_at, created_at FROM contacts",
        "marketing_consents": "SELECT \(contact.replacingOccurrences(of: "%@", with: "contact_id")), channel, given_at, method, withdrawn_at FROM marketing_consents",
        "calls": """
            SELECT external_id, direction, from_number, to_number, \(contact.replacingOccurrences(of: "%@", with: "contact_id")), started_at,
                duration_seconds, handled_by, \(user("staff_user_id")), outcome, summary, transcript, transcript_timing, job_details,
                recording_state, recording_purged_at FROM calls
            """,
        "recordings": """
            SELECT (SELECT external_id FROM calls c WHERE c.id = call_id), bytes, duration_ms, sha256, created_at, expires_at, legal_hold,
                hold_reason, \(user("held_by")), held_at FROM recordings WHERE purged_at IS NULL
            """,
        "messages": """
            SELECT channel, direction, from_address, to_address, \(contact.replacingOccurrences(of: "%@", with: "contact_id")), body, sent_at,
                delivery_status, attachments, auto_sent FROM messages
            """,
        "threads": "SELECT \(contact.replacingOccurrences(of: "%@", with: "contact_id")), channel, subject, last_activity_at, unread_count, message_count FROM threads",
        "reviews": "SELECT source, author, stars, text, posted_at, reply_text, replied_at FROM reviews",
        "review_authors": """
            SELECT (SELECT author || '|' || posted_at FROM reviews r WHERE r.id = review_id),
                \(contact.replacingOccurrences(of: "%@", with: "contact_id")) FROM review_authors
            """,
        "data_subject_requests": """
            SELECT \(contact.replacingOccurrences(of: "%@", with: "contact_id")), type, received_at, due_at, status, \(user("completed_by")),
                completed_at, notes, first_due_at, extension_reason, \(user("extended_by")), extended_at FROM data_subject_requests
            """,
    ]

    func testExportThenImportIntoAnEmptyWorkspaceRoundTrips() throws {
        let demo = root.appendingPathComponent("demo.sqlite").path
        let made = try handlet(["demo", "--calls", "60", "--messages", "80", "--db", demo])
        XCTAssertEqual(made.status, 0, made.stderr)
        // A legal hold, so one travels with its recording.
        let held = try rows(demo, "SELECT c.external_id FROM calls c JOIN recordings r ON r.call_id = c.id WHERE r.purged_at IS NULL ORDER BY c.id LIMIT 1")
        let hold = try handlet(["hold", try XCTUnwrap(held.first), "--reason", "Dispute over invoice 1142", "--db", demo],
                               user: "owner@kestrelhomeservices.co.uk")
        XCTAssertEqual(hold.status, 0, hold.stderr)
        try pickAReview(demo)
        let first = root.appendingPathComponent("first.jsonl").path
        let exported = try handlet(["export", "jsonl", first, "--db", demo])
        XCTAssertEqual(exported.status, 0, exported.stderr)
        XCTAssertTrue(exported.stdout.contains("Exported"), exported.stdout)

        let copy = try newWorkspace("copy")
        // Users are named by email (who took a call, held a recording, completed a request) and
        // linked when the workspace has them: an import never creates users, so add them first.
        let demoQueue = try DatabaseQueue(path: demo)
        let users = try demoQueue.read { db in try Row.fetchAll(db, sql: "SELECT email, name, role FROM users ORDER BY id") }
        try demoQueue.close()
        for user in users {
            let added = try handlet(["users", "add", user["email"] as String, "--name", user["name"] as String,
                                     "--role", user["role"] as String, "--db", copy], user: Self.owner)
            XCTAssertEqual(added.status, 0, added.stderr)
        }
        let imported = try handlet(["import", "jsonl", first, "--db", copy], user: Self.owner)
        XCTAssertEqual(imported.status, 0, imported.stderr + imported.stdout)
        XCTAssertTrue(imported.stdout.contains("0 lines rejected"), imported.stdout)
        let second = root.appendingPathComponent("second.jsonl").path
        XCTAssertEqual(try handlet(["export", "jsonl", second, "--db", copy]).status, 0)

        let before = try records(first), after = try records(second)
        XCTAssertGreaterThan(before.count, 100)
        XCTAssertTrue(before.filter { $0["type"] as? String == "message" }.allSatisfy { $0["thread"] is String }, "each message names its thread")
        XCTAssertEqual(before.count, after.count)
        for (index, (original, copied)) in zip(before, after).enumerated() where original != copied {
            XCTFail("line \(index + 1) differs:\n\(original)\n\(copied)")
            break
        }
        for table in ["contacts", "calls", "messages", "recordings", "marketing_consents", "reviews", "data_subject_requests"] {
            XCTAssertEqual(try scalar(demo, "SELECT COUNT(*) FROM \(table) \(table == "recordings" ? "WHERE purged_at IS NULL" : "")"),
                           try scalar(copy, "SELECT COUNT(*) FROM \(table)"), table)
        }
        // Every record type of DESIGN §3 the demo makes is in the file, each with its own lines.
        for type in ["contact", "call", "message", "review", "request"] {
            XCTAssertTrue(before.contains { $0["type"] as? String == type }, "the export has \(type) lines")
        }
        // The same records: each table's content (ids aside, users by email, contacts by phone and
        // name) hashes the same in both workspaces.
        for (table, sql) in Self.contents.sorted(by: { $0.key < $1.key }) {
            XCTAssertEqual(try contentHash(demo, sql), try contentHash(copy, sql), "\(table): the same records")
        }
        XCTAssertGreaterThan(try scalar(copy, "SELECT COUNT(*) FROM legal_hold_history"), 0, "held recordings keep their hold")
        XCTAssertEqual(try scalar(copy, "SELECT COUNT(*) FROM review_authors"), 1, "the picked review is still that person's")
        // Threads come with their messages (a thread without any is not exported).
        XCTAssertEqual(try scalar(demo, "SELECT COUNT(DISTINCT thread_id) FROM messages"), try scalar(copy, "SELECT COUNT(*) FROM threads"))
        // The same audio, byte for byte: every copied file hashes to the SHA-256 stored with it.
        let queue = try DatabaseQueue(path: copy)
        defer { try? queue.close() }
        let stored = try queue.read { db in try Row.fetchAll(db, sql: "SELECT file_path, sha256 FROM recordings") }
        XCTAssertFalse(stored.isEmpty, "the demo has recordings to carry over")
        let audio = Workspace.audioDirectory(for: URL(fileURLWithPath: copy))
        for row in stored {
            let data = try Data(contentsOf: audio.appendingPathComponent(row["file_path"] as String))
            XCTAssertEqual(SHA256Hex.of(data), row["sha256"] as String)
        }
        // Importing the same export again adds nothing.
        let again = try handlet(["import", "jsonl", first, "--db", copy, "--json"], user: Self.owner)
        XCTAssertEqual(again.status, 0, again.stderr)
        let summary = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(again.stdout.utf8)) as? [String: Any])
        let total = try XCTUnwrap(summary["total"] as? [String: Any])
        XCTAssertEqual(total["imported"] as? Int, 0)
        XCTAssertEqual(total["duplicates"] as? Int, before.count)
    }

    /// Every table's content hash and row count, for "nothing was added".
    private func state(_ database: String) throws -> [String] {
        var lines: [String] = []
        for (table, sql) in Self.contents.sorted(by: { $0.key < $1.key }) {
            let rows = try scalar(database, "SELECT COUNT(*) FROM (\(sql))")
            let hash = try contentHash(database, sql)
            lines.append("\(table): \(rows) \(hash)")
        }
        for table in ["legal_hold_history", "review_authors", "marketing_consents", "threads", "recordings"] {
            let rows = try scalar(database, "SELECT COUNT(*) FROM \(table)")
            lines.append("\(table) rows: \(rows)")
        }
        return lines
    }

    private func importedJSON(_ outcome: HandletBinary.Outcome) throws -> [String: Any] {
        XCTAssertEqual(outcome.status, 0, outcome.stderr)
        let summary = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(outcome.stdout.utf8)) as? [String: Any], outcome.stdout)
        return try XCTUnwrap(summary["total"] as? [String: Any])
    }

    /// Issue 24's idempotence, whatever made the records: a workspace's export imported back into
    /// it adds nothing (records that arrived live, or the demo's, are named by the workspace's own
    /// ids and recognised as its own); a later export that overlaps an earlier one adds only the
    /// new records to a workspace that took the earlier one, and nothing to either workspace.
    func testAnExportImportedIntoItsOwnWorkspaceAddsNothingAndALaterOneOnlyTheNew() throws {
        let demo = root.appendingPathComponent("demo.sqlite").path
        let demoOwner = "owner@kestrelhomeservices.co.uk"
        XCTAssertEqual(try handlet(["demo", "--calls", "60", "--messages", "80", "--db", demo]).status, 0)
        let held = try rows(demo, "SELECT c.external_id FROM calls c JOIN recordings r ON r.call_id = c.id WHERE r.purged_at IS NULL ORDER BY c.id LIMIT 1")
        XCTAssertEqual(try handlet(["hold", try XCTUnwrap(held.first), "--reason", "Dispute", "--db", demo], user: demoOwner).status, 0)
        try pickAReview(demo)
        let first = root.appendingPathComponent("first.jsonl").path
        XCTAssertEqual(try handlet(["export", "jsonl", first, "--db", demo]).status, 0)
        let firstLines = try records(first)
        for type in ["contact", "call", "message", "review", "request"] {
            XCTAssertTrue(firstLines.contains { $0["type"] as? String == type }, "the export has \(type) lines")
        }
        let before = try state(demo)
        let back = try importedJSON(try handlet(["import", "jsonl", first, "--db", demo, "--json"], user: demoOwner))
        XCTAssertEqual(back["imported"] as? Int, 0, "\(back)")
        XCTAssertEqual(back["contacts_created"] as? Int, 0)
        XCTAssertEqual(back["recordings"] as? Int, 0)
        XCTAssertEqual(back["duplicates"] as? Int, firstLines.count)
        XCTAssertEqual(try state(demo), before, "an export imported into its own workspace adds nothing")

        // A second workspace takes the first export.
        let copy = try newWorkspace("copy")
        let taken = try importedJSON(try handlet(["import", "jsonl", first, "--db", copy, "--json"], user: Self.owner))
        XCTAssertEqual(taken["duplicates"] as? Int, 0)
        let copyBefore = try state(copy)
        // New records reach the demo (one of each type), then a later export overlaps the first.
        let extra = root.appendingPathComponent("extra.jsonl")
        try Data("""
            {"type":"contact","id":"crm-new","name":"Newly Here","email":"newly.here@example.org"}
            {"type":"call","id":"CA-new-1","direction":"inbound","from":"+441632960999","to":"01134960000","started_at":"2026-11-01T09:30:00Z","duration_seconds":40,"outcome":"message_taken","contact":"crm-new"}
            {"type":"message","id":"mail-new-1","channel":"email","direction":"inbound","from":"newly.here@example.org","to":"office@kestrel.example","sent_at":"2026-11-01T10:00:00Z","body":"Hello","contact":"crm-new"}
            {"type":"review","id":"rev-new","source":"google","author":"Newly Here","stars":5,"text":"Great","posted_at":"2026-11-02T10:00:00Z"}
            {"type":"request","id":"req-new","contact":"crm-new","request_type":"access","received_at":"2026-11-03T10:00:00Z","due_at":"2026-12-03T10:00:00Z"}

            """.utf8).write(to: extra)
        let added = try importedJSON(try handlet(["import", "jsonl", extra.path, "--db", demo, "--json"], user: demoOwner))
        XCTAssertEqual(added["imported"] as? Int, 5)
        let second = root.appendingPathComponent("second.jsonl").path
        XCTAssertEqual(try handlet(["export", "jsonl", second, "--db", demo]).status, 0)
        let secondLines = try records(second)
        XCTAssertEqual(secondLines.count, firstLines.count + 5)
        let onlyNew = try importedJSON(try handlet(["import", "jsonl", second, "--db", copy, "--json"], user: Self.owner))
        XCTAssertEqual(onlyNew["imported"] as? Int, 5, "only the new records: \(onlyNew)")
        XCTAssertEqual(onlyNew["duplicates"] as? Int, firstLines.count)
        XCTAssertEqual(onlyNew["contacts_created"] as? Int, 1, "the new contact only")
        XCTAssertEqual(try scalar(copy, "SELECT COUNT(*) FROM calls"), try scalar(demo, "SELECT COUNT(*) FROM calls"))
        XCTAssertEqual(try scalar(copy, "SELECT COUNT(*) FROM messages"), try scalar(demo, "SELECT COUNT(*) FROM messages"))
        XCTAssertNotEqual(try state(copy), copyBefore)
        let demoBefore = try state(demo)
        let none = try importedJSON(try handlet(["import", "jsonl", second, "--db", demo, "--json"], user: demoOwner))
        XCTAssertEqual(none["imported"] as? Int, 0, "\(none)")
        // The copy's own export names the demo's records as the demo did: nothing new to the demo either.
        let third = root.appendingPathComponent("third.jsonl").path
        XCTAssertEqual(try handlet(["export", "jsonl", third, "--db", copy]).status, 0)
        let fromCopy = try importedJSON(try handlet(["import", "jsonl", third, "--db", demo, "--json"], user: demoOwner))
        XCTAssertEqual(fromCopy["imported"] as? Int, 0, "\(fromCopy)")
        XCTAssertEqual(try state(demo), demoBefore)
    }

    /// A batch of 10 calls killed (SIGKILL, by the test hook) before, between and after its
    /// statements: the workspace holds the batches before it, whole, and running the same import
    /// again completes it without a duplicate.
    func testSigkillMidImportLeavesWholeBatchesAndARerunFinishes() throws {
        let lines = (0..<60).map { index in
            #"{"type":"call","id":"CA\#(index)","direction":"inbound","from":"07700 9\#(String(format: "%05d", index))","to":"01134960000","started_at":"2026-03-01T09:\#(String(format: "%02d", index)):00Z","duration_seconds":\#(index),"outcome":"message_taken","summary":"Leak under sink \#(index)"}"#
        }
        let file = root.appendingPathComponent("calls.jsonl")
        try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: file)
        for (kill, rebuild) in [("2:0", false), ("2:1", false), ("2:37", false), ("3:12", true)] {
            let database = try newWorkspace("kill-\(kill.replacingOccurrences(of: ":", with: "-"))-\(rebuild)")
            let arguments = ["import", "jsonl", file.path, "--db", database, "--batch", "10", "--rebuild-search", String(rebuild)]
            let killed = try handlet(arguments, user: Self.owner, environment: ["HANDLET_TEST_IMPORT_KILL": kill])
            XCTAssertEqual(killed.status, SIGKILL, "\(kill): killed by the hook: \(killed.stderr)")
            let batches = Int(kill.split(separator: ":")[0])!
            XCTAssertEqual(try scalar(database, "SELECT COUNT(*) FROM calls"), batches * 10, kill)
            XCTAssertEqual(try scalar(database, "SELECT COUNT(*) FROM audit_events WHERE action = 'records.imported'"), batches, kill)
            let rerun = try handlet(arguments, user: Self.owner)
            XCTAssertEqual(rerun.status, 0, "\(kill): \(rerun.stderr)")
            XCTAssertTrue(rerun.stdout.contains("Imported \(60 - batches * 10) records"), rerun.stdout)
            XCTAssertTrue(rerun.stdout.contains("\(batches * 10) duplicates skipped"), rerun.stdout)
            XCTAssertEqual(try scalar(database, "SELECT COUNT(*) FROM calls"), 60)
            XCTAssertEqual(try scalar(database, "SELECT COUNT(DISTINCT external_id) FROM calls"), 60)
            XCTAssertEqual(try scalar(database, "SELECT COUNT(*) FROM call_fts WHERE call_fts MATCH 'sink'"), 60, kill)
            XCTAssertEqual(try scalar(database, "SELECT COUNT(*) FROM import_suspended_triggers"), 0)
            XCTAssertEqual(try scalar(database, "SELECT count FROM record_counts WHERE table_name = 'calls'"), 60)
        }
    }

    /// Calls with recordings, killed (SIGKILL, by the test hook) at every statement of the second
    /// batch's transaction and just after its commit: at no point is there a recording file in
    /// the audio folder that no row names (a killed copy waits in `.importing/`), and the next
    /// import finishes it: every stored row's file in place with its hash, nothing staged left.
    func testSigkillDuringRecordingCopiesNeverLeavesAnOrphanFile() throws {
        let source = root.appendingPathComponent("in", isDirectory: true)
        try FileManager.default.createDirectory(at: source, withIntermediateDirectories: true)
        var lines: [String] = []
        for index in 0..<6 {
            try Data((0..<(2048 + index)).map { UInt8(($0 + index) % 251) }).write(to: source.appendingPathComponent("CA\(index).wav"))
            lines.append(#"{"type":"call","id":"CA\#(index)","direction":"inbound","from":"07700 90000\#(index)","to":"01134960000","started_at":"2026-03-01T09:0\#(index):00Z","duration_seconds":\#(index + 1),"outcome":"message_taken","recording":"CA\#(index).wav"}"#)
        }
        let file = source.appendingPathComponent("calls.jsonl")
        try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: file)
        var statements = 0
        var finishedUnkilled = false
        while !finishedUnkilled {
            let database = try newWorkspace("rec-kill-\(statements)")
            let audio = Workspace.audioDirectory(for: URL(fileURLWithPath: database))
            let arguments = ["import", "jsonl", file.path, "--db", database, "--batch", "2", "--rebuild-search", "false"]
            let killed = try handlet(arguments, user: Self.owner, environment: ["HANDLET_TEST_IMPORT_KILL": "1:\(statements)"])
            if killed.status == 0 {
                finishedUnkilled = true   // past the batch's last statement and its commit: the hook never fired
            } else {
                XCTAssertEqual(killed.status, SIGKILL, "1:\(statements): \(killed.stderr)")
            }
            // No file in place that no row names.
            let named = Set(try rows(database, "SELECT file_path FROM recordings"))
            let placed = Set(try audioFiles(audio).filter { !$0.hasPrefix(".importing/") })
            XCTAssertTrue(placed.isSubset(of: named), "1:\(statements): orphan files \(placed.subtracting(named))")
            // The next import finishes: all six calls, each with its file, hash right, nothing staged.
            let rerun = try handlet(arguments, user: Self.owner)
            XCTAssertEqual(rerun.status, 0, "1:\(statements): \(rerun.stderr)")
            XCTAssertEqual(try scalar(database, "SELECT COUNT(*) FROM calls"), 6, "1:\(statements)")
            let queue = try DatabaseQueue(path: database)
            let stored = try queue.read { db in try Row.fetchAll(db, sql: "SELECT file_path, sha256 FROM recordings") }
            try queue.close()
            XCTAssertEqual(stored.count, 6, "1:\(statements)")
            XCTAssertEqual(Set(try audioFiles(audio)), Set(stored.map { $0["file_path"] as String }), "1:\(statements)")
            for row in stored {
                let data = try Data(contentsOf: audio.appendingPathComponent(row["file_path"] as String))
                XCTAssertEqual(SHA256Hex.of(data), row["sha256"] as String, "1:\(statements)")
            }
            statements += 1
            if statements > 200 { XCTFail("the second batch never finished"); break }
        }
        XCTAssertGreaterThan(statements, 5, "the hook landed inside the batch")
    }

    private func rows(_ database: String, _ sql: String) throws -> [String] {
        let queue = try DatabaseQueue(path: database)
        defer { try? queue.close() }
        return try queue.read { db in try String.fetchAll(db, sql: sql) }
    }

    /// Every regular file under the audio folder, relative to it.
    private func audioFiles(_ audio: URL) throws -> [String] {
        guard let walker = FileManager.default.enumerator(atPath: audio.path) else { return [] }
        var found: [String] = []
        while let relative = walker.nextObject() as? String {
            var isFolder: ObjCBool = false
            if FileManager.default.fileExists(atPath: audio.appendingPathComponent(relative).path, isDirectory: &isFolder),
               !isFolder.boolValue { found.append(relative) }
        }
        return found
    }

    func testImportedControlCharactersNeverReachTheTerminalRaw() throws {
        let database = try newWorkspace("hostile")
        let file = root.appendingPathComponent("hostile.jsonl")
        try Data("""
            {"type":"contact","id":"x","name":"Jo\\u001b]0;owned\\u0007 Bloggs\\u001b[31m","phone":"07700900123"}
            {"type":"bogus\\u001b[2J"}

            """.utf8).write(to: file)
        let imported = try handlet(["import", "jsonl", file.path, "--db", database], user: Self.owner)
        XCTAssertEqual(imported.status, 65, imported.stderr)
        XCTAssertTrue(imported.stderr.contains("hostile.jsonl:2: type \"bogus"), imported.stderr)
        XCTAssertFalse(imported.stderr.contains("\u{1B}"), "the rejected line's text is made safe")
        let listed = try handlet(["contacts", "list", "--db", database])
        XCTAssertEqual(listed.status, 0, listed.stderr)
        XCTAssertTrue(listed.stdout.contains("Jo"), listed.stdout)
        XCTAssertFalse(listed.stdout.contains("\u{1B}"), listed.stdout)
        XCTAssertFalse(listed.stdout.contains("\u{07}"), listed.stdout)
        // Stored exactly as given.
        let queue = try DatabaseQueue(path: database)
        defer { try? queue.close() }
        XCTAssertEqual(try queue.read { db in try String.fetchOne(db, sql: "SELECT name FROM contacts") },
                       "Jo\u{1B}]0;owned\u{07} Bloggs\u{1B}[31m")
    }

    func testStatusesAndSummaries() throws {
        let database = try newWorkspace("statuses")
        let file = root.appendingPathComponent("mixed.jsonl")
        try Data("""
            {"type":"contact","id":"c1","name":"Jo","phone":"07700900123"}
            {"type":"call","id":"CA1","direction":"inbound","from":"07700900123","to":"01134960000","started_at":"2026-03-01T09:00:00Z","duration_seconds":10,"outcome":"missed"}
            {"type":"call"

            """.utf8).write(to: file)
        let strict = try handlet(["import", "jsonl", file.path, "--db", database, "--strict"], user: Self.owner)
        XCTAssertEqual(strict.status, 65)
        XCTAssertTrue(strict.stdout.contains("Nothing imported (--strict): 1 line was rejected."), strict.stdout)
        XCTAssertEqual(try scalar(database, "SELECT COUNT(*) FROM calls"), 0)
        let dry = try handlet(["import", "jsonl", file.path, "--db", database, "--dry-run"], user: Self.owner)
        XCTAssertTrue(dry.stdout.contains("Dry run, nothing changed: would import 2 records from 1 file (1 contact, 1 call, 0 messages)."),
                      dry.stdout)
        XCTAssertEqual(try scalar(database, "SELECT COUNT(*) FROM contacts"), 0)
        let normal = try handlet(["import", "jsonl", file.path, "--db", database], user: Self.owner)
        XCTAssertEqual(normal.status, 65, "some lines were rejected")
        XCTAssertTrue(normal.stdout.contains("Imported 2 records from 1 file (1 contact, 1 call, 0 messages)."), normal.stdout)
        XCTAssertTrue(normal.stdout.contains("Rejected lines of \(file.path) are in \(file.path).rejects."), normal.stdout)
        XCTAssertEqual(try String(contentsOf: URL(fileURLWithPath: file.path + ".rejects"), encoding: .utf8),
                       "# \(file.path):3: the line is not valid JSON\n{\"type\":\"call\"\n")
        let agent = try handlet(["import", "jsonl", file.path, "--db", database], user: "nobody@shop.example")
        XCTAssertEqual(agent.status, 77)
        let noUser = try handlet(["import", "jsonl", file.path, "--db", database])
        XCTAssertEqual(noUser.status, 64)
        XCTAssertTrue(noUser.stderr.contains("No acting user"), noUser.stderr)
    }

    /// Recording off: the summary (text and --json) says how many recordings were not kept and
    /// why, and that one under a legal hold was kept all the same.
    func testRecordingsNotKeptWithRecordingOffAreCounted() throws {
        let database = try newWorkspace("off")
        let off = try handlet(["retention", "disable", "--db", database], user: Self.owner)
        XCTAssertEqual(off.status, 0, off.stderr)
        try Data(repeating: 7, count: 2048).write(to: root.appendingPathComponent("a.wav"))
        try Data(repeating: 9, count: 2048).write(to: root.appendingPathComponent("b.wav"))
        let file = root.appendingPathComponent("recorded.jsonl")
        let call = #"{"type":"call","id":"ID","direction":"inbound","from":"07700900123","to":"01134960000","started_at":"2026-03-01T09:00:00Z","duration_seconds":10,"outcome":"message_taken","recording":"FILE"EXTRA}"#
        try Data((call.replacingOccurrences(of: "ID", with: "CA1").replacingOccurrences(of: "FILE", with: "a.wav")
                    .replacingOccurrences(of: "EXTRA", with: "") + "\n"
                  + call.replacingOccurrences(of: "ID", with: "CA2").replacingOccurrences(of: "FILE", with: "b.wav")
                    .replacingOccurrences(of: "EXTRA", with: #","legal_hold":{"reason":"Claim","held_at":"2026-03-02T09:00:00Z"}"#)
                  + "\n").utf8).write(to: file)
        let dry = try handlet(["import", "jsonl", file.path, "--db", database, "--dry-run"], user: Self.owner)
        XCTAssertTrue(dry.stdout.contains("1 recording not kept (recording is off in this workspace)"), dry.stdout)
        XCTAssertTrue(dry.stdout.contains("1 recording under a legal hold kept although recording is off"), dry.stdout)
        let imported = try importedJSON(try handlet(["import", "jsonl", file.path, "--db", database, "--json"], user: Self.owner))
        XCTAssertEqual(imported["calls"] as? Int, 2)
        XCTAssertEqual(imported["recordings"] as? Int, 1)
        XCTAssertEqual(imported["recordings_not_kept"] as? Int, 1)
        XCTAssertEqual(imported["held_recordings_kept"] as? Int, 1)
        XCTAssertEqual(try scalar(database, "SELECT COUNT(*) FROM recordings WHERE legal_hold = 1"), 1)
        XCTAssertEqual(try scalar(database, "SELECT COUNT(*) FROM calls WHERE recording_state = 'recording_disabled'"), 1)
    }
}
