import ArgumentParser
import Foundation
import HandletDomain

// Failures print one line on standard error and exit non-zero (DESIGN §2); argument errors keep
// argument-parser's message and usage. Both go through `TerminalText`: sanitised, input echoed short.
do {
    var command = try HandletCommand.parseAsRoot()
    try command.run()
} catch let failure as CommandFailure {
    TerminalText.writeError(failure.description)
    exit(failure.exitCode)
} catch let denied as PermissionDenied {
    // A refusal a command did not wrap is still one line and exit 77.
    let failure = CommandFailure(denied)
    TerminalText.writeError(failure.description)
    exit(failure.exitCode)
} catch {
    let code = HandletCommand.exitCode(for: error)
    let message = HandletCommand.fullMessage(for: error)
    if code == .success {
        // --help, --version: our own text, on standard output.
        if !message.isEmpty { print(message) }
    } else {
        TerminalText.writeUsageError(message)
    }
    exit(code.rawValue)
}
