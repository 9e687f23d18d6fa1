import Crypto
import Foundation
import GRDB

/// What one batch of an import did, for the summary and the batch's audit event.
struct ImportBatchOutcome: Sendable {
    var counts = ImportCounts()
    /// Records the workspace refused as it stored them (a recording file that is missing…).
    var rejected: [RejectedLine] = []
    /// Recording files staged in the audio folder: renamed into place once the batch commits,
    /// removed if it rolls back (`RecordingStaging`).
    var staged: [StagedRecording] = []
}

/// Stores parsed records inside the caller's write transaction (DESIGN §9, issue 24): the one
/// place an import writes. Each record is looked up by its import key first (a duplicate is
/// skipped), its contact matched by E.164 number or email (case-insensitive) or created, calls
/// get their recording under the workspace's recording policy, and inbound messages go through
/// the arrival step's opt-out keyword processing.
struct ImportWriter {
    let db: Database
    let now: Date
    let actor: Actor
    let policy: RecordingPolicy
    let audioFolder: URL
    /// False in a dry run: recording files are checked, never copied.
    let copyRecordings: Bool
    /// Contacts and threads already looked up in this import (most records are repeat customers).
    let cache: ImportCache

    private var nowSeconds: Int64 { Int64(now.timeIntervalSince1970) }

    init(db: Database, now: Date, actor: Actor, audioFolder: URL, copyRecordings: Bool, cache: ImportCache) throws {
        self.db = db
        self.cache = cache
        self.now = now
        self.actor = actor
        self.audioFolder = audioFolder
        self.copyRecordings = copyRecordings
        policy = try RecordingPolicy.current(db)
    }

    func write(_ batch: [ImportItem]) throws -> ImportBatchOutcome {
        var outcome = ImportBatchOutcome()
        for item in batch {
            do {
                switch item.record {
                case .contact(let contact): try write(contact, &outcome)
                case .call(let call): try write(call, item, &outcome)
                case .message(let message): try write(message, &outcome)
                case .review(let review): try write(review, &outcome)
                case .request(let request): try write(request, &outcome)
                }
            } catch let refusal as ImportRefusal {
                outcome.counts.rejected += 1
                outcome.rejected.append(RejectedLine(position: item.position, text: item.describe(), reason: refusal.reason))
            }
        }
        return outcome
    }

    // MARK: Keys

    /// The statements every record runs, prepared once per import and bound through the SQLite C
    /// API (`BulkStatement`, the bulk-write path's binder): no SQL-keyed statement cache lookup
    /// and no boxed argument array per row.
    private var statements: ImportStatements { get throws { try cache.statements(db) } }

    /// The record a key names: one imported under it, else this workspace's own record an export
    /// of it named so (`ownRecord`); 0 when that record has been removed since.
    /// `same`: a column and the record's value in it, which this workspace's own row of that id
    /// must hold too (`ownRecord`).
    private func existingKey(_ kind: ImportKeys.Kind, _ key: String, same: (column: String, value: Int64?)? = nil) throws -> Int64? {
        let lookup = try statements.keyLookup
        lookup.bind(1, kind.rawValue); lookup.bind(2, key)
        if let found = try lookup.int64() { return found }
        return try ownRecord(kind, key, same: same)
    }

    /// A record of this very workspace that it did not import, named by the id its own export
    /// gives such records (`3f9a0c1e-message-12`, the prefix being this workspace's): its row id,
    /// or 0 when the row is gone (erased, or removed by text retention), so an export imported back
    /// into the workspace it came from adds nothing and brings nothing removed back. One prefix
    /// test per new record; a primary-key probe only for the workspace's own ids.
    ///
    /// The prefix is a hash of the workspace's creation time and name, which another workspace can
    /// share (a copy that went its own way; two demos made the same day): where `same` is given,
    /// a row of that id holding another value there is another record, imported, not skipped.
    private func ownRecord(_ kind: ImportKeys.Kind, _ key: String, same: (column: String, value: Int64?)?) throws -> Int64? {
        guard let table = ImportKeys.ownTables[kind] else { return nil }
        let prefix = try cache.ownPrefix(db)
        guard key.utf8.count > prefix.utf8.count + kind.rawValue.utf8.count + 2, key.hasPrefix(prefix) else { return nil }
        let rest = key.dropFirst(prefix.count)
        let marker = "-" + kind.rawValue + "-"
        guard rest.hasPrefix(marker), let id = Int64(rest.dropFirst(marker.count)), id > 0,
              String(id) == rest.dropFirst(marker.count) else { return nil }
        guard let held = try Row.fetchOne(db.cachedStatement(sql: "SELECT \(same?.column ?? "id") AS value FROM \(table) WHERE id = ?"),
                                          arguments: [id]) else { return 0 }
        if let same, (held["value"] as Int64?) != same.value { return nil }
        return id
    }

    private func storeKey(_ kind: ImportKeys.Kind, _ key: String, _ id: Int64) throws {
        let store = try statements.keyStore
        store.bind(1, kind.rawValue); store.bind(2, key); store.bind(3, id); store.bind(4, nowSeconds)
        try store.step()
    }

    // MARK: Contacts

    /// Where a customer can be reached, read from an address as a source wrote it.
    struct Address {
        var phone: String?
        var email: String?
        /// Neither a number nor an email: a name (a WhatsApp participant).
        var participant: String?
        /// What to store as the record's from/to: E.164 when it is a number, else as given.
        var stored: String

        init(_ raw: String) {
            // Trimming and lowercasing cost more than the rest of a record: only when needed.
            var text = raw
            if let first = text.unicodeScalars.first, let last = text.unicodeScalars.last,
               first.properties.isWhitespace || last.properties.isWhitespace {
                text = text.trimmingCharacters(in: .whitespacesAndNewlines)
            }
            if let first = text.utf8.first, !(48...57).contains(first), first != UInt8(ascii: "+"), text.contains(":") {
                for prefix in ["whatsapp:", "tel:", "sms:", "mailto:"] where text.lowercased().hasPrefix(prefix) {
                    text = String(text.dropFirst(prefix.count))
                }
            }
            stored = text
            if text.contains("@"), !text.contains(where: \.isWhitespace) {
                email = text
            } else if let e164 = PhoneNumber.e164(text) {
                phone = e164
                stored = e164
            } else if !text.isEmpty {
                participant = text
            }
        }
    }

    private func contact(phone: String?, email: String?) throws -> Int64? {
        if let phone {
            let lookup = try statements.contactByPhone
            lookup.bind(1, phone)
            if let id = try lookup.int64() { return id }
        }
        if let email, let id = try Int64.fetchOne(db.cachedStatement(sql: """
            SELECT id FROM contacts WHERE email = ? COLLATE NOCASE ORDER BY id LIMIT 1
            """), arguments: [email]) {
            return id
        }
        return nil
    }

    private func createContact(name: String, phone: String?, email: String?, optedOutAt: Date? = nil,
                               keyword: String? = nil, _ outcome: inout ImportBatchOutcome) throws -> Int64 {
        try db.cachedStatement(sql: """
            INSERT INTO contacts (name, phone, email, opted_out_at, opt_out_keyword, created_at) VALUES (?, ?, ?, ?, ?, ?)
            """).execute(arguments: [name, phone, email, optedOutAt.map { Int64($0.timeIntervalSince1970) }, keyword, nowSeconds])
        outcome.counts.contactsCreated += 1
        return db.lastInsertedRowID
    }

    /// The contact a call or message belongs to: the one its link names, else the one matched by
    /// its customer's address, created when there is none yet.
    private func resolve(_ link: ContactLink, _ address: Address, name: String?, _ outcome: inout ImportBatchOutcome) throws -> Int64? {
        switch link {
        case .none:
            return nil
        case .record(let id):
            // 0: that contact was erased; a later record naming it starts a new one.
            if let found = try existingKey(.contact, id), found != 0 { return found }
            return try resolve(.match, address, name: name, &outcome)
        case .match:
            if address.phone != nil || address.email != nil {
                let cacheKey = address.phone.map { "p:" + $0 } ?? "e:" + address.email!.lowercased()
                if let known = cache.contacts[cacheKey] { return known }
                let id: Int64
                if let found = try contact(phone: address.phone, email: address.email) {
                    id = found
                } else {
                    let label = nonEmpty(name) ?? address.phone ?? address.email!
                    id = try createContact(name: label, phone: address.phone, email: address.email, &outcome)
                }
                cache.remember(contact: id, as: cacheKey)
                return id
            }
            guard let participant = address.participant else { return nil }
            if let found = try existingKey(.participant, participant) { return found }
            let id = try createContact(name: participant, phone: nil, email: nil, &outcome)
            try storeKey(.participant, participant, id)
            return id
        }
    }

    private func write(_ record: IncomingContact, _ outcome: inout ImportBatchOutcome) throws {
        let key = ImportKeys.key(of: record)
        if try existingKey(.contact, key) != nil { outcome.counts.duplicates += 1; return }
        var phone: String?
        if let typed = nonEmpty(record.phone) {
            guard let e164 = PhoneNumber.e164(typed) else { throw ImportRefusal("\"\(PlainText.echo(typed))\" is not a phone number") }
            phone = e164
        }
        let email = nonEmpty(record.email)
        guard let name = nonEmpty(record.name) ?? phone ?? email else {
            throw ImportRefusal("a contact needs a name, a phone number or an email")
        }
        if let existing = try contact(phone: phone, email: email) {
            // Already known by number or email: the same person; fill in what the workspace lacks
            // (a restriction or objection it did not know of is kept: never lifted by an import).
            try db.cachedStatement(sql: """
                UPDATE contacts SET phone = COALESCE(phone, ?), email = COALESCE(email, ?),
                    restricted_at = COALESCE(restricted_at, ?), restriction_reason = COALESCE(restriction_reason, ?),
                    objected_at = COALESCE(objected_at, ?) WHERE id = ?
                """).execute(arguments: [phone, email, seconds(record.restrictedAt),
                                         record.restrictedAt == nil ? nil : record.restrictionReason,
                                         seconds(record.objectedAt), existing])
            try storeConsents(record.consents, contactId: existing)
            try storeKey(.contact, key, existing)
            outcome.counts.duplicates += 1
            return
        }
        let id = try createContact(name: name, phone: phone, email: email, optedOutAt: record.optedOutAt,
                                   keyword: record.optedOutAt == nil ? nil : record.optOutKeyword, &outcome)
        if record.createdAt != nil || record.restrictedAt != nil || record.objectedAt != nil {
            try db.cachedStatement(sql: """
                UPDATE contacts SET created_at = COALESCE(?, created_at), restricted_at = ?, restriction_reason = ?,
                    objected_at = ? WHERE id = ?
                """).execute(arguments: [seconds(record.createdAt), seconds(record.restrictedAt),
                                         record.restrictedAt == nil ? nil : record.restrictionReason,
                                         seconds(record.objectedAt), id])
        }
        try storeConsents(record.consents, contactId: id)
        try storeKey(.contact, key, id)
        outcome.counts.contacts += 1
    }

    /// A contact's marketing consents: one per channel; a channel the contact already has a
    /// consent for keeps the workspace's.
    private func storeConsents(_ consents: [IncomingConsent], contactId: Int64) throws {
        for consent in consents {
            try db.cachedStatement(sql: """
                INSERT INTO marketing_consents (contact_id, channel, given_at, method, withdrawn_at) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT (contact_id, channel) DO NOTHING
                """).execute(arguments: [contactId, consent.channel.rawValue, seconds(consent.givenAt), consent.method,
                                         seconds(consent.withdrawnAt)])
        }
    }

    private func seconds(_ date: Date?) -> Int64? { date.map { Int64($0.timeIntervalSince1970) } }

    /// A user of this workspace named by email (who took a call, placed a hold, completed a
    /// request); nil when the workspace has no such user. An import never creates users.
    private func user(_ email: String?) throws -> Int64? {
        guard let email = nonEmpty(email) else { return nil }
        return try Int64.fetchOne(db.cachedStatement(sql: "SELECT id FROM users WHERE email = ? COLLATE NOCASE"),
                                  arguments: [email])
    }

    // MARK: Reviews and data-subject requests

    private func write(_ review: IncomingReview, _ outcome: inout ImportBatchOutcome) throws {
        let key = ImportKeys.key(of: review)
        if try existingKey(.review, key, same: ("posted_at", seconds(review.postedAt))) != nil { outcome.counts.duplicates += 1; return }
        try db.cachedStatement(sql: """
            INSERT INTO reviews (source, author, stars, text, posted_at, reply_text, replied_at) VALUES (?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [review.source, review.author, review.stars, review.text, seconds(review.postedAt),
                                     review.replyText, seconds(review.repliedAt)])
        let reviewId = db.lastInsertedRowID
        try storeKey(.review, key, reviewId)
        if case .record(let id) = review.contact, let contactId = try existingKey(.contact, id), contactId != 0 {
            try db.cachedStatement(sql: "INSERT INTO review_authors (review_id, contact_id, attributed_at) VALUES (?, ?, ?)")
                .execute(arguments: [reviewId, contactId, nowSeconds])
        }
        outcome.counts.reviews += 1
    }

    private func write(_ request: IncomingRequest, _ outcome: inout ImportBatchOutcome) throws {
        let key = ImportKeys.key(of: request)
        if try existingKey(.request, key, same: ("received_at", seconds(request.receivedAt))) != nil {
            outcome.counts.duplicates += 1
            return
        }
        var contactId: Int64?
        if case .record(let id) = request.contact, let found = try existingKey(.contact, id), found != 0 { contactId = found }
        try db.cachedStatement(sql: """
            INSERT INTO data_subject_requests (contact_id, type, received_at, due_at, status, completed_by, completed_at, notes,
                first_due_at, extension_reason, extended_by, extended_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [contactId, request.type.rawValue, seconds(request.receivedAt), seconds(request.dueAt),
                                     request.status.rawValue, try user(request.completedBy), seconds(request.completedAt),
                                     request.notes, seconds(request.firstDueAt), request.extensionReason,
                                     try user(request.extendedBy), seconds(request.extendedAt)])
        try storeKey(.request, key, db.lastInsertedRowID)
        outcome.counts.requests += 1
    }

    // MARK: Calls

    private func write(_ call: IncomingCall, _ item: ImportItem, _ outcome: inout ImportBatchOutcome) throws {
        let key = ImportKeys.key(of: call)
        let byExternalId = try statements.callByExternalId
        byExternalId.bind(1, key)
        if try existingKey(.call, key) != nil || byExternalId.int64() != nil {
            outcome.counts.duplicates += 1
            return
        }
        guard call.durationSeconds >= 0 else { throw ImportRefusal("a call cannot last \(call.durationSeconds) seconds") }
        let from = cache.address(call.from), to = cache.address(call.to)
        guard !from.stored.isEmpty, !to.stored.isEmpty else { throw ImportRefusal("a call needs both a from and a to number") }
        let customer = call.direction == .inbound ? from : to
        // The recording file is checked before anything is written for this record.
        let recordedAt = call.recordingCreatedAt ?? call.startedAt
        var decision = policy.decide(audioCaptured: call.recordingPath != nil, createdAt: recordedAt)
        // Recording off: no audio is kept, and the summary says how many files were left out;
        // except a recording under a legal hold, which exists so that audio is not destroyed:
        // kept (with the expiry the retention period gives it, which a hold overrides) and said.
        var heldDespiteOff = false
        if !policy.recordingEnabled, call.recordingPath != nil, call.hold != nil {
            decision = .keep(expiresAt: RecordingExpiry.expiresAt(createdAt: recordedAt, period: policy.period))
            heldDespiteOff = true
        }
        // Without a file, the reason the source had none is kept (a purge, recording switched off).
        var recordingState = decision.recordingState
        if call.recordingPath == nil, let given = call.recordingState, given != .recorded { recordingState = given }
        var source: URL?
        if case .keep = decision, let path = call.recordingPath {
            let url = path.hasPrefix("/") ? URL(fileURLWithPath: path)
                : item.directory.appendingPathComponent(path)
            // An import file is untrusted: the recording it names must be an ordinary file in the
            // input's own folder (links resolved), never a device, a FIFO or a file elsewhere on the
            // machine that would then be copied into the workspace and its exports.
            let folder = item.directory.resolvingSymlinksInPath().standardizedFileURL.path
            let resolved = url.resolvingSymlinksInPath().standardizedFileURL
            guard resolved.path.hasPrefix(folder.hasSuffix("/") ? folder : folder + "/") else {
                throw ImportRefusal("the recording \(PlainText.echo(path)) is outside the input file's folder")
            }
            switch WorkspacePath.inspect(resolved.path) {
            case .regularFile: break
            case .missing, .danglingLink, .linkLoop: throw ImportRefusal("the recording \(PlainText.echo(path)) is not there")
            default: throw ImportRefusal("the recording \(PlainText.echo(path)) is not an ordinary file")
            }
            source = resolved
        }
        // The caller's name is the customer's only when the customer called (outbound, it is ours).
        let contactId = try resolve(call.contact, customer, name: call.direction == .inbound ? call.callerName : nil, &outcome)
        let transcript: (text: String, timing: String) = call.transcript?.storedColumns ?? (text: "", timing: "")
        let started = Int64(call.startedAt.timeIntervalSince1970)
        let insert = try statements.callInsert
        insert.bind(1, key); insert.bind(2, call.direction.rawValue); insert.bind(3, from.stored); insert.bind(4, to.stored)
        insert.bind(5, contactId); insert.bind(6, started); insert.bind(7, call.durationSeconds)
        insert.bind(8, call.handledBy.rawValue); insert.bind(9, try user(call.staff)); insert.bind(10, call.outcome.rawValue)
        insert.bind(11, call.summary ?? ""); insert.bind(12, transcript.text); insert.bind(13, transcript.timing)
        insert.bind(14, call.jobDetails); insert.bind(15, recordingState.rawValue)
        insert.bind(16, recordingState == .purged ? seconds(call.recordingPurgedAt) : nil)
        try insert.step()
        let callId = db.lastInsertedRowID
        try storeKey(.call, key, callId)
        outcome.counts.calls += 1
        if case .keep(let expiresAt) = decision, let source {
            try storeRecording(from: source, callId: callId, call: call, expiresAt: expiresAt, &outcome)
            if heldDespiteOff { outcome.counts.heldRecordingsKept += 1 }
        } else if !policy.recordingEnabled, call.recordingPath != nil {
            outcome.counts.recordingsNotKept += 1
        }
    }

    /// Stages the recording in the audio folder, hashing it as it goes, and stores its row (naming
    /// the final path the file gets once the batch commits). A dry run only checks that the file is there.
    private func storeRecording(from source: URL, callId: Int64, call: IncomingCall, expiresAt: Date,
                                _ outcome: inout ImportBatchOutcome) throws {
        var relative = RecordingImport.path(forCall: callId, recordedAt: call.startedAt)
        let sourceExtension = source.pathExtension.lowercased()
        if !sourceExtension.isEmpty, sourceExtension != "wav", sourceExtension.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) {
            relative = String(relative.dropLast(3)) + sourceExtension
        }
        var bytes: Int64 = 0
        var sha: String?
        if copyRecordings {
            let staged: StagedRecording
            (staged, bytes, sha) = try RecordingStaging.stage(source, as: relative, in: audioFolder)
            outcome.staged.append(staged)
            cache.uncommittedCopies.append(staged)
        } else {
            bytes = Int64((try? FileManager.default.attributesOfItem(atPath: source.path)[.size] as? NSNumber)??.int64Value ?? 0)
        }
        let hold = call.hold
        let heldBy = try user(hold?.heldBy)
        try db.cachedStatement(sql: """
            INSERT INTO recordings (call_id, file_path, bytes, duration_ms, sha256, created_at, expires_at, legal_hold,
                hold_reason, held_by, held_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [callId, relative, bytes, Int64(call.durationSeconds) * 1000, sha,
                                     Int64(RecordingExpiry.wholeSeconds(call.recordingCreatedAt ?? call.startedAt)),
                                     Int64(expiresAt.timeIntervalSince1970),
                                     hold != nil, hold?.reason, heldBy, seconds(hold?.heldAt)])
        if let hold {
            // The hold's history starts with its placing, as when it is placed here.
            try db.cachedStatement(sql: """
                INSERT INTO legal_hold_history (recording_id, placed_by, placed_at, reason) VALUES (?, ?, ?, ?)
                """).execute(arguments: [db.lastInsertedRowID, heldBy, seconds(hold.heldAt), hold.reason])
        }
        outcome.counts.recordings += 1
    }

    // MARK: Messages

    private func write(_ message: IncomingMessage, _ outcome: inout ImportBatchOutcome) throws {
        let key = ImportKeys.key(of: message)
        var found = try existingKey(.message, key, same: ("sent_at", seconds(message.sentAt)))
        if found == nil, let legacy = message.legacyKey, let earlier = try existingKey(.message, legacy) {
            // Imported by an earlier version under its old key: named by the new one from now on.
            try storeKey(.message, key, earlier)
            found = earlier
        }
        if let found {
            outcome.counts.duplicates += 1
            try adoptThread(of: found, for: message)
            return
        }
        let from = cache.address(message.from), to = cache.address(message.to)
        let customer = message.direction == .inbound ? from : to
        let contactId = try resolve(message.contact, customer, name: message.direction == .inbound ? message.senderName : nil,
                                    &outcome)
        let sent = Int64(message.sentAt.timeIntervalSince1970)
        let threadId = try thread(for: message, contactId: contactId, customer: customer, sentAt: sent)
        var attachments: String?
        if !message.attachments.isEmpty {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            let sizes = message.attachmentBytes
            attachments = String(decoding: try encoder.encode(message.attachments.enumerated().map { index, name in
                Attachment(name: name, bytes: index < sizes.count ? sizes[index] : 0)
            }), as: UTF8.self)
        }
        let status = message.deliveryStatus ?? (message.direction == .inbound ? .received : .delivered)
        let insert = try statements.messageInsert
        insert.bind(1, threadId); insert.bind(2, message.channel.rawValue); insert.bind(3, message.direction.rawValue)
        insert.bind(4, from.stored); insert.bind(5, to.stored); insert.bind(6, contactId); insert.bind(7, message.body)
        insert.bind(8, sent); insert.bind(9, status.rawValue); insert.bind(10, attachments); insert.bind(11, message.autoSent)
        try insert.step()
        let messageId = db.lastInsertedRowID
        let update = try statements.threadUpdate
        update.bind(1, sent); update.bind(2, Int64(message.unread ? 1 : 0)); update.bind(3, nonEmpty(message.subject))
        update.bind(4, threadId)
        try update.step()
        try storeKey(.message, key, messageId)
        outcome.counts.messages += 1
        // The arrival step's opt-out processing, as for a message arriving now, dated when it was sent.
        if message.direction == .inbound, OptOutKeyword.signal(in: message.body) != nil {
            let applied = try Arrival.applyOptOutKeywords(inMessage: Message.ID(messageId), db, now: message.sentAt)
            if let audit = applied.audit {
                outcome.counts.optOutChanges += 1
                try AuditLog.append(db, actor: actor, action: .contactOptOutChanged, target: audit.target,
                                    details: audit.details, at: now)
            }
        }
    }

    /// A message already here whose conversation's key is new (the same WhatsApp chat exported
    /// again to another file, a thread another export names differently): the key names the
    /// thread that message is in, so the conversation's new messages join it rather than start a
    /// second thread. Looked up once per conversation, then remembered.
    private func adoptThread(of messageId: Int64, for message: IncomingMessage) throws {
        guard messageId != 0, let threadKey = nonEmpty(message.threadKey), cache.threads["k:" + threadKey] == nil else { return }
        if let known = try existingKey(.thread, threadKey), known != 0 {
            cache.remember(thread: known, as: "k:" + threadKey)
            return
        }
        guard let threadId = try Int64.fetchOne(db.cachedStatement(sql: "SELECT thread_id FROM messages WHERE id = ?"),
                                                arguments: [messageId]) else { return }
        try storeKey(.thread, threadKey, threadId)
        cache.remember(thread: threadId, as: "k:" + threadKey)
    }

    /// The thread a message belongs to: the one its thread key names, else its contact's latest
    /// on the channel (a number's, for a message without a contact); created when there is none.
    private func thread(for message: IncomingMessage, contactId: Int64?, customer: Address, sentAt: Int64) throws -> Int64 {
        let threadKey: String?
        if let given = nonEmpty(message.threadKey) {
            threadKey = given
        } else if contactId == nil {
            threadKey = "\(message.channel.rawValue):\(customer.stored)"
        } else {
            threadKey = nil
        }
        let latestKey = contactId.map { "\($0):\(message.channel.rawValue)" }
        if let threadKey {
            if let known = cache.threads["k:" + threadKey] { return known }
            if let found = try existingKey(.thread, threadKey), found != 0 {
                cache.remember(thread: found, as: "k:" + threadKey)
                return found
            }
        } else if let contactId, let latestKey {
            if let known = cache.threads[latestKey] { return known }
            let latest = try statements.latestThread
            latest.bind(1, contactId); latest.bind(2, message.channel.rawValue)
            if let found = try latest.int64() {
                cache.remember(thread: found, as: latestKey)
                return found
            }
        }
        try db.cachedStatement(sql: """
            INSERT INTO threads (contact_id, channel, subject, last_activity_at, unread_count, message_count) VALUES (?, ?, ?, ?, 0, 0)
            """).execute(arguments: [contactId, message.channel.rawValue, nonEmpty(message.subject), sentAt])
        let id = db.lastInsertedRowID
        if let threadKey {
            try storeKey(.thread, threadKey, id)
            cache.remember(thread: id, as: "k:" + threadKey)
        }
        // The newest thread is the contact's latest on the channel from now on.
        if let latestKey { cache.remember(thread: id, as: latestKey) }
        return id
    }
}

/// What one import has already looked up: contacts by number or email, each contact's latest
/// thread per channel. Bounded (cleared past `limit` entries), so memory stays flat however many
/// customers a file holds. Used by one import on one thread at a time.
final class ImportCache: @unchecked Sendable {
    static let limit = 100_000
    private(set) var contacts: [String: Int64] = [:]
    private(set) var threads: [String: Int64] = [:]
    /// Recordings staged by a batch whose transaction has not returned: a batch that fails
    /// removes them, so no file is left that no row names.
    var uncommittedCopies: [StagedRecording] = []

    private var addresses: [String: ImportWriter.Address] = [:]

    /// An address as read (normalised once: the business's own number is on nearly every record,
    /// and a customer's on each of theirs), bounded as the other lookups are.
    func address(_ raw: String) -> ImportWriter.Address {
        if let known = addresses[raw] { return known }
        let made = ImportWriter.Address(raw)
        if addresses.count >= Self.limit { addresses.removeAll(keepingCapacity: true) }
        addresses[raw] = made
        return made
    }

    func remember(contact id: Int64, as key: String) {
        if contacts.count >= Self.limit { contacts.removeAll(keepingCapacity: true) }
        contacts[key] = id
    }

    func remember(thread id: Int64, as key: String) {
        if threads.count >= Self.limit { threads.removeAll(keepingCapacity: true) }
        threads[key] = id
    }

    /// After a rolled-back transaction: ids it created no longer exist.
    func forget() {
        contacts.removeAll()
        threads.removeAll()
    }

    private var prepared: ImportStatements?
    private var prefix: String?

    /// The prefix of the ids this workspace's exports give records it did not import.
    func ownPrefix(_ db: Database) throws -> String {
        if let prefix { return prefix }
        let made = try JSONLExport.ownPrefix(db)
        prefix = made
        return made
    }

    /// The import's prepared statements on `db` (prepared again should another connection come).
    func statements(_ db: Database) throws -> ImportStatements {
        if let prepared, prepared.connection == db.sqliteConnection { return prepared }
        let made = try ImportStatements(db)
        prepared = made
        return made
    }
}

/// The statements an import runs for every record, prepared once (see `ImportWriter.statements`).
final class ImportStatements {
    let connection: OpaquePointer?
    let keyLookup: BulkStatement
    let keyStore: BulkStatement
    let contactByPhone: BulkStatement
    let callByExternalId: BulkStatement
    let callInsert: BulkStatement
    let messageInsert: BulkStatement
    let threadUpdate: BulkStatement
    let latestThread: BulkStatement

    init(_ db: Database) throws {
        connection = db.sqliteConnection
        keyLookup = try BulkStatement(db, sql: "SELECT record_id FROM import_keys WHERE kind = ? AND key = ?")
        keyStore = try BulkStatement(db, sql: """
            INSERT INTO import_keys (kind, key, record_id, imported_at) VALUES (?, ?, ?, ?)
            ON CONFLICT (kind, key) DO UPDATE SET record_id = excluded.record_id
            """)
        contactByPhone = try BulkStatement(db, sql: "SELECT id FROM contacts WHERE phone = ? ORDER BY id LIMIT 1")
        callByExternalId = try BulkStatement(db, sql: "SELECT 1 FROM calls WHERE external_id = ?")
        callInsert = try BulkStatement(db, sql: """
            INSERT INTO calls (external_id, direction, from_number, to_number, contact_id, started_at, duration_seconds,
                handled_by, staff_user_id, outcome, summary, transcript, transcript_timing, job_details, recording_state,
                recording_purged_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        messageInsert = try BulkStatement(db, sql: """
            INSERT INTO messages (thread_id, channel, direction, from_address, to_address, contact_id, body, sent_at,
                delivery_status, attachments, auto_sent) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        threadUpdate = try BulkStatement(db, sql: """
            UPDATE threads SET last_activity_at = MAX(last_activity_at, ?), message_count = message_count + 1,
                unread_count = unread_count + ?, subject = COALESCE(subject, ?) WHERE id = ?
            """)
        latestThread = try BulkStatement(db, sql: """
            SELECT id FROM threads WHERE contact_id = ? AND channel = ? ORDER BY last_activity_at DESC, id DESC LIMIT 1
            """)
    }
}

/// One parsed record waiting in a batch, with where it came from.
struct ImportItem: Sendable {
    let record: IncomingRecord
    let position: SourcePosition
    /// The input file's folder: recordings named by a relative path are found from here.
    let directory: URL

    /// The record as the reject report shows it when the workspace refused it after parsing.
    func describe() -> String {
        switch record {
        case .contact(let contact): "contact \(contact.externalId ?? contact.name ?? "")"
        case .call(let call): "call \(call.externalId ?? "") from \(call.from) to \(call.to)"
        case .message(let message): "message \(message.externalId ?? "") from \(message.from) to \(message.to)"
        case .review(let review): "review \(review.externalId ?? "") by \(review.author)"
        case .request(let request): "request \(request.externalId ?? "") (\(request.type.rawValue))"
        }
    }
}

/// A record the workspace will not store, with why; it becomes a rejected line.
struct ImportRefusal: SysexitsError, CustomStringConvertible {
    let reason: String
    init(_ reason: String) { self.reason = reason }
    /// A record the workspace cannot store is bad input data.
    var exitClass: ExitClass { .dataError }
    var description: String { reason }
}

private func nonEmpty(_ text: String?) -> String? {
    guard let text else { return nil }
    let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
    return trimmed.isEmpty ? nil : text
}
