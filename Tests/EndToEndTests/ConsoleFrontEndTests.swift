import Foundation
import GRDB
@testable import HandletDomain
import XCTest
import HandletTestSupport

/// The real console and CLI in a terminal (tmux) for what only a terminal shows: the acting user,
/// `--theme`, the `[y/N]` question, and a purge the console runs in the background being killed
/// or stopped by quitting.
final class ConsoleFrontEndTests: XCTestCase {
    var folder: URL!
    var database: URL { folder.appendingPathComponent("demo.sqlite") }
    static let domain = "kestrelhomeservices.co.uk"

    override func setUpWithError() throws {
        try TerminalDriver.skipUnlessAvailable()
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("handlet-frontend-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let made = try HandletBinary.run(["demo", "--calls", "300", "--messages", "300", "--seed", "5", "--db", database.path])
        XCTAssertEqual(made.status, 0, made.stderr)
    }

    override func tearDown() {
        if let folder { try? FileManager.default.removeItem(at: folder) }
    }

    private func console(_ arguments: [String] = [], environment: [String: String] = [:]) throws -> TerminalDriver {
        try TerminalDriver(executable: HandletBinary.url, arguments: ["--db", database.path] + arguments,
                           width: 120, height: 40, environment: environment)
    }

    // MARK: The acting user

    func testTheActingUserComesFromUserThenHandletUserThenTheOwner() throws {
        let cases: [(arguments: [String], environment: [String: String], shows: String)] = [
            ([], [:], "Gareth Holroyd (owner, fallback: no --user)"),
            (["--user", "agent@\(Self.domain)"], [:], "Tom Brennan (agent)"),
            ([], ["HANDLET_USER": "viewer@\(Self.domain)"], "Helen Okafor (viewer)"),
            (["--user", "admin@\(Self.domain)"], ["HANDLET_USER": "viewer@\(Self.domain)"], "Priya Shah (admin)"),
        ]
        for (arguments, environment, shows) in cases {
            let terminal = try console(arguments, environment: environment)
            defer { terminal.close() }
            _ = try terminal.waitFor("Needs attention")
            // The start-up purge's flash ("Purged 20 expired recordings") covers the name for a
            // few seconds: wait for the status bar to say who acts, then read that line.
            let screen = try terminal.waitUntil("the status bar to name \(shows)", timeout: .seconds(20)) { screen in
                (screen.components(separatedBy: "\n").last { !$0.trimmingCharacters(in: .whitespaces).isEmpty } ?? "").contains("? help")
                    && !screen.contains("Purg")
            }
            let status = screen.components(separatedBy: "\n").last { !$0.trimmingCharacters(in: .whitespaces).isEmpty } ?? ""
            XCTAssertTrue(status.contains(shows), "\(arguments) \(environment): the status bar says who acts: \(status)")
            XCTAssertEqual(status.contains("fallback"), arguments.isEmpty && environment.isEmpty, "only the owner fallback is called one: \(status)")
            terminal.press("q")
            XCTAssertEqual(try terminal.waitForExit().exitCode, 0)
        }
    }

    func testADisabledOrUnknownUserCannotOpenTheConsole() throws {
        let disabled = try HandletBinary.run(["users", "disable", "agent@\(Self.domain)", "--yes", "--db", database.path, "--user", "owner@\(Self.domain)"])
        XCTAssertEqual(disabled.status, 0, disabled.stderr)
        for (arguments, environment, code, says) in [
            (["--user", "agent@\(Self.domain)"], [String: String](), Int32(77), "disabled"),
            ([], ["HANDLET_USER": "agent@\(Self.domain)"], Int32(77), "disabled"),
            (["--user", "nobody@\(Self.domain)"], [:], Int32(77), "No user nobody@\(Self.domain)"),
        ] {
            let terminal = try console(arguments, environment: environment)
            defer { terminal.close() }
            let status = try terminal.waitForExit()
            XCTAssertEqual(status.exitCode, code, "\(arguments) \(environment): \(terminal.outputText())")
            let printed = terminal.outputText().trimmingCharacters(in: .whitespacesAndNewlines)
            XCTAssertTrue(printed.hasPrefix("handlet: ") && printed.contains(says), printed)
            XCTAssertFalse(printed.contains("\n"), "one line: \(printed)")
            XCTAssertEqual(terminal.terminalSettingsAfterExit()?.isSane, true)
        }
    }

    // MARK: --theme

    /// The status bar's attributes as tmux reports them (SGR parameters on the last line).
    private func statusBarAttributes(_ terminal: TerminalDriver) -> String {
        terminal.screenWithAttributes().components(separatedBy: "\n").last { $0.contains("? help") } ?? ""
    }

    func testThemeByNameAndByPathChangesWhatTheTerminalShows() throws {
        var seen: [String: String] = [:]
        let custom = folder.appendingPathComponent("mine.theme")
        let base = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Themes/high-contrast.theme")
        let text = try String(contentsOf: base, encoding: .utf8)
            .replacingOccurrences(of: "name: high-contrast", with: "name: mine")
            .replacingOccurrences(of: "statusBar    = black on bright-white ", with: "statusBar    = bright-white on red  ")
        XCTAssertTrue(text.contains("bright-white on red"), "the copied theme was edited")
        try text.write(to: custom, atomically: true, encoding: .utf8)
        for theme in ["dark", "monochrome", "high-contrast", custom.path] {
            let terminal = try console(["--theme", theme])
            defer { terminal.close() }
            _ = try terminal.waitFor("Needs attention")
            try terminal.waitForIdle()
            seen[theme] = statusBarAttributes(terminal)
            terminal.press("q")
            XCTAssertEqual(try terminal.waitForExit().exitCode, 0, theme)
        }
        // A colour is an SGR parameter 30-38, 40-48, 90-97 or 100-107 (39 and 49 only reset to the default).
        let sgr = try NSRegularExpression(pattern: "\u{1B}\\[([0-9;]*)m")
        func hasColour(_ line: String) -> Bool {
            sgr.matches(in: line, range: NSRange(line.startIndex..., in: line)).contains { match in
                let parameters = (Range(match.range(at: 1), in: line).map { line[$0] } ?? "").split(separator: ";").compactMap { Int($0) }
                return parameters.contains { (30...38).contains($0) || (40...48).contains($0) || (90...97).contains($0) || (100...107).contains($0) }
            }
        }
        XCTAssertTrue(hasColour(seen["dark"] ?? ""), "dark colours the status bar: \(seen["dark"]?.debugDescription ?? "")")
        XCTAssertFalse(hasColour(seen["monochrome"] ?? "x"), "monochrome has no colour: \(seen["monochrome"]?.debugDescription ?? "")")
        XCTAssertNotEqual(seen["dark"], seen["high-contrast"])
        XCTAssertNotEqual(seen[custom.path], seen["high-contrast"], "the file's status bar differs from the theme it was copied from")
        XCTAssertNotNil(seen[custom.path]?.range(of: "\u{1B}\\[[0-9;]*41[;m]", options: .regularExpression),
                        "red background from the file: \(seen[custom.path]?.debugDescription ?? "")")

        let unknown = try console(["--theme", "no-such-theme"])
        defer { unknown.close() }
        XCTAssertNotEqual(try unknown.waitForExit().exitCode, 0)
        let printed = unknown.outputText().trimmingCharacters(in: .whitespacesAndNewlines)
        XCTAssertTrue(printed.hasPrefix("handlet: ") && printed.contains("no-such-theme"), printed)
        XCTAssertFalse(printed.contains("\n"), "one line: \(printed)")
    }

    // MARK: [y/N]

    func testShorteningAsksOnATerminalAndOnlyYesChangesIt() throws {
        func days() throws -> Int? {
            let shown = try HandletBinary.run(["retention", "show", "--json", "--db", database.path])
            return try (JSONSerialization.jsonObject(with: Data(shown.stdout.utf8)) as? [String: Any])?["retention_days"] as? Int
        }
        XCTAssertEqual(try days(), 30)
        for (answer, expected, exit) in [("n", 30, Int32(1)), ("", 30, Int32(1)), ("y", 7, Int32(0))] {
            let terminal = try TerminalDriver(executable: HandletBinary.url,
                                              arguments: ["retention", "set", "7", "--db", database.path, "--user", "owner@\(Self.domain)"],
                                              width: 120, height: 30)
            defer { terminal.close() }
            _ = try terminal.waitFor("[y/N]")
            XCTAssertEqual(try days(), 30, "nothing changes while it asks")
            if !answer.isEmpty { terminal.type(answer) }
            terminal.press("Enter")
            XCTAssertEqual(try terminal.waitForExit().exitCode, exit, "answer \(answer.debugDescription): \(terminal.outputText())")
            XCTAssertEqual(try days(), expected, "answer \(answer.debugDescription)")
        }
    }

    // MARK: The console's background purge

    /// Invariants after a kill: integrity, no row pointing at a missing file, no file that
    /// neither a row nor the purge journal names.
    private func assertConsistent(_ label: String) throws {
        let queue = try DatabaseQueue(path: database.path)
        defer { try? queue.close() }
        try queue.read { db in
            XCTAssertEqual(try String.fetchAll(db, sql: "PRAGMA integrity_check"), ["ok"], label)
            let live = Set(try String.fetchAll(db, sql: "SELECT file_path FROM recordings WHERE file_path IS NOT NULL"))
            let journal = Set(try String.fetchAll(db, sql: "SELECT file_path FROM purge_journal"))
            let onDisk = try PurgeCrashTests.filesUnder(Workspace.audioDirectory(for: database))
            XCTAssertEqual(live.subtracting(onDisk), [], "\(label): rows pointing at missing files")
            XCTAssertEqual(onDisk.subtracting(live).subtracting(journal), [], "\(label): orphan files")
        }
    }

    private func due() throws -> Int {
        let queue = try DatabaseQueue(path: database.path)
        defer { try? queue.close() }
        return try queue.read { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM recordings WHERE purged_at IS NULL AND legal_hold = 0 AND expires_at <= strftime('%s','now')")!
        }
    }

    func testSigkillInsideTheConsolesBackgroundPurge() throws {
        XCTAssertGreaterThan(try due(), 0, "the demo has recordings past expiry for the console to purge")
        let pristine = folder.appendingPathComponent("pristine")
        try FileManager.default.createDirectory(at: pristine, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: database, to: pristine.appendingPathComponent("demo.sqlite"))
        try FileManager.default.copyItem(at: folder.appendingPathComponent("demo-recordings"), to: pristine.appendingPathComponent("demo-recordings"))
        for point in ["0:0", "0:4", "0:7"] {
            try restore(from: pristine)
            let terminal = try console(environment: ["HANDLET_TEST_PURGE_KILL": point])
            defer { terminal.close() }
            let status = try terminal.waitForExit(timeout: .seconds(20))
            XCTAssertEqual(status.signal, SIGKILL, "\(point): the hook killed the console: \(status)")
            try assertConsistent("console killed at \(point)")
            let resumed = try HandletBinary.run(["purge", "--db", database.path])
            XCTAssertEqual(resumed.status, 0, "\(point): \(resumed.stderr)")
            XCTAssertEqual(try due(), 0, point)
            try assertConsistent("purged after the kill at \(point)")
        }
    }

    private func restore(from pristine: URL) throws {
        for name in ["demo.sqlite", "demo.sqlite-wal", "demo.sqlite-shm", "demo-recordings"] {
            try? FileManager.default.removeItem(at: folder.appendingPathComponent(name))
        }
        try FileManager.default.copyItem(at: pristine.appendingPathComponent("demo.sqlite"), to: database)
        try FileManager.default.copyItem(at: pristine.appendingPathComponent("demo-recordings"), to: folder.appendingPathComponent("demo-recordings"))
    }
}
