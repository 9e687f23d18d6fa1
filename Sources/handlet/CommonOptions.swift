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

    /// For a command that changes something (or may): an older schema is migrated first.
    func open() throws -> Workspace {
        try checkPath()
        do { return try Workspace.open(at: databaseURL) } catch { throw CommandFailure(error) }
    }

    /// For a command that only reads: writes nothing at open, so another process's writer never
    /// delays it, and an older schema is reported instead of migrated.
    func openForReading() throws -> Workspace {
        try checkPath()
        do { return try Workspace.open(at: databaseURL, access: .readOnly) } catch { throw CommandFailure(error) }
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
        try refuseEmptyUser(user)
        return try failing { try workspace.session(actingAs: email, otherwise: fallback, clock: .fixed(CommandClock.now)) }
    }
}

/// `--user` for a read: help says who reads when nobody is named.
struct ReadingUserOptions: ParsableArguments {
    @Option(name: .long, help: "Read as this user (default: $HANDLET_USER, else the workspace's owner).")
    var user: String?

    var email: String? { user ?? ProcessInfo.processInfo.environment["HANDLET_USER"] }

    func session(in workspace: Workspace) throws -> WorkspaceSession {
        try refuseEmptyUser(user)
        return try failing { try workspace.session(actingAs: email, otherwise: .localOwner, clock: .fixed(CommandClock.now)) }
    }
}

/// `--user ''` is refused the same way by every command, reading or changing (issue 28): an
/// empty name is a slip (an unset shell variable), not a choice of "nobody"; leaving `--user`
/// out is how to name nobody. (An empty `HANDLET_USER` counts as unset, as environments go.)
func refuseEmptyUser(_ user: String?) throws {
    guard let user, user.trimmingCharacters(in: .whitespaces).isEmpty else { return }
    throw CommandFailure("--user is empty; give a user's email, or leave --user out.", .usage)
}

/// `--yes` for commands that would ask; without it they refuse rather than hang when stdin is not a terminal.
struct ConfirmationOptions: ParsableArguments {
    @Flag(name: .long, help: "Do not ask for confirmation.")
    var yes = false

    /// Asks on a terminal; refuses when standard input is not one and `--yes` was not given.
    func confirm(_ question: String) throws -> Bool {
        if yes { return true }
        guard isatty(STDIN_FILENO) == 1 else {
            throw CommandFailure("\(question) Refusing without --yes because standard input is not a terminal.", .usage)
        }
        FileHandle.standardError.write(Data("\(TerminalText.safeLines(question)) [y/N] ".utf8))
        let answer = readLine()?.trimmingCharacters(in: .whitespaces).lowercased() ?? ""
        return answer == "y" || answer == "yes"
    }
}

/// A flag's value that parses but is out of its range (`--limit 0`): bad data (65), like any
/// value out of range, not usage (README "Exit statuses"). Found in `validate()`, where
/// argument-parser keeps nothing of a thrown error but an `ExitCode`, so its one line is written here.
func outOfRange(_ reason: String) -> ExitCode {
    // A quick first try that fails is parsed again the standard way, which writes the line.
    if !QuickParse.isTrying { TerminalText.writeError(reason) }
    return ExitCode(ExitClass.dataError.rawValue)
}

/// A one-line reason on standard error and a non-zero exit, for every failure (DESIGN §2).
/// Each one thrown names its exit class: there is no default to fall back on.
struct CommandFailure: SysexitsError, CustomStringConvertible {
    let description: String
    let exitClass: ExitClass

    init(_ message: String, _ exitClass: ExitClass) {
        description = message
        self.exitClass = exitClass
    }

    /// Another error, with its message and its own class (1 for one that is not ours).
    init(_ error: Error) {
        description = (error as? CommandFailure)?.description ?? String(describing: error)
        exitClass = (error as? SysexitsError)?.exitClass ?? .failure
    }

    /// The process's exit status.
    var exitCode: Int32 { exitClass.rawValue }
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
        FileHandle.standardOutput.write(escapingInvisibles(try encoder.encode(value)))
        FileHandle.standardOutput.write(Data("\n".utf8))
    }

    /// The data stays exact, but DEL, C1 controls, bidi marks, overrides and isolates and the
    /// line/paragraph separators become `\u` escapes (JSONEncoder escapes only C0), so only a
    /// decoder (`jq -r` into a terminal) turns them back into raw bytes. They can occur only
    /// inside strings, so replacing them anywhere keeps the JSON valid.
    static func escapingInvisibles(_ json: Data) -> Data {
        let text = String(decoding: json, as: UTF8.self)
        guard text.unicodeScalars.contains(where: mustEscape) else { return json }
        var escaped = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if mustEscape(scalar) {
                escaped.append(contentsOf: String(format: "\\u%04x", scalar.value).unicodeScalars)
            } else {
                escaped.append(scalar)
            }
        }
        return Data(String(escaped).utf8)
    }

    private static func mustEscape(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x7F...0x9F, 0x061C, 0x200E, 0x200F, 0x2028, 0x2029, 0x202A...0x202E, 0x2066...0x2069: true
        default: false
        }
    }
}
