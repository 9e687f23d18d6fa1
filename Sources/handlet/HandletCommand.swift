import ArgumentParser
import Foundation
import HandletConsole
import HandletDomain

struct HandletCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "handlet",
        abstract: "Browse call and message records, manage recording retention, Auto-Send and processor notices.",
        discussion: "With no subcommand, opens the console.",
        subcommands: [RetentionCommand.self, HoldCommand.self, ReleaseCommand.self, PurgeCommand.self,
                      UsersCommand.self]
    )

    @OptionGroup var workspace: WorkspaceOptions
    @Option(name: .long, help: "Act as this user (default: $HANDLET_USER, else the workspace's owner).")
    var user: String?
    @Option(name: .long, help: "Colour theme: dark, light, high-contrast, monochrome, or a path to a .theme file.")
    var theme: String?

    func run() throws {
        let opened = try workspace.open()
        let email = user ?? ProcessInfo.processInfo.environment["HANDLET_USER"]
        let actor: Actor
        do {
            actor = try email.map { try opened.actor(email: $0) } ?? opened.dbPool.read { try Actor.localOwner(in: $0) }
        } catch { throw CommandFailure(error) }
        do {
            try ConsoleLauncher.run(workspace: opened, actor: actor, options: .init(theme: theme))
        } catch { throw CommandFailure(error) }
    }
}
