import ArgumentParser
import Foundation
import HandletConsole

/// `handlet keys`: the console's keys, from the same tables that dispatch them.
struct KeysCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys", abstract: "List the console's keys (with your keys.toml), or print docs/keys.md with --markdown.")

    @Flag(name: .long, help: "Print the reference of the default keys as Markdown (docs/keys.md).") var markdown = false

    func run() throws {
        if markdown { return print(KeyReference.markdown(), terminator: "") }
        let config = KeyConfig.load()
        for problem in config.problems { TerminalText.writeError("\(problem)") }
        print(KeyReference.text(keys: config.bindings), terminator: "")
    }
}
