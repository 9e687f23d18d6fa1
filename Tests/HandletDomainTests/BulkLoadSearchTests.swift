import Foundation
import GRDB
@testable import HandletDomain
import XCTest

/// The bulk-write path builds the call and message search on a thread of its own, in a scratch
/// database, and copies it in (issue 27): the workspace's FTS5 tables must take that index as
/// their own, for searches, for the integrity check against their content, and for the triggers
/// that keep them up to date afterwards.
final class BulkLoadSearchTests: XCTestCase {
    private var folder: URL!

    override func setUpWithError() throws { folder = try StoreTestFolder.make() }
    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: folder) }

    private func settings() -> WorkspaceRecord {
        WorkspaceRecord(name: "Test", businessName: "Test Ltd", createdAt: StoreTestFolder.anchor)
    }

    private static let words = ["boiler", "radiator", "Zürich", "café", "東京", "مرحبا", "Łódź", "valve", "cistern", "🔧"]

    private static func call(_ id: Int64) -> BulkCall {
        let word = words[Int(id) % words.count]
        // A NUL in the text: the workspace's search reads it through a view that shows it as ␀.
        let transcript = id % 97 == 0 ? "caller: the \(word)\u{0}leaks\nagent: noted call\(id)" : "caller: the \(word) leaks\nagent: noted call\(id)"
        return BulkCall(id: id, externalId: "CA\(id)", direction: "inbound", fromNumber: "+447700900\(id % 1000)",
                        toNumber: "+441134960000", startedAt: 1_760_000_000 + id * 60, durationSeconds: 60,
                        handledBy: "ai_agent", outcome: "booked_job", summary: "Summary \(word) number\(id)",
                        transcript: transcript, transcriptTiming: "0\n1000", recordingState: "not_recorded")
    }

    private static func batches(calls: Int, messages: Int) -> [BulkBatch] {
        var result: [BulkBatch] = []
        var id: Int64 = 1
        while id <= Int64(calls) {
            let end = min(Int64(calls), id + 499)
            result.append(.calls((id...end).map(call), []))
            id = end + 1
        }
        var message: Int64 = 1
        while message <= Int64(messages) {
            let end = min(Int64(messages), message + 299)
            let rows = (message...end).map { id in
                BulkMessage(id: id, threadSlot: 0, channel: "sms", direction: "inbound", fromAddress: "+447700900001",
                            toAddress: "+441134960000", body: "Message \(words[Int(id) % words.count]) body\(id)",
                            sentAt: 1_760_000_000 + id, deliveryStatus: "received")
            }
            result.append(.messages([BulkThread(channel: "sms", lastActivityAt: 1_760_000_000 + end, unreadCount: 0,
                                                messageCount: rows.count)], rows))
            message = end + 1
        }
        return result
    }

    func testTheIndexBuiltBesideTheRowsIsTheWorkspacesOwn() throws {
        let url = folder.appendingPathComponent("w.sqlite")
        var pending = Self.batches(calls: 3_000, messages: 2_000)[...]
        let workspace = try Workspace.create(at: url, workspace: settings(), users: [], createdAt: Date(), batches: {
            pending.popFirst()
        }, progress: { _ in }, history: { _ in })
        try workspace.dbPool.write { db in
            // FTS5 checks the index against the content it reads through the views: every token.
            try db.execute(sql: "INSERT INTO call_fts(call_fts, rank) VALUES('integrity-check', 1)")
            try db.execute(sql: "INSERT INTO message_fts(message_fts, rank) VALUES('integrity-check', 1)")
            XCTAssertEqual(try Int.fetchOne(db, sql: "SELECT count(*) FROM call_fts WHERE call_fts MATCH 'boiler'"), 300)
            XCTAssertEqual(try Int.fetchOne(db, sql: "SELECT count(*) FROM call_fts WHERE call_fts MATCH 'zurich'"), 300,
                           "the same tokenizer: diacritics removed")
            XCTAssertEqual(try Int64.fetchAll(db, sql: "SELECT rowid FROM call_fts WHERE call_fts MATCH 'call2910'"), [2910])
            XCTAssertEqual(try Int64.fetchAll(db, sql: "SELECT rowid FROM call_fts WHERE call_fts MATCH 'summary:number77'"), [77])
            XCTAssertEqual(try Int.fetchOne(db, sql: "SELECT count(*) FROM message_fts WHERE message_fts MATCH 'cafe'"), 200)
            XCTAssertEqual(try Int64.fetchAll(db, sql: "SELECT rowid FROM message_fts WHERE message_fts MATCH 'body1999'"), [1999])
            // The snippet reads the text through the view: the NUL shows as ␀ and the words after it stay.
            XCTAssertEqual(try String.fetchOne(db, sql: """
                SELECT highlight(call_fts, 1, '[', ']') FROM call_fts WHERE call_fts MATCH 'call97'
                """), "caller: the valve␀leaks\nagent: noted [call97]")
            // The triggers keep it up to date from here on.
            try db.execute(sql: "UPDATE calls SET summary = 'Summary kettle' WHERE id = 5")
            try db.execute(sql: "DELETE FROM messages WHERE id = 1999")
            XCTAssertEqual(try Int64.fetchAll(db, sql: "SELECT rowid FROM call_fts WHERE call_fts MATCH 'kettle'"), [5])
            XCTAssertEqual(try Int.fetchOne(db, sql: "SELECT count(*) FROM message_fts WHERE message_fts MATCH 'body1999'"), 0)
            try db.execute(sql: "INSERT INTO call_fts(call_fts, rank) VALUES('integrity-check', 1)")
            try db.execute(sql: "INSERT INTO message_fts(message_fts, rank) VALUES('integrity-check', 1)")
        }
        // The scratch database is gone.
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path)
        XCTAssertTrue(names.contains("w.sqlite"))
        XCTAssertFalse(names.contains { $0.contains("search") || $0.contains("creating") }, "\(names)")
    }

    func testAFailedLoadLeavesNoScratchSearchBehind() throws {
        struct Stop: Error {}
        let url = folder.appendingPathComponent("w.sqlite")
        var pending = Self.batches(calls: 2_000, messages: 0)[...]
        XCTAssertThrowsError(try Workspace.create(at: url, workspace: settings(), users: [], createdAt: Date(), batches: {
            guard let batch = pending.popFirst() else { throw Stop() }
            return batch
        }, progress: { _ in }, history: { _ in })) { XCTAssertTrue($0 is Stop, "\($0)") }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.path), [])
    }

    func testTheScratchTablesHaveTheWorkspacesColumnsAndTokenizerWithoutItsContent() throws {
        let queue = try DatabaseQueue(path: folder.appendingPathComponent("m.sqlite").path)
        try Schema.migrator().migrate(queue)
        try queue.read { db in
            for table in ParallelSearchIndex.tables {
                let sql = try XCTUnwrap(String.fetchOne(db, sql: "SELECT sql FROM sqlite_master WHERE name = ?", arguments: [table]))
                let contentless = try ParallelSearchIndex.contentless(sql)
                XCTAssertTrue(contentless.contains("content=''"), contentless)
                XCTAssertFalse(contentless.contains("content_rowid"), contentless)
                XCTAssertTrue(contentless.contains("tokenize='unicode61 remove_diacritics 2'"), contentless)
            }
        }
        XCTAssertThrowsError(try ParallelSearchIndex.contentless("CREATE TABLE t (a)"))
    }
}
