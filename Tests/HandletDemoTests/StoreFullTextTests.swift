import Foundation
import GRDB
@testable import HandletDomain
import XCTest

/// The full-text indexes follow calls and messages through insert, update and delete: FTS5's
/// own integrity check, in its `rank = 1` form, compares every index entry with the content table.
final class StoreFullTextTests: XCTestCase {
    /// For an external-content table the plain `integrity-check` checks only the index's own
    /// structure; with `rank = 1` it also checks the index against the content table
    /// (sqlite.org/fts5.html#the_integrity_check_command), which is what "in sync" means.
    private func assertInSync(_ db: Database, file: StaticString = #filePath, line: UInt = #line) throws {
        XCTAssertNoThrow(try db.execute(sql: "INSERT INTO call_fts(call_fts, rank) VALUES('integrity-check', 1)"), file: file, line: line)
        XCTAssertNoThrow(try db.execute(sql: "INSERT INTO message_fts(message_fts, rank) VALUES('integrity-check', 1)"), file: file, line: line)
    }

    private func callIds(_ db: Database, matching query: String) throws -> [Call.ID] {
        try Call.ID.fetchAll(db, sql: "SELECT rowid FROM call_fts WHERE call_fts MATCH ? ORDER BY rowid", arguments: [query])
    }

    private func messageIds(_ db: Database, matching query: String) throws -> [Message.ID] {
        try Message.ID.fetchAll(db, sql: "SELECT rowid FROM message_fts WHERE message_fts MATCH ? ORDER BY rowid", arguments: [query])
    }

    func testGeneratedIndexesMatchTheirTables() throws {
        let test = try TestWorkspace.make(calls: 300, messages: 900)
        // FTS5's integrity check is written as an INSERT, so it needs a write transaction.
        try test.write { db in
            try assertInSync(db)
            // Every call that mentions "boiler" in its words is found, and nothing else.
            let expected = try Call.ID.fetchAll(db, sql: """
                SELECT id FROM calls WHERE ' ' || lower(summary || ' ' || transcript) || ' ' GLOB '*[^a-z]boiler[^a-z]*' ORDER BY id
                """)
            XCTAssertFalse(expected.isEmpty)
            XCTAssertEqual(try callIds(db, matching: "boiler"), expected)
            let radiators = try Message.ID.fetchAll(db, sql: """
                SELECT id FROM messages WHERE ' ' || lower(body) || ' ' GLOB '*[^a-z]radiators[^a-z]*' ORDER BY id
                """)
            XCTAssertFalse(radiators.isEmpty)
            XCTAssertEqual(try messageIds(db, matching: "radiators"), radiators)
            // The demo loads with the span triggers off and recomputes the spans once.
            for (spans, source) in [("call_id_span_by_day", "SELECT started_at / 86400 AS day, MIN(id) AS min_id, MAX(id) AS max_id FROM calls GROUP BY 1"),
                                    ("message_id_span_by_day", "SELECT sent_at / 86400 AS day, MIN(id) AS min_id, MAX(id) AS max_id FROM messages GROUP BY 1")] {
                let stored = try Row.fetchAll(db, sql: "SELECT day, min_id, max_id FROM \(spans) ORDER BY day")
                XCTAssertFalse(stored.isEmpty)
                XCTAssertEqual(stored, try Row.fetchAll(db, sql: source + " ORDER BY 1"), spans)
            }
        }
    }

    func testCallsStayInSyncThroughInsertUpdateAndDelete() throws {
        let test = try TestWorkspace.make(calls: 50, messages: 30)
        try test.write { db in
            var call = Call(externalId: "CA-FTS-1", direction: .inbound, fromNumber: "+447700900001",
                            toNumber: "+441134960321", contactId: nil, startedAt: TestWorkspace.anchor,
                            durationSeconds: 30, handledBy: .aiAgent, outcome: .messageTaken,
                            summary: "Asked about a zanzibarite tiling job",
                            transcript: Transcript(turns: [.init(speaker: .caller, offsetMs: 0, text: "quuxfoo grout please")]),
                            recordingState: .notRecorded)
            try call.insert(db)
            let id = call.id!
            XCTAssertEqual(try callIds(db, matching: "zanzibarite"), [id])
            XCTAssertEqual(try callIds(db, matching: "quuxfoo"), [id])
            try assertInSync(db)

            try db.execute(sql: "UPDATE calls SET summary = 'Asked about a marmalised sink' WHERE id = ?", arguments: [id])
            XCTAssertEqual(try callIds(db, matching: "zanzibarite"), [])
            XCTAssertEqual(try callIds(db, matching: "marmalised"), [id])
            XCTAssertEqual(try callIds(db, matching: "quuxfoo"), [id])
            // A change that is not text (as the purge makes) leaves the index alone and in sync.
            try db.execute(sql: "UPDATE calls SET recording_state = 'purged' WHERE id = ?", arguments: [id])
            try assertInSync(db)

            let generated = try Int64.fetchOne(db, sql: "SELECT MIN(id) FROM calls")!
            // A word of the generated call's summary: its index entry must be there, then gone.
            let summary = try String.fetchOne(db, sql: "SELECT summary FROM calls WHERE id = ?", arguments: [generated]) ?? ""
            let word = try XCTUnwrap(summary.split { !$0.isLetter }.map(String.init).first { $0.count >= 4 }, summary)
            let matching = { try Int64.fetchAll(db, sql: "SELECT rowid FROM call_fts WHERE call_fts MATCH ?", arguments: ["\"\(word)\""]) }
            XCTAssertTrue(try matching().contains(generated), "\(word) finds the generated call before the delete")
            try db.execute(sql: "DELETE FROM calls WHERE id IN (?, ?)", arguments: [id, generated])
            XCTAssertEqual(try callIds(db, matching: "marmalised"), [])
            XCTAssertFalse(try matching().contains(generated), "and not after it")
            try assertInSync(db)
        }
    }

    func testMessagesStayInSyncThroughInsertUpdateAndDelete() throws {
        let test = try TestWorkspace.make(calls: 20, messages: 60)
        try test.write { db in
            let threadId = try MessageThread.ID.fetchOne(db, sql: "SELECT MIN(id) FROM threads")!
            var message = Message(threadId: threadId, channel: .sms, direction: .inbound, fromAddress: "+447700900001",
                                  toAddress: "+441134960321", contactId: nil, body: "Is the plumbrix fitting in stock?",
                                  sentAt: TestWorkspace.anchor, deliveryStatus: .received)
            try message.insert(db)
            let id = message.id!
            XCTAssertEqual(try messageIds(db, matching: "plumbrix"), [id])
            try db.execute(sql: "UPDATE messages SET body = 'Never mind, found a snorkelite' WHERE id = ?", arguments: [id])
            XCTAssertEqual(try messageIds(db, matching: "plumbrix"), [])
            XCTAssertEqual(try messageIds(db, matching: "snorkelite"), [id])
            try db.execute(sql: "UPDATE messages SET delivery_status = 'read' WHERE id = ?", arguments: [id])
            try assertInSync(db)
            // Deleting a thread cascades to its messages, and their index entries go too.
            try db.execute(sql: "DELETE FROM threads WHERE id = ?", arguments: [threadId])
            XCTAssertEqual(try messageIds(db, matching: "snorkelite"), [])
            XCTAssertEqual(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM messages WHERE thread_id = ?", arguments: [threadId]), 0)
            try assertInSync(db)
        }
    }
}
