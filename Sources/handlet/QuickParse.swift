import ArgumentParser
import Foundation

/// Parsing a command line that names its subcommand without the work only other command lines need
/// (issue 26). argument-parser, on every run, parses the arguments a second time as its own
/// `--generate-completion-script` commands and reflects the default subcommand's (the console's)
/// arguments: together about a fifth of `handlet calls list`'s instructions, all of it
/// conformance lookups. Neither can be switched off without changing what help and errors say, so
/// a command line that cannot be asking for either (it names a subcommand first and has no help,
/// version or completion flag anywhere) is parsed once with a root that has no default subcommand
/// and no completion flag. Anything else, and any failure of that first try, is parsed the
/// standard way from the start: help, usage, errors and exit statuses are argument-parser's own.
enum QuickParse {
    /// True only during the first try (argument-parser reads the root's configuration then).
    nonisolated(unsafe) private(set) static var isTrying = false

    /// The root as parsing needs it when the first argument names a subcommand: the default
    /// subcommand is never reached then, and `_superCommandName` is what argument-parser checks
    /// before looking for `--generate-completion-script` (it appears only in help and usage text,
    /// which a first try never prints).
    static let configuration: CommandConfiguration = {
        var quick = HandletCommand.standardConfiguration
        quick.defaultSubcommand = nil
        quick._superCommandName = ""
        return quick
    }()

    /// The command `arguments` (without the program's name) ask for, parsed as `parseAsRoot` would.
    static func command(_ arguments: [String]) throws -> ParsableCommand {
        if qualifies(arguments) {
            isTrying = true
            defer { isTrying = false }
            if let command = try? HandletCommand.parseAsRoot(arguments) { return command }
        }
        return try HandletCommand.parseAsRoot(arguments)
    }

    /// `handlet --help` (or `-h`) alone: the help argument-parser would print for it, without
    /// parsing the line first (which would spend a third of the run looking for a completion request).
    static func rootHelp(_ arguments: [String]) -> String? {
        guard arguments == ["--help"] || arguments == ["-h"], !forcedStandard else { return nil }
        return HandletCommand.helpMessage(for: HandletCommand.self)
    }

    /// The first argument names a subcommand, and nothing anywhere could ask argument-parser for
    /// help, the version, a completion script or completions.
    static func qualifies(_ arguments: [String]) -> Bool {
        guard !forcedStandard, let first = arguments.first,
              HandletCommand.standardConfiguration.subcommands.contains(where: { $0.configuration.commandName == first })
        else { return false }
        return !arguments.contains { argument in
            if argument == "--" { return false }
            if argument.hasPrefix("--") {
                return ["--help", "--version", "--generate-completion-script", "--experimental-dump-help", "---"]
                    .contains { argument.hasPrefix($0) }
            }
            // `-h`, `-help` and short flags run together (`-xh`).
            return argument.hasPrefix("-") && argument.contains("h")
        }
    }

    /// A test hook: the standard parse for every line, to compare with (`QuickParseTests`).
    private static var forcedStandard: Bool {
        #if HANDLET_TEST_HOOKS
        getenv("HANDLET_TEST_STANDARD_PARSE") != nil
        #else
        false
        #endif
    }
}
