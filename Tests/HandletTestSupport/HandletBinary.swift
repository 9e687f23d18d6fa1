import Foundation

/// Runs the real `handlet` binary: `HANDLET_BINARY` when set (the benchmark scripts point it at a
/// release build), else the one `BuiltProducts` finds (beside the test bundle, in
/// `HANDLET_BUILD_DIR`, `.build/debug` or `.build/release`). A missing binary fails the test.
package enum HandletBinary {
    package typealias Outcome = ChildProcess.Outcome
    package typealias TimedOut = ChildProcess.TimedOut

    /// The binary to run; when none is built, a path that does not exist, so whatever runs it fails
    /// (`located()` throws the error that says where it looked).
    package static var url: URL { (try? located()) ?? URL(fileURLWithPath: "/nonexistent/handlet-not-built") }

    package static func located() throws -> URL {
        if let path = ProcessInfo.processInfo.environment["HANDLET_BINARY"] { return URL(fileURLWithPath: path) }
        return try BuiltProducts.url("handlet")
    }

    /// Started with no terminal and no output captured (or standard error to `stderr`), for
    /// signalling at a chosen moment.
    package static func start(_ arguments: [String], environment: [String: String] = [:],
                              stderr: FileHandle? = nil) throws -> Process {
        let process = try prepare(arguments, environment: environment)
        process.standardOutput = FileHandle.nullDevice
        process.standardError = stderr ?? FileHandle.nullDevice
        try process.run()
        return process
    }

    /// Waits for `process` to end, at most `timeout` seconds; kills it (SIGKILL) and throws after that.
    package static func wait(for process: Process, arguments: [String], timeout: Double) throws {
        try ChildProcess.wait(for: process, command: (["handlet"] + arguments).joined(separator: " "), timeout: timeout)
    }

    /// Runs to completion with standard input not a terminal (or `input` piped in); a run longer
    /// than `timeout` seconds is killed and fails the calling test with what it was running.
    package static func run(_ arguments: [String], environment: [String: String] = [:], input: Data? = nil,
                            timeout: Double = 120) throws -> Outcome {
        try ChildProcess.run(prepare(arguments, environment: environment),
                             command: (["handlet"] + arguments).joined(separator: " "), input: input, timeout: timeout)
    }

    /// The environment a test's child gets: the test's own minus what would change its behaviour
    /// (the acting user, colour, the clock and kill hooks), plus `environment`.
    package static func environment(_ environment: [String: String]) -> [String: String] {
        var merged = ProcessInfo.processInfo.environment
        for name in ["HANDLET_USER", "NO_COLOR", "HANDLET_TEST_NOW", "HANDLET_TEST_PURGE_KILL", "HANDLET_TEST_DELIVERY_KILL", "HANDLET_TEST_IMPORT_KILL", "TMUX"] { merged[name] = nil }
        // A test run over SSH must not make the binary think it is served over SSH.
        for key in ["SSH_CONNECTION", "SSH_TTY", "SSH_ORIGINAL_COMMAND", "SSH_CLIENT"] { merged[key] = nil }
        for (key, value) in environment { merged[key] = value }
        return merged
    }

    private static func prepare(_ arguments: [String], environment: [String: String]) throws -> Process {
        ChildProcess.prepare(try located(), arguments, environment: Self.environment(environment))
    }
}
