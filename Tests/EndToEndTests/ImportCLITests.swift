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

    /// Each line as a JSON object without the recording's path (which names each workspace's own folder).
    private func records(_ path: String) throws -> [NSDictionary] {
        try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map { line in
            let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            return object.filter { $0.key != "recording" } as NSDictionary
        }
    }

    func testExportThenImportIntoAnEmptyWorkspaceRoundTrips() throws {
        let demo = root.appendingPathComponent("demo.sqlite").path
        let made = try handlet(["demo", "--calls", "60", "--messages", "80", "--db", demo])
        XCTAssertEqual(made.status, 0, made.stderr)
        let first = root.appendingPathComponent("first.jsonl").path
        let exported = try handlet(["export", "jsonl", first, "--db", demo])
        XCTAssertEqual(exported.status, 0, exported.stderr)
        XCTAssertTrue(exported.stdout.contains("Exported"), exported.stdout)

        let copy = try newWorkspace("copy")
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
        for table in ["contacts", "calls", "messages", "recordings"] {
            XCTAssertEqual(try scalar(demo, "SELECT COUNT(*) FROM \(table) \(table == "recordings" ? "WHERE purged_at IS NULL" : "")"),
                           try scalar(copy, "SELECT COUNT(*) FROM \(table)"), table)
        }
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
}
