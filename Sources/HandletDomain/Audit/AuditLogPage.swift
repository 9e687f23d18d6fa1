import Foundation
import GRDB

/// The audit log, newest first, read a page at a time by keyset, every filter along an index in
/// list order (`AuditIndexes`), so a page costs the same at a million events as at ten. Newest
/// first is by sequence (the chain's order); with a date range, by time and then sequence, so the
/// range bounds the index walk (the two orders differ only where the clock stepped back). The
/// cursor is the sequence number either way (what `audit list --after SEQ` takes); a dated list
/// looks its time up by key. Agents may not read it (DESIGN §4), so a session refuses them this
/// list like a refused command.
public struct AuditLogPage: KeysetList, Equatable {
    public static var permission: Permission { .readAuditLog }

    /// Only events with this action, when set.
    public var action: AuditAction?
    /// Only events by this actor: `system`, or any user whose email or name holds this text
    /// (ignoring case): "jo" finds jo@example.com and Mary Jones.
    public var actor: String?
    /// Only events at or after this instant.
    public var since: Date?
    /// Only events before this instant (the end of the last day wanted).
    public var until: Date?

    public init(action: AuditAction? = nil, actor: String? = nil, since: Date? = nil, until: Date? = nil) {
        self.action = action
        self.actor = actor
        self.since = since
        self.until = until
    }

    /// Whether any filter is set (for an empty state that names them).
    public var isFiltered: Bool { action != nil || actor != nil || since != nil || until != nil }

    /// Listed by time (then sequence) rather than by sequence: a date range is set.
    public var isDated: Bool { since != nil || until != nil }

    public func cursor(of row: AuditEvent) -> Int64 { row.seq ?? 0 }

    /// The query with the actor as typed (the exact actor): what the plan tests read.
    var query: KeysetQuery { query(actors: actor.map { [$0] }) }

    /// The actors `actor` names: itself, `system` when the text is part of it, and every user
    /// whose email or name holds the text. An audit event's actor is always one of these names.
    static func actors(matching text: String, _ db: Database) throws -> [String] {
        let escaped = text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%")
            .replacingOccurrences(of: "_", with: "\\_")
        let pattern = "%" + escaped + "%"
        let users = try String.fetchAll(db, sql: """
            SELECT email FROM users WHERE email LIKE ? ESCAPE '\\' OR name LIKE ? ESCAPE '\\' ORDER BY email
            """, arguments: [pattern, pattern])
        var actors = [text]
        let system = Actor.system.auditName
        if system.range(of: text, options: .caseInsensitive) != nil, system.caseInsensitiveCompare(text) != .orderedSame {
            actors.append(system)
        }
        for email in users where !actors.contains(where: { $0.caseInsensitiveCompare(email) == .orderedSame }) { actors.append(email) }
        return actors
    }

    /// The query for events by any of `actors` (nil: anyone).
    func query(actors: [String]?) -> KeysetQuery {
        var conditions = SQLConditions()
        if let action { conditions.add("action = ?", [action.rawValue]) }
        if let actors {
            if actors.count == 1 {
                conditions.add("actor = ? COLLATE NOCASE", [actors[0]])
            } else {
                conditions.add("actor COLLATE NOCASE IN (\(Array(repeating: "?", count: actors.count).joined(separator: ", ")))", actors)
            }
        }
        if let since { conditions.add("at >= ?", [Int64(since.timeIntervalSince1970.rounded(.up))]) }
        if let until { conditions.add("at < ?", [Int64(until.timeIntervalSince1970.rounded(.up))]) }
        return KeysetQuery(selectFrom: "SELECT * FROM audit_events", conditions: conditions,
                           keys: isDated ? ["at", "seq"] : ["seq"], order: .descending)
    }

    public func rows(_ request: KeysetRequest<Int64>, in store: StoreReader) throws -> [AuditEvent] {
        let cursor = try request.keyset.cursor.map { seq -> [any DatabaseValueConvertible] in
            isDated ? [try Self.time(ofSeq: seq, store.db), seq] : [seq]
        }
        return try query(actors: try actor.map { try Self.actors(matching: $0, store.db) })
            .fetch(store.db, cursor: cursor, comparison: request.keyset.comparison, limit: request.limit) {
            try AuditEvent(row: $0)
        }
    }

    /// The time of the event at `seq`, by key. A sequence number no event has sits where it would
    /// have been written: past the head (`--after` a number not reached yet), above every event;
    /// in a gap, at the time of the event before it; before the first, below every event.
    static func time(ofSeq seq: Int64, _ db: Database) throws -> Int64 {
        if let at = try Int64.fetchOne(db, sql: "SELECT at FROM audit_events WHERE seq = ?", arguments: [seq]) { return at }
        guard let head = try Int64.fetchOne(db, sql: "SELECT MAX(seq) FROM audit_events"), seq < head else { return Int64.max }
        return try Int64.fetchOne(db, sql: "SELECT at FROM audit_events WHERE seq < ? ORDER BY seq DESC LIMIT 1", arguments: [seq])
            ?? Int64.min
    }

    /// The SQL the first page runs, for EXPLAIN QUERY PLAN in tests.
    func firstPageSQL(limit: Int) -> (sql: String, arguments: StatementArguments) { query.firstPageSQL(limit: limit) }

    public func count(in store: StoreReader) throws -> Int {
        try query(actors: try actor.map { try Self.actors(matching: $0, store.db) }).count(store.db, from: "audit_events")
    }
}

extension WorkspaceQuery where Value == Int64? {
    /// Recomputes the audit log's hash chain: the first broken sequence number, or nil when intact.
    public static var auditChainBreak: Self { .reading(.readAuditLog) { try AuditLog.verify($0) } }
}

extension WorkspaceQuery where Value == AuditVerification {
    /// Recomputes the whole chain in one snapshot and, given a checkpoint kept elsewhere, proves
    /// that the event at its sequence still has its hash. Needs `.readAuditLog`. About a second
    /// per million events: run it off the UI thread (`session.read(_:) async`).
    public static func auditVerification(checkpoint: AuditCheckpoint? = nil) -> Self {
        .reading(.readAuditLog) { try AuditChain.verify($0, checkpoint: checkpoint) }
    }
}

extension WorkspaceQuery where Value == AuditCheckpoint? {
    /// The newest event as `SEQ:HASH`, to keep outside the workspace; nil for an empty log.
    public static var auditCheckpoint: Self { .reading(.readAuditLog) { try AuditChain.head($0) } }
}
