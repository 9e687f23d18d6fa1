import ArgumentParser
import Foundation
import HandletConsole
import HandletDemo
import HandletDomain
import TerminalUI

/// `handlet --version`: the release, and the workspace schema this binary writes.
let handletVersion = "handlet 0.1.0 (workspace schema \(Schema.currentVersion))"

struct HandletCommand: ParsableCommand {
    /// The standard tree, or (while `QuickParse` tries an invocation naming its subcommand) the same
    /// tree without what only a bare `handlet` or `--generate-completion-script` needs.
    static var configuration: CommandConfiguration { QuickParse.isTrying ? QuickParse.configuration : standardConfiguration }

    static let standardConfiguration = CommandConfiguration(
        commandName: "handlet",
        abstract: "Browse call and message records, manage recording retention, Auto-Send and processor notices.",
        discussion: "With no subcommand, opens the console.",
        version: handletVersion,
        subcommands: [ConsoleCommand.self, InitCommand.self, DemoCommand.self, ImportCommand.self, ExportCommand.self, InfoCommand.self,
                      CallsCommand.self, MessagesCommand.self, ContactsCommand.self, SearchCommand.self,
                      RetentionCommand.self, HoldCommand.self, ReleaseCommand.self, PurgeCommand.self, AutoSendCommand.self,
                      QueueCommand.self, UsersCommand.self, AuditCommand.self, NoticesCommand.self, ComplianceCommand.self,
                      DataSubjectCommand.self, WorkspaceServiceCommand.self, CheckCommand.self, KeysCommand.self],
        // The console is the default, so `handlet` and `handlet --db X --user Y` open it, while each
        // subcommand keeps its own `--user` (a root option of that name would shadow theirs).
        defaultSubcommand: ConsoleCommand.self
    )
}

/// `handlet [console]`: the interactive console.
struct ConsoleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "console",
        abstract: "Open the console (the default when no subcommand is given)."
    )

    @OptionGroup var workspace: WorkspaceOptions
    @Option(name: .long, help: "Act as this user (default: $HANDLET_USER, else the workspace's owner).")
    var user: String?
    @Option(name: .long, help: "Colour theme: dark, light, high-contrast, monochrome, or a path to a .theme file.")
    var theme: String?

    /// An unknown theme is a usage error (64) said before anything opens, on a terminal or not.
    func validate() throws {
        guard let theme else { return }
        do { _ = try Theme.load(theme) } catch { throw ValidationError("--theme: \(error)") }
    }

    func run() throws {
        let origin = ConsoleOrigin.current()
        try refuseEmptyUser(user)
        let email = (user ?? ProcessInfo.processInfo.environment["HANDLET_USER"]).flatMap { $0.isEmpty ? nil : $0 }
        // Over SSH nobody is implied: refuse before anything opens (or is created).
        if origin.overSSH && email == nil { throw CommandFailure(ActorError.noUserOverSSH) }
        let (opened, startupMessage) = try openOrCreateDemo()
        // Open for hours: the console's changes happen when they are made, on the real clock.
        let session = try failing { try opened.session(actingAs: email, otherwise: .localOwner, clock: .system) }
        // Retention is the workspace's rule, whoever opened the console: the purge acts as `system`.
        let options = ConsoleLauncher.Options(theme: theme, startupMessage: startupMessage, purge: opened.session(as: .system),
                                              actorIsFallback: email == nil, origin: origin)
        let ending: ConsoleLauncher.Ending
        do {
            ending = try ConsoleLauncher.run(session: session, options: options)
        } catch { throw CommandFailure(error) }
        // Everything is written: now die by the stop signal, so the parent sees how it ended.
        if let signal = ending.signal {
            Foundation.signal(signal, SIG_DFL)
            raise(signal)
        }
    }

    /// `--db` names an existing workspace; without it, the default location gets the demo
    /// workspace on first run (DESIGN §2).
    private func openOrCreateDemo() throws -> (Workspace, String?) {
        guard workspace.db == nil else { return (try workspace.open(), nil) }
        let url = Workspace.defaultDatabaseURL()
        let bar = ProgressBar()
        let outcome = try failing {
            try FirstRun.ensureWorkspace(at: url, progress: demoProgress(bar, interrupt: InterruptFlag()))
        }
        bar.finish()
        guard outcome.created else { return (outcome.workspace, nil) }
        let message = "Created a demo workspace at \(url.path); sign in as any of "
            + DemoBusiness.users.map(\.email).joined(separator: ", ") + " with --user. "
            + "For your own business instead: handlet init --db PATH --name \"Business name\" --owner EMAIL."
        TerminalText.writeError(message)
        return (outcome.workspace, "Created a demo workspace (Kestrel Home Services) at \(url.path).")
    }
}
