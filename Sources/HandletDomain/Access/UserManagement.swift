import Foundation
import GRDB

/// Adding users, changing roles, disabling and enabling (DESIGN §4 "manage users and roles").
///
/// - owners manage everyone; admins manage admins and below: they never add an owner, make anyone
///   an owner, or change, disable or enable an owner (`Permission.manageOwners`, owner only);
///   agents and viewers manage nobody (`Permission.manageUsers`, owner or admin);
/// - the last enabled owner can be neither demoted nor disabled;
/// - emails are unique ignoring case, and checked for shape; names are one line of plain text.
///
/// The audit event of each names the user by id and the roles involved, never a name or an email.
public enum UserManagement {
    /// What a user-management command did, for the CLI's line and the console's status bar.
    public struct Change: Sendable, Equatable, Codable {
        public let user: User
        /// The role before, for a role change; nil otherwise.
        public let previousRole: Role?
        /// False when the user already was as asked (then nothing is written or audited).
        public let changed: Bool
    }

    public static let maximumNameLength = 100
    public static let maximumEmailLength = 254

    /// A name as stored: trimmed, one line, no control characters.
    public static func validatedName(_ text: String) throws -> String {
        let name = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !name.isEmpty else { throw UserRuleError.emptyName }
        guard name.count <= maximumNameLength else { throw UserRuleError.nameTooLong(maximum: maximumNameLength) }
        guard !name.unicodeScalars.contains(where: isForbidden) else { throw UserRuleError.nameHasControlCharacters }
        // Invisible characters make two names look the same (issue 28).
        if let scalar = PlainText.forbiddenScalar(in: name) {
            throw UserRuleError.invisibleCharacter(field: "name", character: PlainText.describe(scalar))
        }
        return name
    }

    /// An email as stored: trimmed; one `@` between a non-empty local part and a dotted domain,
    /// no spaces or control characters.
    public static func validatedEmail(_ text: String) throws -> String {
        let email = text.trimmingCharacters(in: .whitespacesAndNewlines)
        // An address is ASCII: a non-ASCII letter can pass for a Latin one (issue 28), and an
        // internationalised domain has an ASCII form (IDNA, xn--…) that mail systems use anyway.
        if let scalar = PlainText.forbiddenScalar(in: email), PlainText.isInvisible(scalar.value) {
            throw UserRuleError.invisibleCharacter(field: "email", character: PlainText.describe(scalar))
        }
        if let scalar = email.unicodeScalars.first(where: { !$0.isASCII }) {
            throw UserRuleError.nonASCIIEmail(email: email, character: PlainText.describe(scalar))
        }
        let parts = email.split(separator: "@", omittingEmptySubsequences: false)
        guard email.count <= maximumEmailLength, parts.count == 2, !parts[0].isEmpty,
              !email.unicodeScalars.contains(where: { isForbidden($0) || $0.properties.isWhitespace }) else {
            throw UserRuleError.invalidEmail(email)
        }
        let domain = parts[1].split(separator: ".", omittingEmptySubsequences: false)
        guard domain.count >= 2, domain.allSatisfy({ !$0.isEmpty }) else { throw UserRuleError.invalidEmail(email) }
        return email
    }

    /// C0 and C1 controls, and bidi overrides and isolates (which reorder what a terminal shows).
    private static func isForbidden(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) || (0x202A...0x202E).contains(scalar.value)
            || (0x2066...0x2069).contains(scalar.value)
    }

    // MARK: Rules

    /// Whether `actor` may act on a user who is (or is to become) `role`: only an owner touches owners.
    static func requireMayManage(_ role: Role, actor: Actor) throws {
        if role == .owner { try actor.require(.manageOwners) }
    }

    /// Refuses a new user whose email or name a reader could not tell from an existing user's
    /// (the same UTS #39 skeleton, `Confusables`): the audit log and the users list name people
    /// by these, so a look-alike could pass for the owner (issue 28).
    static func requireNotLookAlike(email: String, name: String, _ db: Database) throws {
        let emailSkeleton = Confusables.skeleton(email), nameSkeleton = Confusables.skeleton(name)
        for existing in try User.fetchAll(db) {
            if Confusables.skeleton(existing.email) == emailSkeleton {
                throw UserRuleError.lookAlike(field: "email", given: email, existing: existing.email)
            }
            if Confusables.skeleton(existing.name) == nameSkeleton {
                throw UserRuleError.lookAlike(field: "name", given: name, existing: existing.name)
            }
        }
    }

    /// Refuses to demote or disable `user` when they are the last enabled owner.
    static func requireNotLastEnabledOwner(_ user: User, _ db: Database) throws {
        guard user.role == .owner, !user.disabled else { return }
        let others = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM users WHERE role = 'owner' AND disabled = 0 AND id <> ?",
                                      arguments: [user.id]) ?? 0
        if others == 0 { throw UserRuleError.lastEnabledOwner }
    }

    static func user(_ id: User.ID, _ db: Database) throws -> User {
        guard let user = try User.fetchOne(db, key: id) else { throw UserRuleError.noSuchUserID(id) }
        return user
    }

    static func user(email: String, _ db: Database) throws -> User? {
        try User.filter(sql: "email = ? COLLATE NOCASE", arguments: [email.trimmingCharacters(in: .whitespacesAndNewlines)])
            .fetchOne(db)
    }

    /// The id of the user with `email`, or `noSuchUser`.
    static func id(email: String, _ db: Database) throws -> User.ID {
        guard let found = try user(email: email, db) else { throw UserRuleError.noSuchUser(email) }
        return found.id!
    }

    static func audit(_ user: User, _ details: [String: AuditValue]) -> (target: String, details: [String: AuditValue]) {
        let id = user.id!.rawValue
        return ("user:\(id)", details.merging(["user_id": .int(id)]) { current, _ in current })
    }
}

/// A user-management request refused by a rule rather than by the actor's role (which is a
/// `PermissionDenied`). Each says what to do instead.
public enum UserRuleError: SysexitsError, Equatable, CustomStringConvertible, Sendable {
    case lastEnabledOwner
    case emailTaken(String)
    case invalidEmail(String)
    case emptyName
    case nameTooLong(maximum: Int)
    case nameHasControlCharacters
    case noSuchUser(String)
    case noSuchUserID(User.ID)
    /// `addFirstOwner` on a workspace that already has users.
    case workspaceHasUsers
    case invisibleCharacter(field: String, character: String)
    case nonASCIIEmail(email: String, character: String)
    /// Looks like an existing user's email or name (the same confusables skeleton).
    case lookAlike(field: String, given: String, existing: String)

    public var exitClass: ExitClass {
        switch self {
        case .lastEnabledOwner: .refused
        case .emailTaken, .invalidEmail, .emptyName, .nameTooLong, .nameHasControlCharacters,
             .noSuchUser, .noSuchUserID, .workspaceHasUsers, .invisibleCharacter, .nonASCIIEmail, .lookAlike: .dataError
        }
    }

    public var description: String {
        switch self {
        case .lastEnabledOwner:
            "The last enabled owner can be neither demoted nor disabled; make another user an owner first."
        case .emailTaken(let email): "A user with the email \(email) already exists (emails are unique, ignoring case)."
        case .invalidEmail(let email): "\(email.isEmpty ? "An empty email" : email) is not an email address like name@example.com."
        case .emptyName: "A user needs a name."
        case .nameTooLong(let maximum): "A name is at most \(maximum) characters."
        case .nameHasControlCharacters: "A name is one line of plain text, without control characters."
        case .noSuchUser(let email): "No user \(email) in this workspace (see `handlet users list`)."
        case .noSuchUserID(let id): "No user with id \(id) in this workspace (see `handlet users list`)."
        case .workspaceHasUsers:
            "This workspace already has users: add one acting as an owner or admin (--user EMAIL or HANDLET_USER)."
        case .invisibleCharacter(let field, let character):
            "A user's \(field) cannot hold the invisible character \(character): it would look like another \(field)."
        case .nonASCIIEmail(_, let character):
            "An email is ASCII (found \(character)); write an internationalised domain in its IDNA form (xn--…)."
        case .lookAlike(let field, _, let existing):
            "That \(field) looks the same as the existing user's \(existing.debugDescription) (letters or digits that look alike); "
                + "choose one that can be told apart."
        }
    }
}

extension WorkspaceCommand where Result == UserManagement.Change {
    /// Adds an enabled user. Adding an owner needs an owner (`.manageOwners`); anyone else, an
    /// owner or an admin. Audited as `user.added` with `user_id` and `role`.
    public static func addUser(name: String, email: String, role: Role) -> Self {
        WorkspaceCommand(role == .owner ? .manageOwners : .manageUsers, audit: .userAdded) { db, environment in
            let name = try UserManagement.validatedName(name)
            let email = try UserManagement.validatedEmail(email)
            if let existing = try UserManagement.user(email: email, db) { throw UserRuleError.emailTaken(existing.email) }
            try UserManagement.requireNotLookAlike(email: email, name: name, db)
            var user = User(name: name, email: email, role: role, createdAt: environment.now)
            try user.insert(db)
            let audit = UserManagement.audit(user, ["role": .string(role.rawValue)])
            return .changed(UserManagement.Change(user: user, previousRole: nil, changed: true),
                            target: audit.target, details: audit.details)
        }
    }

    /// Gives a user another role. Making or unmaking an owner needs an owner; the last enabled
    /// owner keeps the role. Audited as `user.role_changed` with `user_id`, `old_role`, `new_role`.
    /// The same for the user with `email`, looked up after the role check.
    public static func changeRole(ofUserWithEmail email: String, to role: Role) -> Self {
        naming(role == .owner ? .manageOwners : .manageUsers, audit: .userRoleChanged, { try UserManagement.id(email: email, $0) }) {
            changeRole(of: $0, to: role)
        }
    }

    public static func changeRole(of id: User.ID, to role: Role) -> Self {
        WorkspaceCommand(role == .owner ? .manageOwners : .manageUsers, audit: .userRoleChanged, rules: { db, environment in
            let user = try UserManagement.user(id, db)
            try UserManagement.requireMayManage(user.role, actor: environment.actor)
            if user.role != role { try UserManagement.requireNotLastEnabledOwner(user, db) }
        }) { db, _ in
            var user = try UserManagement.user(id, db)
            let previous = user.role
            guard previous != role else { return .unchanged(UserManagement.Change(user: user, previousRole: previous, changed: false)) }
            user.role = role
            try user.update(db, columns: ["role"])
            let audit = UserManagement.audit(user, ["old_role": .string(previous.rawValue), "new_role": .string(role.rawValue)])
            return .changed(UserManagement.Change(user: user, previousRole: previous, changed: true),
                            target: audit.target, details: audit.details)
        }
    }

    /// Disables a user: they can no longer act (a session they have open is refused at its next
    /// change). The last enabled owner cannot be disabled. Audited as `user.disabled`.
    public static func disableUser(_ id: User.ID) -> Self { setDisabled(id, true) }

    /// Enables a disabled user again. Audited as `user.enabled`.
    public static func enableUser(_ id: User.ID) -> Self { setDisabled(id, false) }

    /// Disables or enables the user with `email`, looked up after the role check.
    public static func setDisabled(userWithEmail email: String, _ disabled: Bool) -> Self {
        naming(.manageUsers, audit: disabled ? .userDisabled : .userEnabled, { try UserManagement.id(email: email, $0) }) {
            setDisabled($0, disabled)
        }
    }

    private static func setDisabled(_ id: User.ID, _ disabled: Bool) -> Self {
        WorkspaceCommand(.manageUsers, audit: disabled ? .userDisabled : .userEnabled, rules: { db, environment in
            let user = try UserManagement.user(id, db)
            try UserManagement.requireMayManage(user.role, actor: environment.actor)
            if disabled { try UserManagement.requireNotLastEnabledOwner(user, db) }
        }, outline: { db, _ in
            // Disabling shuts someone out: asked first. Enabling, or a user already as asked, asks nothing.
            let user = try UserManagement.user(id, db)
            guard disabled, !user.disabled else { return ChangeOutline() }
            return ChangeOutline(confirmation: Confirmation(
                title: "Disable \(user.email)",
                question: "Disable \(user.email) (\(user.role.rawValue))? They can no longer act in this workspace until enabled again.",
                confirmLabel: "Disable", declined: "Not disabled; \(user.email) can still act.", isDestructive: true))
        }) { db, _ in
            var user = try UserManagement.user(id, db)
            guard user.disabled != disabled else { return .unchanged(UserManagement.Change(user: user, previousRole: nil, changed: false)) }
            user.disabled = disabled
            try user.update(db, columns: ["disabled"])
            let audit = UserManagement.audit(user, ["role": .string(user.role.rawValue)])
            return .changed(UserManagement.Change(user: user, previousRole: nil, changed: true),
                            target: audit.target, details: audit.details)
        }
    }
}

extension Workspace {
    /// A new workspace's first user is its owner: on a workspace with no users at all (created
    /// with none), adds this person as its owner, with nobody acting (there is nobody to act as),
    /// audited as `user.added` by `system` with `role` owner and `first_user` true. Refused with
    /// `UserRuleError.workspaceHasUsers` once anyone exists: from then on, users are added by an
    /// owner or admin through a session.
    @discardableResult
    public func addFirstOwner(name: String, email: String, at now: Date = Date()) throws -> UserManagement.Change {
        let name = try UserManagement.validatedName(name)
        let email = try UserManagement.validatedEmail(email)
        return try dbPool.write { db in
            guard try User.fetchCount(db) == 0 else { throw UserRuleError.workspaceHasUsers }
            var user = User(name: name, email: email, role: .owner, createdAt: now)
            try user.insert(db)
            let audit = UserManagement.audit(user, ["role": .string(Role.owner.rawValue), "first_user": .bool(true)])
            try AuditLog.append(db, actor: .system, action: .userAdded, target: audit.target, details: audit.details, at: now)
            return UserManagement.Change(user: user, previousRole: nil, changed: true)
        }
    }
}

extension WorkspaceQuery where Value == User.ID {
    /// The user with this email (ignoring case), for commands that name users by email; throws
    /// `UserRuleError.noSuchUser` when nobody has it.
    public static func userID(email: String) -> Self {
        .reading(.browse) { try UserManagement.id(email: email, $0) }
    }
}
