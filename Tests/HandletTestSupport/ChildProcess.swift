import Foundation

/// Every child process a test starts goes through here: `handlet` (through `HandletBinary`),
/// `sqlite3`, `sshd`, `cp`, `bash`. One runner, so a timeout, output capture and the
/// environment are handled the same way everywhere.
package enum ChildProcess {
    package struct TimedOut: Error, CustomStringConvertible {
        package let command: String
        package let seconds: Double
        package var description: String { "\(command) still running after \(seconds) s; killed it" }
    }

    package struct Outcome {
        package var status: Int32
        /// How it ended: `.exit` unless a signal (a SIGKILL from the purge's test hook) ended it.
        package var reason: Process.TerminationReason = .exit
        package var stdout: String
        package var stderr: String
        package var stdoutData = Data()
        /// Killed by SIGKILL (the status is then the signal number).
        package var killed: Bool { reason == .uncaughtSignal && status == SIGKILL }
        /// Standard output then standard error, for a command whose streams a test reads as one.
        package var output: String { stdout + stderr }

        package init(status: Int32, reason: Process.TerminationReason = .exit, stdout: String, stderr: String,
                     stdoutData: Data = Data()) {
            self.status = status
            self.reason = reason
            self.stdout = stdout
            self.stderr = stderr
            self.stdoutData = stdoutData
        }
    }

    /// A process for `executable` (a path, or a name looked up through `/usr/bin/env`) with
    /// standard input closed, not yet started.
    package static func prepare(_ executable: URL, _ arguments: [String], environment: [String: String]? = nil,
                                directory: URL? = nil) -> Process {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        if let environment { process.environment = environment }
        if let directory { process.currentDirectoryURL = directory }
        process.standardInput = FileHandle.nullDevice
        return process
    }

    /// `name` found on the `PATH` (through `/usr/bin/env`): `ChildProcess.run(tool: "sqlite3", [...])`.
    package static func tool(_ name: String, _ arguments: [String]) -> (URL, [String]) {
        (URL(fileURLWithPath: "/usr/bin/env"), [name] + arguments)
    }

    /// Waits for `process` to end, at most `timeout` seconds; kills it (SIGKILL) and throws after that.
    package static func wait(for process: Process, command: String, timeout: Double) throws {
        let ended = DispatchSemaphore(value: 0)
        let observer = Thread { process.waitUntilExit(); ended.signal() }
        observer.start()
        if ended.wait(timeout: .now() + timeout) == .timedOut {
            kill(process.processIdentifier, SIGKILL)
            _ = ended.wait(timeout: .now() + 10)
            throw TimedOut(command: command, seconds: timeout)
        }
    }

    /// Runs to completion with `input` piped in (else standard input closed); a run longer than
    /// `timeout` seconds is killed and throws `TimedOut` naming the command.
    package static func run(_ executable: URL, _ arguments: [String], environment: [String: String]? = nil,
                            input: Data? = nil, directory: URL? = nil, timeout: Double = 120) throws -> Outcome {
        try run(prepare(executable, arguments, environment: environment, directory: directory),
                command: ([executable.lastPathComponent] + arguments).joined(separator: " "), input: input, timeout: timeout)
    }

    /// `run` for a program found on the `PATH`.
    package static func run(tool name: String, _ arguments: [String], environment: [String: String]? = nil,
                            input: Data? = nil, directory: URL? = nil, timeout: Double = 120) throws -> Outcome {
        let (env, withName) = tool(name, arguments)
        return try run(env, withName, environment: environment, input: input, directory: directory, timeout: timeout)
    }

    /// Runs a prepared (not started) process to completion, capturing its output.
    package static func run(_ process: Process, command: String, input: Data? = nil, timeout: Double = 120) throws -> Outcome {
        // Output goes to files, not pipes: a pipe needs a reader thread per stream, and a child that
        // fills one while the test waits would deadlock instead of timing out.
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("handlet-run-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let outURL = folder.appendingPathComponent("out"), errURL = folder.appendingPathComponent("err")
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        let out = try FileHandle(forWritingTo: outURL), err = try FileHandle(forWritingTo: errURL)
        defer { try? out.close(); try? err.close() }
        process.standardOutput = out
        process.standardError = err
        var inputPipe: Pipe?
        if input != nil {
            let pipe = Pipe()
            process.standardInput = pipe
            inputPipe = pipe
        }
        try process.run()
        if let inputPipe, let input {
            inputPipe.fileHandleForWriting.write(input)
            try? inputPipe.fileHandleForWriting.close()
        }
        try wait(for: process, command: command, timeout: timeout)
        let stdout = (try? Data(contentsOf: outURL)) ?? Data()
        return Outcome(status: process.terminationStatus, reason: process.terminationReason,
                       stdout: String(decoding: stdout, as: UTF8.self),
                       stderr: String(decoding: (try? Data(contentsOf: errURL)) ?? Data(), as: UTF8.self),
                       stdoutData: stdout)
    }
}
