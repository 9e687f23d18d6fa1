import Foundation
import GRDB

/// Stores a newly taken call and, when the workspace's recording policy keeps audio, its
/// recording: the audio file in the workspace's audio folder, its SHA-256, and an expiry of
/// creation + the period in force. The importer and the demo generator come through here, so a
/// call taken while recording is off never gets audio.
public enum RecordingImport {
    public struct Stored: Sendable {
        public let call: Call
        public let recording: Recording?
    }

    /// Call inside a write transaction. The file is written before the row commits: a failure
    /// rolls the row back and removes the file.
    ///
    /// - Parameter audio: the captured audio, or nil when the service captured none (a missed call).
    static func add(_ call: Call, audio: Data?, recordedAt: Date, in db: Database,
                           audioFolder: URL) throws -> Stored {
        var call = call
        let decision = try RecordingPolicy.current(db).decide(audioCaptured: audio != nil, createdAt: recordedAt)
        call.recordingState = decision.recordingState
        try call.insert(db)
        guard case .keep(let expiresAt) = decision, let audio, let callId = call.id else {
            return Stored(call: call, recording: nil)
        }
        let relativePath = path(forCall: callId.rawValue, recordedAt: recordedAt)
        let file = audioFolder.appendingPathComponent(relativePath)
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try audio.write(to: file)
        do {
            var recording = Recording(callId: callId, filePath: relativePath, bytes: Int64(audio.count),
                                      durationMs: Int64(call.durationSeconds) * 1000, sha256: SHA256Hex.of(audio),
                                      createdAt: Date(timeIntervalSince1970: RecordingExpiry.wholeSeconds(recordedAt)),
                                      expiresAt: expiresAt)
            try recording.insert(db)
            return Stored(call: call, recording: recording)
        } catch {
            try? FileManager.default.removeItem(at: file)
            throw error
        }
    }

    /// "2026-03/call-1234.wav": a folder per UTC month keeps directories small at a million files.
    static func path(forCall callId: Int64, recordedAt: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let parts = calendar.dateComponents([.year, .month], from: recordedAt)
        return String(format: "%04d-%02d/call-%lld.wav", parts.year!, parts.month!, callId)
    }
}
