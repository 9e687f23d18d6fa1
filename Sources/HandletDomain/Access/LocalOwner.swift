import GRDB

extension Actor {
    /// Who the console acts as when no `--user` or `HANDLET_USER` names anyone: the workspace's
    /// first enabled owner. Whoever can run handlet on this machine can already read and write
    /// the database file, so this grants nothing new locally; over SSH, `authorized_keys` pins
    /// `--user` (DESIGN §8), and then this is never used.
    static func localOwner(in db: Database) throws -> Actor {
        // Plain SQL: the query interface would look the table up first (two `sqlite_master`
        // reads, ~2M instructions at start-up; issue 26).
        guard let owner = try User.fetchOne(db, sql: "SELECT \(User.storedText.selectionSQL) FROM users WHERE role = 'owner' AND disabled = 0 ORDER BY id LIMIT 1") else {
            throw ActorError.noUserNamed
        }
        return .user(owner)
    }
}
