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
        XCTAssertThrowsError(try Workspace.create(at: url, workspace: settings(), users: []) { queue, audio in
            try queue.write { db in try db.execute(sql: "INSERT INTO contacts (name, created_at) VALUES ('x', 0)") }
            try Data("partial".utf8).write(to: audio.appendingPathComponent("a.wav"))
            throw Stop()
        })
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.path), [])
    }
}
