import GRDB

/// The audit log, newest first, read a page at a time by sequence number. Agents may not read it
/// (DESIGN §4), so a session refuses them this list like a refused command.
public struct AuditLogPage: KeysetList {
    public static var permission: Permission { .readAuditLog }

    /// Only events with this action, when set.
    public var action: AuditAction?

    public init(action: AuditAction? = nil) { self.action = action }

    public func cursor(of row: AuditEvent) -> Int64 { row.seq ?? 0 }

    var query: KeysetQuery {
        var conditions = SQLConditions()
        if let action { conditions.add("action = ?", [action.rawValue]) }
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
