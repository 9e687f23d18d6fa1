import GRDB

/// Who is acting: a workspace user, or the system (scheduled purge, migrations).
public enum Actor: Equatable, Sendable {
    case user(User)
    case system

    /// What the audit log records: identifiers only.
    public var auditName: String {
        switch self {
        case .user(let user): user.email
        case .system: "system"
        }
    }

    public var userId: User.ID? {
        if case .user(let user) = self { return user.id }
        return nil
    }

    /// Whether this actor may do it: a user by role, the system by its own short list
    /// (`Permission.systemPermissions`).
    public func may(_ permission: Permission) -> Bool {
        switch self {
        case .user(let user): user.role.allows(permission)
        case .system: permission.allowsSystem
        }
    }

    /// Throws `PermissionDenied` (naming the roles needed) unless this actor may do it.
    public func require(_ permission: Permission) throws {
        guard !may(permission) else { return }
        switch self {
        case .user(let user): throw PermissionDenied(permission: permission, role: user.role)
        case .system: throw PermissionDenied(permission: permission, role: nil)
        }
    }
}

public enum ActorError: SysexitsError, Equatable, CustomStringConvertible {
    case noUserNamed
    /// Over SSH nobody is implied: the key must be pinned to a user.
    case noUserOverSSH
    case unknownUser(String)
    case disabledUser(String)

    public var exitClass: ExitClass {
        switch self {
        case .noUserNamed: .usage
        // Who may act is the workspace's rule: an unknown or disabled user is refused, not bad data.
        case .noUserOverSSH, .unknownUser, .disabledUser: .refused
        }
    }

    public var description: String {
        switch self {
        case .noUserNamed: "No acting user: pass --user EMAIL or set HANDLET_USER."
        case .noUserOverSSH:
            "Over SSH the console acts as no one by default: pin this key to a user in authorized_keys with "
                + "restrict,pty,command=\"handlet --user EMAIL --db PATH\" (see docs/ssh.md)."
        case .unknownUser(let email): "No user \(email) in this workspace (see `handlet users list`)."
        case .disabledUser(let email): "User \(email) is disabled."
        }
    }
}

extension Actor {
    /// Resolves the acting user by email (case-insensitive); disabled users cannot act.
    static func user(email: String, in db: Database) throws -> Actor {
        guard let user = try User.fetchOne(db, sql: "SELECT \(User.storedText.selectionSQL) FROM users WHERE email = ? COLLATE NOCASE LIMIT 1", arguments: [email]) else {
            throw ActorError.unknownUser(email)
        }
        guard !user.disabled else { throw ActorError.disabledUser(email) }
        return .user(user)
    }

    /// The actor as the database has it now: a user disabled, removed or given another role since
    /// the session opened acts as what they are now, or not at all.
    func current(in db: Database) throws -> Actor {
        guard case .user(let user) = self else { return self }
        guard let id = user.id, let stored = try User.fetchOne(db, key: id) else { throw ActorError.unknownUser(user.email) }
        guard !stored.disabled else { throw ActorError.disabledUser(stored.email) }
        return .user(stored)
    }
}
