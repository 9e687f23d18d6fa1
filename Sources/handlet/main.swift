import ArgumentParser
import Foundation
import HandletDomain
import TerminalUI

StartupProfile.mark("main")

// Failures print one line on standard error and exit non-zero (DESIGN §2); an argument error is
// one line too, naming the flag and the reason (the usage block is for --help). Both go through
// `TerminalText`: sanitised, input echoed short.
// An argument that is not UTF-8 would reach the commands with U+FFFD in place of its bytes and be
// stored or matched that way; it is refused, naming which one (issue 28).
for index in 1..<Int(CommandLine.argc) {
    guard let raw = CommandLine.unsafeArgv[index], String(validatingCString: raw) == nil else { continue }
    // Shown byte by byte: printable ASCII as it is, anything else as \xHH.
    let bytes = UnsafeBufferPointer(start: UnsafeRawPointer(raw).assumingMemoryBound(to: UInt8.self), count: strlen(raw))
    let shown = bytes.map { (0x20..<0x7F).contains($0) ? String(UnicodeScalar($0)) : String(format: "\\x%02X", $0) }.joined()
    TerminalText.writeError("Argument \(index) (\(Sanitizer.echo(shown))) is not valid UTF-8 text; nothing was done.")
    exit(ExitClass.usage.rawValue)
}

let arguments = Array(CommandLine.arguments.dropFirst())
if let help = QuickParse.rootHelp(arguments) {
    print(help)
    exit(0)
}

do {
    var command = try QuickParse.command(arguments)
    StartupProfile.mark("parsed")
    try command.run()
} catch let failure as CommandFailure {
    TerminalText.writeError(failure.description)
    exit(failure.exitCode)
} catch let ours as SysexitsError {
    // A domain error a command did not wrap is still one line and its own status.
    let failure = CommandFailure(ours)
    TerminalText.writeError(failure.description)
    exit(failure.exitCode)
} catch {
    let code = HandletCommand.exitCode(for: error)
    if code == .success {
        let message = HandletCommand.fullMessage(for: error)
        // --help, --version: our own text, on standard output.
        if !message.isEmpty { print(message) }
    } else if !HandletCommand.oneLineMessage(for: error).isEmpty {
        // An `ExitCode` alone (`outOfRange`) has had its line written already.
        TerminalText.writeError(HandletCommand.oneLineMessage(for: error))
    }
    exit(code.rawValue)
}

extension HandletCommand {
    /// argument-parser's message without its usage block and help hints, as one line.
    static func oneLineMessage(for error: Error) -> String {
        let lines = message(for: error).split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty && !$0.hasPrefix("Help:") && !$0.hasPrefix("Usage:") && !$0.hasPrefix("See '") }
        let text = lines.joined(separator: " ")
        return text.hasPrefix("Error: ") ? String(text.dropFirst(7)) : text
    }
}
