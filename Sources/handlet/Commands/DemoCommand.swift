import ArgumentParser
import Foundation
import HandletDemo
import HandletDomain

/// `handlet demo`: a realistic demo workspace generated from a seed (DESIGN §3).
struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Create a demo workspace (Kestrel Home Services) with realistic calls, recordings and messages.",
        discussion: """
            The same --seed gives the same records and recording files for the same day. Refuses to \
            replace an existing workspace unless --replace is given. Ctrl-C stops cleanly and keeps nothing.
            """)

    @OptionGroup var workspace: WorkspaceOptions
    @Option(name: .long, parsing: .unconditional, help: "Number of calls (0 to \(DemoWorkspace.maximumCalls)).") var calls = 5_000
    @Option(name: .long, parsing: .unconditional, help: "Number of messages (0 to \(DemoWorkspace.maximumMessages)).") var messages = 15_000
    @Option(name: .long, parsing: .unconditional, help: "Seed for the generator (a whole number, 0 or more).") var seed: UInt64 = 1
    @Flag(name: .long, help: "Delete an existing workspace at the path (and its recordings) first.")
    var replace = false

    func validate() throws {
        guard (0...DemoWorkspace.maximumCalls).contains(calls) else {
            throw outOfRange("--calls must be between 0 and \(DemoWorkspace.maximumCalls), not \(calls).")
        }
        guard (0...DemoWorkspace.maximumMessages).contains(messages) else {
            throw outOfRange("--messages must be between 0 and \(DemoWorkspace.maximumMessages), not \(messages).")
        }
    }

    func run() throws {
        try workspace.checkPath(creating: true)
        let url = workspace.databaseURL
        if replace { try failing { try WorkspaceFiles.remove(at: url) } }
        let bar = ProgressBar()
        let interrupt = InterruptFlag()
        let started = Date()
        let created: Workspace
        do {
            created = try DemoWorkspace.create(at: url, options: DemoOptions(calls: calls, messages: messages, seed: seed, anchor: CommandClock.now),
                                               progress: demoProgress(bar, interrupt: interrupt))
            bar.finish()
        } catch WorkspaceError.alreadyExists(let path) {
            bar.finish()
            throw CommandFailure("A workspace already exists at \(path); remove it, choose another --db path, or pass --replace.", .cannotCreate)
        } catch {
            bar.finish()
            throw CommandFailure(error)
        }
        let info = try failing { try created.session(as: .system).read(.workspaceInfo) }
        let seconds = String(format: "%.1f", Date().timeIntervalSince(started))
        print("Created demo workspace \(info.name) at \(info.path) in \(seconds) s: "
              + "\(info.counts.calls.formatted(.number)) calls, \(info.counts.messages.formatted(.number)) messages, "
              + "\(info.counts.recordings.formatted(.number)) recordings on disk.")
        print("Users: " + DemoBusiness.users.map { "\($0.email) (\($0.role.rawValue))" }.joined(separator: ", "))
    }
}
