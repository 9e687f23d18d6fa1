import ArgumentParser
import Foundation

// Failures print one line on standard error and exit with a sysexits code (DESIGN §2, ExitStatus);
// argument errors keep argument-parser's own message and usage.
do {
    var command = try HandletCommand.parseAsRoot()
    try command.run()
} catch let failure as CommandFailure {
    FileHandle.standardError.write(Data("handlet: \(failure.description)\n".utf8))
    exit(failure.code)
} catch {
    HandletCommand.exit(withError: error)
}
