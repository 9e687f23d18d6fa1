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
}
