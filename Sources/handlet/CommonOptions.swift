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

/// `--user EMAIL` or `HANDLET_USER`: who acts, for every changing command.
struct ActingUserOptions: ParsableArguments {
    @Option(name: .long, help: "Act as this user (default: $HANDLET_USER).")
    var user: String?

    var email: String? { user ?? ProcessInfo.processInfo.environment["HANDLET_USER"] }

    func actor(in workspace: Workspace) throws -> Actor {
        do { return try workspace.actor(email: email) } catch { throw CommandFailure(error) }
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
    init(_ message: String) { description = message }
    init(_ error: Error) {
        description = (error as? CommandFailure)?.description ?? String(describing: error)
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
