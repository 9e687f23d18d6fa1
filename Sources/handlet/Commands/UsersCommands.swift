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
                Entry(id: $0.id?.rawValue ?? 0, name: $0.name, email: $0.email, role: $0.role.rawValue, disabled: $0.disabled)
            }
            if json { return try JSONOutput.print(entries) }
            let clock = try failing { try session.read(.browseClock()) }
            for line in BrowseOutput(clock: clock).table(User.columns, users) { print(line) }
        }
    }
}
