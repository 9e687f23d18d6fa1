import Foundation
import GRDB

/// The action queue of DESIGN §6: what Auto-Send left for a person or could not send. Drafts
/// waiting for a decision, drafts blocked with the gate that blocked them, and sends held in the
/// outbox until a time (quiet hours) or given up after failed tries. Newest first, read a page at
/// a time (keyset), so a long queue opens as fast as a short one.
public struct ActionQueueEntry: Hashable, Sendable, Codable, Identifiable {
    /// Why the draft is in the queue.
    public enum Kind: String, CaseIterable, Hashable, Sendable, Codable {
        /// Waiting for a person: approve, edit then approve, discard, or rate.
        case waiting
        /// A gate refused it (a suppressed contact, no consent, a failing disclosure): discard only.
        case blocked
        /// Decided or approved, queued in the outbox until `dueAt`.
        case held
        /// The gateway refused it too many times: shown with its last error.
        case failed
    }

    public let id: Int64
    public let kind: Kind
    public let state: DraftState
    public let intent: DraftIntent
    public let channel: String?
    public let confidence: Double
    /// The drafted reply, as stored: shown sanitised, sent as it is.
    public let body: String
    public let createdAt: Date
    public let correlationId: String
    public let validation: DraftValidation?
    public let contactId: Int64?
    public let contactName: String?
    /// What the draft answers: a message, a call or a review, by kind and id.
    public let answersKind: String
    public let answersId: Int64
    /// That message's text, the call's summary, or the review's text (untrusted, as stored).
    public let answersText: String?
    /// The gate of the latest evaluation that held or blocked it.
    public let gate: AutoSendGate?
    /// When a held send becomes due (or, failed, when it was last tried).
    public let dueAt: Date?
    /// The gateway's last error for a failed or retried send.
    public let lastError: String?

    /// The keyset position of this entry.
    public var cursor: ActionQueue.Cursor { ActionQueue.Cursor(createdAt: createdAt, id: id) }
}

public enum ActionQueue {
    public static let pageSize = 100

    /// Where a page ends: the next page starts strictly after it (older, then lower id).
    public struct Cursor: Hashable, Sendable, Codable {
        public let createdAt: Date
        public let id: Int64
        public init(createdAt: Date, id: Int64) {
            self.createdAt = createdAt
            self.id = id
        }
    }

    public struct Page: Hashable, Sendable {
        public let entries: [ActionQueueEntry]
        /// Where the next page starts; nil when this is the last.
        public let next: Cursor?
    }

    /// How many entries of each kind the queue holds (for the tab's header and `queue list`).
    public struct Counts: Hashable, Sendable, Codable {
        public let waiting: Int
        public let blocked: Int
        public let held: Int
        public let failed: Int
        public var total: Int { waiting + blocked + held + failed }
    }

    // Drafts in the queue are those waiting or blocked, and those with a send not yet sent.
    static let members = """
        SELECT id FROM drafts WHERE state IN ('waiting', 'blocked')
        UNION SELECT draft_id FROM autosend_outbox WHERE state IN ('due', 'sending', 'failed')
        """

    static let columns = """
        SELECT d.id, d.state, d.intent, d.channel, d.confidence, d.body, d.created_at, d.correlation_id, d.validation,
               d.contact_id, c.name AS contact_name, d.target_kind, d.target_id,
               CASE d.target_kind
                   WHEN 'message' THEN (SELECT body FROM messages WHERE id = d.target_id)
                   WHEN 'call' THEN (SELECT summary FROM calls WHERE id = d.target_id)
                   ELSE (SELECT text FROM reviews WHERE id = d.target_id) END AS answers_text,
               (SELECT deciding_gate FROM autosend_evaluations e WHERE e.draft_id = d.id AND e.outcome <> 'send'
                ORDER BY e.id DESC LIMIT 1) AS gate,
               o.state AS outbox_state, COALESCE(o.next_attempt_at, o.due_at) AS due_at, o.last_error
        FROM drafts d
        LEFT JOIN contacts c ON c.id = d.contact_id
        LEFT JOIN autosend_outbox o ON o.draft_id = d.id
        """

    static func entry(_ row: Row) -> ActionQueueEntry {
        let state = DraftState(rawValue: row["state"]) ?? .waiting
        let outbox: String? = row["outbox_state"]
        let kind: ActionQueueEntry.Kind = switch (state, outbox) {
        case (.waiting, _): .waiting
        case (.blocked, _): .blocked
        case (_, "failed"): .failed
        default: .held
        }
        return ActionQueueEntry(
            id: row["id"], kind: kind, state: state, intent: DraftIntent(rawValue: row["intent"]) ?? .unknown,
            channel: row["channel"], confidence: row["confidence"], body: row["body"],
            createdAt: Date(timeIntervalSince1970: TimeInterval(row["created_at"] as Int64)),
            correlationId: row["correlation_id"], validation: (row["validation"] as String?).flatMap(DraftValidation.init(rawValue:)),
            contactId: row["contact_id"], contactName: row["contact_name"],
            answersKind: row["target_kind"], answersId: row["target_id"], answersText: row["answers_text"],
            gate: (row["gate"] as String?).flatMap(AutoSendGate.init(rawValue:)),
            dueAt: (row["due_at"] as Int64?).map { Date(timeIntervalSince1970: TimeInterval($0)) },
            lastError: row["last_error"])
    }

    static func page(_ db: Database, kinds: Set<ActionQueueEntry.Kind>, after cursor: Cursor?, limit: Int) throws -> Page {
        var sql = columns + " WHERE d.id IN (\(members))"
        var arguments: StatementArguments = []
        if let cursor {
            let at = Int64(cursor.createdAt.timeIntervalSince1970)
            sql += " AND (d.created_at < ? OR (d.created_at = ? AND d.id < ?))"
            arguments += [at, at, cursor.id]
        }
        sql += " ORDER BY d.created_at DESC, d.id DESC"
        // Filtering by kind happens on the rows read (the kind depends on the outbox join), so a
        // page reads on until it is full or the queue ends.
        let wanted = kinds.isEmpty ? Set(ActionQueueEntry.Kind.allCases) : kinds
        var entries: [ActionQueueEntry] = []
        var more = false
        let rows = try Row.fetchCursor(db, sql: sql, arguments: arguments)
        while let row = try rows.next() {
            let entry = entry(row)
            guard wanted.contains(entry.kind) else { continue }
            if entries.count == limit { more = true; break }
            entries.append(entry)
        }
        return Page(entries: entries, next: more ? entries.last?.cursor : nil)
    }

    static func counts(_ db: Database) throws -> Counts {
        let drafts = try Row.fetchOne(db, sql: """
            SELECT SUM(state = 'waiting'), SUM(state = 'blocked') FROM drafts WHERE state IN ('waiting', 'blocked')
            """)
        let outbox = try Row.fetchOne(db, sql: """
            SELECT SUM(o.state IN ('due', 'sending')), SUM(o.state = 'failed') FROM autosend_outbox o
            JOIN drafts d ON d.id = o.draft_id WHERE o.state IN ('due', 'sending', 'failed') AND d.state NOT IN ('waiting', 'blocked')
            """)
        return Counts(waiting: drafts?[0] ?? 0, blocked: drafts?[1] ?? 0, held: outbox?[0] ?? 0, failed: outbox?[1] ?? 0)
    }
}

public enum ActionQueueError: SysexitsError, Equatable, CustomStringConvertible {
    case unknownKind(String)

    public var exitClass: ExitClass { .usage }

    public var description: String {
        switch self {
        case .unknownKind(let text):
            "\"\(text)\" is not a queue state: give one of " + ActionQueueEntry.Kind.allCases.map(\.rawValue).joined(separator: ", ") + "."
        }
    }
}

extension ActionQueueEntry.Kind {
    public init(parsing text: String) throws {
        guard let kind = Self(rawValue: text.trimmingCharacters(in: .whitespaces).lowercased()) else {
            throw ActionQueueError.unknownKind(text)
        }
        self = kind
    }
}

extension WorkspaceQuery where Value == ActionQueue.Page {
    /// One page of the queue, newest first, after `cursor`; only `kinds` when given. Every role
    /// may look (a viewer sees what waits, and may not act on it).
    public static func actionQueue(kinds: Set<ActionQueueEntry.Kind> = [], after cursor: ActionQueue.Cursor? = nil,
                                   limit: Int = ActionQueue.pageSize) -> Self {
        .reading(.browse) { try ActionQueue.page($0, kinds: kinds, after: cursor, limit: max(1, limit)) }
    }
}

extension WorkspaceQuery where Value == ActionQueue.Counts {
    public static var actionQueueCounts: Self { .reading(.browse) { try ActionQueue.counts($0) } }
}

/// One draft with everything a person needs to decide on it, whether or not it is still queued.
public struct DraftDetail: Hashable, Sendable {
    public let entry: ActionQueueEntry
    /// Whether the draft is still in the queue (a decided draft reads as its final state).
    public let queued: Bool
    /// The text exactly as it would go out on its channel (the drafted reply, then the channel's
    /// disclosure and opt-out wording), or nil for a review reply or a draft without a channel.
    public let outgoing: String?
}

public enum DraftDetailError: SysexitsError, Equatable, CustomStringConvertible {
    case noSuchDraft(Int64)
    public var exitClass: ExitClass { .dataError }
    public var description: String {
        switch self { case .noSuchDraft(let id): "No draft with id \(id)." }
    }
}

extension WorkspaceQuery where Value == DraftDetail {
    /// Draft `id`, as the queue shows it, with the text it would send.
    public static func draftDetail(_ id: Int64) -> Self {
        .reading(.browse) { db in
            guard let row = try Row.fetchOne(db, sql: ActionQueue.columns + " WHERE d.id = ?", arguments: [id]) else {
                throw DraftDetailError.noSuchDraft(id)
            }
            let entry = ActionQueue.entry(row)
            let queued = try Bool.fetchOne(db, sql: "SELECT ? IN (\(ActionQueue.members))", arguments: [id]) ?? false
            let overview = try AutoSendOverview.load(db)
            let outgoing = entry.channel.flatMap(Channel.init(rawValue:)).map {
                overview.settings.channel($0).wording.compose(body: entry.body, businessName: overview.businessName)
            }
            return DraftDetail(entry: entry, queued: queued, outgoing: outgoing)
        }
    }
}

/// A real stored draft per channel (the newest), for showing wording as it would go out.
extension WorkspaceQuery where Value == [Channel: String] {
    public static var latestDraftBodies: Self {
        .reading(.browse) { db in
            var bodies: [Channel: String] = [:]
            for channel in Channel.allCases {
                if let body = try String.fetchOne(db, sql: """
                    SELECT body FROM drafts WHERE channel = ? ORDER BY created_at DESC, id DESC LIMIT 1
                    """, arguments: [channel.rawValue]) {
                    bodies[channel] = body
                }
            }
            return bodies
        }
    }
}

extension AutoSendChange {
    /// The change that takes `before` to `after` (acknowledgements aside: each is its own
    /// command): what a form edited in place saves, and what its live preview applies.
    public init(from before: AutoSendSettings, to after: AutoSendSettings) {
        self.init()
        if before.masterEnabled != after.masterEnabled { master = after.masterEnabled }
        enableIntents = after.enabledIntents.subtracting(before.enabledIntents)
        disableIntents = before.enabledIntents.subtracting(after.enabledIntents)
        if before.threshold != after.threshold { threshold = after.threshold }
        for (old, new) in zip(before.channels, after.channels) {
            if old.enabled != new.enabled {
                if new.enabled { enableChannels.insert(new.channel) } else { disableChannels.insert(new.channel) }
            }
            if old.wording.disclosure != new.wording.disclosure { disclosure[new.channel] = new.wording.disclosure }
            if old.wording.optOut != new.wording.optOut { optOut[new.channel] = new.wording.optOut }
        }
        if before.quietHours != after.quietHours { quietHours = after.quietHours.map { .set($0) } ?? .clear }
        if before.timeZone != after.timeZone { timeZone = after.timeZone }
        if before.perContactCap != after.perContactCap { perContactCap = after.perContactCap }
        if before.gateway != after.gateway { gateway = after.gateway.map { .set($0) } ?? .clear }
    }
}
