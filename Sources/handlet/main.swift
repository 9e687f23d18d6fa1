import ArgumentParser
import Foundation
import HandletDomain

// Failures print one line on standard error and exit with a sysexits code (DESIGN §2, ExitStatus);
// argument errors keep argument-parser's own message and usage.
do {
    var command = try HandletCommand.parseAsRoot()
    try command.run()
} catch let failure as CommandFailure {
    FileHandle.standardError.write(Data("handlet: \(failure.description)\n".utf8))
    exit(failure.exitCode)
} catch let denied as PermissionDenied {
    // A refusal a command did not wrap is still one line and exit 77.
    let failure = CommandFailure(denied)
    FileHandle.standardError.write(Data("handlet: \(failure.description)\n".utf8))
    exit(failure.exitCode)
} catch {
    HandletCommand.exit(withError: error)
}
