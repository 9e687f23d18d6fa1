import GRDB

extension Actor {
    /// Who the console acts as when no `--user` or `HANDLET_USER` names anyone: the workspace's
    /// first enabled owner. Whoever can run handlet on this machine can already read and write
    /// the database file, so this grants nothing new locally; over SSH, `authorized_keys` pins
    /// `--user` (DESIGN §8), and then this is never used.
    static func localOwner(in db: Database) throws -> Actor {
        guard let owner = try User.filter(sql: "role = 'owner' AND disabled = 0").order(sql: "id").fetchOne(db) else {
            throw ActorError.noUserNamed
        }
        return .user(owner)
    }
}
