import Foundation

/// Another process holding a workspace's write lock: the sqlite3 CLI inside `BEGIN IMMEDIATE`
/// until `release()` (or deinit). `init` returns once the lock is held, as a second sqlite3
/// that may not wait sees it.
package final class WriteLockHolder {
    package struct NeverLocked: Error, CustomStringConvertible {
        package var description: String { "sqlite3 never took the write lock" }
    }

    private let process: Process
    private let input = Pipe()
    private var released = false

    package init(database path: String, timeout: Double = 20) throws {
        // It waits (up to 10 s) for a writer already at work, such as a console just started, to finish.
        let (env, arguments) = ChildProcess.tool("sqlite3", ["-cmd", ".timeout 10000", path])
        process = ChildProcess.prepare(env, arguments)
        process.standardInput = input
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        input.fileHandleForWriting.write(Data("BEGIN IMMEDIATE;\nUPDATE workspace SET name = name;\n".utf8))
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if try Self.isWriteLocked(path) { return }
            usleep(20_000)
        }
        release()
        throw NeverLocked()
    }

    deinit { release() }

    /// Whether a writer that may not wait is refused: another connection holds the write lock.
    package static func isWriteLocked(_ path: String) throws -> Bool {
        let probe = try ChildProcess.run(tool: "sqlite3", ["-cmd", ".timeout 0", path, "BEGIN IMMEDIATE; ROLLBACK;"], timeout: 30)
        return probe.status != 0
    }

    /// Ends sqlite3's transaction (it wrote nothing) and waits for it to exit.
    package func release() {
        guard !released else { return }
        released = true
        input.fileHandleForWriting.write(Data("ROLLBACK;\n.quit\n".utf8))
        try? input.fileHandleForWriting.close()
        process.waitUntilExit()
    }
}
