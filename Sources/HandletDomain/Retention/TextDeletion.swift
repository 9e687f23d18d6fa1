import Foundation
import GRDB

/// Data minimisation: deleting the text of one message, or one call's summary and transcript,
/// so the special-category matches the compliance centre lists can be removed (UK GDPR Art. 5(1)(c)).
/// The row stays with its metadata and says when its text was deleted, like text past its
/// retention period (`TextPurge`). The search stops finding it in the same transaction; its words
/// leave the full-text index's stored pages at the next purge, which compacts the index then
/// (`SearchCompaction`: rewriting the whole index per deletion took minutes at 3M messages).
public enum TextDeletion {
    /// "Text deleted on 14 Mar 2026 09:30 GMT", "Text removed on 14 Mar 2026 09:30 GMT: past its retention period",
    /// in the workspace's zone (`clock`).
    public static func removedNote(reason: String?, at: Date?, clock: BrowseClock) -> String? {
        guard let at else { return nil }
        let when = DisplayText.zonedTimestamp(at, clock: clock)
        return reason == "retention" ? "Text removed on \(when): past its retention period" : "Text deleted on \(when)"
    }

    /// What was deleted.
    public struct Deleted: Equatable, Sendable, Codable {
        public let kind: TextKind
        /// The message's id, or the call's.
        public let id: Int64
        /// The call's external id (nil for a message).
        public let callExternalId: String?
        /// Characters of text removed.
        public let characters: Int
    }
}

/// What deleting one item's text removes, shown before asking.
public struct TextDeletionPreview: Equatable, Sendable, Codable {
    public let kind: TextKind
    public let id: Int64
    public let callExternalId: String?
    public let at: Date
    public let contactName: String?
    public let channel: Channel?
    public let characters: Int
    /// The workspace's zone, for the time its text shows (not part of the JSON).
    public var zone = DataSubjectDue.london

    private enum CodingKeys: String, CodingKey {
        case kind, id, callExternalId, at, contactName, channel, characters
    }

    /// One paragraph: a dialog's message.
    public var summary: String {
        let who = contactName.map { " with \($0)" } ?? ""
        let when = DisplayText.zonedTimestamp(at, clock: BrowseClock(now: at, timeZone: zone))
        switch kind {
        case .transcripts:
            return "Call \(callExternalId ?? String(id)) of \(when)\(who) loses its summary and transcript "
                + "(\(DisplayText.count(characters, "character"))) for good; its time, numbers, outcome and recording stay. "
                + Self.searchNote
        case .messages:
            return "The \(channel?.rawValue ?? "") message \(id) of \(when)\(who) loses its text and attachment names "
                + "(\(DisplayText.count(characters, "character"))) for good; its time, addresses and delivery status stay. "
                + Self.searchNote
        }
    }

    /// When the words leave the search index's stored pages (`SearchCompaction`).
    public static let searchNote = "Search stops finding it at once; its words leave the search index's stored pages "
        + "at the next purge run by `handlet purge` (the scheduled run), which rewrites the index on threads of its own."

    public var lines: [String] { ["Deleting text:", "  " + summary] }
}

public enum TextDeletionError: SysexitsError, Equatable, CustomStringConvertible {
    case noSuchMessage(String)
    case alreadyDeleted(String)

    public var exitClass: ExitClass {
        switch self {
        case .noSuchMessage: .dataError
        case .alreadyDeleted: .refused
        }
    }

    public var description: String {
        switch self {
        case .noSuchMessage(let reference): "No message with id \"\(reference)\"."
        case .alreadyDeleted(let what): "The text of \(what) has already been removed."
        }
    }
}

extension TextDeletion {
    static func message(_ id: Message.ID, in db: Database) throws -> Message {
        guard let message = try Message.fetchOne(db, key: id) else { throw TextDeletionError.noSuchMessage(id.description) }
        return message
    }

    static func removedAt(_ table: String, id: Int64, in db: Database) throws -> Int64? {
        try Int64.fetchOne(db, sql: "SELECT text_removed_at FROM \(table) WHERE id = ?", arguments: [id])
    }

    static func contactName(_ id: Contact.ID?, in db: Database) throws -> String? {
        guard let id else { return nil }
        return try String.fetchOne(db, sql: "SELECT name FROM contacts WHERE id = ?", arguments: [id])
    }

    static func confirmation(_ kind: TextKind) -> Confirmation {
        switch kind {
        case .transcripts:
            Confirmation(title: "Delete summary and transcript", question: "Delete this call's summary and transcript for good?",
                         confirmLabel: "Delete", declined: "Not confirmed; the call's text stays.", isDestructive: true)
        case .messages:
            Confirmation(title: "Delete message text", question: "Delete this message's text for good?",
                         confirmLabel: "Delete", declined: "Not confirmed; the message stays.", isDestructive: true)
        }
    }
}

extension WorkspaceCommand where Result == TextDeletion.Deleted {
    /// Deletes one message's body and attachment names; the message row and its metadata stay,
    /// marked deleted. Owner or admin; asks first.
    public static func deleteMessageText(_ id: Message.ID) -> Self {
        WorkspaceCommand(.minimiseData, audit: .messageTextDeleted, rules: { db, _ in
            _ = try TextDeletion.message(id, in: db)
            if try TextDeletion.removedAt("messages", id: id.rawValue, in: db) != nil {
                throw TextDeletionError.alreadyDeleted("message \(id)")
            }
        }, outline: { db, _ in
            let message = try TextDeletion.message(id, in: db)
            var preview = TextDeletionPreview(kind: .messages, id: id.rawValue, callExternalId: nil, at: message.sentAt,
                                              contactName: try TextDeletion.contactName(message.contactId, in: db),
                                              channel: message.channel, characters: message.body.count)
            preview.zone = try BrowseClock.current(db, now: message.sentAt).timeZone
            return ChangeOutline(preview: .textDeletion(preview), confirmation: TextDeletion.confirmation(.messages))
        }) { db, environment in
            let message = try TextDeletion.message(id, in: db)
            try db.execute(sql: """
                UPDATE messages SET body = '', attachments = NULL, text_removed = ?, text_removed_at = ? WHERE id = ?
                """, arguments: [TextPurge.Reason.deleted.rawValue, RecordingExpiry.epochSeconds(environment.now), id])
            try TextPurge.removeCopies(ofMessages: "[\(id.rawValue)]", db)
            try TextPurge.blankSubjects(ofMessages: "[\(id.rawValue)]", db)
            try SearchCompaction.owe(db, .messages, nowSeconds: RecordingExpiry.epochSeconds(environment.now))
            let characters = message.body.count
            return .changed(TextDeletion.Deleted(kind: .messages, id: id.rawValue, callExternalId: nil, characters: characters),
                            target: "message:\(id)",
                            details: ["thread_id": .int(message.threadId.rawValue), "characters": .int(Int64(characters))])
        }
    }
}

extension WorkspaceCommand where Result == TextDeletion.Deleted {
    /// `deleteCallText(_:)` on the call a person named (external id, else number).
    public static func deleteCallText(named reference: String) -> Self {
        naming(.minimiseData, audit: .callTextDeleted, { try CallReference.resolve(reference, in: $0).id! }) {
            deleteCallText($0)
        }
    }

    /// Deletes one call's AI summary and transcript; the call (time, numbers, outcome, job details,
    /// recording) stays, marked as having had its text deleted. Owner or admin; asks first.
    public static func deleteCallText(_ id: Call.ID) -> Self {
        WorkspaceCommand(.minimiseData, audit: .callTextDeleted, rules: { db, _ in
            let call = try CallReference.call(id, in: db)
            if try TextDeletion.removedAt("calls", id: id.rawValue, in: db) != nil {
                throw TextDeletionError.alreadyDeleted("call \(call.externalId)")
            }
        }, outline: { db, _ in
            let call = try CallReference.call(id, in: db)
            var preview = TextDeletionPreview(kind: .transcripts, id: id.rawValue, callExternalId: call.externalId, at: call.startedAt,
                                              contactName: try TextDeletion.contactName(call.contactId, in: db), channel: nil,
                                              characters: call.summary.count + call.transcript.count)
            preview.zone = try BrowseClock.current(db, now: call.startedAt).timeZone
            return ChangeOutline(preview: .textDeletion(preview), confirmation: TextDeletion.confirmation(.transcripts))
        }) { db, environment in
            let call = try CallReference.call(id, in: db)
            try db.execute(sql: """
                UPDATE calls SET summary = '', transcript = '', transcript_timing = '', text_removed = ?, text_removed_at = ?
                WHERE id = ?
                """, arguments: [TextPurge.Reason.deleted.rawValue, RecordingExpiry.epochSeconds(environment.now), id])
            try SearchCompaction.owe(db, .calls, nowSeconds: RecordingExpiry.epochSeconds(environment.now))
            let characters = call.summary.count + call.transcript.count
            return .changed(TextDeletion.Deleted(kind: .transcripts, id: id.rawValue, callExternalId: call.externalId,
                                                 characters: characters),
                            target: "call:\(id)", details: ["call_id": .int(id.rawValue), "characters": .int(Int64(characters))])
        }
    }
}
