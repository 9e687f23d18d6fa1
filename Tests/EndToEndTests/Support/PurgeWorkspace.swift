import Foundation
import GRDB
@testable import HandletDomain

/// A workspace built through the domain for the purge's end-to-end tests: `due` recordings past
/// a 30-day expiry, `live` ones still within it, a few on hold and a few whose file is already
/// gone, each with its own small audio file. Times are relative to the real clock, because the
/// `handlet` binary purges as of now.
enum PurgeWorkspace {
    static let users: [(String, String, Role)] = [
        ("Olive Owner", "owner@example.test", .owner), ("Adam Admin", "admin@example.test", .admin),
        ("Aggie Agent", "agent@example.test", .agent), ("Vic Viewer", "viewer@example.test", .viewer),
    ]

    struct Layout {
        var due: Int
        var live: Int
        var held: Int = 5
        var missingFiles: Int = 5
    }

    /// Builds at `folder/workspace.sqlite`; returns the database URL.
    @discardableResult
    static func build(in folder: URL, layout: Layout) throws -> URL {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let url = folder.appendingPathComponent("workspace.sqlite")
        let now = Date()
        let workspace = try Workspace.create(
            at: url, workspace: WorkspaceRecord(name: "Purge test", businessName: "Harbour Electrics Ltd", createdAt: now),
            users: users.map { User(name: $0.0, email: $0.1, role: $0.2, createdAt: now) })
        let audio = workspace.audioDirectory
        var dueFiles: [String] = []
        try workspace.dbPool.write { db in
            for index in 0..<(layout.due + layout.live) {
                let isDue = index < layout.due
                // Due: 31 to 90 days old. Live: up to 20 days old.
                let age = isDue ? 31 + Double(index % 60) + 0.25 : Double(index % 20) + 0.25
                let recordedAt = now.addingTimeInterval(-age * 86_400)
                let call = Call(externalId: "CA-E2E-\(index)", direction: .inbound, fromNumber: "+447700900123",
                                toNumber: "+441632960000", contactId: nil, startedAt: recordedAt, durationSeconds: 42,
                                handledBy: .aiAgent, outcome: .messageTaken, summary: "Caller asked for a callback",
                                transcript: Transcript(turns: [.init(speaker: .caller, offsetMs: 0, text: "Please call me")]),
                                recordingState: .recorded)
                let audioBytes = Data("RIFF-e2e-\(index)-".utf8) + Data(repeating: UInt8(index % 251), count: 64)
                let stored = try RecordingImport.add(call, audio: audioBytes, recordedAt: recordedAt, in: db, audioFolder: audio)
                if isDue, let path = stored.recording?.filePath { dueFiles.append(path) }
            }
        }
        for index in 0..<layout.held {
            let owner = workspace.session(as: try workspace.actor(email: "owner@example.test"))
            try owner.perform(.placeLegalHold(onCall: workspace.callID("CA-E2E-\(index)"), reason: "Dispute \(index)"))
        }
        for path in dueFiles.suffix(layout.missingFiles) {
            try FileManager.default.removeItem(at: audio.appendingPathComponent(path))
        }
        try workspace.dbPool.writeWithoutTransaction { db in _ = try db.checkpoint(.truncate) }
        try workspace.dbPool.close()
        return url
    }
}

/// Runs the real `handlet` binary: `HANDLET_BINARY` when set (the benchmark scripts point it at a
/// release build), else the one `TerminalDriver.product` finds (beside the test bundle, in
/// `HANDLET_BUILD_DIR`, `.build/debug` or `.build/release`). A missing binary fails the test.
enum HandletBinary {
    struct TimedOut: Error, CustomStringConvertible {
        let arguments: [String]
        let seconds: Double
        var description: String { "handlet \(arguments.joined(separator: " ")) still running after \(seconds) s; killed it" }
    }

    /// The binary to run; when none is built, a path that does not exist, so whatever runs it fails
    /// (`located()` throws the error that says where it looked).
    static var url: URL { (try? located()) ?? URL(fileURLWithPath: "/nonexistent/handlet-not-built") }

    static func located() throws -> URL {
        if let path = ProcessInfo.processInfo.environment["HANDLET_BINARY"] { return URL(fileURLWithPath: path) }
        return try TerminalDriver.product("handlet")
    }

    struct Outcome {
        var status: Int32
        /// How it ended: `.exit` unless a signal (a SIGKILL from the purge's test hook) ended it.
        var reason: Process.TerminationReason = .exit
        var stdout: String
        var stderr: String
        var stdoutData = Data()
        /// Killed by SIGKILL (the status is then the signal number).
        var killed: Bool { reason == .uncaughtSignal && status == SIGKILL }
    }

    /// Started with no terminal and no output captured, for signalling at a chosen moment.
    static func start(_ arguments: [String], environment: [String: String] = [:]) throws -> Process {
        let process = try prepare(arguments, environment: environment)
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    /// Waits for `process` to end, at most `timeout` seconds; kills it (SIGKILL) and throws after that.
    static func wait(for process: Process, arguments: [String], timeout: Double) throws {
        let ended = DispatchSemaphore(value: 0)
        let observer = Thread { process.waitUntilExit(); ended.signal() }
        observer.start()
        if ended.wait(timeout: .now() + timeout) == .timedOut {
            kill(process.processIdentifier, SIGKILL)
            _ = ended.wait(timeout: .now() + 10)
            throw TimedOut(arguments: arguments, seconds: timeout)
        }
    }

    /// Runs to completion with standard input not a terminal (or `input` piped in); a run longer
    /// than `timeout` seconds is killed and fails the calling test with what it was running.
    static func run(_ arguments: [String], environment: [String: String] = [:], input: Data? = nil,
                    timeout: Double = 120) throws -> Outcome {
        let process = try prepare(arguments, environment: environment)
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
        try wait(for: process, arguments: arguments, timeout: timeout)
        let stdout = (try? Data(contentsOf: outURL)) ?? Data()
        return Outcome(status: process.terminationStatus, reason: process.terminationReason,
                       stdout: String(decoding: stdout, as: UTF8.self),
                       stderr: String(decoding: (try? Data(contentsOf: errURL)) ?? Data(), as: UTF8.self),
                       stdoutData: stdout)
    }

    /// The environment a test's child gets: the test's own minus what would change its behaviour
    /// (the acting user, colour, the clock and kill hooks), plus `environment`.
    static func environment(_ environment: [String: String]) -> [String: String] {
        var merged = ProcessInfo.processInfo.environment
        for name in ["HANDLET_USER", "NO_COLOR", "HANDLET_TEST_NOW", "HANDLET_TEST_PURGE_KILL", "TMUX"] { merged[name] = nil }
        // A test run over SSH must not make the binary think it is served over SSH.
        for key in ["SSH_CONNECTION", "SSH_TTY", "SSH_ORIGINAL_COMMAND", "SSH_CLIENT"] { merged[key] = nil }
        for (key, value) in environment { merged[key] = value }
        return merged
    }

    private static func prepare(_ arguments: [String], environment: [String: String]) throws -> Process {
        let process = Process()
        process.executableURL = try located()
        process.arguments = arguments
        process.environment = Self.environment(environment)
        process.standardInput = FileHandle.nullDevice
        return process
    }
}
