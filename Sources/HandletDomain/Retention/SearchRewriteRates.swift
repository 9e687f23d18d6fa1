import Foundation
import GRDB

/// How long rewriting the full-text indexes takes at this workspace's size, so a plan that
/// rewrites them (an erasure) says so before the owner confirms, from rates measured here.
///
/// Each rewrite (`SearchRewrite`) keeps, per index, the seconds per row its build took (wall and
/// CPU) and its install, and the commit and checkpoint's seconds per row rewritten. Until one has
/// run here, the reference rates measured on the 1M-call, 3M-message workspace (BENCHMARKS.md,
/// data-subject requests, session 11) stand in, and the estimate says so.
enum SearchRewriteRates {
    typealias Index = SearchCompaction.Index

    /// Seconds per row for one index.
    struct Rate: Sendable, Equatable {
        var build: Double
        var cpu: Double
        var install: Double
    }

    /// Reference rates (seconds per row), measured at 1M calls / 3M messages / 500k contacts on
    /// a loaded 2-core machine (BENCHMARKS.md, session 11: the erasure took 85-102 s there); used
    /// until this workspace has measured its own. Loaded on purpose: an estimate may be long,
    /// never short by minutes.
    static let reference: [Index: Rate] = [
        .calls: Rate(build: 76e-6, cpu: 15e-6, install: 8.5e-6),
        .messages: Rate(build: 17e-6, cpu: 2.7e-6, install: 1.6e-6),
        .contacts: Rate(build: 25e-6, cpu: 3e-6, install: 1.8e-6),
    ]
    static let referenceCommit = 1.6e-6

    /// The table the rates live in, and the row for the commit and checkpoint.
    static let commitKey = "commit"

    /// Migration `dsr-search-rewrite-rates` (issue 23): the table, and an erasure a kill left
    /// unfinished by an earlier version (which rewrote every index) owing every index, since
    /// the erasure now rewrites the indexes it owes.
    static func migrate(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE search_rewrite_rates (
                index_name TEXT PRIMARY KEY,
                rows INTEGER NOT NULL,
                build_seconds REAL NOT NULL,
                build_cpu REAL NOT NULL,
                install_seconds REAL NOT NULL,
                measured_at INTEGER NOT NULL
            ) WITHOUT ROWID;
            INSERT OR IGNORE INTO fts_compaction_owed (index_name, since)
                SELECT name, (SELECT MIN(erased_at) FROM erasure_pending)
                FROM (SELECT 'call_fts' AS name UNION ALL SELECT 'message_fts' UNION ALL SELECT 'contact_fts')
                WHERE EXISTS (SELECT 1 FROM erasure_pending);
            """)
    }

    /// Keeps what `outcome` measured (indexes rebuilt in place keep their earlier rates).
    static func record(_ db: Database, _ outcome: SearchRewrite.Outcome, now: Date = Date()) throws {
        let at = Int64(now.timeIntervalSince1970)
        var rows = 0
        for (index, measure) in outcome.measures where measure.rows > 0 {
            rows += measure.rows
            guard !measure.inPlace else { continue }
            try db.execute(sql: """
                INSERT OR REPLACE INTO search_rewrite_rates (index_name, rows, build_seconds, build_cpu, install_seconds, measured_at)
                VALUES (?, ?, ?, ?, ?, ?)
                """, arguments: [index.rawValue, measure.rows, measure.buildSeconds, measure.buildCPU, measure.installSeconds, at])
        }
        guard rows > 0 else { return }
        try db.execute(sql: """
            INSERT OR REPLACE INTO search_rewrite_rates (index_name, rows, build_seconds, build_cpu, install_seconds, measured_at)
            VALUES (?, ?, 0, 0, ?, ?)
            """, arguments: [commitKey, rows, outcome.commitSeconds, at])
    }

    /// How long rewriting `indexes` will take here, and whether the rates were measured here.
    struct Estimate: Sendable, Equatable {
        var seconds: Int
        var measured: Bool
        var calls: Int
        var messages: Int
        var contacts: Int
    }

    static func estimate(_ db: Database, _ indexes: Set<Index>,
                         cores: Int = ProcessInfo.processInfo.activeProcessorCount) throws -> Estimate {
        let counts = try RecordCounts.read(db)
        func rows(_ index: Index) -> Int {
            guard indexes.contains(index) else { return 0 }
            return counts[table(index)] ?? 0
        }
        var measured = false
        var rates = reference
        var commit = referenceCommit
        for row in try Row.fetchAll(db, sql: "SELECT index_name, rows, build_seconds, build_cpu, install_seconds FROM search_rewrite_rates") {
            let name: String = row[0], count: Double = Double(row[1] as Int)
            guard count > 0 else { continue }
            if name == commitKey {
                commit = (row[4] as Double) / count
            } else if let index = Index(rawValue: name), indexes.contains(index) {
                rates[index] = Rate(build: (row[2] as Double) / count, cpu: (row[3] as Double) / count, install: (row[4] as Double) / count)
                measured = true
            }
        }
        // The builds run side by side: the longest one, or all their CPU shared by the cores,
        // whichever is longer; then the installs, one after another, and the commit.
        var longest = 0.0, cpu = 0.0, installs = 0.0, total = 0
        for index in indexes {
            let n = Double(rows(index)), rate = rates[index] ?? Rate(build: 0, cpu: 0, install: 0)
            longest = max(longest, n * rate.build)
            cpu += n * rate.cpu
            installs += n * rate.install
            total += rows(index)
        }
        let seconds = max(longest, cpu / Double(max(1, cores))) + installs + Double(total) * commit
        return Estimate(seconds: Int(seconds.rounded(.up)), measured: measured,
                        calls: rows(.calls), messages: rows(.messages), contacts: rows(.contacts))
    }

    static func table(_ index: Index) -> String {
        switch index {
        case .calls: "calls"
        case .messages: "messages"
        case .contacts: "contacts"
        }
    }
}

extension SearchRewriteRates.Estimate {
    /// "about 45 s", "about 2 min 10 s".
    var duration: String {
        if seconds < 60 { return "about \(max(1, seconds)) s" }
        let rounded = seconds < 600 ? (seconds + 5) / 10 * 10 : (seconds + 30) / 60 * 60
        return rounded % 60 == 0 ? "about \(rounded / 60) min" : "about \(rounded / 60) min \(rounded % 60) s"
    }

    /// What is rewritten: "the search of 1,000,000 calls, 3,000,000 messages and 500,000 contacts".
    var what: String {
        var parts: [String] = []
        if calls > 0 { parts.append(DisplayText.count(calls, "call")) }
        if messages > 0 { parts.append(DisplayText.count(messages, "message")) }
        if contacts > 0 { parts.append(DisplayText.count(contacts, "contact")) }
        switch parts.count {
        case 0: return "nothing"
        case 1: return "the search of \(parts[0])"
        default: return "the search of " + parts.dropLast().joined(separator: ", ") + " and " + parts.last!
        }
    }
}
