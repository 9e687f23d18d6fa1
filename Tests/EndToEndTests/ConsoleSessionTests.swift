import Foundation
import XCTest
import HandletTestSupport

/// The acting-user rules and session audit of the real console, locally (tmux, no sshd): over SSH
/// nobody is implied; locally the owner fallback is named as such; start and end are audited with
/// how the session ended; Ctrl-Z is ignored when no shell could resume the console.
final class ConsoleSessionTests: XCTestCase {
    private static let owner = "owner@kestrelhomeservices.co.uk"
    private var folder: URL!
    private var database: String { folder.appendingPathComponent("demo.sqlite").path }

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("handlet-session-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    override func tearDown() {
        if let folder { try? FileManager.default.removeItem(at: folder) }
    }

    private func makeDemo() throws {
        let made = try HandletBinary.run(["demo", "--calls", "60", "--messages", "120", "--seed", "7", "--db", database])
        XCTAssertEqual(made.status, 0, made.stderr)
    }

    private func auditEvents(_ action: String) throws -> [[String: Any]] {
        let listed = try HandletBinary.run(["audit", "list", "--json", "--action", action, "--db", database, "--user", Self.owner])
        XCTAssertEqual(listed.status, 0, listed.stderr)
        return try XCTUnwrap(JSONSerialization.jsonObject(with: Data(listed.stdout.utf8)) as? [[String: Any]], listed.stdout)
    }

    func testOverSSHWithNoUserTheConsoleRefusesBeforeOpeningAnything() throws {
        for environment in [["SSH_CONNECTION": "192.0.2.7 50000 192.0.2.1 22"], ["SSH_TTY": "/dev/pts/9"]] {
            let missing = folder.appendingPathComponent("never-made.sqlite").path
            var env = environment
            env["HANDLET_USER"] = ""
            let outcome = try HandletBinary.run(["--db", missing], environment: env)
            XCTAssertEqual(outcome.status, 77, outcome.stderr)
            XCTAssertTrue(outcome.stderr.hasPrefix("handlet: Over SSH"), outcome.stderr)
            XCTAssertTrue(outcome.stderr.contains("restrict,pty,command=\"handlet --user EMAIL --db PATH\""), outcome.stderr)
            XCTAssertEqual(outcome.stderr.split(separator: "\n").count, 1, outcome.stderr)
            XCTAssertFalse(FileManager.default.fileExists(atPath: missing), "nothing opened or created")
        }
    }

    func testOverSSHAnUnknownUserIsRefusedWithOneLine() throws {
        try makeDemo()
        let outcome = try HandletBinary.run(["--db", database, "--user", "nobody@example.test"],
                                            environment: ["SSH_CONNECTION": "192.0.2.7 50000 192.0.2.1 22"])
        XCTAssertEqual(outcome.status, 77, outcome.stderr)
        XCTAssertEqual(outcome.stderr, "handlet: No user nobody@example.test in this workspace (see `handlet users list`).\n")
    }

    func testLocallyTheOwnerFallbackIsShownAndTheSessionIsAuditedAtStartAndEnd() throws {
        try TerminalDriver.skipUnlessAvailable()
        try makeDemo()
        let terminal = try TerminalDriver(executable: HandletBinary.url, arguments: ["--db", database], environment: ["HANDLET_USER": ""])
        defer { terminal.close() }
        let screen = try terminal.waitFor("fallback: no --user")
        XCTAssertTrue(screen.contains("Gareth Holroyd (owner, fallback: no --user)"), screen)
        terminal.press("q")
        XCTAssertEqual(try terminal.waitForExit().exitCode, 0)
        let started = try XCTUnwrap(auditEvents("console.session_started").first)
        let ended = try XCTUnwrap(auditEvents("console.session_ended").first)
        XCTAssertEqual(started["target"] as? String, ended["target"] as? String)
        XCTAssertEqual((started["details"] as? [String: Any])?["transport"] as? String, "local")
        XCTAssertNil((started["details"] as? [String: Any])?["client_address"])
        XCTAssertEqual((ended["details"] as? [String: Any])?["reason"] as? String, "quit")
    }

    func testANamedUserIsNotCalledAFallback() throws {
        try TerminalDriver.skipUnlessAvailable()
        try makeDemo()
        let terminal = try TerminalDriver(executable: HandletBinary.url, arguments: ["--db", database, "--user", Self.owner])
        defer { terminal.close() }
        let screen = try terminal.waitFor("Gareth Holroyd (owner)")
        XCTAssertFalse(screen.contains("fallback"), screen)
        terminal.press("q")
        XCTAssertEqual(try terminal.waitForExit().exitCode, 0)
    }

    /// SIGHUP (the terminal or connection gone): the console ends within a second, records the
    /// session end as a hang-up, and still dies by SIGHUP so the parent sees how it ended.
    func testHangupEndsWithinASecondAndIsRecordedAsAHangup() throws {
        try TerminalDriver.skipUnlessAvailable()
        try makeDemo()
        let terminal = try TerminalDriver(executable: HandletBinary.url, arguments: ["--db", database, "--user", Self.owner])
        defer { terminal.close() }
        _ = try terminal.waitFor("Gareth Holroyd (owner)")
        let sent = ContinuousClock.now
        terminal.send(signal: SIGHUP)
        let status = try terminal.waitForExit(timeout: .seconds(5))
        XCTAssertLessThan(ContinuousClock.now - sent, .seconds(1))
        XCTAssertEqual(status.signal, SIGHUP, "\(status)")
        XCTAssertEqual(terminal.terminalSettingsAfterExit()?.isSane, true)
        let ended = try XCTUnwrap(auditEvents("console.session_ended").first)
        XCTAssertEqual((ended["details"] as? [String: Any])?["reason"] as? String, "hangup")
        let verified = try HandletBinary.run(["audit", "verify", "--db", database])
        XCTAssertEqual(verified.status, 0, verified.stdout + verified.stderr)
    }

    func testSIGTERMIsRecordedAsTerminated() throws {
        try TerminalDriver.skipUnlessAvailable()
        try makeDemo()
        let terminal = try TerminalDriver(executable: HandletBinary.url, arguments: ["--db", database, "--user", Self.owner])
        defer { terminal.close() }
        _ = try terminal.waitFor("Gareth Holroyd (owner)")
        terminal.send(signal: SIGTERM)
        XCTAssertEqual(try terminal.waitForExit(timeout: .seconds(5)).signal, SIGTERM)
        let ended = try XCTUnwrap(auditEvents("console.session_ended").first)
        XCTAssertEqual((ended["details"] as? [String: Any])?["reason"] as? String, "terminated")
    }

    /// Under a forced SSH command there is no shell to return to: Ctrl-Z is ignored and says so.
    func testCtrlZUnderAForcedCommandIsIgnoredWithAMessage() throws {
        try TerminalDriver.skipUnlessAvailable()
        try makeDemo()
        let terminal = try TerminalDriver(executable: HandletBinary.url, arguments: ["--db", database, "--user", Self.owner],
                                          environment: ["SSH_CONNECTION": "192.0.2.7 50000 192.0.2.1 22",
                                                        "SSH_ORIGINAL_COMMAND": ""])
        defer { terminal.close() }
        _ = try terminal.waitFor("Gareth Holroyd (owner)")
        terminal.press("C-z")
        _ = try terminal.waitFor("Suspend is off: no shell to return to")
        XCTAssertNil(try? terminal.waitForExit(timeout: .milliseconds(300)), "still running, not stopped")
        terminal.press("2")
        _ = try terminal.waitFor("Contact or number")
        terminal.press("q")
        XCTAssertEqual(try terminal.waitForExit().exitCode, 0)
        let started = try XCTUnwrap(auditEvents("console.session_started").first)
        XCTAssertEqual((started["details"] as? [String: Any])?["client_address"] as? String, "192.0.2.7")
    }

    /// With a job-control shell behind it (the driver's wrapper runs `set -m`), Ctrl-Z still suspends.
    func testCtrlZSuspendsWhenAShellCanResume() throws {
        try TerminalDriver.skipUnlessAvailable()
        try makeDemo()
        let terminal = try TerminalDriver(executable: HandletBinary.url, arguments: ["--db", database, "--user", Self.owner])
        defer { terminal.close() }
        _ = try terminal.waitFor("Gareth Holroyd (owner)")
        terminal.press("C-z")
        _ = try terminal.waitForAbsence(of: "Gareth Holroyd (owner)")
        terminal.resumeFromShell()
        _ = try terminal.waitFor("Gareth Holroyd (owner)")
        terminal.press("q")
        XCTAssertEqual(try terminal.waitForExit().exitCode, 0)
    }
}
