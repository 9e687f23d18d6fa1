import ArgumentParser
import Foundation
import HandletDomain
import TerminalUI

/// `handlet users list|add|role|disable|enable`: who may act in this workspace, and with which
/// role (DESIGN §4). Owners manage everyone; admins manage admins and below; nobody else manages.
struct UsersCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "users", abstract: "The workspace's users and their roles.",
        subcommands: [List.self, Add.self, SetRole.self, Disable.self, Enable.self], defaultSubcommand: List.self)

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List users, most powerful role first.")
        @OptionGroup var workspace: WorkspaceOptions
        @OptionGroup var reader: ReadingUserOptions
        @Flag(name: .long, help: "Print JSON (fields in docs/json.md).") var json = false

        func run() throws {
            let session = try reader.session(in: workspace.openForReading())
            let users = try failing { try session.read(.users) }
            if json { return try JSONOutput.print(users.map(UserEntry.init)) }
            let clock = try failing { try session.read(.browseClock()) }
            // With when each last signed in (opened the console), as the console's Users tab shows.
            let listed = try failing { try session.read(.usersWithActivity) }
            for line in BrowseOutput(clock: clock).table(UserDirectory.Listed.columns, listed) { print(line) }
        }
    }

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "add",
            abstract: "Add a user (owner or admin; only an owner adds an owner).",
            discussion: "On a workspace with no users, the first is added as its owner, with no --user.")
        @Argument(help: "The new user's email (unique, ignoring case).") var email: String
        @Option(name: .long, help: "Their name, as the console shows it.") var name: String
        @Option(name: .long, help: "owner, admin, agent or viewer.") var role: HandletDomain.Role
        @OptionGroup var workspace: WorkspaceOptions
        @OptionGroup var acting: ActingUserOptions
        @Flag(name: .long, help: "Print the user as JSON.") var json = false

        func run() throws {
            let opened = try workspace.open()
            // A workspace with nobody in it: its first user is its owner, added with nobody acting
            // (there is nobody to act as). Once anyone exists, an owner or admin adds users.
            if acting.email?.isEmpty ?? true {
                let first: UserManagement.Change?
                do { first = try opened.addFirstOwner(name: name, email: email, at: CommandClock.now) } catch UserRuleError.workspaceHasUsers {
                    first = nil
                } catch { throw CommandFailure(error) }
                if let first {
                    if json { return try JSONOutput.print(UserChangeEntry(first)) }
                    return print("Added \(describe(first.user)) as owner: a new workspace's first user is its owner"
                        + (role == .owner ? "." : " (not \(role.rawValue))."))
                }
            }
            let session = try acting.session(in: opened)
            let change = try session.carryOut(.addUser(name: name, email: email, role: role))
            if json { return try JSONOutput.print(UserChangeEntry(change)) }
            print("Added \(describe(change.user)) as \(change.user.role.rawValue).")
        }
    }

    struct SetRole: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "role", abstract: "Give a user another role (only an owner makes or changes an owner).")
        @Argument(help: "The user's email.") var email: String
        @Argument(help: "owner, admin, agent or viewer.") var role: HandletDomain.Role
        @OptionGroup var workspace: WorkspaceOptions
        @OptionGroup var acting: ActingUserOptions
        @Flag(name: .long, help: "Print the change as JSON.") var json = false

        func run() throws {
            let session = try acting.session(in: workspace.open())
            let change = try session.carryOut(.changeRole(ofUserWithEmail: email, to: role))
            if json { return try JSONOutput.print(UserChangeEntry(change)) }
            guard change.changed else { return print("\(describe(change.user)) already is \(role.rawValue); nothing changed.") }
            print("\(describe(change.user)) is now \(role.rawValue) (was \(change.previousRole?.rawValue ?? "?")).")
        }
    }

    struct Disable: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "disable",
            abstract: "Disable a user: they can no longer act (never the last enabled owner).")
        @Argument(help: "The user's email.") var email: String
        @OptionGroup var workspace: WorkspaceOptions
        @OptionGroup var acting: ActingUserOptions
        @OptionGroup var confirmation: ConfirmationOptions
        @Flag(name: .long, help: "Print the user as JSON.") var json = false

        func run() throws {
            try setDisabled(true, email: email, workspace: workspace, acting: acting, json: json, asking: confirmation)
        }
    }

    struct Enable: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "enable", abstract: "Enable a disabled user again.")
        @Argument(help: "The user's email.") var email: String
        @OptionGroup var workspace: WorkspaceOptions
        @OptionGroup var acting: ActingUserOptions
        @Flag(name: .long, help: "Print the user as JSON.") var json = false

        func run() throws {
            try setDisabled(false, email: email, workspace: workspace, acting: acting, json: json)
        }
    }

    private static func setDisabled(_ disabled: Bool, email: String, workspace: WorkspaceOptions, acting: ActingUserOptions,
                                    json: Bool, asking confirmation: ConfirmationOptions? = nil) throws {
        let session = try acting.session(in: workspace.open())
        let change = try session.carryOut(.setDisabled(userWithEmail: email, disabled), asking: confirmation, json: json)
        if json { return try JSONOutput.print(UserChangeEntry(change)) }
        let state = disabled ? "disabled" : "enabled"
        print(change.changed ? "\(describe(change.user)) is now \(state)." : "\(describe(change.user)) already was \(state); nothing changed.")
    }
}

/// "Jo Bloggs <jo@example.com>", made safe for the terminal.
private func describe(_ user: User) -> String {
    Sanitizer.clean("\(user.name) <\(user.email)>")
}

/// One user in `users list --json`.
struct UserEntry: Encodable {
    let id: Int64
    let name: String
    let email: String
    let role: String
    let disabled: Bool

    init(_ user: User) {
        id = user.id?.rawValue ?? 0; name = user.name; email = user.email; role = user.role.rawValue; disabled = user.disabled
    }
}

/// `users add|role|disable|enable --json`.
struct UserChangeEntry: Encodable {
    let user: UserEntry
    let previousRole: String?
    let changed: Bool

    init(_ change: UserManagement.Change) {
        user = UserEntry(change.user); previousRole = change.previousRole?.rawValue; changed = change.changed
    }
}

extension HandletDomain.Role: ExpressibleByArgument {}
