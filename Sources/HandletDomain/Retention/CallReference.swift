import Foundation
import GRDB

/// A call named by a person or script (`handlet hold CALL`): its external id (as the Handlet
/// service shows it) or its numeric id in this workspace. The external id wins when both could
/// match, because that is the name people copy from the service. Only typed text is parsed here;
/// everything else passes a `Call.ID`.
enum CallReference {
    static func resolve(_ reference: String, in db: Database) throws -> Call {
        let trimmed = reference.trimmingCharacters(in: .whitespaces)
        if let call = try Call.filter(Column("external_id") == trimmed).fetchOne(db) { return call }
        if let id = Int64(trimmed), let call = try Call.fetchOne(db, key: Call.ID(id)) { return call }
        throw RetentionError.noSuchCall(reference)
    }

    /// The call with this id, or `noSuchCall`.
    static func call(_ id: Call.ID, in db: Database) throws -> Call {
        guard let call = try Call.fetchOne(db, key: id) else { throw RetentionError.noSuchCall(id.description) }
        return call
    }

    /// The call's recording row, or why there is none to act on.
    static func liveRecording(of call: Call, in db: Database) throws -> Recording {
        guard let recording = try Recording.filter(Column("call_id") == call.id).fetchOne(db) else {
            throw RetentionError.callHasNoRecording(call.externalId)
        }
        guard recording.purgedAt == nil else { throw RetentionError.recordingAlreadyPurged(call.externalId) }
        return recording
    }
}

extension WorkspaceQuery where Value == Call.ID {
    /// The id of the call a person typed (external id, else number); throws `noSuchCall`.
    public static func callID(named reference: String) -> Self {
        .reading(.browse) { try CallReference.resolve(reference, in: $0).id! }
    }
}
