import Foundation
import GRDB
@testable import HandletDomain
import XCTest

/// Issue 11: the one way stored text with a NUL is written and read whole (`TextWithNUL`), and
/// the full-text tables' content views (migration v8) that let search snippets show it.
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
        let sqlite = Process()
        sqlite.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        sqlite.arguments = ["sqlite3", folder.appendingPathComponent("w.sqlite").path,
                            "SELECT snippet(message_fts, 0, '[', ']', '…', 12) FROM message_fts WHERE message_fts MATCH 'zanzibar'"]
        let output = Pipe()
        sqlite.standardOutput = output
        try sqlite.run()
        sqlite.waitUntilExit()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        XCTAssertEqual(sqlite.terminationStatus, 0)
        XCTAssertTrue(text.contains("␀[zanzibar]"), text)
    }
}

private enum StoredTestClock {
    static let now = StoreTestFolder.anchor.addingTimeInterval(3_600)
}
