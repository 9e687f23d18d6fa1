import Foundation
import GRDB
@testable import HandletDomain
import XCTest

/// Issue 24: the one import path, through the JSONL format: contacts matched by number and email,
/// idempotent by key, bad lines reported and written beside the file, `--strict` and `--dry-run`
/// changing nothing, STOP acted on as on arrival, recordings under the recording policy.
final class RecordImportTests: XCTestCase {
    private var folder: URL!
    private var workspace: Workspace!
    private var session: WorkspaceSession!
    private static let owner = "owner@shop.example"

    override func setUpWithError() throws {
        folder = try StoreTestFolder.make()
        workspace = try Workspace.create(at: folder.appendingPathComponent("workspace.sqlite"),
                                         NewWorkspace(businessName: "Shop", ownerEmail: Self.owner), now: StoreTestFolder.anchor)
        session = try workspace.session(actingAs: Self.owner, otherwise: .refuse, clock: .fixed(StoreTestFolder.anchor))
    }

    override func tearDownWithError() throws {
        try? workspace?.dbPool.close()
        try? FileManager.default.removeItem(at: folder)
    }

    @discardableResult
    private func write(_ name: String, _ lines: [String], newlineAtEnd: Bool = true) throws -> String {
        let url = folder.appendingPathComponent(name)
        try Data((lines.joined(separator: "\n") + (newlineAtEnd ? "\n" : "")).utf8).write(to: url)
        return url.path
    }

    private func importing(_ paths: [String], _ options: ImportOptions = ImportOptions()) throws -> ImportReport {
        try session.importRecords(files: paths, format: .jsonl, options: options)
    }

    private func count(_ table: String) throws -> Int {
        try workspace.dbPool.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \(table)") ?? 0 }
    }

    /// Calls the full-text index finds for a word.
    private func callSearch(_ word: String) throws -> Int {
        try workspace.dbPool.read { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM call_fts WHERE call_fts MATCH ?", arguments: [word]) ?? 0
        }
    }

    /// Everything an import could change, for "nothing changed".
    private func snapshot() throws -> [String] {
        try workspace.dbPool.read { db in
            try ["contacts", "calls", "messages", "threads", "recordings", "import_keys", "audit_events", "record_counts"].flatMap { table in
                try Row.fetchAll(db, sql: "SELECT * FROM \(table) ORDER BY 1").map { "\(table): \($0)" }
            }
        }
    }

    static let call = #"{"type":"call","id":"CA1","direction":"inbound","from":"+44 (0)7700 900123","to":"0113 496 0000","started_at":"2026-03-01T09:30:00Z","duration_seconds":95,"outcome":"booked_job","summary":"Boiler service booked"}"#
    static let contact = #"{"type":"contact","id":"crm-7","name":"Jo Bloggs","phone":"07700 900123","email":"jo@example.com"}"#
    static func message(_ id: String, body: String, at: String = "2026-03-02T10:00:00Z", from: String = "07700900123") -> String {
        #"{"type":"message","id":"\#(id)","channel":"sms","direction":"inbound","from":"\#(from)","to":"01134960000","sent_at":"\#(at)","body":"\#(body)"}"#
    }

    func testContactsAreMatchedByPhoneAndEmailAndCreatedOnce() throws {
        let path = try write("records.jsonl", [
            Self.contact, Self.call, Self.message("SM1", body: "Thanks, see you then"),
            #"{"type":"message","id":"EM1","channel":"email","direction":"inbound","from":"JO@Example.COM","to":"office@shop.example","sent_at":"2026-03-03T08:00:00Z","body":"Invoice?","subject":"Invoice"}"#,
            #"{"type":"call","id":"CA2","direction":"outbound","from":"01134960000","to":"07700 900999","started_at":"2026-03-04T11:00:00Z","duration_seconds":30,"outcome":"callback_requested","caller_name":"Sam"}"#,
        ])
        let report = try importing([path])
        XCTAssertEqual(report.total.contacts, 1)
        XCTAssertEqual(report.total.calls, 2)
        XCTAssertEqual(report.total.messages, 2)
        XCTAssertEqual(report.total.rejected, 0)
        XCTAssertEqual(report.total.contactsCreated, 2, "Jo from the contact record, then the new number the outbound call rang")
        XCTAssertTrue(report.stored)
        try workspace.dbPool.read { db in
            let jo = try XCTUnwrap(Int64.fetchOne(db, sql: "SELECT id FROM contacts WHERE phone = '+447700900123'"))
            XCTAssertEqual(try Int64.fetchOne(db, sql: "SELECT contact_id FROM calls WHERE external_id = 'CA1'"), jo)
            XCTAssertEqual(try String.fetchOne(db, sql: "SELECT from_number FROM calls WHERE external_id = 'CA1'"), "+447700900123")
            XCTAssertEqual(try Int64.fetchAll(db, sql: "SELECT DISTINCT contact_id FROM messages"), [jo], "by number and by email, any case")
            XCTAssertEqual(try String.fetchOne(db, sql: "SELECT name FROM contacts WHERE phone = '+447700900999'"), "+447700900999",
                           "an outbound call's caller name is ours, not the customer's")
            XCTAssertEqual(try String.fetchOne(db, sql: "SELECT subject FROM threads WHERE channel = 'email'"), "Invoice")
            XCTAssertEqual(try String.fetchAll(db, sql: "SELECT action FROM audit_events WHERE action = 'records.imported'"),
                           ["records.imported"], "one event for the one batch")
        }
        XCTAssertEqual(try callSearch("boiler"), 1, "per-row triggers index a small import")
    }

    func testAnIdOfThisWorkspacesOwnFormIsADuplicateOnlyWhenItsRowAgrees() throws {
        let first = try write("one.jsonl", [Self.message("SM1", body: "Hello")])
        XCTAssertEqual(try importing([first]).total.messages, 1)
        let (prefix, id) = try workspace.dbPool.read { db in
            (try JSONLExport.ownPrefix(db), try Int64.fetchOne(db, sql: "SELECT id FROM messages") ?? 0)
        }
        // Its own export's name for that very message: nothing new.
        let same = try write("same.jsonl", [Self.message("\(prefix)-message-\(id)", body: "Hello")])
        XCTAssertEqual(try importing([same]).total.duplicates, 1)
        // The same name for another message (a copy of this workspace that went its own way, a demo
        // made the same day): imported, not silently skipped.
        let other = try write("other.jsonl", [Self.message("\(prefix)-message-\(id)", body: "Not the same", at: "2026-05-01T10:00:00Z")])
        let report = try importing([other])
        XCTAssertEqual(report.total.messages, 1)
        XCTAssertEqual(report.total.duplicates, 0)
        XCTAssertEqual(try count("messages"), 2)
    }

    func testImportingTwiceAddsNothingAndAnOverlappingExportOnlyTheNew() throws {
        let first = try write("march.jsonl", [Self.contact, Self.call, Self.message("SM1", body: "Hello")])
        XCTAssertEqual(try importing([first]).total.imported, 3)
        let before = try snapshot()
        let again = try importing([first])
        XCTAssertEqual(again.total.imported, 0)
        XCTAssertEqual(again.total.duplicates, 3)
        XCTAssertEqual(again.batches, 0)
        XCTAssertEqual(try snapshot(), before, "nothing changed, no audit event either")
        let later = try write("april.jsonl", [Self.contact, Self.call, Self.message("SM1", body: "Hello"),
                                              Self.message("SM2", body: "Are you coming today?", at: "2026-04-01T08:00:00+01:00")])
        let overlap = try importing([later])
        XCTAssertEqual(overlap.total.imported, 1)
        XCTAssertEqual(overlap.total.duplicates, 3)
        XCTAssertEqual(try count("messages"), 2)
        // Records without an id are keyed by their content: a repeated row is skipped too.
        let noIds = try write("noids.jsonl", Array(repeating: #"{"type":"message","channel":"sms","direction":"outbound","from":"01134960000","to":"07700900123","sent_at":"2026-04-02T09:00:00Z","body":"On my way"}"#, count: 3))
        let hashed = try importing([noIds])
        XCTAssertEqual(hashed.total.messages, 1)
        XCTAssertEqual(hashed.total.duplicates, 2)
        XCTAssertEqual(try importing([noIds]).total.duplicates, 3)
    }

    /// A WhatsApp chat imported before session 11, whose messages' keys held the file's path, is
    /// recognised when the same file is imported again: nothing added, and the messages are named
    /// by today's keys from then on (so the chat exported again elsewhere is recognised too).
    func testAChatImportedUnderTheKeysBeforeSession11IsNotImportedTwice() throws {
        let chat = """
            31/08/2023, 14:05 - Jane Smith: Hi, is that Dave the plumber?
            31/08/2023, 14:06 - Dave Plumbing: Yes: how can I help?
            01/09/2023, 09:01 - Jane Smith: ok
            01/09/2023, 09:01 - Jane Smith: ok

            """
        let path = try write("WhatsApp Chat with Jane Smith.txt", [chat], newlineAtEnd: false)
        let options = ImportOptions(format: ImportFormatOptions(me: ["Dave Plumbing"], timeZone: TimeZone(identifier: "UTC")!),
                                    formatSetsTimeZone: true)
        XCTAssertEqual(try session.importRecords(files: [path], format: .whatsapp, options: options).total.messages, 4)
        // As an import before session 11 left it: each minute's first message under its old key,
        // the second identical "ok" never stored (its old key was the first's).
        var parser = try ImportFormat.whatsapp.makeParser(ImportParserOptions(timeZone: TimeZone(identifier: "UTC")!,
                                                                              format: options.format, formatSetsTimeZone: true))
        var messages: [IncomingMessage] = []
        let stream = try XCTUnwrap(InputStream(fileAtPath: path))
        stream.open()
        defer { stream.close() }
        try parser.parse(stream, file: path, emit: { line in
            if case .record(.message(let message), _) = line { messages.append(message) }
        }, bytesRead: { _ in })
        XCTAssertEqual(messages.count, 4)
        try workspace.dbPool.write { db in
            for message in messages {
                let id = try XCTUnwrap(Int64.fetchOne(db, sql: "SELECT record_id FROM import_keys WHERE kind = 'message' AND key = ?",
                                                      arguments: [message.externalId]))
                try db.execute(sql: "DELETE FROM import_keys WHERE kind = 'message' AND key = ?", arguments: [message.externalId])
                if let legacy = message.legacyKey {
                    try db.execute(sql: "INSERT INTO import_keys (kind, key, record_id, imported_at) VALUES ('message', ?, ?, 0)",
                                   arguments: [legacy, id])
                } else {
                    try db.execute(sql: "DELETE FROM messages WHERE id = ?", arguments: [id])
                }
            }
        }
        let again = try session.importRecords(files: [path], format: .whatsapp, options: options)
        XCTAssertEqual(again.total.messages, 1, "only the second ok, which the old keys lost")
        XCTAssertEqual(again.total.duplicates, 3)
        XCTAssertEqual(try count("messages"), 4)
        // Today's keys now name them: the chat read from another folder adds nothing.
        let elsewhere = folder.appendingPathComponent("later")
        try FileManager.default.createDirectory(at: elsewhere, withIntermediateDirectories: true)
        let moved = elsewhere.appendingPathComponent("WhatsApp Chat with Jane Smith.txt").path
        try FileManager.default.copyItem(atPath: path, toPath: moved)
        let third = try session.importRecords(files: [moved], format: .whatsapp, options: options)
        XCTAssertEqual(third.total.imported, 0)
        XCTAssertEqual(third.total.duplicates, 4)
    }

    /// The export marks a thread's newest `unread_count` messages unread (found once per thread),
    /// and they come back unread; a thread of many messages exports in one pass.
    func testTheExportMarksEachThreadsNewestUnreadCountUnread() throws {
        func message(_ index: Int, thread: String, unread: Bool) -> String {
            #"{"type":"message","id":"\#(thread)-\#(index)","channel":"sms","direction":"inbound","from":"07700900123","to":"01134960000","sent_at":"2026-03-02T10:\#(String(format: "%02d", index % 60)):00Z","body":"m\#(index)","thread":"\#(thread)","unread":\#(unread)}"#
        }
        let lines = (0..<3000).map { message($0, thread: "long", unread: $0 >= 2990) }
            + (0..<4).map { message($0, thread: "short", unread: $0 == 3) } + (0..<3).map { message($0, thread: "read", unread: false) }
        XCTAssertEqual(try importing([try write("unread.jsonl", lines)]).total.messages, 3007)
        var exported = Data()
        try session.exportRecords { exported.append($0) }
        let unread = try String(decoding: exported, as: UTF8.self).split(separator: "\n").compactMap { line -> String? in
            let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            return object["unread"] as? Bool == true ? object["id"] as? String : nil
        }
        XCTAssertEqual(unread, (2990..<3000).map { "long-\($0)" } + ["short-3"])
    }

    func testAwkwardLinesAreRejectedWithFileLineAndReasonAndWrittenBeside() throws {
        let url = folder.appendingPathComponent("awkward.jsonl")
        var data = Data([0xEF, 0xBB, 0xBF])   // a byte-order mark
        data += Data((Self.contact + "\r\n").utf8)                                      // 1: CRLF
        data += Data("\n   \n".utf8)                                                   // 2, 3: blank
        data += Data(#"{"type":"contact","name":"Caf"#.utf8) + Data([0xE9]) + Data("\"}\n".utf8)  // 4: Latin-1 byte
        data += Data("not json at all\n".utf8)                                          // 5
        data += Data((#"{"type":"review","id":"r1"}"# + "\n").utf8)                  // 6
        data += Data((Self.message("SM1", body: "No zone, summer", at: "2026-07-01 09:00:00") + "\n").utf8)   // 7
        data += Data((Self.message("SM2", body: "Offset", at: "2026-07-01T09:00:00+02:00") + "\n").utf8)      // 8
        data += Data((Self.message("SM3", body: "Bad time", at: "2026-02-30T09:00:00Z") + "\n").utf8)         // 9
        data += Data((#"{"type":"call","id":"CA9","direction":"inbound","from":"07700900123","to":"01134960000","started_at":"2026-03-01T09:30:00Z","duration_seconds":"long","outcome":"missed"}"# + "\n").utf8)  // 10
        data += Data((Self.message("SM1", body: "No zone, summer", at: "2026-07-01 09:00:00") + "\n").utf8)   // 11: duplicate of 7
        data += Data(#"{"type":"message","id":"SM4","channel":"sms","dir"#.utf8)       // 12: cut off mid-line
        try data.write(to: url)
        var reported: [RejectedLine] = []
        let report = try session.importRecords(files: [url.path], format: .jsonl, rejected: { reported.append($0) })
        XCTAssertEqual(reported.map(\.position.line), [4, 5, 6, 9, 10, 12])
        XCTAssertTrue(reported.allSatisfy { $0.position.file == url.path })
        XCTAssertEqual(reported.map(\.reason), [
            "the line is not valid UTF-8",
            "the line is not valid JSON",
            "a review needs stars",
            "sent_at \"2026-02-30T09:00:00Z\" is not a time (give 2026-03-01T09:30:00Z)",
            "duration_seconds has the wrong type",
            "the file ends in the middle of this line (not valid JSON)",
        ])
        XCTAssertEqual(report.total.imported, 3)
        XCTAssertEqual(report.total.duplicates, 1)
        XCTAssertEqual(report.total.rejected, 6)
        XCTAssertEqual(report.files[0].rejectReport, url.path + ".rejects")
        let rejects = try String(contentsOfFile: url.path + ".rejects", encoding: .utf8)
        XCTAssertTrue(rejects.hasPrefix("# \(url.path):4: the line is not valid UTF-8\n{\"type\":\"contact\",\"name\":\"Caf\u{FFFD}\"}\n"
                                        + "# \(url.path):5: the line is not valid JSON\nnot json at all\n"), rejects)
        XCTAssertTrue(rejects.hasSuffix("# \(url.path):12: the file ends in the middle of this line (not valid JSON)\n"
                                        + "{\"type\":\"message\",\"id\":\"SM4\",\"channel\":\"sms\",\"dir\n"), rejects)
        try workspace.dbPool.read { db in
            // 09:00 without a zone is London time: BST in July, so 08:00 UTC.
            XCTAssertEqual(try Int64.fetchAll(db, sql: "SELECT sent_at FROM messages ORDER BY id"), [1_782_892_800, 1_782_889_200])
        }
    }

    func testAnEmptyFileImportsNothingAndRejectsNothing() throws {
        let path = try write("empty.jsonl", [], newlineAtEnd: false)
        let report = try importing([path])
        XCTAssertEqual(report.total, ImportCounts())
        XCTAssertNil(report.files[0].rejectReport)
        XCTAssertFalse(FileManager.default.fileExists(atPath: path + ".rejects"))
        XCTAssertThrowsError(try importing([folder.appendingPathComponent("missing.jsonl").path])) {
            XCTAssertEqual(($0 as? SysexitsError)?.exitClass, .noInput)
        }
    }

    func testStrictImportsNothingWhenAnyLineIsBad() throws {
        let before = try snapshot()
        let path = try write("mixed.jsonl", [Self.contact, Self.call, "{broken", Self.message("SM1", body: "Hi")])
        let report = try importing([path], ImportOptions(strict: true, batchSize: 1))
        XCTAssertFalse(report.stored)
        XCTAssertEqual(report.total.rejected, 1)
        XCTAssertEqual(try snapshot(), before, "not one record, contact or audit event")
        XCTAssertTrue(FileManager.default.fileExists(atPath: path + ".rejects"), "the report still says what was wrong")
        let good = try write("good.jsonl", [Self.contact, Self.call])
        XCTAssertTrue(try importing([good], ImportOptions(strict: true)).stored)
        XCTAssertEqual(try count("calls"), 1)
    }

    func testDryRunChangesNothingAndSaysWhatWouldHappen() throws {
        let before = try snapshot()
        let path = try write("dry.jsonl", [Self.contact, Self.call, Self.message("SM1", body: "STOP"), "oops"])
        let report = try importing([path], ImportOptions(dryRun: true, batchSize: 2))
        XCTAssertFalse(report.stored)
        XCTAssertEqual(report.total.imported, 3)
        XCTAssertEqual(report.total.rejected, 1)
        XCTAssertEqual(report.total.optOutChanges, 1)
        XCTAssertEqual(try snapshot(), before)
        XCTAssertFalse(FileManager.default.fileExists(atPath: path + ".rejects"), "a dry run writes no file either")
    }

    func testAnImportedStopSuppressesTheContactAsOnArrival() throws {
        let path = try write("stop.jsonl", [Self.contact, Self.message("SM1", body: "Can you come Tuesday?"),
                                            Self.message("SM2", body: " Stop! ", at: "2026-03-05T18:00:00Z")])
        let report = try importing([path])
        XCTAssertEqual(report.total.optOutChanges, 1)
        try workspace.dbPool.read { db in
            let row = try XCTUnwrap(Row.fetchOne(db, sql: "SELECT opted_out_at, opt_out_keyword FROM contacts WHERE phone = '+447700900123'"))
            XCTAssertEqual(row[0] as Int64?, 1_772_733_600, "opted out when the STOP was sent")
            XCTAssertEqual(row[1] as String?, "STOP")
            XCTAssertEqual(try String.fetchAll(db, sql: "SELECT action FROM audit_events WHERE seq > 1 ORDER BY seq"),
                           ["contact.opt_out_changed", "records.imported"])
        }
    }

    func testRecordingsAreCopiedWithTheirHashUnlessRecordingIsOff() throws {
        let audio = Data((0..<4096).map { UInt8($0 % 251) })
        try audio.write(to: folder.appendingPathComponent("CA1.wav"))
        let withRecording = Self.call.replacingOccurrences(of: #""summary""#, with: #""recording":"CA1.wav","summary""#)
        let missing = withRecording.replacingOccurrences(of: "CA1", with: "CA2")
        let path = try write("calls.jsonl", [withRecording, missing])
        let report = try importing([path])
        XCTAssertEqual(report.total.recordings, 1)
        XCTAssertEqual(report.total.rejected, 1, "CA2's recording is not there")
        let row = try XCTUnwrap(try workspace.dbPool.read { db in try Row.fetchOne(db, sql: "SELECT file_path, sha256 FROM recordings") })
        let file: String = row[0], sha: String = row[1]
        XCTAssertEqual(sha, SHA256Hex.of(audio))
        XCTAssertEqual(try Data(contentsOf: workspace.audioDirectory.appendingPathComponent(file)), audio)

        try session.perform(.disableRecording(existing: .keepUntilExpiry))
        try audio.write(to: folder.appendingPathComponent("CA3.wav"))
        let off = try write("off.jsonl", [withRecording.replacingOccurrences(of: "CA1", with: "CA3")])
        let offReport = try importing([off])
        XCTAssertEqual(offReport.total.calls, 1)
        XCTAssertEqual(offReport.total.recordings, 0)
        XCTAssertEqual(offReport.total.recordingsNotKept, 1, "the summary says a recording was left out")
        XCTAssertEqual(offReport.total.heldRecordingsKept, 0)
        try workspace.dbPool.read { db in
            XCTAssertEqual(try String.fetchOne(db, sql: "SELECT recording_state FROM calls WHERE external_id = 'CA3'"), "recording_disabled")
            XCTAssertEqual(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM recordings"), 1)
        }

        // Under a legal hold, a recording is kept even with recording off (a hold is there so the
        // audio is not destroyed), and the summary says so.
        try audio.write(to: folder.appendingPathComponent("CA4.wav"))
        let held = withRecording.replacingOccurrences(of: "CA1", with: "CA4")
            .replacingOccurrences(of: #""summary""#, with: #""legal_hold":{"reason":"Dispute","held_at":"2026-03-02T09:00:00Z"},"summary""#)
        let heldReport = try importing([try write("held.jsonl", [held])])
        XCTAssertEqual(heldReport.total.calls, 1)
        XCTAssertEqual(heldReport.total.recordings, 1)
        XCTAssertEqual(heldReport.total.heldRecordingsKept, 1)
        XCTAssertEqual(heldReport.total.recordingsNotKept, 0)
        try workspace.dbPool.read { db in
            let row = try XCTUnwrap(try Row.fetchOne(db, sql: """
                SELECT c.recording_state, r.legal_hold, r.hold_reason, r.sha256 FROM calls c JOIN recordings r ON r.call_id = c.id
                WHERE c.external_id = 'CA4'
                """))
            XCTAssertEqual(row[0] as String, "recorded")
            XCTAssertEqual(row[1] as Bool, true)
            XCTAssertEqual(row[2] as String?, "Dispute")
            XCTAssertEqual(row[3] as String?, SHA256Hex.of(audio))
            XCTAssertEqual(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM legal_hold_history"), 1)
        }
    }

    func testALargeImportWritesRowsFirstThenRebuildsTheSearch() throws {
        let lines = (0..<40).map { index in
            Self.call.replacingOccurrences(of: "CA1", with: "CA\(index + 100)")
                .replacingOccurrences(of: "Boiler service booked", with: "Radiator \(index) bled")
        }
        let path = try write("large.jsonl", lines)
        let schema = "SELECT type || ' ' || name || ' ' || COALESCE(sql, '') FROM sqlite_master ORDER BY type, name"
        let before = try workspace.dbPool.read { db in try String.fetchAll(db, sql: schema) }
        let report = try importing([path], ImportOptions(batchSize: 7, rebuildSearchAfter: true))
        XCTAssertTrue(report.rebuiltSearch)
        // The indexes and triggers set aside for the rows are all back, as they were.
        XCTAssertEqual(try workspace.dbPool.read { db in try String.fetchAll(db, sql: schema) }, before)
        XCTAssertEqual(report.batches, 6)
        XCTAssertEqual(try callSearch("radiator"), 40)
        try workspace.dbPool.read { db in
            XCTAssertEqual(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM import_suspended_triggers"), 0)
            for trigger in ImportSearchSuspension.triggerNames {
                XCTAssertNotNil(try String.fetchOne(db, sql: "SELECT sql FROM sqlite_master WHERE name = ?", arguments: [trigger]), trigger)
            }
            XCTAssertEqual(try RecordCounts.read(db)["calls"], 40)
        }
    }

    func testAnImportKilledWithTheSearchSetAsideIsFinishedAtTheNextOpening() throws {
        let path = try write("one.jsonl", [Self.call])
        try workspace.dbPool.write { db in try ImportSearchSuspension.suspend(db) }
        // As a killed import leaves it: rows in, triggers away, the markers kept.
        _ = try importing([path], ImportOptions(rebuildSearchAfter: false))
        let url = workspace.databaseURL
        try workspace.dbPool.close()
        workspace = try Workspace.open(at: url)
        try workspace.dbPool.read { db in
            XCTAssertEqual(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM import_suspended_triggers"), 0)
            XCTAssertNotNil(try String.fetchOne(db, sql: "SELECT sql FROM sqlite_master WHERE name = 'calls_fts_insert'"))
        }
        session = workspace.session(as: try workspace.actor(email: Self.owner), clock: .fixed(StoreTestFolder.anchor))
        XCTAssertEqual(try callSearch("boiler"), 1)
    }

    func testOnlyOwnersAndAdminsImport() throws {
        let path = try write("x.jsonl", [Self.call])
        XCTAssertThrowsError(try workspace.session(as: .system).importRecords(files: [path], format: .jsonl)) {
            XCTAssertEqual(($0 as? PermissionDenied)?.permission, .importExportRecords)
        }
        XCTAssertEqual(try count("calls"), 0)
    }

    func testTimesAreReadWithAndWithoutZones() {
        let london = TimeZone(identifier: "Europe/London")!
        XCTAssertEqual(ImportTime.parse("2026-03-01T09:30:00Z", timeZone: london)?.timeIntervalSince1970, 1_772_357_400)
        XCTAssertEqual(ImportTime.parse("2026-03-01T09:30:00.123+00:00", timeZone: london)?.timeIntervalSince1970, 1_772_357_400)
        XCTAssertEqual(ImportTime.parse("2026-03-01T10:30:00+0100", timeZone: london)?.timeIntervalSince1970, 1_772_357_400)
        XCTAssertEqual(ImportTime.parse("2026-03-01 09:30", timeZone: london)?.timeIntervalSince1970, 1_772_357_400)
        XCTAssertEqual(ImportTime.parse("2026-03-01", timeZone: london)?.timeIntervalSince1970, 1_772_323_200)
        for bad in ["", "2026-13-01", "2026-03-01T25:00", "2026-03-01T09:30:00Q", "yesterday", "2026-02-29"] {
            XCTAssertNil(ImportTime.parse(bad, timeZone: london), bad)
        }
        XCTAssertEqual(ImportTime.format(1_772_357_400), "2026-03-01T09:30:00Z")
        XCTAssertEqual(ImportTime.format(0), "1970-01-01T00:00:00Z")
    }

    /// Generated inputs: a valid file with random bytes flipped, cut, repeated or inserted. The
    /// parser never crashes or hangs, accounts for every non-blank line (a record or a rejection),
    /// and a strict import of a damaged file either stores all of it or nothing at all.
    func testDamagedInputsNeverCrashAndStrictNeverImportsPart() throws {
        var random = SystemRandomNumberGenerator()
        let valid = Data(([Self.contact, Self.call] + (0..<6).map { Self.message("SM\($0)", body: "Line \($0) \u{00e9}") })
            .joined(separator: "\n").utf8)
        let zone = TimeZone(identifier: "Europe/London")!
        for trial in 0..<300 {
            var bytes = [UInt8](valid)
            for _ in 0..<Int.random(in: 1...6, using: &random) {
                let at = Int.random(in: 0..<max(1, bytes.count), using: &random)
                switch Int.random(in: 0..<4, using: &random) {
                case 0: bytes[at] = UInt8.random(in: 0...255, using: &random)
                case 1: bytes.insert(contentsOf: [0x0A, 0xFF, 0x22, 0x7B][..<Int.random(in: 1...4, using: &random)], at: at)
                case 2: bytes.removeSubrange(at..<min(bytes.count, at + Int.random(in: 1...40, using: &random)))
                default: bytes = Array(bytes[..<at])
                }
                if bytes.isEmpty { break }
            }
            let stream = InputStream(data: Data(bytes))
            stream.open()
            var parser = try ImportFormat.jsonl.makeParser(ImportParserOptions(timeZone: zone))
            var emitted = 0
            try parser.parse(stream, file: "fuzz", emit: { _ in emitted += 1 }, bytesRead: { _ in })
            stream.close()
            let lines = Data(bytes).split(separator: 0x0A).filter { line in
                !line.allSatisfy { $0 == 0x20 || $0 == 0x09 || $0 == 0x0D } && !(line.count == 3 && Array(line) == [0xEF, 0xBB, 0xBF])
            }
            XCTAssertLessThanOrEqual(emitted, lines.count + 1, "trial \(trial)")
            XCTAssertGreaterThanOrEqual(emitted, lines.count - 1, "trial \(trial)")
            if trial % 15 == 0 {
                let before = try snapshot()
                let url = folder.appendingPathComponent("fuzz-\(trial).jsonl")
                try Data(bytes).write(to: url)
                let report = try importing([url.path], ImportOptions(strict: true, batchSize: 2))
                if report.total.rejected > 0 {
                    XCTAssertFalse(report.stored)
                    XCTAssertEqual(try snapshot(), before, "trial \(trial): nothing stored")
                } else {
                    XCTAssertTrue(report.stored)
                }
            }
        }
    }
}
