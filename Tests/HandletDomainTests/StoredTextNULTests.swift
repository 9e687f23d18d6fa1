import Foundation
import GRDB
@testable import HandletDomain
import HandletTestSupport
import XCTest

/// Issue 11: the one way stored text with a NUL is written and read whole (`TextWithNUL`), and
/// the full-text tables' content views (migration search-text-nul-visible) that let search snippets show it.
final class StoredTextNULTests: XCTestCase {
    private var folder: URL!
    private var workspace: Workspace!
    static let body = "Before\u{0}hidden tail \\u0000 \u{0}zanzibar end"

    override func setUpWithError() throws {
        folder = try StoreTestFolder.make()
        workspace = try Workspace.create(
            at: folder.appendingPathComponent("w.sqlite"),
            workspace: WorkspaceRecord(name: "W\u{0}tail", businessName: "T Ltd", createdAt: StoreTestFolder.anchor),
            users: [User(name: "Olive\u{0}Owner", email: "owner@example.test", role: .owner, createdAt: StoreTestFolder.anchor)])
        try workspace.dbPool.write { db in
            var thread = MessageThread(contactId: nil, channel: .email, subject: "Re\u{0}: quote", lastActivityAt: StoreTestFolder.anchor)
            try thread.insert(db)
            var message = Message(threadId: thread.id!, channel: .email, direction: .inbound, fromAddress: "a@example.test",
                                  toAddress: "b@example.test", contactId: nil, body: Self.body, sentAt: StoreTestFolder.anchor,
                                  deliveryStatus: .received)
            try message.insert(db)
        }
    }

    override func tearDownWithError() throws {
        try? workspace.dbPool.close()
        try? FileManager.default.removeItem(at: folder)
    }

    func testRecordsAreWrittenAndReadWholeAndUpdatesKeepTheNUL() throws {
        try workspace.dbPool.write { db in
            XCTAssertEqual(try WorkspaceRecord.fetchOne(db, key: 1)?.name, "W\u{0}tail")
            XCTAssertEqual(try User.fetchOne(db, key: 1)?.name, "Olive\u{0}Owner")
            var thread = try XCTUnwrap(try MessageThread.fetchOne(db, key: 1))
            XCTAssertEqual(thread.subject, "Re\u{0}: quote")
            XCTAssertEqual(try Message.fetchOne(db, key: 1)?.body, Self.body)
            thread.subject = "New\u{0}subject"
            try thread.update(db)
            XCTAssertEqual(try MessageThread.fetchAll(db).map(\.subject), ["New\u{0}subject"])
        }
        guard case .user(let owner) = try workspace.localOwner() else { return XCTFail("no owner") }
        XCTAssertEqual(owner.name, "Olive\u{0}Owner")
    }

    func testSearchSnippetShowsTheNULAsASymbolAndTheIndexStaysConsistent() throws {
        let session = workspace.session(as: try workspace.localOwner())
        let results = try session.read(.search(SearchQuery("zanzibar"), calls: nil, messages: MessageFilter(),
                                               clock: BrowseClock(now: StoredTestClock.now, timeZone: .gmt), limit: 10))
        let hit = try XCTUnwrap(results.messages.first)
        XCTAssertEqual(hit.snippet.text, "Before␀hidden tail \\u0000 ␀zanzibar end", "a stored \\u0000 in words stays as it is")
        XCTAssertEqual(hit.snippet.highlightedParts, ["zanzibar"])
        try workspace.dbPool.write { db in
            // FTS5's own check (a 'command' insert, so on the writer; it changes nothing), reading the content through the view: the index matches it token for token.
            try db.execute(sql: "INSERT INTO message_fts(message_fts, rank) VALUES('integrity-check', 1)")
            try db.execute(sql: "INSERT INTO call_fts(call_fts, rank) VALUES('integrity-check', 1)")
            XCTAssertEqual(try String.fetchOne(db, sql: "PRAGMA integrity_check"), "ok")
            let schema = try String.fetchOne(db, sql: "SELECT sql FROM sqlite_master WHERE name = 'message_fts'") ?? ""
            XCTAssertTrue(schema.contains("content='message_fts_text'"), schema)
        }
    }

    func testTheSqlite3CLIStillReadsTheSearchTablesWithoutHandlet() throws {
        try workspace.dbPool.close()
        let sqlite = try ChildProcess.run(tool: "sqlite3", [
            folder.appendingPathComponent("w.sqlite").path,
            "SELECT snippet(message_fts, 0, '[', ']', '…', 12) FROM message_fts WHERE message_fts MATCH 'zanzibar'"])
        XCTAssertEqual(sqlite.status, 0, sqlite.stderr)
        XCTAssertTrue(sqlite.stdout.contains("␀[zanzibar]"), sqlite.stdout)
    }
}

private enum StoredTestClock {
    static let now = StoreTestFolder.anchor.addingTimeInterval(3_600)
}

/// Issue 11, Faults: the session's change for a screen that must not freeze, against another
/// connection holding the write lock.
final class BusyWriterSessionTests: XCTestCase {
    private var folder: URL!
    private var workspace: Workspace!
    private var holder: DatabaseQueue!

    override func setUpWithError() throws {
        folder = try StoreTestFolder.make()
        workspace = try Workspace.create(
            at: folder.appendingPathComponent("w.sqlite"),
            workspace: WorkspaceRecord(name: "W", businessName: "T Ltd", createdAt: StoreTestFolder.anchor),
            users: [User(name: "Olive", email: "owner@example.test", role: .owner, createdAt: StoreTestFolder.anchor)])
        var config = Configuration()
        config.allowsUnsafeTransactions = true // the lock is held across accesses, as another process would
        holder = try DatabaseQueue(path: folder.appendingPathComponent("w.sqlite").path, configuration: config)
        try holder.writeWithoutTransaction { db in try db.execute(sql: "BEGIN IMMEDIATE") }
    }

    override func tearDownWithError() throws {
        try? holder.writeWithoutTransaction { db in try db.execute(sql: "ROLLBACK") }
        try? holder.close()
        try? workspace.dbPool.close()
        try? FileManager.default.removeItem(at: folder)
    }

    private var session: WorkspaceSession { get throws { workspace.session(as: try workspace.actor(email: "owner@example.test")) } }
    private var auditCount: Int { get throws { try workspace.dbPool.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM audit_events") ?? 0 } } }

    func testPerformIfFreeRefusesAtOnceWhenLocked() throws {
        let started = Date()
        XCTAssertThrowsError(try session.performIfFree(.setRetentionPeriod(RetentionPeriod(parsing: "60"), shorteningConfirmed: false))) {
            XCTAssertEqual($0 as? WorkspaceError, .locked(workspace.databaseURL.path))
        }
        XCTAssertLessThan(Date().timeIntervalSince(started), 0.5, "no busy wait")
        XCTAssertEqual(try workspace.settings().retentionDays, 30)
    }

    func testRetriesUntilTheLockGoesThenLandsWithItsAuditEvent() async throws {
        let before = try auditCount
        let busy = BusyFlag()
        let holder = self.holder!
        Task.detached {
            try await Task.sleep(for: .milliseconds(700))
            try await holder.writeWithoutTransaction { db in try db.execute(sql: "ROLLBACK") }
        }
        let change = try await session.perform(.setRetentionPeriod(RetentionPeriod(parsing: "60"), shorteningConfirmed: false),
                                               retryingFor: .seconds(10), onBusy: { busy.set() })
        XCTAssertEqual(change.to.days, 60)
        XCTAssertTrue(busy.value, "onBusy was told")
        XCTAssertEqual(try workspace.settings().retentionDays, 60)
        XCTAssertEqual(try auditCount, before + 1)
        try? await holder.writeWithoutTransaction { db in try db.execute(sql: "BEGIN IMMEDIATE") } // for tearDown's ROLLBACK
    }

    func testGivesUpAfterTheLimitHavingWrittenNothing() async throws {
        let before = try auditCount
        let started = Date()
        do {
            try await session.perform(.setRetentionPeriod(RetentionPeriod(parsing: "60"), shorteningConfirmed: false), retryingFor: .seconds(1))
            XCTFail("it landed through a held lock")
        } catch {
            XCTAssertEqual(error as? WorkspaceError, .stillLocked(path: workspace.databaseURL.path, seconds: 1))
            XCTAssertEqual(String(describing: error), "Not changed: another process kept the workspace busy for 1 s; try again later")
        }
        XCTAssertLessThan(Date().timeIntervalSince(started), 2)
        XCTAssertEqual(try workspace.settings().retentionDays, 30)
        XCTAssertEqual(try auditCount, before)
    }
}

private final class BusyFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var flag = false
    var value: Bool { lock.withLock { flag } }
    func set() { lock.withLock { flag = true } }
}
