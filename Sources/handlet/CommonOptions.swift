import ArgumentParser
import Foundation
import HandletDomain

/// `--db PATH`: which workspace. Shared by every subcommand (DESIGN §2).
struct WorkspaceOptions: ParsableArguments {
    @Option(name: .long, help: "Workspace database (default: $XDG_DATA_HOME/handlet/workspace.sqlite).")
    var db: String?

    var databaseURL: URL {
        if let db { return URL(fileURLWithPath: (db as NSString).expandingTildeInPath) }
        return Workspace.defaultDatabaseURL()
    }

    func open() throws -> Workspace {
        do { return try Workspace.open(at: databaseURL) } catch { throw CommandFailure(error) }
    }
}

/// `--user EMAIL` or `HANDLET_USER`: who acts. Every changing command needs one; reads fall back
/// to the workspace's owner, as the console does.
struct ActingUserOptions: ParsableArguments {
    @Option(name: .long, help: "Act as this user (default: $HANDLET_USER).")
    var user: String?

    var email: String? { user ?? ProcessInfo.processInfo.environment["HANDLET_USER"] }

    /// The session every command works through; an unknown or disabled user is refused.
    func session(in workspace: Workspace, otherwise fallback: Workspace.ActorFallback = .refuse) throws -> WorkspaceSession {
        try failing { try workspace.session(actingAs: email, otherwise: fallback) }
    }
}

/// `--user` for a read: help says who reads when nobody is named.
struct ReadingUserOptions: ParsableArguments {
    @Option(name: .long, help: "Read as this user (default: $HANDLET_USER, else the workspace's owner).")
    var user: String?

    var email: String? { user ?? ProcessInfo.processInfo.environment["HANDLET_USER"] }

    func session(in workspace: Workspace) throws -> WorkspaceSession {
        try failing { try workspace.session(actingAs: email, otherwise: .localOwner) }
    }
}

/// `--yes` for commands that would ask; without it they refuse rather than hang when stdin is not a terminal.
struct ConfirmationOptions: ParsableArguments {
    @Flag(name: .long, help: "Do not ask for confirmation.")
    var yes = false

    /// Asks on a terminal; refuses when standard input is not one and `--yes` was not given.
    func confirm(_ question: String) throws -> Bool {
        if yes { return true }
        guard isatty(STDIN_FILENO) == 1 else {
            throw CommandFailure("\(question) Refusing without --yes because standard input is not a terminal.")
        }
        FileHandle.standardError.write(Data("\(question) [y/N] ".utf8))
        let answer = readLine()?.trimmingCharacters(in: .whitespaces).lowercased() ?? ""
        return answer == "y" || answer == "yes"
    }
}

/// A one-line reason on standard error and a non-zero exit, for every failure (DESIGN §2).
struct CommandFailure: Error, CustomStringConvertible {
    let description: String
    /// The BSD `sysexits` code the process exits with (DESIGN §2, `ExitStatus`); 1 for anything not mapped yet.
    let exitCode: Int32

    /// `EX_NOPERM`: the acting user's role may not do it (a `PermissionDenied` from the session).
    static let permissionRefused: Int32 = ExitStatus.refused

    init(_ message: String, exitCode: Int32 = ExitStatus.failure) {
        description = message
        self.exitCode = exitCode
    }

    init(_ error: Error) {
        if let failure = error as? CommandFailure {
            self = failure
            return
        }
        self.init(String(describing: error), exitCode: ExitStatus.code(for: error))
    }
}

extension CommandFailure: LocalizedError {
    var errorDescription: String? { description }
}

/// JSON output with stable, documented field names (snake_case, ISO 8601 times).
enum JSONOutput {
    static func print<T: Encodable>(_ value: T) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.dateEncodingStrategy = .iso8601
        FileHandle.standardOutput.write(try encoder.encode(value))
        FileHandle.standardOutput.write(Data("\n".utf8))
    }
}
