import Foundation
import GRDB

/// Where start-up time goes, for `scripts/bench-floor.sh` (issue 26): with `HANDLET_PROFILE=FILE`
/// set, the process appends to FILE one line per milestone (`mark main 123456789`, monotonic
/// nanoseconds: the clock Python's `time.monotonic_ns` reads) and one per SQL statement run
/// (`sql 123456789 SELECT …`, arguments filled in, newlines as spaces). The benchmark turns them
/// into the start-up breakdown and gives the sqlite3 CLI the very statements a command ran.
/// Unset (always, in use), a milestone costs one load of a constant and no statement is traced.
public enum StartupProfile {
    /// The file named by `HANDLET_PROFILE`, opened on first use; nil when unset.
    nonisolated(unsafe) private static let file: UnsafeMutablePointer<FILE>? = {
        guard let path = getenv("HANDLET_PROFILE"), path.pointee != 0 else { return nil }
        return fopen(path, "a")
    }()
    private static let lock = NSLock()
    /// Milestones already written: each is written once per process (the first frame, not every frame).
    nonisolated(unsafe) private static var written: Set<String> = []

    public static var isOn: Bool { file != nil }

    /// After the console's first frame, nothing more is traced: a statement written per key
    /// was a profiled console's own cost (5% of a PgDn), charged to the figures it measures.
    nonisolated(unsafe) private static var startUpEnded = false

    /// Writes `mark LABEL NANOSECONDS` the first time `label` is reached in this process.
    /// `endsStartUp`: the last milestone; statements after it are not traced.
    public static func mark(_ label: String, endsStartUp: Bool = false) {
        guard let file else { return }
        let now = nanoseconds()
        lock.withLock {
            if endsStartUp { startUpEnded = true }
            guard written.insert(label).inserted else { return }
            fputs("mark \(label) \(now)\n", file)
            fflush(file)
        }
    }

    private static var isTracing: Bool { lock.withLock { !startUpEnded } }

    static func statement(_ sql: String) {
        guard let file else { return }
        let now = nanoseconds()
        let line = sql.replacingOccurrences(of: "\n", with: " ")
        lock.withLock {
            fputs("sql \(now) \(line)\n", file)
            fflush(file)
        }
    }

    private static func nanoseconds() -> UInt64 {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return UInt64(time.tv_sec) * 1_000_000_000 + UInt64(time.tv_nsec)
    }

    /// Installs the statement trace on a new connection, when profiling or a test counts.
    static func prepare(_ db: Database) {
        StartupCount.connectionOpened()
        if isOn {
            db.trace(options: .statement) { event in
                if case .statement(let traced) = event, isTracing { Self.statement(traced.expandedSQL) }
            }
        } else if StartupCount.isCounting {
            db.trace(options: .statement) { event in
                if case .statement(let traced) = event { StartupCount.statementRun(traced.sql) }
            }
        }
    }
}

/// What a stretch of work cost in SQLite statements and connections (each connection opens the
/// database file, and its -wal and -shm): the start-up guard's measure (`StartupBudgetTests`).
package enum StartupCount {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var counting = false
    nonisolated(unsafe) private static var statements: [String] = []
    nonisolated(unsafe) private static var connections = 0

    static var isCounting: Bool { lock.withLock { counting } }

    static func connectionOpened() {
        lock.withLock { if counting { connections += 1 } }
    }

    static func statementRun(_ sql: String) {
        lock.withLock { if counting { statements.append(sql) } }
    }

    /// Runs `body` counting the statements run and connections opened meanwhile (by any thread).
    package static func measuring<T>(_ body: () throws -> T) rethrows -> (result: T, statements: [String], connections: Int) {
        lock.withLock { counting = true; statements = []; connections = 0 }
        defer { lock.withLock { counting = false } }
        let result = try body()
        let (counted, opened) = lock.withLock { (statements, connections) }
        return (result: result, statements: counted, connections: opened)
    }
}
