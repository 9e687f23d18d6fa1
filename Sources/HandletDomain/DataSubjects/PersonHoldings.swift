import Foundation
import GRDB

/// Everything the workspace holds about one person: the contacts the user picked as theirs, merged.
/// What an access request answers (Art. 15), what an export writes (Art. 20) and what an erasure
/// removes (Art. 17) are this one set, so the three never disagree.
public struct PersonHoldings: Sendable, Equatable, Codable {
    public struct HeldCall: Sendable, Equatable, Codable {
        public let call: Call
        public let recording: Recording?
    }

    public let contacts: [Contact]
    /// Marketing consents given and withdrawn, per channel.
    public let consents: [MarketingConsent]
    public let calls: [HeldCall]
    public let threads: [MessageThread]
    public let messages: [Message]
    /// Drafted replies about them: to their messages or calls, or naming their contact.
    public let drafts: [Draft]
    /// Reviews they wrote: picked as theirs (`ReviewAttribution`), or posted under one of their
    /// contacts' whole names and not picked as someone else's.
    public let reviews: [Review]
    public let requests: [DataSubjectRequestEntry]
    /// The audit events naming one of these records (by sequence number; the log holds no content).
    public let auditEventSeqs: [Int64]

    public var contactIDs: [Contact.ID] { contacts.compactMap(\.id) }
    /// Every name, number and email the person has in the workspace.
    public var names: [String] { Self.unique(contacts.map(\.name)) }
    public var phones: [String] { Self.unique(contacts.compactMap(\.phone)) }
    public var emails: [String] { Self.unique(contacts.compactMap(\.email)) }
    public var recordings: [Recording] { calls.compactMap(\.recording) }
    /// Recordings whose audio is still stored.
    public var storedRecordings: [Recording] { recordings.filter { $0.filePath != nil && $0.purgedAt == nil } }

    public var isRestricted: Bool { contacts.contains { $0.restrictedAt != nil } }
    public var hasObjected: Bool { contacts.contains { $0.objectedAt != nil } }

    /// "3 calls (2 recordings), 14 messages in 2 threads, 1 draft, 0 reviews, 1 request".
    public var summary: String {
        [DisplayText.count(calls.count, "call") + " (" + DisplayText.count(storedRecordings.count, "stored recording") + ")",
         DisplayText.count(messages.count, "message") + " in " + DisplayText.count(threads.count, "thread"),
         DisplayText.count(drafts.count, "draft"), DisplayText.count(reviews.count, "review"),
         DisplayText.count(requests.count, "request"), DisplayText.count(auditEventSeqs.count, "audit event")]
            .joined(separator: ", ")
    }

    private static func unique(_ values: [String]) -> [String] {
        var seen = Set<String>()
        return values.filter { seen.insert($0).inserted }
    }

    static func read(_ ids: [Contact.ID], in db: Database, now: Date) throws -> PersonHoldings {
        let unique = Array(Set(ids)).sorted()
        guard !unique.isEmpty else { throw DataSubjectError.nothingToFind }
        let contacts = try unique.map { id -> Contact in
            guard let contact = try Contact.fetchOne(db, key: id) else { throw DataSubjectError.noSuchContact(id.rawValue) }
            return contact
        }
        let list = jsonIDs(unique.map(\.rawValue))
        let consents = try MarketingConsent.filter(sql: "contact_id IN (SELECT value FROM json_each(?))", arguments: [list])
            .order(sql: "contact_id, given_at, id").fetchAll(db)
        // Their calls: those linked to their contact, and those from or to one of their numbers
        // that no contact holds (an import or a call before the contact existed).
        let phoneList = jsonStrings(Self.unique(contacts.compactMap(\.phone)))
        let addressList = jsonStrings(Self.unique(contacts.compactMap(\.phone) + contacts.compactMap(\.email)))
        // `+contact_id`: without it SQLite walked every unlinked call through calls_by_contact
        // (contact_id IS NULL) instead of looking the numbers up, 1.9 s of `dsr show` at 1M calls.
        let calls = try Call.filter(sql: """
            id IN (SELECT id FROM calls WHERE contact_id IN (SELECT value FROM json_each(?1))
                   UNION SELECT id FROM calls WHERE +contact_id IS NULL AND from_number IN (SELECT value FROM json_each(?2))
                   UNION SELECT id FROM calls WHERE +contact_id IS NULL AND to_number IN (SELECT value FROM json_each(?2)))
            """, arguments: [list, phoneList])
            .order(sql: "started_at, id").fetchAll(db)
        let callIDs = jsonIDs(calls.compactMap { $0.id?.rawValue })
        let recordings = try Recording.filter(sql: "call_id IN (SELECT value FROM json_each(?))", arguments: [callIDs]).fetchAll(db)
        let byCall = Dictionary(recordings.map { ($0.callId, $0) }, uniquingKeysWith: { first, _ in first })
        // Their messages: those naming their contact, every message in their threads, and those
        // from or to one of their numbers or addresses that no contact holds (through the partial
        // indexes of unlinked messages: the planner otherwise walked every unlinked message).
        let messages = try Message.filter(sql: """
            id IN (SELECT id FROM messages WHERE contact_id IN (SELECT value FROM json_each(?1))
                   UNION SELECT m.id FROM threads t JOIN messages m ON m.thread_id = t.id
                   WHERE t.contact_id IN (SELECT value FROM json_each(?1))
                   UNION SELECT id FROM messages INDEXED BY messages_unlinked_from WHERE contact_id IS NULL
                       AND from_address COLLATE NOCASE IN (SELECT value FROM json_each(?2))
                   UNION SELECT id FROM messages INDEXED BY messages_unlinked_to WHERE contact_id IS NULL
                       AND to_address COLLATE NOCASE IN (SELECT value FROM json_each(?2)))
            """, arguments: [list, addressList]).order(sql: "sent_at, id").fetchAll(db)
        // Their threads, and a thread no contact holds whose every message is theirs.
        let threads = try MessageThread.filter(sql: """
            contact_id IN (SELECT value FROM json_each(?1))
            OR (contact_id IS NULL AND id IN (SELECT value FROM json_each(?2))
                AND NOT EXISTS (SELECT 1 FROM messages m WHERE m.thread_id = threads.id
                                AND m.id NOT IN (SELECT value FROM json_each(?3))))
            """, arguments: [list, jsonIDs(Array(Set(messages.map(\.threadId.rawValue)))),
                             jsonIDs(messages.compactMap { $0.id?.rawValue })])
            .order(sql: "last_activity_at, id").fetchAll(db)
        let messageIDs = jsonIDs(messages.compactMap { $0.id?.rawValue })
        let reviews = try Review.filter(sql: ReviewAttribution.heldSQL(), arguments: [list, jsonStrings(contacts.map(\.name))])
            .order(sql: "posted_at, id").fetchAll(db)
        let reviewIDs = jsonIDs(reviews.compactMap(\.id))
        let drafts = try Draft.filter(sql: """
            id IN (SELECT id FROM drafts WHERE contact_id IN (SELECT value FROM json_each(?1))
                   UNION SELECT id FROM drafts WHERE target_kind = 'message' AND target_id IN (SELECT value FROM json_each(?2))
                   UNION SELECT id FROM drafts WHERE target_kind = 'call' AND target_id IN (SELECT value FROM json_each(?3))
                   UNION SELECT id FROM drafts WHERE target_kind = 'review' AND target_id IN (SELECT value FROM json_each(?4)))
            """, arguments: [list, messageIDs, callIDs, reviewIDs]).order(sql: "created_at, id").fetchAll(db)
        let requests = try DataSubjectRegister.list(db, filter: .all, contacts: unique, now: now)
        var targets = unique.map { "contact:\($0.rawValue)" }
        targets += calls.compactMap { $0.id.map { "call:\($0.rawValue)" } }
        targets += drafts.compactMap { $0.id.map { "draft:\($0)" } }
        targets += messages.compactMap { $0.id.map { "message:\($0.rawValue)" } }
        targets += requests.map { "dsr:\($0.id)" }
        let outbox = try Int64.fetchAll(db, sql: "SELECT id FROM autosend_outbox WHERE draft_id IN (SELECT value FROM json_each(?))",
                                        arguments: [jsonIDs(drafts.compactMap(\.id))])
        targets += outbox.map { "outbox:\($0)" }
        let seqs = try Int64.fetchAll(db, sql: """
            SELECT seq FROM audit_events WHERE target IN (SELECT value FROM json_each(?)) ORDER BY seq
            """, arguments: [jsonStrings(targets)])
        return PersonHoldings(contacts: contacts, consents: consents,
                              calls: calls.map { HeldCall(call: $0, recording: $0.id.flatMap { byCall[$0] }) },
                              threads: threads, messages: messages, drafts: drafts, reviews: reviews, requests: requests,
                              auditEventSeqs: seqs)
    }

    static func jsonIDs(_ ids: [Int64]) -> String { "[" + ids.map(String.init).joined(separator: ",") + "]" }

    static func jsonStrings(_ values: [String]) -> String {
        (try? String(decoding: JSONEncoder().encode(values), as: UTF8.self)) ?? "[]"
    }
}

extension WorkspaceQuery where Value == PersonHoldings {
    /// Everything held about the person whose contacts are `ids` (one or several, merged).
    public static func heldAbout(_ ids: [Contact.ID], now: Date? = nil) -> Self {
        .reading(.dataSubjectExportRectifyRestrict, at: now) { db, now in try PersonHoldings.read(ids, in: db, now: now) }
    }
}
