import Foundation
import GRDB
@testable import HandletDomain
import XCTest

final class StoreMigrationTests: XCTestCase {
    private var folder: URL!

    override func setUpWithError() throws { folder = try StoreTestFolder.make() }
    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: folder) }

    private func settings() -> WorkspaceRecord {
        WorkspaceRecord(name: "Test", businessName: "Test Ltd", createdAt: StoreTestFolder.anchor)
    }

    func testMigratesAnEmptyDatabaseToTheCurrentVersion() throws {
        let queue = try DatabaseQueue(path: folder.appendingPathComponent("empty.sqlite").path)
        try Schema.migrator().migrate(queue)
        try queue.read { db in
            XCTAssertEqual(try Int.fetchOne(db, sql: "PRAGMA user_version"), Schema.currentVersion)
            for table in ["workspace", "users", "contacts", "marketing_consents", "calls", "recordings", "threads",
                          "messages", "reviews", "drafts", "notices", "notice_responses", "data_subject_requests",
                          "audit_events", "call_fts", "message_fts"] {
                XCTAssertTrue(try db.tableExists(table), table)
            }
            XCTAssertTrue(try db.indexes(on: "calls").contains { $0.columns == ["started_at", "id"] })
            XCTAssertTrue(try db.indexes(on: "messages").contains { $0.columns == ["sent_at", "id"] })
            XCTAssertEqual(try String.fetchAll(db, sql: "PRAGMA integrity_check"), ["ok"])
        }
    }

    func testCreatedWorkspaceUsesWALIncrementalVacuumAndForeignKeys() throws {
        let workspace = try Workspace.create(at: folder.appendingPathComponent("w.sqlite"), workspace: settings(),
                                             users: [User(name: "O", email: "o@example.test", role: .owner,
                                                          createdAt: StoreTestFolder.anchor)])
        try workspace.dbPool.read { db in
            XCTAssertEqual(try String.fetchOne(db, sql: "PRAGMA journal_mode"), "wal")
            XCTAssertEqual(try Int.fetchOne(db, sql: "PRAGMA auto_vacuum"), 2)  // INCREMENTAL
            XCTAssertEqual(try Int.fetchOne(db, sql: "PRAGMA foreign_keys"), 1)
            XCTAssertEqual(try Int.fetchOne(db, sql: "PRAGMA secure_delete"), 1)
            XCTAssertEqual(try WorkspaceRecord.fetchOne(db, key: 1)?.name, "Test")
            XCTAssertEqual(try AuditLog.verify(db), nil)
        }
    }

    func testNewerSchemaIsRefusedNamingBothVersionsAndLeftUntouched() throws {
        let url = folder.appendingPathComponent("newer.sqlite")
        let workspace = try Workspace.create(at: url, workspace: settings(), users: [])
        try workspace.dbPool.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA user_version = \(Schema.currentVersion + 5)")
            _ = try db.checkpoint(.truncate)
        }
        try workspace.dbPool.close()
        func files() throws -> [String: Data] {
            try Dictionary(uniqueKeysWithValues: ["", "-wal", "-shm"].compactMap { suffix in
                FileManager.default.fileExists(atPath: url.path + suffix)
                    ? (suffix, try Data(contentsOf: URL(fileURLWithPath: url.path + suffix))) : nil
            })
        }
        let before = try files()
        XCTAssertThrowsError(try Workspace.open(at: url)) { error in
            XCTAssertEqual(error as? WorkspaceError,
                           .newerSchema(path: url.path, found: Schema.currentVersion + 5, supported: Schema.currentVersion))
            let message = String(describing: error)
            XCTAssertTrue(message.contains("version \(Schema.currentVersion + 5)"), message)
            XCTAssertTrue(message.contains("(\(Schema.currentVersion))"), message)
        }
        XCTAssertEqual(try files(), before)
    }

    /// A migration that fails part-way (here: v2 meets a table it wants to create) rolls back
    /// whole; the database stays a consistent v1 that a fixed handlet can migrate later.
    /// A workspace made at schema v1 and used (calls, a stored and a due recording, a purged one,
    /// messages, an audit chain), then given a purge left unfinished at v2, opens through every
    /// later migration: its rows survive, every derived table (day totals, record counts, search
    /// id spans, the rebuilt purge journal) agrees with them, the schema is exactly a new
    /// workspace's, and the domain works on it (browse, search, retention, purge, audit verify).
    func testAnOlderWorkspaceWithDataUpgradesThroughEveryMigration() throws {
        let url = folder.appendingPathComponent("old.sqlite")
        let audio = Workspace.audioDirectory(for: url)
        try FileManager.default.createDirectory(at: audio, withIntermediateDirectories: true)
        let day: Int64 = 86_400
        let now = Int64(StoreTestFolder.anchor.timeIntervalSince1970)
        let queue = try DatabaseQueue(path: url.path)
        try queue.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA journal_mode = WAL") }
        try Schema.migrator().migrate(queue, upTo: "v1-records")
        for name in ["live.wav", "due.wav", "leftover.wav"] { try Data("RIFF-\(name)".utf8).write(to: audio.appendingPathComponent(name)) }
        try queue.write { db in
            try settings().insert(db)
            try db.execute(sql: """
                INSERT INTO users(id, name, email, role, created_at) VALUES (1, 'Olive Owner', 'owner@example.test', 'owner', ?);
                INSERT INTO contacts(id, name, phone, created_at) VALUES (1, 'Alice Archer', '+447700900001', ?);
                INSERT INTO calls(id, external_id, direction, from_number, to_number, contact_id, started_at, duration_seconds,
                                  handled_by, outcome, summary, transcript, transcript_timing, recording_state) VALUES
                  (1, 'CA-OLD-1', 'inbound', '+447700900001', '+441632960000', 1, ? - 2 * 86400, 60, 'ai_agent', 'booked_job',
                   'Replaced a zanzibarite valve', 'My valve is leaking', 'caller 0', 'recorded'),
                  (2, 'CA-OLD-2', 'inbound', '+447700900001', '+441632960000', 1, ? - 40 * 86400, 30, 'ai_agent', 'missed',
                   'Missed call about a boiler', '', '', 'recorded'),
                  (3, 'CA-OLD-3', 'outbound', '+441632960000', '+447700900002', NULL, ? - 90 * 86400, 45, 'staff', 'quote_requested',
                   'Quote for a bathroom', '', '', 'recorded');
                INSERT INTO recordings(id, call_id, file_path, bytes, duration_ms, sha256, created_at, expires_at) VALUES
                  (1, 1, 'live.wav', 13, 1000, 'a', ? - 2 * 86400, ? + 28 * 86400),
                  (2, 2, 'due.wav', 12, 1000, 'b', ? - 40 * 86400, ? - 10 * 86400),
                  (3, 3, 'leftover.wav', 17, 1000, 'c', ? - 90 * 86400, ? - 60 * 86400);
                INSERT INTO threads(id, contact_id, channel, last_activity_at, message_count) VALUES (1, 1, 'sms', ?, 2);
                INSERT INTO messages(thread_id, channel, direction, from_address, to_address, contact_id, body, sent_at, delivery_status) VALUES
                  (1, 'sms', 'inbound', '+447700900001', '+441632960000', 1, 'Is the quokkalite fitted?', ? - 600, 'received'),
                  (1, 'sms', 'outbound', '+441632960000', '+447700900001', 1, 'Yes, all done.', ?, 'delivered');
                """, arguments: [now, now, now, now, now, now, now, now, now, now, now, now, now, now])
            try AuditLog.append(db, actor: .system, action: .workspaceCreated, details: ["schema_version": .int(1)], at: StoreTestFolder.anchor)
        }
        // At v2 a purge was killed after committing recording 3's batch: its row is purged, its
        // file is listed in the journal and still on disk.
        try Schema.migrator().migrate(queue, upTo: "v2-purge-journal")
        try queue.write { db in
            try db.execute(sql: """
                UPDATE recordings SET file_path = NULL, sha256 = NULL, purged_at = ? WHERE id = 3;
                UPDATE calls SET recording_state = 'purged', recording_purged_at = ? WHERE id = 3;
                INSERT INTO purge_journal(recording_id, file_path) VALUES (3, 'leftover.wav');
                """, arguments: [now - day, now - day])
        }
        try queue.close()

        let workspace = try Workspace.open(at: url)
        let fresh = try Workspace.create(at: folder.appendingPathComponent("fresh.sqlite"), workspace: settings(), users: [])
        func objects(_ pool: WorkspaceDatabase) throws -> [String] {
            try pool.read { db in
                try String.fetchAll(db, sql: "SELECT type || ' ' || name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY 1")
            }
        }
        XCTAssertEqual(try objects(workspace.dbPool), try objects(fresh.dbPool), "the upgraded schema has exactly a new workspace's objects")
        try workspace.dbPool.read { db in
            XCTAssertEqual(try Int.fetchOne(db, sql: "PRAGMA user_version"), Schema.currentVersion)
            XCTAssertEqual(try String.fetchAll(db, sql: "PRAGMA integrity_check"), ["ok"])
            XCTAssertEqual(try Row.fetchAll(db, sql: "PRAGMA foreign_key_check"), [])
            XCTAssertEqual(try String.fetchAll(db, sql: "SELECT external_id FROM calls ORDER BY id"), ["CA-OLD-1", "CA-OLD-2", "CA-OLD-3"])
            XCTAssertEqual(try String.fetchAll(db, sql: "SELECT file_path FROM purge_journal"), ["leftover.wav"], "v7 kept the journal")
            let info = try WorkspaceInfo.read(db, workspace: workspace)
            XCTAssertEqual([info.counts.calls, info.counts.messages, info.counts.threads, info.counts.contacts], [3, 2, 1, 1],
                           "v4's counts start from the rows already there")
            // v6's id spans: a search restricted to a date range still finds the old call.
            let clock = BrowseClock(now: StoreTestFolder.anchor, timeZone: TimeZone(identifier: "Europe/London")!)
            let found = try Search.run(SearchQuery("zanzibarite"), callFilter: CallFilter(dateRange: .last7Days), messageFilter: nil,
                                       clock: clock, limit: 10, in: db)
            XCTAssertEqual(found.calls.map(\.party), ["Alice Archer"], "the call of 2 days ago, by its v1 words")
            let messages = try Search.run(SearchQuery("quokkalite"), callFilter: nil, messageFilter: MessageFilter(), clock: clock, limit: 10, in: db)
            XCTAssertEqual(messages.messages.count, 1, "the messages' index came through")
            XCTAssertNil(try AuditLog.verify(db), "the old audit chain still verifies")
        }
        let owner = workspace.session(as: try workspace.actor(email: "owner@example.test"))
        let overview = try owner.read(.retentionOverview(now: StoreTestFolder.anchor))
        XCTAssertEqual(overview.dueNow.recordings, 1, "v2/v4 day totals: only recording 2 is due")
        let preview = try owner.read(.impactPreview(changingTo: try RetentionPeriod(days: 1), now: StoreTestFolder.anchor))
        XCTAssertEqual(preview.recordings, 1, "shortening to a day would take the live one too (from the day totals)")
        let report = try workspace.session(as: .system).purge(now: StoreTestFolder.anchor)
        XCTAssertEqual(report.thisRun.purged, 1)
        XCTAssertEqual(report.leftoverFilesDeleted, 1, "the unfinished run's file went first")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: audio.path), ["live.wav"])
        try workspace.dbPool.read { db in XCTAssertNil(try AuditLog.verify(db)) }
    }

    func testFailedMigrationLeavesThePreviousVersionIntact() throws {
        let url = folder.appendingPathComponent("v1.sqlite")
        let queue = try DatabaseQueue(path: url.path)
        try Schema.migrator().migrate(queue, upTo: "v1-records")
        try queue.write { db in
            try settings().insert(db)
            try db.execute(sql: "CREATE TABLE purge_journal (x)")
        }
        try queue.close()

        XCTAssertThrowsError(try Workspace.open(at: url))
        let check = try DatabaseQueue(path: url.path)
        try check.read { db in
            XCTAssertEqual(try Int.fetchOne(db, sql: "PRAGMA user_version"), 1)
            XCTAssertEqual(try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations"), ["v1-records"])
            XCTAssertFalse(try db.tableExists("recording_day_totals"), "v2 was applied in part")
            XCTAssertEqual(try String.fetchAll(db, sql: "PRAGMA integrity_check"), ["ok"])
        }
    }

    func testFailedCreationLeavesNothingBehind() throws {
        struct Stop: Error {}
        let url = folder.appendingPathComponent("w.sqlite")
        var handed = false
        XCTAssertThrowsError(try Workspace.create(at: url, workspace: settings(), users: [], createdAt: Date(), batches: {
            guard !handed else { throw Stop() }
            handed = true
            try Data("partial".utf8).write(to: Workspace.buildingAudioDirectory(for: url).appendingPathComponent("a.wav"))
            return .contacts([BulkContact(id: 1, name: "x", phone: "+447700900123", createdAt: 0)], [])
        }, progress: { _ in }, history: { _ in }))
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.path), [])
    }
}
