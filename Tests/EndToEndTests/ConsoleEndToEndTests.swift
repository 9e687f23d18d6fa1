import Foundation
import GRDB
import XCTest
import HandletTestSupport

/// The real `handlet` in a real terminal (tmux): what a person sees.
final class ConsoleEndToEndTests: XCTestCase {
    var folder: URL!
    var database: URL { folder.appendingPathComponent("demo.sqlite") }

    override func setUpWithError() throws {
        try TerminalDriver.skipUnlessAvailable()
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("handlet-console-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let made = try HandletBinary.run(["demo", "--calls", "400", "--messages", "1200", "--seed", "7", "--db", database.path])
        XCTAssertEqual(made.status, 0, made.stderr)
    }

    override func tearDown() {
        if let folder { try? FileManager.default.removeItem(at: folder) }
    }

    func console(width: Int = 120, height: Int = 40) throws -> TerminalDriver {
        try TerminalDriver(executable: HandletBinary.url, arguments: ["--db", database.path], width: width, height: height)
    }

    /// Issue 13: the real binary on the demo names the notices needing an answer at start-up; Esc
    /// dismisses the panel; the Notices tab reads one and marks it read.
    func testTheStartUpPanelNamesNoticesAndTheNoticesTabReadsThem() throws {
        let terminal = try console(width: 80, height: 24)
        defer { terminal.close() }
        let start = try terminal.waitFor("need an answer")
        XCTAssertTrue(start.contains("New speech-recognition provider"), start)
        terminal.press("Escape")
        _ = try terminal.waitUntil("the panel closed") { !$0.contains("need an answer") && $0.contains("Needs attention") }
        terminal.press("9")
        _ = try terminal.waitFor("Answer needed")
        terminal.press("Enter")
        let reader = try terminal.waitFor("SHA-256")
        XCTAssertTrue(reader.contains("State"), reader)
        terminal.press("q")
        _ = try terminal.waitFor("Answer needed")
        terminal.press("q")
        XCTAssertEqual(try terminal.waitForExit().exitCode, 0)
        let events = try HandletBinary.run(["audit", "list", "--action", "notice.read", "--db", database.path])
        XCTAssertTrue(events.stdout.contains("owner@kestrelhomeservices.co.uk"), events.stdout + events.stderr)
    }

    func testSearchOpenTheHitSeeTheHighlightGoBackAndQuit() throws {
        let terminal = try console()
        defer { terminal.close() }
        _ = try terminal.waitFor("Needs attention")
        terminal.press("/")
        _ = try terminal.waitFor("Search")
        terminal.type("boiler")
        let results = try terminal.waitUntil("search results") { $0.contains("result") && $0.lowercased().contains("boiler") }
        XCTAssertFalse(results.contains("Nothing matches"), results)
        terminal.press("Enter")
        // The detail of a call or a conversation, with the word highlighted (reverse/colour escape before it).
        let opened = try terminal.waitUntil("the opened record") { !$0.contains("Search ·") && ($0.contains("Transcript") || $0.contains("← ")) }
        XCTAssertTrue(opened.lowercased().contains("boiler"), opened)
        let styled = terminal.screenWithAttributes()
        XCTAssertNotNil(styled.range(of: "\u{1B}\\[[0-9;]*m[Bb]oiler", options: .regularExpression),
                        "the hit is drawn in its own style: \(styled.debugDescription.prefix(3000))")
        terminal.press("Escape")
        _ = try terminal.waitUntil("back at the results") { $0.contains("Search ·") && $0.contains("result") }
        terminal.press("Escape")
        _ = try terminal.waitForAbsence(of: "Search ·")
        terminal.press("q")
        let status = try terminal.waitForExit()
        XCTAssertEqual(status.exitCode, 0)
        XCTAssertEqual(terminal.terminalSettingsAfterExit()?.isSane, true, "the terminal is restored (echo, icanon, isig)")
    }

    /// Issue 25: search results page beyond the first 40 with a total ("1–40 of 195 results"):
    /// moving down past the 40th result loads the next page, until every result is there.
    func testSearchResultsPageBeyondTheFirstFortyWithATotal() throws {
        let terminal = try console(width: 80, height: 24)
        defer { terminal.close() }
        _ = try terminal.waitFor("need an answer")
        terminal.press("Escape")
        _ = try terminal.waitUntil("the panel closed") { !$0.contains("need an answer") && $0.contains("Needs attention") }
        terminal.press("/")
        _ = try terminal.waitFor("Search")
        terminal.type("boiler")
        let first = try terminal.waitUntil("the first page and its total") {
            $0.range(of: "1–40 of [0-9,]+ results", options: .regularExpression) != nil
        }
        let total = try XCTUnwrap(first.range(of: "of [0-9,]+ results", options: .regularExpression).map {
            Int(first[$0].dropFirst(3).dropLast(8).replacingOccurrences(of: ",", with: ""))
        } ?? nil)
        XCTAssertGreaterThan(total, 80, first)
        for _ in 0..<4 { terminal.press("PageDown") }
        _ = try terminal.waitFor("1–80 of \(total) results")
        for _ in 0..<(total / 10 + 2) { terminal.press("PageDown") }
        // "1–200 of 235 results" also holds "235 results": wait for the range to go, as the
        // presses are answered (on a loaded machine, a page or two behind the keys).
        let all = try terminal.waitUntil("every result loaded", timeout: .seconds(30)) {
            $0.contains("\(total) results") && !$0.contains("1–")
        }
        XCTAssertTrue(all.contains("Search · \(total) results"), all)
        terminal.press("Escape")
        _ = try terminal.waitForAbsence(of: "Search ·")
        terminal.press("q")
        XCTAssertEqual(try terminal.waitForExit().exitCode, 0)
    }

    /// Issue 11: pasting 10 KB into search froze the console for 47 s and the unread rest was
    /// echoed into the shell afterwards. A bracketed paste is one capped edit.
    func testAHundredKilobytePasteIntoSearchIsCappedAndTheConsoleStillAnswers() throws {
        let terminal = try console()
        defer { terminal.close() }
        _ = try terminal.waitFor("Needs attention")
        terminal.press("/")
        _ = try terminal.waitFor("Search")
        let line = "PASTED boiler text \u{1B}[31m red\n"
        let text = String(repeating: line, count: 100_000 / line.utf8.count + 1)
        let started = ContinuousClock.now
        try terminal.paste(text)
        let capped = try terminal.waitFor("limit 1,500 characters", timeout: .seconds(10))
        print("bench-paste: tmux paste-buffer of \(text.utf8.count) bytes shown capped after \(ContinuousClock.now - started)")
        XCTAssertFalse(capped.contains("␛"), "the ESC bytes were dropped, not shown")
        // The console still answers keys: clear the field and search for something else.
        terminal.press("C-a", "C-k")
        _ = try terminal.waitForAbsence(of: "limit 1,500 characters")
        terminal.type("boiler")
        _ = try terminal.waitUntil("search results") { $0.contains("result") && !$0.contains("PASTED") }
        terminal.press("Escape")
        _ = try terminal.waitForAbsence(of: "Search ·")
        terminal.press("q")
        XCTAssertEqual(try terminal.waitForExit().exitCode, 0)
        XCTAssertEqual(terminal.terminalSettingsAfterExit()?.isSane, true)
        let shell = terminal.screen()
        XCTAssertFalse(shell.contains("PASTED") || shell.contains("[31m"), "nothing of the paste reached the shell:\n\(shell)")
        let output = terminal.outputText()
        XCTAssertTrue(output.contains("\u{1B}[?2004h"), "bracketed paste was turned on")
        let lastMode = output.range(of: "\u{1B}[?2004", options: .backwards).flatMap { output[$0.upperBound...].first }
        XCTAssertEqual(lastMode, "l", "and off again at exit")
    }

    func testTabsAndResizeToTooSmallAndBack() throws {
        let terminal = try console()
        defer { terminal.close() }
        _ = try terminal.waitFor("Needs attention")
        terminal.press("2")
        _ = try terminal.waitFor("Contact or number")
        terminal.press("j", "j", "PageDown")
        _ = try terminal.waitUntil("the position to move") { $0.contains("Calls · ") && !$0.contains("Calls · 1 ") }
        terminal.resize(width: 60, height: 15)
        _ = try terminal.waitFor("80x24")
        terminal.resize(width: 120, height: 40)
        _ = try terminal.waitFor("Contact or number")
        terminal.press("5")
        _ = try terminal.waitFor("Expiring in 7 days")
        terminal.press("q")
        XCTAssertEqual(try terminal.waitForExit().exitCode, 0)
    }

    /// Issue 16: inside tmux with TERM=xterm-256color, Home and End arrive as ESC[1~ / ESC[4~, which
    /// xterm's terminfo entry does not name: they switched tabs in lists and typed `1~` into search.
    func testHomeAndEndUnderXtermInsideTmux() throws {
        let terminal = try TerminalDriver(executable: HandletBinary.url, arguments: ["--db", database.path],
                                          width: 120, height: 40, environment: ["TERM": "xterm-256color"])
        defer { terminal.close() }
        _ = try terminal.waitFor("Needs attention")
        terminal.press("2")
        let first = try terminal.waitFor("Contact or number")
        terminal.press("End")
        let bottom = try terminal.waitUntil("the last row") { $0.contains("Calls · 400 of 400") }
        XCTAssertTrue(bottom.contains("Contact or number"), "End stays on the Calls tab:\n\(bottom)")
        terminal.press("Home")
        let top = try terminal.waitUntil("the first row") { $0.contains("Calls · 1 of 400") }
        XCTAssertEqual(top.components(separatedBy: "\n").dropFirst(2).first, first.components(separatedBy: "\n").dropFirst(2).first,
                       "Home shows the first page again")
        terminal.press("F")
        _ = try terminal.waitFor("Search")
        terminal.type("oiler")
        terminal.press("Home")
        terminal.type("b")
        terminal.press("End")
        terminal.type("s")
        let search = try terminal.waitUntil("the edited query") { $0.contains("boilers") }
        XCTAssertFalse(search.contains("1~") || search.contains("4~"), search)
    }

    /// Issue 16: `y` in a call sends the number to the terminal's clipboard as OSC 52.
    func testCopyingSendsOSC52ToTheTerminal() throws {
        let terminal = try console()
        defer { terminal.close() }
        _ = try terminal.waitFor("Needs attention")
        terminal.press("2")
        _ = try terminal.waitFor("Contact or number")
        terminal.press("Enter")
        _ = try terminal.waitFor("Transcript")
        terminal.press("y")
        _ = try terminal.waitFor("Copied the number")
        let output = terminal.outputText()
        let start = try XCTUnwrap(output.range(of: "\u{1B}]52;c;"), "an OSC 52 sequence reached the terminal")
        let payload = output[start.upperBound...].prefix { $0 != "\u{07}" }
        let number = String(decoding: try XCTUnwrap(Data(base64Encoded: String(payload))), as: UTF8.self)
        XCTAssertTrue(number.hasPrefix("+44"), number)
        XCTAssertTrue(terminal.screen().contains(number) || terminal.screen().contains(String(number.suffix(6))),
                      "the copied number is the one on screen")
    }

    /// Issue 11: another process holding the write lock does not stop the console from opening;
    /// its session-start event lands once the workspace is free.
    func testTheConsoleOpensWhileAnotherProcessWritesAndRecordsItsStartLater() throws {
        let lock = try WriteLockHolder(database: database.path)
        func release() { lock.release() }
        defer { release() }
        let before = try HandletBinary.run(["audit", "list", "--json", "--limit", "1000", "--db", database.path],
                                           environment: ["HANDLET_USER": "owner@kestrelhomeservices.co.uk"])
        XCTAssertEqual(before.status, 0, "reads do not wait: \(before.stderr)")
        let started = before.stdout.components(separatedBy: "console.session_started").count

        let terminal = try console()
        defer { terminal.close() }
        _ = try terminal.waitFor("Needs attention", timeout: .seconds(5))
        let during = try HandletBinary.run(["audit", "list", "--json", "--limit", "1000", "--db", database.path],
                                           environment: ["HANDLET_USER": "owner@kestrelhomeservices.co.uk"])
        XCTAssertEqual(during.stdout.components(separatedBy: "console.session_started").count, started,
                       "the console opened while the start could not be written yet")
        release()
        terminal.press("q")
        XCTAssertEqual(try terminal.waitForExit().exitCode, 0)
        let after = try HandletBinary.run(["audit", "list", "--json", "--limit", "1000", "--db", database.path],
                                          environment: ["HANDLET_USER": "owner@kestrelhomeservices.co.uk"])
        XCTAssertEqual(after.stdout.components(separatedBy: "console.session_started").count, started + 1, "the start landed after the lock")
        XCTAssertTrue(after.stdout.contains("console.session_ended"))
    }

    /// keys.toml rebinds the real console; a mistake is named with its file and line on start-up
    /// (status bar), by `handlet keys` (stderr), and the rest of the file still applies.
    func testAKeysFileRebindsAndItsMistakesAreReported() throws {
        let config = folder.appendingPathComponent("config/handlet")
        try FileManager.default.createDirectory(at: config, withIntermediateDirectories: true)
        try "[console]\nquit = \"Ctrl-X\"\n\n[calls]\nopne = [\"o\"]\n"
            .write(to: config.appendingPathComponent("keys.toml"), atomically: true, encoding: .utf8)
        let environment = ["XDG_CONFIG_HOME": folder.appendingPathComponent("config").path]

        let listed = try HandletBinary.run(["keys"], environment: environment)
        XCTAssertEqual(listed.status, 0, listed.stderr)
        XCTAssertTrue(listed.stderr.contains("keys.toml:5: [calls] has no action \"opne\""), listed.stderr)
        XCTAssertNotNil(listed.stdout.range(of: "Ctrl-X +quit:", options: .regularExpression), listed.stdout)

        let terminal = try TerminalDriver(executable: HandletBinary.url, arguments: ["--db", database.path], width: 120, height: 40,
                                          environment: environment)
        defer { terminal.close() }
        _ = try terminal.waitFor("keys.toml:5:")
        terminal.press("2")
        _ = try terminal.waitFor("Contact or number")
        terminal.press("q", "1")
        _ = try terminal.waitFor("Needs attention")
        terminal.press("C-x")
        XCTAssertEqual(try terminal.waitForExit().exitCode, 0)
    }

    func testKeysMarkdownPrintsTheReference() throws {
        let printed = try HandletBinary.run(["keys", "--markdown"])
        XCTAssertEqual(printed.status, 0, printed.stderr)
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        XCTAssertEqual(printed.stdout, try String(contentsOf: root.appendingPathComponent("docs/keys.md"), encoding: .utf8))
    }
}
