import GRDB

/// A cheap fingerprint of what other processes may have added (an import, a purge from cron,
/// a settings change from the CLI): the newest call, message and audit event. Three index lookups,
/// so the console can poll it every few seconds and refresh only when it moved.
public struct ChangeToken: Equatable, Sendable {
    public let newestCall: Int64
    public let newestMessage: Int64
    public let newestAuditEvent: Int64

    static func read(_ db: Database) throws -> ChangeToken {
        let row = try Row.fetchOne(db, sql: """
            SELECT (SELECT COALESCE(MAX(id), 0) FROM calls),
                   (SELECT COALESCE(MAX(id), 0) FROM messages),
                   (SELECT COALESCE(MAX(seq), 0) FROM audit_events)
            """)
        return ChangeToken(newestCall: row?[0] ?? 0, newestMessage: row?[1] ?? 0, newestAuditEvent: row?[2] ?? 0)
    }
}
