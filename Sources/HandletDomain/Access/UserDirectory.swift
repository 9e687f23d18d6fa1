import Foundation
import GRDB

/// The workspace's users, for `handlet users list` and for finding whom to ask when refused.
public enum UserDirectory {
    /// Every user, most powerful role first, then by name.
    static func list(_ db: Database) throws -> [User] {
        // Through the request, so names are read whole (`User.databaseSelection`, `TextWithNUL`).
        try User.order(sql: """
            CASE role WHEN 'owner' THEN 0 WHEN 'admin' THEN 1 WHEN 'agent' THEN 2 ELSE 3 END,
                name COLLATE NOCASE, id
            """).fetchAll(db)
    }

    /// A user with when they last signed in (opened the console), as the users list shows them.
    public struct Listed: Sendable, Equatable {
        public let user: User
        /// Their newest `console.session_started`, else when they were added.
        public let lastActive: Date
    }

    /// When the user `alias` (a `users` row) last signed in, as SQL: their newest
    /// `console.session_started` event (one walk down `audit_by_actor_time`), else when they were
    /// added. The compliance centre's idle users and the users list read the same.
    static func lastActiveSQL(_ alias: String) -> String {
        """
        COALESCE(
            (SELECT e.at FROM audit_events e INDEXED BY audit_by_actor_time
             WHERE e.actor = \(alias).email COLLATE NOCASE AND e.action = '\(AuditAction.consoleSessionStarted.rawValue)'
             ORDER BY e.actor COLLATE NOCASE DESC, e.at DESC LIMIT 1),
            \(alias).created_at)
        """
    }

    /// Every user as `list` orders them, each with when they were last active.
    static func listWithActivity(_ db: Database) throws -> [Listed] {
        let users = try list(db)
        let rows = try Row.fetchAll(db, sql: "SELECT u.id, \(lastActiveSQL("u")) FROM users u")
        var last: [Int64: Int64] = [:]
        for row in rows { last[row[0]] = row[1] }
        return users.map { user in
            Listed(user: user, lastActive: last[user.id!.rawValue].map { Date(timeIntervalSince1970: TimeInterval($0)) } ?? user.createdAt)
        }
    }
}
