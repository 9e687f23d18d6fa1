import Foundation
import GRDB
import Subprocess
#if canImport(System)
import System
#else
import SystemPackage
#endif
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Hearing a call's recording and saving it to a file: both take the audio out of the workspace,
/// so both need `.exportRecording` (not viewers, DESIGN §4) and each writes its audit event
/// (`recording.played`, `recording.exported`) with the recording's id and size, never a path.
public enum RecordingAccess {
    /// A recording saved to a file.
    public struct Exported: Sendable, Equatable, Codable {
        public let callExternalId: String
        public let recordingId: Recording.ID
        public let path: String
        public let bytes: Int64
    }

    /// A recording handed to a player: the file to play.
    public struct Opened: Sendable, Equatable {
        public let callExternalId: String
        public let recordingId: Recording.ID
        public let file: URL
    }

    /// The call's stored recording and its file, or why there is none to hear or save.
    static func audio(ofCall id: Call.ID, audioFolder: String, _ db: Database) throws -> (Call, Recording, URL) {
        let call = try CallReference.call(id, in: db)
        let recording = try CallReference.liveRecording(of: call, in: db)
        guard let path = recording.filePath, let file = AudioFolder.file(path, inFolderPath: audioFolder) else {
            throw RecordingAccessError.noAudioFile(call.externalId)
        }
        guard FileManager.default.isReadableFile(atPath: file) else { throw RecordingAccessError.noAudioFile(call.externalId) }
        return (call, recording, URL(fileURLWithPath: file))
    }
}

/// Why a recording could not be played or saved. Each changes nothing.
public enum RecordingAccessError: SysexitsError, Equatable, CustomStringConvertible {
    /// The recording's file is missing or unreadable.
    case noAudioFile(String)
    /// The output file exists and `--force` was not given.
    case outputExists(String)
    /// The output could not be written (its folder is missing, not writable, or the disk is full).
    case cannotWrite(String, reason: String)
    /// Playing is not offered here (over SSH, or no player).
    case playbackUnavailable(String)

    public var exitClass: ExitClass {
        switch self {
        case .noAudioFile: .noInput
        case .outputExists, .cannotWrite: .cannotCreate
        case .playbackUnavailable: .failure
        }
    }

    public var description: String {
        switch self {
        case .noAudioFile(let call): "The audio file of call \(call)'s recording is missing or unreadable."
        case .outputExists(let path): "\(path) already exists; pass --force to replace it."
        case .cannotWrite(let path, let reason): "Could not write \(path): \(reason)."
        case .playbackUnavailable(let reason): reason
        }
    }
}

extension WorkspaceSession {
    /// Saves the call's recording to `destination`: copied to a temporary file beside it, flushed,
    /// then renamed over it in the transaction that writes `recording.exported`, so the file is
    /// whole or absent and never there without its event. Refuses an existing file unless
    /// `overwrite`. Needs `.exportRecording` (refused before the call is looked up).
    public func exportRecording(ofCall id: Call.ID, to destination: URL, overwrite: Bool) throws -> RecordingAccess.Exported {
        try actor.require(.exportRecording)
        let folder = workspace.audioDirectory.path
        let target = destination.standardizedFileURL
        let source = try read(.reading(.browse) { try RecordingAccess.audio(ofCall: id, audioFolder: folder, $0).2 })
        if !overwrite, FileManager.default.fileExists(atPath: target.path) { throw RecordingAccessError.outputExists(target.path) }
        let temporary = target.deletingLastPathComponent()
            .appendingPathComponent(".\(target.lastPathComponent).handlet-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        do {
            try Self.copyFlushed(source, to: temporary)
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw RecordingAccessError.cannotWrite(target.path, reason: Self.reason(error))
        }
        defer { try? FileManager.default.removeItem(at: temporary) }
        return try perform(WorkspaceCommand(.exportRecording, audit: .recordingExported, rules: { db, _ in
            _ = try RecordingAccess.audio(ofCall: id, audioFolder: folder, db)
        }) { db, _ in
            let (call, recording, _) = try RecordingAccess.audio(ofCall: id, audioFolder: folder, db)
            let bytes = (try? FileManager.default.attributesOfItem(atPath: temporary.path)[.size] as? Int64) ?? recording.bytes
            if !overwrite, FileManager.default.fileExists(atPath: target.path) { throw RecordingAccessError.outputExists(target.path) }
            // Last in the body: the event is appended after it, in the same transaction.
            guard rename(temporary.path, target.path) == 0 else {
                throw RecordingAccessError.cannotWrite(target.path, reason: String(cString: strerror(errno)))
            }
            return .changed(RecordingAccess.Exported(callExternalId: call.externalId, recordingId: recording.id!, path: target.path, bytes: bytes),
                            target: "call:\(call.id!)", details: ["recording_id": .int(recording.id!.rawValue), "bytes": .int(bytes)])
        })
    }

    /// As `exportRecording(ofCall:to:overwrite:)` for the call a person named (its external id or
    /// number), looked up after the role check.
    public func exportRecording(ofCallNamed reference: String, to destination: URL, overwrite: Bool) throws -> RecordingAccess.Exported {
        try actor.require(.exportRecording)
        return try exportRecording(ofCall: read(.callID(named: reference)), to: destination, overwrite: overwrite)
    }

    /// The play of the call's recording as a command, for planning it (a key dimmed with its refusal).
    public func playing(call id: Call.ID) -> WorkspaceCommand<RecordingAccess.Opened> {
        .playRecording(ofCall: id, audioFolder: workspace.audioDirectory.path)
    }

    /// Records that the call's recording is being played and returns its file, for a player.
    /// Needs `.exportRecording`; written as `recording.played`.
    public func openRecordingForPlaying(ofCall id: Call.ID) throws -> RecordingAccess.Opened {
        try perform(.playRecording(ofCall: id, audioFolder: workspace.audioDirectory.path))
    }

    private static func copyFlushed(_ source: URL, to destination: URL) throws {
        let input = try FileHandle(forReadingFrom: source)
        defer { try? input.close() }
        guard FileManager.default.createFile(atPath: destination.path, contents: nil) else {
            throw CocoaError(.fileWriteNoPermission)
        }
        let output = try FileHandle(forWritingTo: destination)
        defer { try? output.close() }
        while let chunk = try input.read(upToCount: 1 << 20), !chunk.isEmpty { try output.write(contentsOf: chunk) }
        try output.synchronize()
    }

    private static func reason(_ error: any Error) -> String {
        (error as NSError).localizedFailureReason ?? (error as NSError).localizedDescription
    }
}

extension WorkspaceCommand where Result == RecordingAccess.Opened {
    /// The play of a call's recording, as a command: refused for a viewer and for a call with no
    /// stored recording (so a key can be dimmed with the reason), audited as `recording.played`.
    public static func playRecording(ofCall id: Call.ID, audioFolder: String) -> Self {
        WorkspaceCommand(.exportRecording, audit: .recordingPlayed, rules: { db, _ in
            let call = try CallReference.call(id, in: db)
            _ = try CallReference.liveRecording(of: call, in: db)
        }) { db, _ in
            let (call, recording, file) = try RecordingAccess.audio(ofCall: id, audioFolder: audioFolder, db)
            return .changed(RecordingAccess.Opened(callExternalId: call.externalId, recordingId: recording.id!, file: file),
                            target: "call:\(call.id!)", details: ["recording_id": .int(recording.id!.rawValue)])
        }
    }
}

/// The program that plays recordings: `$HANDLET_PLAYER` (a command, with arguments if it has
/// any), else the first of `aplay`, `paplay`, `ffplay` found on `PATH`. Not offered over SSH:
/// the sound would come out of the server, not the person's computer.
public struct RecordingPlayer: Sendable, Equatable {
    public let path: String
    public let arguments: [String]

    public static let candidates = ["aplay", "paplay", "ffplay"]

    /// The player for this environment, or why playing is not offered (a one-line reason).
    public static func choose(environment: [String: String]) -> Result<RecordingPlayer, RecordingAccessError> {
        let ssh = ["SSH_CONNECTION", "SSH_TTY"].first { !(environment[$0] ?? "").isEmpty }
        if let ssh {
            return .failure(.playbackUnavailable("Playing is not offered over SSH (\(ssh) is set): the sound would play on the server. "
                                                 + "Save the recording to a file instead."))
        }
        let path = (environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":").map(String.init)
        if let configured = environment["HANDLET_PLAYER"]?.split(whereSeparator: \.isWhitespace).map(String.init), let program = configured.first {
            guard let found = find(program, in: path) else {
                return .failure(.playbackUnavailable("HANDLET_PLAYER names \(program), which is not an executable on PATH."))
            }
            return .success(RecordingPlayer(path: found, arguments: Array(configured.dropFirst())))
        }
        for candidate in candidates {
            if let found = find(candidate, in: path) {
                // ffplay opens a window and talks unless told not to.
                let arguments = candidate == "ffplay" ? ["-nodisp", "-autoexit", "-loglevel", "quiet"] : candidate == "aplay" ? ["-q"] : []
                return .success(RecordingPlayer(path: found, arguments: arguments))
            }
        }
        return .failure(.playbackUnavailable("No player found: set HANDLET_PLAYER, or install aplay, paplay or ffplay."))
    }

    private static func find(_ program: String, in path: [String]) -> String? {
        if program.contains("/") { return FileManager.default.isExecutableFile(atPath: program) ? program : nil }
        return path.lazy.map { ($0.isEmpty ? "." : $0) + "/" + program }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// Plays `file` in the background through swift-subprocess: standard input, output and error
    /// are /dev/null (it must neither read the keyboard nor draw on the screen), in its own
    /// process group. Cancelling the returned task stops it (SIGTERM to the group, then SIGKILL);
    /// `finished` is called once it ends, with nil when it played to the end or was stopped, else
    /// what went wrong. `stopAll()` stops every player still running (the console, as it closes).
    public func play(_ file: URL, finished: @escaping @Sendable (String?) -> Void) -> Task<Void, Never> {
        let path = self.path, arguments = self.arguments
        return Task.detached(priority: .userInitiated) {
            var options = PlatformOptions()
            options.processGroupID = 0
            options.teardownSequence = [.gracefulShutDown(toProcessGroup: true, allowedDurationToNextStep: .milliseconds(300))]
            do {
                let result = try await Subprocess.run(.path(FilePath(path)), arguments: Arguments(arguments + [file.path]),
                                                      environment: .inherit, platformOptions: options,
                                                      input: .none, output: .discarded, error: .discarded) { execution in
                    RunningPlayers.shared.started(execution.processIdentifier.value)
                    return execution.processIdentifier.value
                }
                RunningPlayers.shared.finished(result.closureResult)
                switch result.terminationStatus {
                case .exited(0): finished(nil)
                case .exited(let code): finished(Task.isCancelled ? nil : "the player \(path) stopped with exit status \(code)")
                case .signaled: finished(Task.isCancelled ? nil : "the player \(path) was stopped")
                }
            } catch {
                finished(Task.isCancelled ? nil : "could not run \(path): \(error)")
            }
        }
    }

    /// Stops every player still running (SIGTERM to each one's process group).
    public static func stopAll() { RunningPlayers.shared.stopAll() }
}

/// The players running now, so none outlives the console.
private final class RunningPlayers: @unchecked Sendable {
    static let shared = RunningPlayers()
    private let lock = NSLock()
    private var pids: Set<pid_t> = []

    func started(_ pid: pid_t) { lock.withLock { _ = pids.insert(pid) } }
    func finished(_ pid: pid_t) { lock.withLock { _ = pids.remove(pid) } }
    func stopAll() {
        lock.withLock {
            for pid in pids { kill(-pid, SIGTERM) }
            pids.removeAll()
        }
    }
}
