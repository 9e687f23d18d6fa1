import GRDB

extension Schema {
    /// Migration `dsr-register` (issue 23): what the register of data-subject requests and the
    /// person commands need beyond v1's table. Only adds columns (all nullable), tables and indexes:
    /// no row is touched, so it costs nothing at a million calls.
    ///
    /// - a request keeps its first due date when extended (Art. 12(3): once, by up to two more
    ///   months, with a reason), and who extended it and when;
    /// - a contact records an objection to processing (Art. 21) beside its restriction;
    /// - an erasure that committed but has not yet finished (audio files, the full-text indexes'
    ///   merge, the checkpoint) is listed in `erasure_pending` and its files in `erasure_files`,
    ///   so a killed erasure is finished by the next one; neither holds anything personal;
    /// - the audit log is read by target (`contact:12`) to show which events name a person's records.
    /// Migration `unlinked-number-indexes`: a person's calls and messages that no contact holds
    /// (imported, or from before their contact existed) are found by their number or address, so
    /// `dsr show` and an erasure reach them without scanning every call. Only unlinked rows are
    /// indexed: the rest are found through their contact.
    static func addUnlinkedNumberIndexes(_ db: Database) throws {
        try db.execute(sql: """
            CREATE INDEX calls_unlinked_from ON calls(from_number) WHERE contact_id IS NULL;
            CREATE INDEX calls_unlinked_to ON calls(to_number) WHERE contact_id IS NULL;
            CREATE INDEX messages_unlinked_from ON messages(from_address COLLATE NOCASE) WHERE contact_id IS NULL;
            CREATE INDEX messages_unlinked_to ON messages(to_address COLLATE NOCASE) WHERE contact_id IS NULL;
            """)
    }

    /// Migration `dsr-draft-indexes`: a person's drafts are found by their contact and by what
    /// they answer (a message, call or review of theirs), and the outbox rows sent from those
    /// drafts by draft, without scanning either table (`PersonHoldings.read`).
    static func addDataSubjectDraftIndexes(_ db: Database) throws {
        try db.execute(sql: """
            CREATE INDEX drafts_by_contact ON drafts(contact_id);
            CREATE INDEX drafts_by_target ON drafts(target_kind, target_id);
            CREATE INDEX autosend_outbox_by_draft ON autosend_outbox(draft_id);
            """)
    }

    static func dataSubjectRegister(_ db: Database) throws {
        try db.execute(sql: """
            ALTER TABLE data_subject_requests ADD COLUMN first_due_at INTEGER;
            ALTER TABLE data_subject_requests ADD COLUMN extension_reason TEXT;
            ALTER TABLE data_subject_requests ADD COLUMN extended_by INTEGER REFERENCES users(id) ON DELETE SET NULL;
            ALTER TABLE data_subject_requests ADD COLUMN extended_at INTEGER;
            CREATE INDEX dsr_by_contact ON data_subject_requests(contact_id);
            ALTER TABLE contacts ADD COLUMN objected_at INTEGER;
            CREATE TABLE erasure_pending (
                id INTEGER PRIMARY KEY,
                erased_at INTEGER NOT NULL
            );
            CREATE TABLE erasure_files (
                id INTEGER PRIMARY KEY,
                erasure_id INTEGER NOT NULL REFERENCES erasure_pending(id) ON DELETE CASCADE,
                file_path TEXT NOT NULL
            );
            CREATE INDEX audit_by_target ON audit_events(target, seq);
            CREATE INDEX reviews_by_author ON reviews(author COLLATE NOCASE);
            """)
    }
}

/// Why a data-subject command or query refused or failed; each says its exit class.
public enum DataSubjectError: SysexitsError, Equatable, CustomStringConvertible {
    case noSuchRequest(Int64)
    case noSuchContact(Int64)
    case nothingToFind
    case noMatch(String)
    case notAReference(String)
    case requestClosed(Int64)
    case alreadyExtended(Int64)
    case extensionMonths(Int)
    case reasonRequired
    case textTooLong(field: String, limit: Int)
    case invalidEmail(String)
    case invalidPhone(String)
    case emptyName
    case nothingToRectify
    case alreadyRestricted(String)
    case notRestricted(String)
    case alreadyObjected(String)
    case onLegalHold(callExternalId: String)
    case wrongConfirmation
    case exportTargetNotEmpty(String)
    case exportTargetReadOnly(String)
    case exportTargetExists(String)
    case exportFailed(path: String, reason: String)
    case audioUnreadable(path: String, reason: String)
    case noSuchReview(Int64)
    case reviewOfAnother(review: Int64, contact: Int64)
    case reviewNotAttributed(review: Int64)

    public var exitClass: ExitClass {
        switch self {
        case .noSuchRequest, .noSuchContact, .noMatch, .extensionMonths, .textTooLong, .invalidEmail, .invalidPhone,
             .emptyName, .noSuchReview: .dataError
        case .nothingToFind, .notAReference, .reasonRequired, .nothingToRectify, .wrongConfirmation: .usage
        case .requestClosed, .alreadyExtended, .alreadyRestricted, .notRestricted, .alreadyObjected, .onLegalHold,
             .reviewOfAnother, .reviewNotAttributed: .refused
        case .exportTargetNotEmpty, .exportTargetReadOnly, .exportTargetExists, .exportFailed: .cannotCreate
        case .audioUnreadable: .failure
        }
    }

    public var description: String {
        switch self {
        case .noSuchRequest(let id): "No data-subject request \(id) in this workspace."
        case .noSuchContact(let id): "No contact \(id) in this workspace."
        case .nothingToFind: "Give a phone number, an email address or the start of a name to find."
        case .noMatch(let text): "No contact matches \(text)."
        case .notAReference(let text):
            "\(text) names no contact: give contact ids (dsr find lists them), a phone number or an email address."
        case .requestClosed(let id): "Request \(id) is already closed; nothing changed."
        case .alreadyExtended(let id):
            "Request \(id) was already extended once; Art. 12(3) allows one extension of at most two months."
        case .extensionMonths(let months): "An extension is 1 or 2 months, not \(months)."
        case .reasonRequired: "Give the reason for the extension (--reason); the person must be told it."
        case .textTooLong(let field, let limit): "The \(field) is longer than \(limit) characters."
        case .invalidEmail(let text): "\(text) is not an email address."
        case .invalidPhone(let text): "\(text) is not a UK phone number."
        case .emptyName: "A contact's name cannot be empty."
        case .nothingToRectify: "Give a new name, email or phone to rectify."
        case .alreadyRestricted(let name): "Processing of \(name)'s data is already restricted; nothing changed."
        case .notRestricted(let name): "Processing of \(name)'s data is not restricted; nothing changed."
        case .alreadyObjected(let name): "An objection from \(name) is already recorded; nothing changed."
        case .onLegalHold(let call):
            "The recording of call \(call) is on legal hold; release it first (handlet release \(call)) or keep the data for the claim. Nothing was erased."
        case .wrongConfirmation: "The text typed is not the person's name or number; nothing was erased."
        case .exportTargetNotEmpty(let path): "\(path) exists and is not empty; choose a new folder. Nothing was written."
        case .exportTargetReadOnly(let path): "Cannot write in \(path): it is read-only. Nothing was written."
        case .exportTargetExists(let path): "\(path) already exists; choose a new file name. Nothing was written."
        case .exportFailed(let path, let reason):
            "Could not write the export \(path): \(reason). The partial export was removed; nothing is left looking complete."
        case .audioUnreadable(let path, let reason): "Could not read recording \(path): \(reason)."
        case .noSuchReview(let id): "No review \(id) in this workspace."
        case .reviewOfAnother(let review, let contact):
            "Review \(review) is already attributed to contact \(contact); remove that first. Nothing changed."
        case .reviewNotAttributed(let review): "Review \(review) is not attributed to this person; nothing changed."
        }
    }
}
