import Foundation
import GRDB
@testable import HandletDomain
import XCTest

/// The "find anything" benchmark (issue 25, scripts/bench-find.sh) on the workspace named by
/// `HANDLET_BENCH_DB`: type-to-filter on the contacts (a page and the count per key, as the
/// Contacts filter line reads them), a number no contact has (its calls' first page and count),
/// and the second page of a common word's search. Compiled only with HANDLET_BENCHMARKS=1.
final class FindBenchmarkTests: XCTestCase {
    private struct Timing {
        let name: String
        var samples: [Double] = []
        func percentile(_ p: Double) -> Double {
            let sorted = samples.sorted()
            return sorted[min(sorted.count - 1, Int((Double(sorted.count) * p).rounded(.up)) - 1)]
        }
        var line: String {
            String(format: "%-40@ p50 %7.3f ms  p95 %7.3f ms  p99 %7.3f ms  max %7.3f ms  (n=%d)",
                   name as NSString, percentile(0.5), percentile(0.95), percentile(0.99), samples.max() ?? 0, samples.count)
        }
    }

    private func time(_ name: String, repeat count: Int, _ body: (Int) throws -> Void) rethrows {
        var timing = Timing(name: name)
        try body(0)
        for index in 0..<count {
            let start = DispatchTime.now().uptimeNanoseconds
            try body(index)
            timing.samples.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1_000_000)
        }
        print("BENCH " + timing.line)
    }

    func testFindBenchmark() throws {
        let path = try XCTUnwrap(ProcessInfo.processInfo.environment["HANDLET_BENCH_DB"], "set HANDLET_BENCH_DB=PATH")
        let workspace = try Workspace.open(at: URL(fileURLWithPath: path))
        let clock = try BrowseClock.workspace(workspace)
        let pool = workspace.dbPool
        let pageSize = 40

        // Point 2: each prefix of what a person types, as the filter line reads it per key: the
        // page, then the count (the console counts off the key path; both are timed here).
        let names = try pool.read { db in
            try String.fetchAll(db, sql: "SELECT name FROM contacts WHERE id % 25013 = 7 LIMIT 20")
        }
        var prefixes: [String] = []
        for name in names { for end in 1...name.count { prefixes.append(String(name.prefix(end))) } }
        prefixes += ["0", "07", "0770", "07700 9", "+447700900001", "dean@", "zzzz", "ü"]
        print("BENCH type-to-filter: \(prefixes.count) keystrokes over \(names.count) names (e.g. \(names.prefix(3)))")
        try time("contacts filter: page per key", repeat: prefixes.count) { index in
            _ = try pool.read { try ContactPage(search: prefixes[index]).first(limit: pageSize, in: $0) }
        }
        try time("contacts filter: page + count per key", repeat: prefixes.count) { index in
            _ = try pool.read { db in
                let page = ContactPage(search: prefixes[index])
                return (try page.first(limit: pageSize, in: db), try page.count(in: db))
            }
        }
        try time("contacts: first page by surname", repeat: 50) { _ in
            _ = try pool.read { try ContactPage().first(limit: pageSize, in: $0) }
        }

        // The Calls and Messages filter lines (issue 25): the same keystrokes, a page per key (the
        // count runs off the key path, as for contacts).
        try time("calls filter: page per key", repeat: prefixes.count) { index in
            _ = try pool.read { try CallPage(clock: clock, search: prefixes[index]).first(limit: pageSize, in: $0) }
        }
        try time("threads filter: page per key", repeat: prefixes.count) { index in
            _ = try pool.read { try ThreadPage(clock: clock, search: prefixes[index]).first(limit: pageSize, in: $0) }
        }

        // Point 3: numbers no contact has (calls with no contact), their calls and count.
        let numbers = try pool.read { db in
            try String.fetchAll(db, sql: """
                SELECT from_number FROM calls WHERE contact_id IS NULL AND direction = 'inbound'
                AND from_number NOT IN (SELECT phone FROM contacts WHERE phone IS NOT NULL) AND id % 997 = 1 LIMIT 50
                """)
        }
        print("BENCH numbers no contact has: \(numbers.count)")
        try time("number with no contact: calls page", repeat: numbers.count) { index in
            _ = try pool.read { try CallPage(filter: CallFilter(number: numbers[index]), clock: clock).first(limit: pageSize, in: $0) }
        }
        try time("number with no contact: page + count", repeat: numbers.count) { index in
            _ = try pool.read { db in
                let page = CallPage(filter: CallFilter(number: numbers[index]), clock: clock)
                return (try page.first(limit: pageSize, in: db), try page.count(in: db))
            }
        }
        try time("number with no contact: / search", repeat: numbers.count) { index in
            _ = try pool.read { db in
                try Search.page(SearchQuery.typed(numbers[index]), callFilter: CallFilter(), messageFilter: MessageFilter(),
                                clock: clock, after: nil, limit: pageSize, in: db)
            }
        }

        // Point 4: common words, page 2 (and 10) after the first, and the total.
        for word in ["boiler", "radiator", "leak"] {
            let query = SearchQuery.typed(word)
            let first = try pool.read { db in
                try Search.page(query, callFilter: CallFilter(), messageFilter: MessageFilter(), clock: clock, after: nil,
                                limit: pageSize, in: db)
            }
            guard let second = first.next else { continue }
            try time("search \"\(word)\": page 2", repeat: 30) { _ in
                _ = try pool.read { db in
                    try Search.page(query, callFilter: CallFilter(), messageFilter: MessageFilter(), clock: clock, after: second,
                                    limit: pageSize, in: db)
                }
            }
            var position: Search.Position? = second
            for _ in 2..<10 {
                guard let at = position else { break }
                position = try pool.read { db in
                    try Search.page(query, callFilter: CallFilter(), messageFilter: MessageFilter(), clock: clock, after: at,
                                    limit: pageSize, in: db).next
                }
            }
            if let tenth = position {
                try time("search \"\(word)\": page 11", repeat: 30) { _ in
                    _ = try pool.read { db in
                        try Search.page(query, callFilter: CallFilter(), messageFilter: MessageFilter(), clock: clock, after: tenth,
                                        limit: pageSize, in: db)
                    }
                }
            }
            var total = 0
            try time("search \"\(word)\": total (off the key path)", repeat: 5) { _ in
                total = try pool.read { try Search.total(query, callFilter: CallFilter(), messageFilter: MessageFilter(), clock: clock, in: $0) }
            }
            print("BENCH search \"\(word)\": \(total) hits")
            try time("search \"\(word)\": CLI --limit 50 by time", repeat: 5) { _ in
                _ = try pool.read { db in
                    try Search.run(query, callFilter: CallFilter(), messageFilter: MessageFilter(), clock: clock, limit: 50, in: db)
                }
            }
        }
    }
}
