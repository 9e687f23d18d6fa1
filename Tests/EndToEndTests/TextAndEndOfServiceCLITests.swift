import Foundation
import GRDB
import HandletDomain
import XCTest
import HandletTestSupport

/// Issue 23 from the command line: text retention, deleting one item's text, and end of service
/// (export, verify-export, delete), run as the real binary with no terminal.
final class TextAndEndOfServiceCLITests: XCTestCase {
    private var folder: URL!
    private var databaseURL: URL { folder.appendingPathComponent("workspace.sqlite") }
    private var database: String { databaseURL.path }
    private let owner = "owner@example.test"

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("handlet-eos-\(UUID().uuidString)")
        try PurgeWorkspace.build(in: folder, layout: .init(due: 20, live: 10, held: 2, missingFiles: 1))
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: folder)
        for extra in ["-export", "-export.partial", "-export.zip"] { try? FileManager.default.removeItem(atPath: folder.path + extra) }
    }

    private func handlet(_ arguments: String..., user: String? = nil, environment: [String: String] = [:]) throws -> HandletBinary.Outcome {
        var environment = environment
        if let user { environment["HANDLET_USER"] = user }
        return try HandletBinary.run(arguments + ["--db", database], environment: environment, timeout: 120)
    }

    private func sql<T>(_ body: (Database) throws -> T) throws -> T {
        let queue = try DatabaseQueue(path: database)
        defer { try? queue.close() }
        return try queue.write(body)
    }

    private func assertOneLine(_ outcome: HandletBinary.Outcome, _ status: Int32, _ text: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(outcome.status, status, outcome.stderr, file: file, line: line)
        XCTAssertTrue(outcome.stderr.hasPrefix("handlet: "), outcome.stderr, file: file, line: line)
        XCTAssertTrue(outcome.stderr.contains(text), outcome.stderr, file: file, line: line)
        XCTAssertEqual(outcome.stderr.split(separator: "\n").count, 1, "one line: \(outcome.stderr)", file: file, line: line)
    }

    private func textSettings() throws -> [String: Any] {
        let shown = try handlet("retention", "show", "--json")
        XCTAssertEqual(shown.status, 0, shown.stderr)
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(shown.stdout.utf8)) as? [String: Any])
        return try XCTUnwrap(object["text_retention"] as? [String: Any])
    }

    // MARK: Text retention

    func testTextPeriodBoundariesAndFlags() throws {
        for (days, status) in [("29", 65), ("3651", 65), ("0", 65), ("abc", 64), ("-30", 64), ("30.5", 64)] as [(String, Int32)] {
            assertOneLine(try handlet("retention", "set", "--transcripts", days, "--yes", user: owner), status, "30 to 3650")
        }
        XCTAssertTrue(try textSettings().isEmpty, "off by default, nothing changed")
        XCTAssertEqual(try handlet("retention", "set", "--transcripts", "30", "--yes", user: owner).status, 0)
        XCTAssertEqual(try handlet("retention", "set", "--messages", "3650", "--yes", user: owner).status, 0)
        XCTAssertEqual(try textSettings()["transcripts"] as? Int, 30)
        XCTAssertEqual(try textSettings()["messages"] as? Int, 3650)
        // Shortening without a terminal needs --yes; lengthening does not.
        assertOneLine(try handlet("retention", "set", "--messages", "365", user: owner), 64, "Refusing without --yes")
        XCTAssertEqual(try handlet("retention", "set", "--transcripts", "60", user: owner).status, 0)
        assertOneLine(try handlet("retention", "set", "--off", "--messages", "30", user: owner), 64, "--off")
        assertOneLine(try handlet("retention", "set", "7", "--messages", "30", user: owner), 64, "separate commands")
        assertOneLine(try handlet("retention", "set", "--off", user: "viewer@example.test"), 77, "Only owner or admin")
        XCTAssertEqual(try textSettings()["transcripts"] as? Int, 60)
        let off = try handlet("retention", "set", "--off", user: owner)
        XCTAssertEqual(off.status, 0, off.stderr)
        XCTAssertTrue(try textSettings().isEmpty)
        XCTAssertEqual(try handlet("retention", "set", "--transcripts", "off", user: owner).status, 0)
    }

    func testThePurgeRemovesOldCallTextKeepsTheCallsAndSearchForgetsIt() throws {
        let set = try handlet("retention", "set", "--transcripts", "30", "--yes", user: owner)
        XCTAssertEqual(set.status, 0, set.stderr)
        XCTAssertTrue(set.stdout.contains("18 calls"), set.stdout)   // 20 older than 30 days, 2 on hold
        let purge = try handlet("purge")
        XCTAssertEqual(purge.status, 0, purge.stderr)
        XCTAssertTrue(purge.stdout.contains("removed the text of 18 calls"), purge.stdout)
        try sql { db in
            XCTAssertEqual(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM calls WHERE summary = '' AND transcript = ''"), 18)
            XCTAssertEqual(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM calls"), 30, "every call stays")
            XCTAssertEqual(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM call_fts WHERE call_fts MATCH 'callback'"), 12)
        }
        let search = try handlet("search", "callback", "--json")
        XCTAssertEqual(search.status, 0, search.stderr)
        let hits = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(search.stdout.utf8)) as? [String: Any])
        XCTAssertEqual((hits["calls"] as? [Any])?.count, 12)
    }

    // MARK: Data minimisation

    func testDeletingAMessagesTextAndACallsText() throws {
        let message = try sql { db -> Int64 in
            try db.execute(sql: "INSERT INTO threads(channel, last_activity_at, message_count) VALUES ('sms', 1, 1)")
            let thread = db.lastInsertedRowID
            try db.execute(sql: """
                INSERT INTO messages(thread_id, channel, direction, from_address, to_address, body, sent_at, delivery_status)
                VALUES (?, 'sms', 'inbound', '+447700900123', '+441632960000', 'I am pregnant, please mind the stairs', ?, 'received')
                """, arguments: [thread, Int64(Date().timeIntervalSince1970) - 3_600])
            return db.lastInsertedRowID
        }
        let id = String(message)
        assertOneLine(try handlet("messages", "delete", id, user: owner), 64, "Refusing without --yes")
        assertOneLine(try handlet("messages", "delete", id, "--yes", user: "agent@example.test"), 77, "Only owner or admin")
        assertOneLine(try handlet("messages", "delete", "abc", "--yes", user: owner), 64, "one message id")
        assertOneLine(try handlet("messages", "delete", "999999", "--yes", user: owner), 65, "No message")
        let deleted = try handlet("messages", "delete", id, "--yes", "--json", user: "admin@example.test")
        XCTAssertEqual(deleted.status, 0, deleted.stderr)
        XCTAssertTrue(deleted.stdout.contains("\"characters\" : 37") || deleted.stdout.contains("\"characters\":37"), deleted.stdout)
        assertOneLine(try handlet("messages", "delete", id, "--yes", user: owner), 77, "already been removed")
        try sql { db in
            XCTAssertEqual(try String.fetchOne(db, sql: "SELECT body FROM messages WHERE id = ?", arguments: [message]), "")
            XCTAssertEqual(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM message_fts WHERE message_fts MATCH 'pregnant'"), 0)
            XCTAssertEqual(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM audit_events WHERE action = 'message.text_deleted'"), 1)
        }

        // The words stay in the search's stored pages until `handlet purge` rewrites it: said, in text and JSON.
        let owing = try handlet("retention", "show")
        XCTAssertTrue(owing.stdout.contains("Search debt:       removed text in the stored search of messages since "), owing.stdout)
        XCTAssertTrue(owing.stdout.contains("run `handlet purge` to rewrite it"), owing.stdout)
        let owingJSON = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(try handlet("retention", "show", "--json").stdout.utf8)) as? [String: Any])
        let debt = try XCTUnwrap(owingJSON["search_debt"] as? [String: Any])
        XCTAssertEqual(debt["indexes"] as? [String], ["messages"])
        XCTAssertEqual(debt["command"] as? String, "handlet purge")
        XCTAssertNotNil(debt["since"])
        XCTAssertEqual(try handlet("purge", user: owner).status, 0)
        XCTAssertFalse(try handlet("retention", "show").stdout.contains("Search debt"), "paid")

        let call = try handlet("calls", "delete-text", "CA-E2E-25", "--yes", user: owner)
        XCTAssertEqual(call.status, 0, call.stderr)
        XCTAssertTrue(call.stdout.contains("CA-E2E-25"), call.stdout)
        assertOneLine(try handlet("calls", "delete-text", "CA-NOPE", "--yes", user: owner), 65, "No call")
        let shown = try handlet("calls", "show", "CA-E2E-25")
        XCTAssertTrue(shown.stdout.contains("Text deleted on"), shown.stdout)
        try sql { db in
            XCTAssertEqual(try String.fetchOne(db, sql: "SELECT summary FROM calls WHERE external_id = 'CA-E2E-25'"), "")
            XCTAssertEqual(try String.fetchOne(db, sql: "SELECT text_removed FROM calls WHERE external_id = 'CA-E2E-25'"), "deleted")
        }
    }

    // MARK: End of service

    func testExportThenVerifyAndATamperedFileFails() throws {
        let target = folder.path + "-export"
        let export = try handlet("workspace", "export", target, "--json", user: owner)
        XCTAssertEqual(export.status, 0, export.stderr)
        let report = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(export.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(report["audio_files"] as? Int, 29, "30 recordings, one file already missing")
        XCTAssertEqual(report["audit_intact"] as? Bool, true)
        let manifest = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: target + "/manifest.json"))) as? [String: Any])
        let files = try XCTUnwrap(manifest["files"] as? [[String: Any]]).compactMap { $0["path"] as? String }
        for expected in ["records/calls.json", "records/calls.csv", "records/audit_events.json", "records/messages.csv",
                         "audit/verification.json"] {
            XCTAssertTrue(files.contains(expected), expected)
        }
        XCTAssertEqual(files.filter { $0.hasPrefix("audio/") }.count, 29)
        XCTAssertFalse(files.contains { $0.contains("_fts") }, "the search index is derived, not exported")
        let csv = try String(contentsOfFile: target + "/records/calls.csv", encoding: .utf8)
        XCTAssertTrue(csv.hasPrefix("id,external_id,direction"), String(csv.prefix(80)))
        let calls = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: target + "/records/calls.json"))) as? [[String: Any]])
        XCTAssertEqual(calls.count, 30)

        let verified = try HandletBinary.run(["workspace", "verify-export", target])
        XCTAssertEqual(verified.status, 0, verified.stderr)
        XCTAssertTrue(verified.stdout.contains("match the manifest"), verified.stdout)

        let audio = try XCTUnwrap(files.first { $0.hasPrefix("audio/") })
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: target + "/" + audio))
        try handle.write(contentsOf: Data([0x00]))
        try handle.close()
        let tampered = try HandletBinary.run(["workspace", "verify-export", target])
        XCTAssertEqual(tampered.status, 65)
        XCTAssertTrue(tampered.stdout.contains("changed: \(audio)"), tampered.stdout)
        XCTAssertEqual(tampered.stderr.split(separator: "\n").count, 1, tampered.stderr)
        try FileManager.default.removeItem(atPath: target + "/records/users.csv")
        let missing = try HandletBinary.run(["workspace", "verify-export", target])
        XCTAssertEqual(missing.status, 65)
        XCTAssertTrue(missing.stdout.contains("missing: records/users.csv"), missing.stdout)
    }

    func testZipExportVerifiesAndATamperedArchiveFails() throws {
        let target = folder.path + "-export.zip"
        let export = try handlet("workspace", "export", target, user: owner)
        XCTAssertEqual(export.status, 0, export.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: target + ".partial"))
        let verified = try HandletBinary.run(["workspace", "verify-export", target])
        XCTAssertEqual(verified.status, 0, verified.stderr)
        // Flip a byte near the end of the first entry's data (stored entries hold audio as is).
        var bytes = try Data(contentsOf: URL(fileURLWithPath: target))
        bytes[200] ^= 0xFF
        try bytes.write(to: URL(fileURLWithPath: target))
        let tampered = try HandletBinary.run(["workspace", "verify-export", target])
        XCTAssertNotEqual(tampered.status, 0)
        XCTAssertEqual(tampered.stderr.split(separator: "\n").count, 1, tampered.stderr)
    }

    func testAnInterruptedExportIsNamedPartialAndResumes() throws {
        let target = folder.path + "-export"
        let killed = try handlet("workspace", "export", target, user: owner, environment: ["HANDLET_TEST_EXPORT_KILL": "12"])
        XCTAssertTrue(killed.killed, "ended by \(killed.reason) \(killed.status)")
        XCTAssertFalse(FileManager.default.fileExists(atPath: target), "nothing looks complete")
        XCTAssertTrue(FileManager.default.fileExists(atPath: target + ".partial"))
        XCTAssertFalse(FileManager.default.fileExists(atPath: target + ".partial/manifest.json"))
        assertOneLine(try HandletBinary.run(["workspace", "verify-export", target]), 65, "partial export")
        assertOneLine(try HandletBinary.run(["workspace", "verify-export", target + ".partial"]), 65, "partial export")
        let resumed = try handlet("workspace", "export", target, user: owner)
        XCTAssertEqual(resumed.status, 0, resumed.stderr)
        XCTAssertTrue(resumed.stdout.contains("finishing an interrupted export"), resumed.stdout)
        XCTAssertFalse(FileManager.default.fileExists(atPath: target + ".partial"))
        XCTAssertFalse(FileManager.default.fileExists(atPath: target + "/export-state.jsonl"))
        XCTAssertEqual(try HandletBinary.run(["workspace", "verify-export", target]).status, 0)
        // Interrupted during the audio this time: the audio already copied is kept.
        try FileManager.default.removeItem(atPath: target)
        let late = try handlet("workspace", "export", target, user: owner, environment: ["HANDLET_TEST_EXPORT_KILL": "50"])
        XCTAssertTrue(late.killed)
        XCTAssertEqual(try handlet("workspace", "export", target, user: owner).status, 0)
        XCTAssertEqual(try HandletBinary.run(["workspace", "verify-export", target]).status, 0)
    }

    func testBadExportTargetsGiveOneLineAndTheirExitCodes() throws {
        let full = folder.path + "-export"
        try FileManager.default.createDirectory(atPath: full, withIntermediateDirectories: true)
        try Data("keep".utf8).write(to: URL(fileURLWithPath: full + "/keep.txt"))
        assertOneLine(try handlet("workspace", "export", full, user: owner), 73, "is not empty")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: full), ["keep.txt"], "nothing written there")
        XCTAssertFalse(FileManager.default.fileExists(atPath: full + ".partial"))
        // A place nobody can create a folder in (root included): /proc.
        assertOneLine(try handlet("workspace", "export", "/proc/handlet-export-\(UUID().uuidString)", user: owner), 73, "Cannot create")
        assertOneLine(try handlet("workspace", "export", folder.path + "/no/such/parent/x", user: owner), 73, "does not exist")
        assertOneLine(try handlet("workspace", "export", folder.path + "-export2", user: "admin@example.test"), 77, "Only owner")
        assertOneLine(try HandletBinary.run(["workspace", "verify-export", folder.path + "/nothing-here"]), 66, "No export")
        // An export that already exists as a zip is not overwritten.
        let zip = folder.path + "-export.zip"
        try Data("x".utf8).write(to: URL(fileURLWithPath: zip))
        assertOneLine(try handlet("workspace", "export", zip, user: owner), 73, "already exists")
    }

    func testDeleteRefusesWithoutTheNameThenRemovesEverythingAndPrintsACertificate() throws {
        let audio = Workspace.audioDirectory(for: databaseURL)
        XCTAssertTrue(FileManager.default.fileExists(atPath: audio.path))
        assertOneLine(try handlet("workspace", "delete", "--yes", user: owner), 64, "--confirm NAME")
        assertOneLine(try handlet("workspace", "delete", user: owner), 64, "without a terminal")
        assertOneLine(try handlet("workspace", "delete", "--yes", "--confirm", "Purge tset", user: owner), 65, "not this workspace's name")
        assertOneLine(try handlet("workspace", "delete", "--yes", "--confirm", "Purge test", user: "admin@example.test"), 77, "Only owner")
        XCTAssertTrue(FileManager.default.fileExists(atPath: database), "refusals delete nothing")
        XCTAssertTrue(FileManager.default.fileExists(atPath: audio.path))

        let deleted = try handlet("workspace", "delete", "--yes", "--confirm", "Purge test", "--json", user: owner)
        XCTAssertEqual(deleted.status, 0, deleted.stderr)
        let certificate = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(deleted.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(certificate["workspace_name"] as? String, "Purge test")
        XCTAssertEqual(certificate["deleted_by"] as? String, owner)
        XCTAssertEqual(certificate["recording_files"] as? Int, 29)
        XCTAssertGreaterThan(certificate["recording_bytes"] as? Int ?? 0, 0)
        XCTAssertTrue((certificate["database_files"] as? [String] ?? []).contains("workspace.sqlite"))
        XCTAssertEqual(certificate["folder_removed"] as? Bool, true)
        XCTAssertNotNil(certificate["last_audit_event"] as? String)
        for suffix in ["", "-wal", "-shm"] { XCTAssertFalse(FileManager.default.fileExists(atPath: database + suffix), suffix) }
        XCTAssertFalse(FileManager.default.fileExists(atPath: audio.path))
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder.path))
    }
}
