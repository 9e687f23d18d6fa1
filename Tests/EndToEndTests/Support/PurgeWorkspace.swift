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

/// Runs the real `handlet` binary built beside the test bundle.
enum HandletBinary {
    static var url: URL {
        if let path = ProcessInfo.processInfo.environment["HANDLET_BINARY"] { return URL(fileURLWithPath: path) }
        return URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("handlet")
    }

    struct Outcome {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// Started with no terminal and no output captured, for killing at a random moment.
    static func start(_ arguments: [String], environment: [String: String] = [:]) throws -> Process {
        let process = prepare(arguments, environment: environment)
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    /// Runs to completion with standard input not a terminal.
    static func run(_ arguments: [String], environment: [String: String] = [:]) throws -> Outcome {
        let process = prepare(arguments, environment: environment)
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let out = output.fileHandleForReading.readDataToEndOfFile()
        let err = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Outcome(status: process.terminationStatus, stdout: String(decoding: out, as: UTF8.self),
                       stderr: String(decoding: err, as: UTF8.self))
    }

    private static func prepare(_ arguments: [String], environment: [String: String]) -> Process {
        let process = Process()
        process.executableURL = url
        process.arguments = arguments
        var merged = ProcessInfo.processInfo.environment
        merged["HANDLET_USER"] = nil
        // A test run over SSH must not make the binary think it is served over SSH.
        for key in ["SSH_CONNECTION", "SSH_TTY", "SSH_ORIGINAL_COMMAND"] { merged[key] = nil }
        for (key, value) in environment { merged[key] = value }
        process.environment = merged
        process.standardInput = FileHandle.nullDevice
        return process
    }
}
