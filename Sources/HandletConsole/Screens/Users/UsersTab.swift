import Foundation
import HandletDomain
import TerminalUI

/// The workspace's users, most powerful role first: add, change a role, disable, enable. Every
/// change goes through the domain, which checks the role (owners manage everyone, admins admins
/// and below), keeps the last enabled owner, and writes the audit event.
struct UsersTab: RegisteredScreen {
    static let id = ScreenID.users
    static let title = "Users"
    static let tabLabel = "Users"
    static let shows: Set<DestinationKind> = [.user]
    static let paletteArguments: [PaletteArgument<Never>] = [
        PaletteArgument("user add", "EMAIL", "add a user (then asks the name and role)", .answer(action: "add")),
    ]

    static func make(context: ConsoleContext, screens: ScreenRegistry) -> UsersTab { UsersTab(context: context) }

    let context: ConsoleContext
    private var listed: [UserDirectory.Listed] = []
    private var users: [User] { listed.map(\.user) }
    private var clock: BrowseClock
    private var table = TableState()
    private var problem: String?
    private var modal: Modal?
    /// The tab's size from the last layout; nil before the first.
    private var size: Size?
    private let keys: KeyMap<UsersKey>
    /// Why each of the tab's keys is refused for the selected user (the domain's plans: acting on
    /// an owner, the last enabled owner), asked when the selection changes so help and the
    /// footer draw without reading.
    private var refusals: [Action: String] = [:]
    /// The domain's refusal of managing anyone at all, which makes the tab read only.
    private var manageRefusal: String?

    /// Adding asks the email, then the name, then the role; changing a role asks the role.
    private enum Modal {
        case email(TextPrompt)
        case name(TextPrompt, email: String)
        /// The roles offered are those the acting user may give (the domain's plans), in order.
        case newRole(OptionDialog, email: String, name: String, roles: [HandletDomain.Role])
        case changeRole(OptionDialog, User, roles: [HandletDomain.Role])
        case confirmDisable(ConfirmDialog, ChangePlan<UserManagement.Change>)
    }

    init(context: ConsoleContext) {
        self.context = context
        clock = BrowseClock.console(context)
        keys = Self.keys(context.keys)
    }

    var capturesText: Bool { modal != nil }
    var helpEntries: [HelpEntry] { keys.help(for: context.actor, disabledReason: refusal) }

    private func refusal(_ key: UsersKey) -> String? {
        if case .users(let action) = key { return refusals[action] }
        return nil
    }
    var status: String {
        guard !users.isEmpty else { return "" }
        return "\(min(table.selected + 1, users.count)) of \(DisplayText.count(users.count, "user"))"
    }

    private var selected: User? { users.indices.contains(table.selected) ? users[table.selected] : nil }

    mutating func activate() { load() }

    mutating func open(_ destination: ConsoleDestination) -> Bool {
        if destination.kind == nil { return true }
        guard let id = destination.value(.user, as: User.ID.self) else { return false }
        modal = nil
        load(selecting: id)
        return users.contains { $0.id == id }
    }

    mutating func receive(_ message: any Sendable) -> Bool {
        guard let change = message as? ChangeStatus, change.subject == .users, case .finished = change.phase else { return false }
        load()
        return true
    }

    private mutating func load(selecting id: User.ID? = nil) {
        do {
            let keep = id ?? selected?.id
            listed = try context.session.read(.usersWithActivity)
            clock = BrowseClock.console(context)
            if let keep, let index = users.firstIndex(where: { $0.id == keep }) { table.selected = index }
            table.selected = min(table.selected, max(0, users.count - 1))
            problem = nil
        } catch {
            problem = "Could not read the users: \(error)"
        }
        // Adding a viewer is the least any user manager may do: refused, the tab is read only.
        manageRefusal = context.refusal(of: .addUser(name: "", email: "", role: .viewer))
        relayout()
    }

    /// Asks the domain's plans for the selected user (see `UsersTab.refusals(for:context:)`).
    private mutating func planSelected() {
        refusals = Self.refusals(for: selected, context: context)
    }

    // MARK: Layout and drawing

    /// A line above the table: a read that failed, or why the keys are dimmed.
    private var banner: (text: String, style: Style)? {
        if let problem { return (problem, .error) }
        if let manageRefusal { return ("Read only: \(manageRefusal)", .dim) }
        return nil
    }

    private func tableArea(in area: Rect) -> Rect { banner == nil ? area : area.splitTop(1).1 }

    mutating func layout(_ size: Size) {
        self.size = size
        let body = tableArea(in: Rect(x: 0, y: 0, width: size.width, height: size.height))
        table.fit(height: body.height - 1, rowCount: .exact(users.count))
    }

    private mutating func relayout() {
        if let size { layout(size) }
        planSelected()
    }

    func render(into grid: inout Grid, area: Rect) {
        if let banner { grid.put(banner.text, x: area.x + 1, y: area.y, style: banner.style, maxWidth: area.width - 2) }
        let clock = self.clock
        Table(columns: Self.columns).render(into: &grid, area: tableArea(in: area), state: table,
                                            source: ArrayTableSource(listed.map { Self.tableRow($0, clock: clock) }))
        switch modal {
        case .email(let prompt), .name(let prompt, _): prompt.render(into: &grid, area: area)
        case .newRole(let dialog, _, _, _), .changeRole(let dialog, _, _): dialog.render(into: &grid, area: area)
        case .confirmDisable(let dialog, _): dialog.render(into: &grid, area: area)
        case nil: break
        }
    }

    // MARK: Keys

    mutating func handle(_ key: TerminalUI.Key) -> TabResponse {
        if let modal { return handleModal(modal, key) }
        switch keys.press(key, by: context.actor, disabledReason: refusal) {
        case .unbound: return .ignored
        // The role and the selected user's rules are checked before a prompt opens: typing an
        // email or choosing a role first would be wasted.
        case .refused(let refusal): return .flash(refusal, isError: true)
        case .action(.move(let move), _):
            table.apply(move, rowCount: .exact(users.count))
            relayout()
        case .action(.users(.add), _):
            modal = .email(TextPrompt(title: "Add a user", label: "Email ", input: TextInputState("", maxLength: UserManagement.maximumEmailLength),
                                      keys: context.keys))
        case .action(.users(.role), _):
            guard let user = selected else { return .handled }
            // Only the roles this user may give (the domain's plan of giving each): an admin is
            // offered no "owner". A rule about this person (the last owner) is said when chosen.
            let roles = Self.givableRoles(context)
            modal = .changeRole(OptionDialog(title: "Role of \(user.email)", message: "Choose \(user.name)'s role.",
                                             options: roles.map(Self.roleOption),
                                             selected: roles.firstIndex(of: user.role) ?? 0, keys: context.keys), user, roles: roles)
        case .action(.users(.disable), _): return setDisabled(true)
        case .action(.users(.enable), _): return setDisabled(false)
        }
        return .handled
    }

    private mutating func handleModal(_ current: Modal, _ key: TerminalUI.Key) -> TabResponse {
        switch current {
        case .email(var prompt):
            switch prompt.handle(key) {
            case .open: modal = .email(prompt)
            case .cancelled: modal = nil
            case .answered(let text):
                do {
                    let email = try UserManagement.validatedEmail(text)
                    modal = .name(TextPrompt(title: "Add \(email)", label: "Name ",
                                             input: TextInputState("", maxLength: UserManagement.maximumNameLength), keys: context.keys),
                                  email: email)
                } catch {
                    prompt.problem = "\(error)"
                    modal = .email(prompt)
                }
            }
            return .handled
        case .name(var prompt, let email):
            switch prompt.handle(key) {
            case .open: modal = .name(prompt, email: email)
            case .cancelled: modal = nil
            case .answered(let text):
                do {
                    let name = try UserManagement.validatedName(text)
                    let roles = Self.givableRoles(context)
                    modal = .newRole(OptionDialog(title: "Role of \(email)", message: "What may \(name) do?",
                                                  options: roles.map(Self.roleOption), selected: roles.firstIndex(of: .agent) ?? 0,
                                                  keys: context.keys), email: email, name: name, roles: roles)
                } catch {
                    prompt.problem = "\(error)"
                    modal = .name(prompt, email: email)
                }
            }
            return .handled
        case .newRole(var dialog, let email, let name, let roles):
            switch dialog.handle(key) {
            case .open: modal = .newRole(dialog, email: email, name: name, roles: roles); return .handled
            case .cancelled: modal = nil; return .flash("No user added", isError: false)
            case .chose(let index):
                modal = nil
                guard roles.indices.contains(index) else { return .handled }
                let role = roles[index]
                return change(.addUser(name: name, email: email, role: role)) { "Added \($0.user.email) as \($0.user.role.rawValue)" }
            }
        case .changeRole(var dialog, let user, let roles):
            switch dialog.handle(key) {
            case .open: modal = .changeRole(dialog, user, roles: roles); return .handled
            case .cancelled: modal = nil; return .flash("\(user.email) stays \(user.role.rawValue)", isError: false)
            case .chose(let index):
                modal = nil
                guard roles.indices.contains(index) else { return .handled }
                let role = roles[index]
                return change(.changeRole(of: user.id!, to: role)) {
                    $0.changed ? "\($0.user.email) is now \(role.rawValue) (was \($0.previousRole?.rawValue ?? "?"))"
                               : "\($0.user.email) already is \(role.rawValue)"
                }
            }
        case .confirmDisable(var dialog, let plan):
            switch dialog.handle(key, keys: ConsoleKeys.confirmTable.resolved(context.keys)) {
            case nil: modal = .confirmDisable(dialog, plan); return .handled
            case .cancelled?: modal = nil; return .flash(plan.confirmation?.declined ?? "", isError: false)
            case .confirmed?:
                modal = nil
                return change(plan.command, confirmed: true) { change in
                    change.changed ? "\(change.user.email) is disabled" : "\(change.user.email) already is disabled"
                }
            }
        }
    }

    /// The roles the acting user may give anyone, most powerful first: the domain's plan of adding
    /// a user with each (an owner for owners only), so the dialogs never offer one it would refuse.
    static func givableRoles(_ context: ConsoleContext) -> [HandletDomain.Role] {
        HandletDomain.Role.allCases.filter { context.refusal(of: .addUser(name: "", email: "", role: $0)) == nil }
    }

    private mutating func setDisabled(_ disabled: Bool) -> TabResponse {
        guard let user = selected else { return .handled }
        return change(disabled ? .disableUser(user.id!) : .enableUser(user.id!)) { change in
            change.changed ? "\(change.user.email) is \(disabled ? "disabled" : "enabled")"
                           : "\(change.user.email) already is \(disabled ? "disabled" : "enabled")"
        }
    }

    /// Plans a change with the domain and runs it; a refusal (the role, a rule: planned, and
    /// checked again in the transaction) comes back as a red flash and changes nothing. When
    /// another process is writing it waits in the background (`ConsoleChanges`): the status bar
    /// says so, and the list re-reads when it lands.
    private mutating func change(_ command: WorkspaceCommand<UserManagement.Change>, confirmed: Bool = false,
                                 _ describe: @escaping @Sendable (UserManagement.Change) -> String) -> TabResponse {
        let approved: WorkspaceCommand<UserManagement.Change>
        switch context.plan(command) {
        case .refused(let reason): load(); return .flash(reason, isError: true)
        case .failed(let problem): load(); return .flash(problem, isError: true)
        case .ready(let plan):
            // A change that asks (disabling someone) opens its question first.
            if let question = plan.confirmation, !confirmed {
                modal = .confirmDisable(ConfirmDialog(title: question.title, message: question.question, confirmLabel: question.confirmLabel,
                                                      isDestructive: question.isDestructive), plan)
                return .handled
            }
            do { approved = try plan.approved(confirmed: confirmed) } catch { return .flash("\(error)", isError: true) }
        }
        switch context.changes.perform(approved, about: .users, context: context, describe: describe) {
        case .done(let value, let text):
            load(selecting: value.user.id)
            return .flash(text, isError: false)
        case .failed(let text):
            load()
            return .flash(text, isError: true)
        case .waiting:
            return .handled
        }
    }
}
