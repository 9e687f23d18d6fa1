import Foundation
import XCTest

/// Issue 21: CI runs what the README tells a newcomer to run, so a green CI means the README's
/// test command passes on a fresh clone. `.ci/run` may install packages; everything else it does
/// is the README's test command, word for word.
final class CIScriptTests: XCTestCase {
    private let repository = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    func testCIRunsExactlyTheReadmesTestCommandAfterPackageInstalls() throws {
        let readmeCommand = try readmeTestCommand()
        XCTAssertEqual(readmeCommand, "swift test", "the README's test command changed: check .ci/run and this test")

        let commands = try ciCommands()
        XCTAssertEqual(commands.last, readmeCommand, ".ci/run must end with the README's test command: \(commands)")
        let others = commands.dropLast().filter { !Self.isPackageInstallStep($0) }
        XCTAssertEqual(others, [], ".ci/run does more than install packages and run `\(readmeCommand)`")
        XCTAssertEqual(commands.filter { $0 == readmeCommand }.count, 1, "the test command runs once")
    }

    func testThePackageInstallGrammarRejectsABuildStep() {
        // The filter above must not let a build step through as an "install".
        XCTAssertFalse(Self.isPackageInstallStep("swift build --product generate-manual"))
        XCTAssertFalse(Self.isPackageInstallStep("swift build"))
        XCTAssertTrue(Self.isPackageInstallStep(#"dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")"#))
        XCTAssertTrue(Self.isPackageInstallStep(#"apt-get update && apt-get install -y "${missing[@]}""#))
    }

    /// The README's first code block names the test command on the line that says it runs the tests.
    private func readmeTestCommand() throws -> String {
        let readme = try String(contentsOf: repository.appendingPathComponent("README.md"), encoding: .utf8)
        let line = try XCTUnwrap(readme.split(separator: "\n").first { $0.hasPrefix("    ") && $0.contains("# runs the tests") },
                                 "README.md has no `    COMMAND   # runs the tests` line")
        return line.split(separator: "#", maxSplits: 1)[0].trimmingCharacters(in: .whitespaces)
    }

    /// The script's command lines, comments and blank lines left out.
    private func ciCommands() throws -> [String] {
        let script = try String(contentsOf: repository.appendingPathComponent(".ci/run"), encoding: .utf8)
        return script.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty && !$0.hasPrefix("#") }
    }

    /// Shell set-up and the steps that find and install missing Debian packages.
    private static func isPackageInstallStep(_ line: String) -> Bool {
        if line == "set -euo pipefail" || line == #"cd "$(dirname "$0")/..""# { return true }
        if ["done", "fi", "missing=()"].contains(line) { return true }
        if line.hasPrefix("for package in ") || line.hasPrefix("if [ ${#missing[@]}") { return true }
        if line.hasPrefix("dpkg -s ") || line.hasPrefix("apt-get ") { return true }
        return false
    }
}
