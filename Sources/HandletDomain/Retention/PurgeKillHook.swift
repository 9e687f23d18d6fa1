import Foundation
import GRDB
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Test hook for the crash-safety tests, and nothing else: `HANDLET_TEST_PURGE_KILL=K:N` makes the
/// purge kill its own process with SIGKILL once batch `K` (0-based, counting batches that reach the
/// database) has run `N` SQL statements of its write transaction, counted as SQLite starts them
/// (`BEGIN` and trigger programs are not counted; `COMMIT` is); the run's last transaction (journal cleanup, audit event)
/// counts as the batch after the last one. So `K:0` dies inside batch K's transaction before its first
/// statement, `K:1`...`K:n-1` between its statements, `K:n` (n = all, `COMMIT` included) just after
/// it committed and before its files are unlinked.
///
/// Why it exists: a kill from outside at a random moment cannot say where it landed, and lands on
/// a given boundary only by chance; this one hits every boundary on every run, deterministically.
/// When the variable is unset (always, outside tests) the purge installs no trace and does nothing else.
struct PurgeKillHook: Sendable {
    let batch: Int
    let statements: Int

    /// Read once per run from the process environment; nil when unset or malformed.
    static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment,
                                variable: String = "HANDLET_TEST_PURGE_KILL") -> PurgeKillHook? {
        guard let value = environment[variable] else { return nil }
        let parts = value.split(separator: ":")
        guard parts.count == 2, let batch = Int(parts[0]), let statements = Int(parts[1]), batch >= 0, statements >= 0 else {
            return nil
        }
        return PurgeKillHook(batch: batch, statements: statements)
    }

    /// Counts the statements of batch `index` on `db`; call first thing inside its write
    /// transaction, and `afterCommit` once that write returned. `N` = 0 kills at once.
    func arm(_ db: Database, batch index: Int) -> Counter? {
        guard index == batch else { return nil }
        if statements == 0 { Self.die() }
        let counter = Counter()
        let target = statements
        // Inert once the batch is over (the connection keeps the trace; only tests ever set it).
        db.trace(options: .statement) { event in
            // Trigger programs (FTS upkeep) report as "-- TRIGGER name": part of their statement, not counted.
            guard counter.active, case .statement(let statement) = event, !statement.sql.hasPrefix("--") else { return }
            // Called as a statement starts: `count` statements have run before this one.
            if counter.count == target { Self.die() }
            counter.count += 1
        }
        return counter
    }

    /// After the batch's write (its `COMMIT` included) returned: kills when `N` was exactly the
    /// number of statements it ran, so the batch is committed and its files are not yet unlinked.
    func afterCommit(_ counter: Counter?) {
        guard let counter else { return }
        counter.active = false
        if counter.count == statements { Self.die() }
    }

    /// Touched only on the writer's thread (the trace runs synchronously inside its statements).
    final class Counter: @unchecked Sendable {
        var count = 0
        var active = true
    }

    private static func die() -> Never {
        kill(getpid(), SIGKILL)
        // SIGKILL cannot be caught; this is never reached.
        abort()
    }
}
