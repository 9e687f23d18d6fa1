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

    public var userId: Int64? {
        if case .user(let user) = self { return user.id }
        return nil
    }

    /// Throws `PermissionDenied` unless this actor may do it. The system may do anything.
    public func require(_ permission: Permission) throws {
        guard case .user(let user) = self else { return }
        guard user.role.allows(permission) else { throw PermissionDenied(permission: permission, role: user.role) }
    }
}

public enum ActorError: Error, Equatable, CustomStringConvertible {
    case noUserNamed
    case unknownUser(String)
    case disabledUser(String)

    public var description: String {
        switch self {
        case .noUserNamed: "No acting user: pass --user EMAIL or set HANDLET_USER."
        case .unknownUser(let email): "No user \(email) in this workspace (see `handlet users list`)."
        case .disabledUser(let email): "User \(email) is disabled."
        }
    }
}

extension Actor {
    /// Resolves the acting user by email (case-insensitive); disabled users cannot act.
    public static func user(email: String, in db: Database) throws -> Actor {
        guard let user = try User.filter(sql: "email = ? COLLATE NOCASE", arguments: [email]).fetchOne(db) else {
            throw ActorError.unknownUser(email)
        }
        guard !user.disabled else { throw ActorError.disabledUser(email) }
        return .user(user)
    }
}
