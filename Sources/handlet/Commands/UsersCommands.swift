import ArgumentParser
import Foundation
import HandletDomain

/// `handlet users list`: who may act in this workspace, and with which role (DESIGN §4).
struct UsersCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "users", abstract: "The workspace's users and their roles.",
        subcommands: [List.self], defaultSubcommand: List.self)

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List users, most powerful role first.")
        @OptionGroup var workspace: WorkspaceOptions
        @OptionGroup var reader: ReadingUserOptions
        @Flag(name: .long, help: "Print JSON (fields in docs/json.md).") var json = false

        struct Entry: Encodable {
            let id: Int64
            let name: String
            let email: String
            let role: String
            let disabled: Bool
        }

        func run() throws {
            let session = try reader.session(in: workspace.open())
            let users = try failing { try session.read(.users) }
            let entries = users.map {
                Entry(id: $0.id ?? 0, name: $0.name, email: $0.email, role: $0.role.rawValue, disabled: $0.disabled)
            }
            if json { return try JSONOutput.print(entries) }
            let emailWidth = max(5, entries.map(\.email.count).max() ?? 0)
            print("ROLE    " + "EMAIL".padding(toLength: emailWidth + 2, withPad: " ", startingAt: 0) + "NAME")
            for entry in entries {
                let role = entry.role.padding(toLength: 8, withPad: " ", startingAt: 0)
                let email = entry.email.padding(toLength: emailWidth + 2, withPad: " ", startingAt: 0)
                print(role + email + entry.name + (entry.disabled ? " (disabled)" : ""))
            }
        }
    }
}
