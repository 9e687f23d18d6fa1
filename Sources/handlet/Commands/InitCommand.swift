import ArgumentParser
import Foundation
import HandletDomain

/// `handlet init`: a real, empty workspace for one business (issue 24), its first user the owner.
struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Create an empty workspace for your business, with you as its owner.",
        discussion: """
            Recording starts on, with recordings kept 30 days; Auto-Send starts off, every intent \
            off. Never replaces an existing workspace. Bring records in with `handlet import`, add \
            colleagues with `handlet users add`.
            """)

    @OptionGroup var workspace: WorkspaceOptions
    @Option(name: .long, help: "The business's name, as customers know it.") var name: String
    @Option(name: .long, help: "The owner's email: the first user, who may do everything.") var owner: String
    @Option(name: .customLong("owner-name"), help: "The owner's name (default: the part of the email before @).")
    var ownerName: String?
    @Option(name: .customLong("time-zone"), help: "The business's time zone (default: Europe/London).")
    var timeZone = "Europe/London"

    func run() throws {
        try workspace.checkPath(creating: true)
        let url = workspace.databaseURL
        let new = NewWorkspace(businessName: name, ownerEmail: owner, ownerName: ownerName, timeZone: timeZone)
        let created: Workspace
        do {
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            created = try Workspace.create(at: url, new, now: CommandClock.now)
        } catch WorkspaceError.alreadyExists(let path) {
            throw CommandFailure("A workspace already exists at \(path); init never replaces one. Choose another --db path.",
                                 .cannotCreate)
        } catch {
            throw CommandFailure(error)
        }
        let info = try failing { try created.session(as: .system).read(.workspaceInfo) }
        let dbOption = workspace.db.map { " --db " + Self.shellWord($0) } ?? ""
        print("Created workspace \(info.name) at \(info.path), owned by \(new.ownerEmail.trimmingCharacters(in: .whitespaces)).")
        print("Recording is on, kept 30 days; Auto-Send is off.")
        let owner = Self.shellWord(new.ownerEmail.trimmingCharacters(in: .whitespaces))
        print("Next: handlet import FORMAT FILE\(dbOption) --user \(owner) to bring records in (docs/import.md), "
              + "or handlet\(dbOption) to open the console.")
    }

    /// A path as a shell reads it back: quoted when it holds anything but the plain characters.
    static func shellWord(_ text: String) -> String {
        let plain = text.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || "/._-~+:@".unicodeScalars.contains($0)) }
        return plain ? text : "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
