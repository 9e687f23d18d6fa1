import Foundation
import TerminalUI

/// The one way the CLI's plain text reaches standard output and standard error (issue 11).
///
/// Names, external ids, hold reasons, job-detail keys, bodies and the arguments a person typed
/// are untrusted: written raw, an ESC retitles the window and a bidi override reorders a line.
/// So every line is sanitised here exactly as the console's grid does it (`Sanitizer`: controls,
/// escape sequences, C1, DEL, bidi overrides and isolates shown as visible stand-ins), always, not
/// only when the output is a terminal: a file or a pipe read later with `cat` is a terminal too.
/// Only line breaks pass. `--json` goes through `JSONOutput` instead, which keeps the data exact.
enum TerminalText {
    /// Each line made safe; the line breaks between them kept.
    static func safeLines(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false)
            .map { Sanitizer.clean(String($0)) }.joined(separator: "\n")
    }

    /// A failure as one line on standard error: sanitised, and any input given to this process
    /// (an argument, `TERM`, `HANDLET_USER`) echoed at most `Sanitizer.echoLimit` columns, whoever
    /// built the message (the domain, TerminalUI, argument-parser or this CLI).
    static func errorLine(_ message: String) -> String {
        "handlet: " + echoingInputsShort(safeLines(message).replacingOccurrences(of: "\n", with: " "))
    }

    static func writeError(_ message: String) {
        FileHandle.standardError.write(Data((errorLine(message) + "\n").utf8))
    }

    private static func echoingInputsShort(_ safeText: String) -> String {
        var text = safeText
        for input in untrustedInputs() {
            let safe = Sanitizer.clean(input)
            let echo = Sanitizer.echo(input)
            if echo != safe, text.contains(safe) { text = text.replacingOccurrences(of: safe, with: echo) }
        }
        return text
    }

    /// The inputs an error message might repeat, longest first (so a part is never echoed inside
    /// a whole): every argument, the value of `--name=value`, a path as `~` expands it, and the
    /// environment variables the CLI reads.
    private static func untrustedInputs() -> [String] {
        let environment = ProcessInfo.processInfo.environment
        var inputs: [String] = []
        for argument in CommandLine.arguments.dropFirst() + ["TERM", "HANDLET_USER"].compactMap({ environment[$0] }) {
            inputs.append(argument)
            if let equals = argument.firstIndex(of: "=") { inputs.append(String(argument[argument.index(after: equals)...])) }
            inputs.append((argument as NSString).expandingTildeInPath)
        }
        return Set(inputs).filter { $0.count > 1 }.sorted { $0.unicodeScalars.count > $1.unicodeScalars.count }
    }
}

/// Shadows `Swift.print` in this module: every plain-text line the CLI prints is made safe, so a
/// new command cannot forget to (DESIGN §8).
func print(_ text: String, terminator: String = "\n") {
    Swift.print(TerminalText.safeLines(text), terminator: terminator)
}
