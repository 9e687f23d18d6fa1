import Foundation
import GRDB
@testable import HandletDomain
import XCTest

/// Same seed and anchor: identical rows and identical recording files. Another seed: different.
final class DemoDeterminismTests: XCTestCase {
    /// Every row of every table, the audit log included (its events carry the demo's own moments).
    private func dump(_ test: TestWorkspace) throws -> [String: [[DatabaseValue]]] {
        try test.read { db in
            let tables = try String.fetchAll(db, sql: """
                SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'
                AND name NOT LIKE '%_fts%' AND name NOT IN ('grdb_migrations') ORDER BY name
                """)
            var result: [String: [[DatabaseValue]]] = [:]
            for table in tables {
                // WITHOUT ROWID tables have no rowid; ordering by every column is stable for all.
                let columns = try db.columns(in: table).map(\.name.quotedDatabaseIdentifier).joined(separator: ", ")
                result[table] = try Row.fetchAll(db, sql: "SELECT * FROM \(table) ORDER BY \(columns)").map { Array($0.databaseValues) }
            }
            return result
        }
    }

    /// Relative path → SHA-256 of every file in the recordings folder.
    private func files(_ test: TestWorkspace) throws -> [String: String] {
        var result: [String: String] = [:]
        for path in try FileManager.default.subpathsOfDirectory(atPath: test.audioFolder.path) where path.hasSuffix(".wav") {
            result[path] = try SHA256Hex.ofFile(at: test.audioFolder.appendingPathComponent(path))
        }
        return result
    }

    func testSameSeedGivesIdenticalRowsAndFiles() throws {
        let first = try TestWorkspace.make(calls: 400, messages: 1_200, seed: 42)
        let second = try TestWorkspace.make(calls: 400, messages: 1_200, seed: 42)
        let rows = try dump(first)
        XCTAssertEqual(rows, try dump(second))
        XCTAssertEqual(rows["calls"]?.count, 400)
        XCTAssertEqual(try first.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM messages WHERE correlation_id IS NULL") }, 1_200,
                       "the generated messages; the replies the queue sent come on top")
        let hashes = try files(first)
        XCTAssertFalse(hashes.isEmpty)
        XCTAssertEqual(hashes, try files(second))
    }

    func testDifferentSeedGivesDifferentData() throws {
        let first = try TestWorkspace.make(calls: 200, messages: 300, seed: 1)
        let second = try TestWorkspace.make(calls: 200, messages: 300, seed: 2)
        let (a, b) = (try dump(first), try dump(second))
        XCTAssertNotEqual(a["calls"], b["calls"])
        XCTAssertNotEqual(a["messages"], b["messages"])
        XCTAssertNotEqual(a["contacts"], b["contacts"])
        XCTAssertNotEqual(Set(try files(first).values), Set(try files(second).values))
    }

    /// Chunks are generated on several threads; the result must not depend on which finished first.
    func testLargerThanOneChunkIsStillDeterministic() throws {
        let first = try TestWorkspace.make(calls: 9_000, messages: 26_000, seed: 5)
        let second = try TestWorkspace.make(calls: 9_000, messages: 26_000, seed: 5)
        try XCTAssertEqual(first.read { db in try Row.fetchAll(db, sql: "SELECT * FROM calls ORDER BY id") },
                           second.read { db in try Row.fetchAll(db, sql: "SELECT * FROM calls ORDER BY id") })
        try XCTAssertEqual(first.read { db in try Row.fetchAll(db, sql: "SELECT * FROM messages ORDER BY id") },
                           second.read { db in try Row.fetchAll(db, sql: "SELECT * FROM messages ORDER BY id") })
        try XCTAssertEqual(first.read { db in try Row.fetchAll(db, sql: "SELECT * FROM recordings ORDER BY id") },
                           second.read { db in try Row.fetchAll(db, sql: "SELECT * FROM recordings ORDER BY id") })
    }
}
