import Foundation
import XCTest
import HandletTestSupport

/// Issue 16: `scripts/install.sh PREFIX` installs the binary, man pages, completions and themes,
/// all generated from the binary being installed.
final class InstallScriptTests: XCTestCase {
    func testInstallPutsEverythingUnderThePrefix() throws {
        let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let prefix = FileManager.default.temporaryDirectory.appendingPathComponent("handlet-install-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: prefix) }
        let generator = try manualGenerator(repository: repository)
        let install = try run("/bin/bash", [repository.appendingPathComponent("scripts/install.sh").path, prefix.path],
                              environment: ["HANDLET_BINARY": HandletBinary.url.path, "HANDLET_GENERATE_MANUAL": generator.path],
                              in: repository)
        XCTAssertEqual(install.status, 0, install.output)

        let installed = prefix.appendingPathComponent("bin/handlet")
        XCTAssertTrue(FileManager.default.isExecutableFile(atPath: installed.path))
        let help = try run(installed.path, ["--help"])
        XCTAssertTrue(help.output.contains("SUBCOMMANDS"), help.output)

        let man = prefix.appendingPathComponent("share/man/man1")
        let pages = try FileManager.default.contentsOfDirectory(atPath: man.path)
        for page in ["handlet.1", "handlet.calls.list.1", "handlet.retention.set.1", "handlet.audit.verify.1"] {
            XCTAssertTrue(pages.contains(page), "\(page) in \(pages)")
        }
        let root = try String(contentsOf: man.appendingPathComponent("handlet.1"), encoding: .utf8)
        XCTAssertTrue(root.contains(".Sh NAME") && root.contains("handlet.calls"), String(root.prefix(400)))
        let list = try String(contentsOf: man.appendingPathComponent("handlet.calls.list.1"), encoding: .utf8)
        XCTAssertTrue(list.contains("since"), "the page documents the flags")

        let bash = prefix.appendingPathComponent("share/bash-completion/completions/handlet").path
        let completed = try run("/bin/bash", ["-c", "source \"$1\"; COMP_WORDS=(handlet re); COMP_CWORD=1; _handlet; echo \"${COMPREPLY[*]}\"", "-", bash])
        XCTAssertEqual(completed.status, 0, completed.output)
        XCTAssertTrue(completed.output.contains("retention") && completed.output.contains("calls"), completed.output)
        for path in ["share/zsh/site-functions/_handlet", "share/fish/vendor_completions.d/handlet.fish"] {
            let script = try String(contentsOf: prefix.appendingPathComponent(path), encoding: .utf8)
            XCTAssertTrue(script.contains("retention"), path)
        }
        let themes = try FileManager.default.contentsOfDirectory(atPath: prefix.appendingPathComponent("share/handlet/themes").path)
        XCTAssertEqual(Set(themes), ["dark.theme", "light.theme", "high-contrast.theme", "monochrome.theme"])

        let usage = try run("/bin/bash", [repository.appendingPathComponent("scripts/install.sh").path])
        XCTAssertEqual(usage.status, 64, "no prefix is a usage error")
    }

    /// argument-parser's manual generator, which scripts/install.sh runs. `swift test` cannot
    /// depend on it (argument-parser declares it as a target, not a product) and a build started
    /// from inside `swift test` in .build would wait forever for the test run's own lock, so it is
    /// built here in a scratch path of its own, `.build-manual` (ignored by git; only
    /// argument-parser compiles, and later runs find it built). A generator given in
    /// `HANDLET_GENERATE_MANUAL` is used as it is.
    private struct NoGenerator: Error, CustomStringConvertible { let description: String }

    private func manualGenerator(repository: URL) throws -> URL {
        if let given = ProcessInfo.processInfo.environment["HANDLET_GENERATE_MANUAL"] { return URL(fileURLWithPath: given) }
        let scratch = repository.appendingPathComponent(".build-manual").path
        let build = try run("/usr/bin/env", ["swift", "build", "--scratch-path", scratch, "--product", "generate-manual"],
                            in: repository)
        XCTAssertEqual(build.status, 0, build.output)
        let binPath = try run("/usr/bin/env", ["swift", "build", "--scratch-path", scratch, "--show-bin-path"], in: repository)
        // The path is the last line (the output also carries anything the build said on stderr).
        let binDirectory = binPath.output.split(separator: "\n").last.map(String.init) ?? ""
        let generator = URL(fileURLWithPath: binDirectory).appendingPathComponent("generate-manual")
        guard FileManager.default.isExecutableFile(atPath: generator.path) else {
            throw NoGenerator(description: "no generate-manual at \(generator.path) after building it:\n\(build.output)")
        }
        return generator
    }

    private func run(_ executable: String, _ arguments: [String], environment: [String: String] = [:], in directory: URL? = nil) throws -> (status: Int32, output: String) {
        let outcome = try ChildProcess.run(URL(fileURLWithPath: executable), arguments,
                                           environment: ProcessInfo.processInfo.environment.merging(environment) { _, new in new },
                                           directory: directory, timeout: 7_200)
        return (outcome.status, outcome.output)
    }
}
