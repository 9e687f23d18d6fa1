import Foundation
import GRDB

/// The audit log, newest first, read a page at a time by sequence number. Agents may not read it
/// (DESIGN §4), so a session refuses them this list like a refused command.
public struct AuditLogPage: KeysetList, Equatable {
    public static var permission: Permission { .readAuditLog }

    /// Only events with this action, when set.
    public var action: AuditAction?
    /// Only events by this actor: a user's email (ignoring case) or `system`.
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

    public func cursor(of row: AuditEvent) -> Int64 { row.seq ?? 0 }

    var query: KeysetQuery {
        var conditions = SQLConditions()
        if let action { conditions.add("action = ?", [action.rawValue]) }
        if let actor { conditions.add("actor = ? COLLATE NOCASE", [actor]) }
        if let since { conditions.add("at >= ?", [Int64(since.timeIntervalSince1970.rounded(.up))]) }
        if let until { conditions.add("at < ?", [Int64(until.timeIntervalSince1970.rounded(.up))]) }
        return KeysetQuery(selectFrom: "SELECT * FROM audit_events", conditions: conditions, keys: ["seq"], order: .descending)
    }

    public func rows(_ request: KeysetRequest<Int64>, in store: StoreReader) throws -> [AuditEvent] {
        try query.fetch(store.db, cursor: request.keyset.cursor.map { [$0] }, comparison: request.keyset.comparison,
                        limit: request.limit) { try AuditEvent(row: $0) }
    }

    public func count(in store: StoreReader) throws -> Int { try query.count(store.db, from: "audit_events") }
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
