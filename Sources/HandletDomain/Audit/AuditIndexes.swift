import GRDB

/// Migration v8: the audit log's filters read a page by index, never the whole log.
///
/// Each filter of `audit list` and the Audit tab walks one index in list order and stops after a
/// page, at a million events as at ten (`AuditLogPage` says which order):
/// - no filter: the table itself, by `seq`; `--action`: v1's `audit_by_action (action, seq)`;
/// - `--actor`: `audit_by_actor (actor COLLATE NOCASE, seq)`, matching the filter's
///   case-insensitive comparison;
/// - a date range (`--since`, `--until`), listed by time: `audit_by_time (at, seq)`, with the actor
///   `audit_by_actor_time (actor COLLATE NOCASE, at, seq)`, with the action
///   `audit_by_action_time (action, at, seq)`.
enum AuditIndexes {
    static func create(_ db: Database) throws {
        try db.execute(sql: """
            CREATE INDEX audit_by_actor ON audit_events(actor COLLATE NOCASE, seq);
            CREATE INDEX audit_by_time ON audit_events(at, seq);
            CREATE INDEX audit_by_actor_time ON audit_events(actor COLLATE NOCASE, at, seq);
            CREATE INDEX audit_by_action_time ON audit_events(action, at, seq);
            """)
    }
}
