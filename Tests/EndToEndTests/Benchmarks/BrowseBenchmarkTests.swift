import Foundation
import GRDB
@testable import HandletDomain
import XCTest

/// The browsing benchmark (scripts/bench-browse.sh): times the domain's page, search, detail and
/// overview reads on a big workspace named by `HANDLET_BENCH_DB`, and writes the SQL they run with
/// its arguments inlined to `HANDLET_BENCH_SQL_DIR` for the `sqlite3` floor (a search runs several
/// statements: the time walk's, `SearchTimeWalk`; the floor is their sum). Compiled only with
/// HANDLET_BENCHMARKS=1 (Package.swift), so never a skipped test.
final class BrowseBenchmarkTests: XCTestCase {
    private struct Timing {
        let name: String
        var samples: [Double] = []
        func percentile(_ p: Double) -> Double {
            let sorted = samples.sorted()
            return sorted[min(sorted.count - 1, Int((Double(sorted.count) * p).rounded(.up)) - 1)]
        }
        var line: String {
            String(format: "%-34@ p50 %7.3f ms  p95 %7.3f ms  p99 %7.3f ms  max %7.3f ms  (n=%d)",
                   name as NSString, percentile(0.5), percentile(0.95), percentile(0.99), samples.max() ?? 0, samples.count)
        }
    }

    private func time(_ name: String, repeat count: Int, _ body: (Int) throws -> Void) rethrows -> Timing {
        var timing = Timing(name: name)
        try body(0)   // warm the page cache and statement cache once
        for index in 0..<count {
            let start = DispatchTime.now().uptimeNanoseconds
            try body(index)
            timing.samples.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1_000_000)
        }
        print("BENCH " + timing.line)
        return timing
    }

    /// Every statement a read runs, its arguments inlined by SQLite itself (`sqlite3_expanded_sql`),
    /// for the sqlite3 CLI: what production runs, not a stand-in query.
    private func expanded(in pool: WorkspaceDatabase, _ body: (Database) throws -> Void) throws -> String {
        final class Seen: @unchecked Sendable { var sql: [String] = [] }
        let seen = Seen()
        try pool.read { db in
            db.trace(options: .statement) { event in
                if case .statement(let statement) = event { seen.sql.append(statement.expandedSQL) }
            }
            defer { db.trace(options: []) }
            try body(db)
        }
        return seen.sql.joined(separator: ";\n")
    }

    func testBrowseBenchmark() throws {
        let path = try XCTUnwrap(ProcessInfo.processInfo.environment["HANDLET_BENCH_DB"],
                                 "set HANDLET_BENCH_DB=PATH (scripts/bench-browse.sh runs this)")
        let sqlFolder = ProcessInfo.processInfo.environment["HANDLET_BENCH_SQL_DIR"].map(URL.init(fileURLWithPath:))
        let workspace = try Workspace.open(at: URL(fileURLWithPath: path))
        let clock = try BrowseClock.workspace(workspace)
        let pool = workspace.dbPool
        let pageSize = 50
        let calls = CallPage(clock: clock)
        let (lowest, highest) = try pool.read { db in
            (try Int64.fetchOne(db, sql: "SELECT min(id) FROM calls") ?? 0, try Int64.fetchOne(db, sql: "SELECT max(id) FROM calls") ?? 0)
        }
        var random = SystemRandomNumberGenerator()
        // Cursors spread over the whole list, so "next page" is measured at every depth.
        let deepCursors = try pool.read { db in
            try (0..<200).map { _ in
                let id = Int64.random(in: lowest...highest, using: &random)
                let row = try Row.fetchOne(db, sql: "SELECT started_at, id FROM calls WHERE id >= ? ORDER BY id LIMIT 1", arguments: [id])!
                return CallCursor(startedAt: row[0], id: row[1])
            }
        }
        var timings: [Timing] = []
        timings.append(try time("calls: first page (g)", repeat: 200) { _ in
            _ = try pool.read { try calls.first(limit: pageSize, in: $0) }
        })
        timings.append(try time("calls: next page at any depth", repeat: 200) { index in
            _ = try pool.read { try calls.after(deepCursors[index % deepCursors.count], limit: pageSize, in: $0) }
        })
        timings.append(try time("calls: previous page at any depth", repeat: 200) { index in
            _ = try pool.read { try calls.before(deepCursors[index % deepCursors.count], limit: pageSize, in: $0) }
        })
        timings.append(try time("calls: last page (G)", repeat: 200) { _ in
            _ = try pool.read { try calls.last(limit: pageSize, in: $0) }
        })
        let filtered = CallPage(filter: CallFilter(dateRange: .last30Days, outcomes: [.missed, .callbackRequested]), clock: clock)
        timings.append(try time("calls: first page, 30 days + 2 outcomes", repeat: 200) { _ in
            _ = try pool.read { try filtered.first(limit: pageSize, in: $0) }
        })
        let threads = ThreadPage(clock: clock)
        timings.append(try time("threads: first page", repeat: 200) { _ in
            _ = try pool.read { try threads.first(limit: pageSize, in: $0) }
        })
        timings.append(try time("threads: last page", repeat: 200) { _ in
            _ = try pool.read { try threads.last(limit: pageSize, in: $0) }
        })
        timings.append(try time("contacts: first page", repeat: 200) { _ in
            _ = try pool.read { try ContactPage().first(limit: pageSize, in: $0) }
        })
        let singleWords = ["boiler", "radiator", "Leeds", "thermostat", "leak", "dishwasher", "gutter", "Harrogate"]
        let twoWords = ["boiler leak", "radiator valve", "urgent shower", "Leeds quote", "combi pressure", "drain smell"]
        timings.append(try time("search: one word (calls + messages)", repeat: 200) { index in
            let query = SearchQuery(singleWords[index % singleWords.count])
            _ = try pool.read { try Search.run(query, callFilter: CallFilter(), messageFilter: MessageFilter(), clock: clock, limit: pageSize, in: $0) }
        })
        timings.append(try time("search: two words (calls + messages)", repeat: 200) { index in
            let query = SearchQuery(twoWords[index % twoWords.count])
            _ = try pool.read { try Search.run(query, callFilter: CallFilter(), messageFilter: MessageFilter(), clock: clock, limit: pageSize, in: $0) }
        })
        timings.append(try time("search: one word, missed calls only", repeat: 100) { index in
            let query = SearchQuery(singleWords[index % singleWords.count])
            _ = try pool.read {
                try Search.run(query, callFilter: CallFilter(outcomes: [.missed]), messageFilter: nil, clock: clock, limit: pageSize, in: $0)
            }
        })
        timings.append(try time("call detail", repeat: 200) { index in
            _ = try pool.read { try CallDetail.load(id: Call.ID(deepCursors[index % deepCursors.count].id), clock: clock, in: $0) }
        })
        timings.append(try time("overview (all figures)", repeat: 20) { _ in
            _ = try pool.read { try Overview.load(clock: clock, in: $0) }
        })
        for timing in timings { XCTAssertFalse(timing.samples.isEmpty, timing.name) }

        guard let sqlFolder else { return }
        try FileManager.default.createDirectory(at: sqlFolder, withIntermediateDirectories: true)
        func search(_ words: String, calls: Bool) -> (Database) throws -> Void {
            { db in
                _ = try Search.run(SearchQuery(words), callFilter: calls ? CallFilter() : nil, messageFilter: calls ? nil : MessageFilter(),
                                   clock: clock, limit: pageSize, in: db)
            }
        }
        let floors: [(String, (Database) throws -> Void)] = [
            ("calls-first", { db in _ = try calls.first(limit: pageSize, in: db) }),
            ("search-one-word-calls", search("boiler", calls: true)),
            ("search-one-word-messages", search("boiler", calls: false)),
            ("search-two-words-calls", search("boiler leak", calls: true)),
            ("search-two-words-messages", search("boiler leak", calls: false)),
        ]
        for (name, read) in floors {
            try expanded(in: pool, read).write(to: sqlFolder.appendingPathComponent("\(name).sql"), atomically: true, encoding: .utf8)
        }
    }
}
