import Foundation
import GRDB

/// Everything the call detail view shows.
public struct CallDetail: Sendable {
    public var call: Call
    public var contact: Contact?
    /// The staff member who took the call, when it was a person.
    public var staffName: String?
    public var recording: Recording?
    public var recordingStatus: RecordingStatus
    public var transcript: [Transcript.Turn]
    public var jobDetails: JobDetails?
    /// Every hold placed on the call's recording, oldest first, each with its release once there is one.
    public var holdHistory: [LegalHold.HistoryEntry] = []

    public var id: Call.ID { call.id! }

    /// Loads a call by id; nil if there is none.
    static func load(id: Call.ID, clock: BrowseClock, in db: Database) throws -> CallDetail? {
        guard let call = try Call.fetchOne(db, key: id) else { return nil }
        let contact = try call.contactId.flatMap { try Contact.fetchOne(db, key: $0) }
        let staffName = try call.staffUserId.flatMap {
            try GRDB.Row.fetchOne(db, sql: "SELECT \(TextWithNUL.select("name")) FROM users WHERE id = ?", arguments: [$0])?.storedText("name")
        }
        let recording = try Recording.filter(Column("call_id") == id).fetchOne(db)
        let status = RecordingStatus.make(
            state: call.recordingState,
            expiresAt: recording.map { Int64($0.expiresAt.timeIntervalSince1970) },
            legalHold: recording?.legalHold ?? false,
            purgedAt: (call.recordingPurgedAt ?? recording?.purgedAt).map { Int64($0.timeIntervalSince1970) },
            now: clock.nowSeconds)
        return CallDetail(call: call, contact: contact, staffName: staffName, recording: recording,
                          recordingStatus: status, transcript: call.turns.turns,
                          jobDetails: call.jobDetails.map(JobDetails.init(json:)),
                          holdHistory: recording == nil ? [] : try LegalHold.history(ofCall: id, db))
    }

    /// Finds a call by numeric id or by its external id (as the CLI's `calls show CALL` takes it).
    static func find(_ reference: String, clock: BrowseClock, in db: Database) throws -> CallDetail? {
        if let id = try Call.ID.fetchOne(db, sql: "SELECT id FROM calls WHERE external_id = ?", arguments: [reference]) {
            return try load(id: id, clock: clock, in: db)
        }
        if let id = Int64(reference) { return try load(id: Call.ID(id), clock: clock, in: db) }
        return nil
    }

    /// Where this call's audio file is, if it still has one. A stored path that would leave the
    /// audio folder (absolute, or through `..`) is not followed.
    public func audioURL(in workspace: Workspace) -> URL? {
        guard let path = recording?.filePath, recording?.purgedAt == nil,
              let file = AudioFolder.file(path, inFolderPath: workspace.audioDirectory.path) else { return nil }
        return URL(fileURLWithPath: file)
    }

    /// The waveform for the detail view, or the reason there is none.
    public func waveform(in workspace: Workspace, buckets: Int) -> WaveformState {
        switch recordingStatus {
        case .notRecorded: return .noRecording
        case .recordingDisabled: return .noRecording
        case .purged: return .purged
        case .held, .legalHold:
            guard let path = recording?.filePath, recording?.purgedAt == nil else { return .purged }
            guard let url = audioURL(in: workspace) else { return .unreadable(reason: "The stored path \(path) is outside the audio folder.") }
            return Waveform.state(ofWAVAt: url, buckets: buckets)
        }
    }
}
