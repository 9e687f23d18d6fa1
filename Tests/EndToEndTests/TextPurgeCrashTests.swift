import Foundation
import GRDB
@testable import HandletDomain
import XCTest
import HandletTestSupport

/// The purge's text batches (text retention, issue 23) have the audio's crash guarantees: killed
/// with SIGKILL after every statement of a text batch and of the run's closing transaction, the
/// workspace is consistent, each batch is wholly in or not at all, and the next purge finishes.
final class TextPurgeCrashTests: XCTestCase {
    /// 100 purgeable recordings (5 audio batches of 20) and 100 calls whose text is past 30 days
    /// (5 text batches of 20, numbered 5 to 9); the run's last transaction is batch 10.
    static let layout = PurgeWorkspace.Layout(due: 105, live: 10)
    static let batchSize = 20
    static let textDue = layout.due - layout.held

    private func buildTemplate(in folder: URL) throws {
        let database = try PurgeWorkspace.build(in: folder, layout: Self.layout)
        let workspace = try Workspace.open(at: database)
        let owner = workspace.session(as: try workspace.actor(email: "owner@example.test"))
        try owner.perform(.setTextRetention(.transcripts, to: try TextRetentionPeriod(days: 30)).confirming(true))
        try workspace.checkpointAndClose()
    }

    /// Calls whose text the purge removed; checks integrity and the index on the way.
    private func check(_ folder: URL, finished: Bool) throws -> Int {
        try PurgeCrashTests.check(folder, finished: finished, layout: Self.layout)
        let queue = try DatabaseQueue(path: folder.appendingPathComponent("workspace.sqlite").path)
        defer { try? queue.close() }
        return try queue.write { db in
            XCTAssertEqual(try String.fetchAll(db, sql: "PRAGMA integrity_check"), ["ok"])
            try db.execute(sql: "INSERT INTO call_fts(call_fts) VALUES('integrity-check')")
            let removed = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM calls WHERE text_removed_at IS NOT NULL")!
            // Every removed row is blank, every kept row whole: never half a row.
            XCTAssertEqual(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM calls WHERE summary = ''"), removed)
            XCTAssertEqual(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM call_fts WHERE call_fts MATCH 'callback'"),
                           Self.layout.due + Self.layout.live - removed, "the index follows the rows")
            if finished {
                XCTAssertEqual(removed, Self.textDue)
                let audited = try String.fetchAll(db, sql: "SELECT details FROM audit_events WHERE action = ?",
                                                  arguments: [AuditAction.purgeRun.rawValue]).reduce(0) { sum, details in
                    let values = try JSONDecoder().decode([String: AuditValue].self, from: Data(details.utf8))
                    guard case .int(let count)? = values["call_texts"] else { return sum }
                    return sum + Int(count)
                }
                XCTAssertEqual(audited, removed, "the audit events account for every call's text")
            }
            return removed
        }
    }

    func testSigkillAtEveryStatementOfTextBatchesAndTheClosingTransaction() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("handlet-text-crash-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let template = root.appendingPathComponent("template")
        try buildTemplate(in: template)
        let audioBatches = (Self.layout.due - Self.layout.held + Self.batchSize - 1) / Self.batchSize
        let textBatches = (Self.textDue + Self.batchSize - 1) / Self.batchSize
        let closing = audioBatches + textBatches

        var trials = 0
        for batch in [audioBatches, audioBatches + 2, closing - 1, closing] {
            let textIndex = batch - audioBatches
            var statements = 0
            while true {
                let folder = root.appendingPathComponent("b\(batch)-n\(statements)")
                try PurgeCrashTests.clone(template, to: folder)
                let database = folder.appendingPathComponent("workspace.sqlite").path
                let run = try HandletBinary.run(["purge", "--db", database, "--batch", String(Self.batchSize)],
                                                environment: ["HANDLET_TEST_PURGE_KILL": "\(batch):\(statements)"], timeout: 60)
                let label = "kill after \(statements) statements of batch \(batch)"
                if run.reason == .exit {
                    XCTAssertEqual(run.status, 0, "\(label): \(run.stderr)")
                    XCTAssertEqual(try check(folder, finished: true), Self.textDue, label)
                    try FileManager.default.removeItem(at: folder)
                    break
                }
                XCTAssertTrue(run.killed, "\(label): ended by \(run.reason) \(run.status), not SIGKILL")
                trials += 1
                let removed = try check(folder, finished: false)
                let before = min(Self.textDue, textIndex * Self.batchSize)
                let after = min(Self.textDue, (textIndex + 1) * Self.batchSize)
                XCTAssertTrue(removed == before || removed == after,
                              "\(label): \(removed) calls lost their text; a batch is all or nothing (\(before) or \(after))")
                if batch == closing { XCTAssertEqual(removed, Self.textDue, label) }
                let resumed = try HandletBinary.run(["purge", "--db", database], timeout: 60)
                XCTAssertEqual(resumed.status, 0, "\(label), resumed: \(resumed.stderr)")
                XCTAssertEqual(try check(folder, finished: true), Self.textDue, "\(label), resumed")
                try FileManager.default.removeItem(at: folder)
                statements += 1
                if statements > 50 { return XCTFail("batch \(batch): the hook still fired after 50 statements") }
            }
            XCTAssertGreaterThanOrEqual(statements, 3, "batch \(batch) ran \(statements) statements")
        }
        XCTAssertGreaterThanOrEqual(trials, 12)
        print("TextPurgeCrashTests: \(trials) kill points in text batches and the closing transaction, each consistent and resumed")
    }
}
