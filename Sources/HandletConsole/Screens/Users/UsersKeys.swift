import HandletDomain
import TerminalUI

extension ScreenID {
    static let users = ScreenID("users")
}

/// What the Users tab opens for other screens: a user, selected in the list (an audit event's target).
extension DestinationKind {
    static let user = DestinationKind("user")
}

extension ConsoleDestination {
    static func user(id: User.ID) -> ConsoleDestination { ConsoleDestination(.user, id) }
}

/// Users and roles: the list re-reads when a change lands.
extension ChangeSubject {
    static let users = ChangeSubject("users")
}

/// The compliance duty fixed here: who has access (idle users, too many owners).
extension UsersTab {
    static let fixes = [DutyFix(.accountAccess, does: "review who has access", at: .screen(.users))]
}

/// The Users tab's key table: adding, changing a role, disabling and enabling, each needing a
/// user manager (owner or admin); the domain further keeps owners to owners.
extension UsersTab {
    enum Action: Sendable, Equatable { case add, role, disable, enable }
    static let table = KeyTable<Action>("users", title: "Users", scope: "The Users tab's list", [
        KeyBinding([.char("a")], .add, "Add a user (asks email, name, role)", group: "Users", name: "add", needs: .manageUsers),
        KeyBinding([.char("r"), .enter], .role, "Change the selected user's role", group: "Users", name: "role", needs: .manageUsers),
        KeyBinding([.char("d")], .disable, "Disable the selected user", group: "Users", name: "disable", needs: .manageUsers),
        KeyBinding([.char("e")], .enable, "Enable the selected user again", group: "Users", name: "enable", needs: .manageUsers),
    ])

    /// The tab's own keys, then movement: the order of dispatch and of help.
    enum UsersKey: Sendable { case users(Action), move(NavigationAction) }
    static func keys(_ keys: KeyBindings) -> KeyMap<UsersKey> {
        table.resolved(keys, UsersKey.users) + NavigationKeys.table.resolved(keys, UsersKey.move)
    }

    /// The context rules of the table's keys, for the selected user: each key's change as the
    /// domain plans it (only an owner touches an owner; the last enabled owner is neither demoted
    /// nor disabled). A key the role alone refuses is dimmed by its `needs:` already.
    static func refusals(for user: User?, context: ConsoleContext) -> [Action: String] {
        guard let user, let id = user.id else { return [:] }
        let planned: [(Action, String?)] = [
            // Changing the role at all: the role chosen next is planned again when it is chosen.
            (.role, context.refusal(of: .changeRole(of: id, to: user.role))),
            (.disable, context.refusal(of: .disableUser(id))),
            (.enable, context.refusal(of: .enableUser(id))),
        ]
        return Dictionary(planned.compactMap { action, reason in reason.map { (action, $0) } }, uniquingKeysWith: { first, _ in first })
    }

    static var keyTables: [AnyKeyTable] { [table.erased] }
    static var keyModes: [KeyModeDeclaration] {
        [KeyModeDeclaration("Users", .screen) { keys($0).erasedActions }]
    }
}
