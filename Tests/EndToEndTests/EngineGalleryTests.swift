import Foundation
import XCTest

/// Drives the real `handlet-gallery` binary in a pty (tmux) to prove what only a real
/// terminal can show: drawing, resizing, wide characters lining up, and the terminal handed
/// back intact however the program ends.
final class EngineGalleryTests: XCTestCase {
    private func startGallery(_ arguments: [String] = [], width: Int = 120, height: Int = 40,
                              environment: [String: String] = [:]) throws -> TerminalDriver {
        try TerminalDriver.skipUnlessAvailable()
        return try TerminalDriver(executable: TerminalDriver.product("handlet-gallery"), arguments: arguments,
                                  width: width, height: height, environment: environment)
    }

    private func assertRestored(_ driver: TerminalDriver, file: StaticString = #filePath, line: UInt = #line) {
        guard let settings = driver.terminalSettingsAfterExit() else {
            return XCTFail("no stty -a recorded", file: file, line: line)
        }
        XCTAssertTrue(settings.isOn("echo"), "echo restored:\n\(settings)", file: file, line: line)
        XCTAssertTrue(settings.isOn("icanon"), "canonical mode restored:\n\(settings)", file: file, line: line)
        XCTAssertTrue(settings.isOn("isig"), file: file, line: line)
        XCTAssertFalse(driver.screen().contains("row 1/1000000"), "the alternate screen was left", file: file, line: line)
        XCTAssertEqual(Self.lastBracketedPasteMode(in: driver), "l", "bracketed paste is off again (ESC[?2004l)", file: file, line: line)
    }

    /// "h" or "l" from the last ESC[?2004h / ESC[?2004l the program wrote, nil if none.
    private static func lastBracketedPasteMode(in driver: TerminalDriver) -> String? {
        let output = driver.outputText()
        guard let last = output.range(of: "\u{1B}[?2004", options: .backwards), last.upperBound < output.endIndex else { return nil }
        return String(output[last.upperBound])
    }

    func testStartsDrawsResizesDownAndBackAndQuits() throws {
        let driver = try startGallery(width: 120, height: 40)
        defer { driver.close() }
        let first = try driver.waitFor("row 1/1000000")
        XCTAssertTrue(first.contains("Caller"), first)
        XCTAssertTrue(first.contains(" 1 Table  2 Text"), first)
        XCTAssertEqual(driver.screenLines().prefix(40).count, 40)

        driver.press("Down")
        try driver.waitFor("row 2/1000000")
        let selected = driver.screenWithAttributes().components(separatedBy: "\n").first { $0.contains("2026-11-22") }
        XCTAssertTrue(selected?.contains("48;5;25") == true, "selected row has the dark theme's selection background")

        driver.resize(width: 60, height: 15)
        let small = try driver.waitFor("have 60x15")
        XCTAssertTrue(small.contains("need 80x24"), small)
        XCTAssertFalse(small.contains("Caller"), "nothing half-drawn beneath the message")

        driver.resize(width: 120, height: 40)
        let back = try driver.waitFor("row 2/1000000")
        XCTAssertTrue(back.contains("Caller"), back)
        XCTAssertFalse(back.contains("too small"), back)

        driver.press("q")
        XCTAssertEqual(try driver.waitForExit(), .init(rawValue: 0))
        assertRestored(driver)
    }

    func testTerminalIsRestoredAfterSignalsAndCrashes() throws {
        // SIGILL and SIGTRAP are what a Swift runtime trap (fatalError, a failed unwrap) raises.
        for signal in [SIGTERM, SIGHUP, SIGINT, SIGQUIT, SIGSEGV, SIGABRT, SIGBUS, SIGILL, SIGTRAP, SIGFPE] {
            let driver = try startGallery()
            defer { driver.close() }
            try driver.waitFor("row 1/1000000")
            driver.send(signal: signal)
            let status = try driver.waitForExit()
            XCTAssertEqual(status.signal, signal, "dies by the same signal, so the shell sees it: \(status)")
            assertRestored(driver)
        }
    }

    /// The control for the test above: SIGKILL cannot be caught, so the terminal is left raw.
    /// Proves `assertRestored` can fail.
    func testSIGKILLLeavesTheTerminalRawSoTheCheckIsReal() throws {
        let driver = try startGallery()
        defer { driver.close() }
        try driver.waitFor("row 1/1000000")
        driver.send(signal: SIGKILL)
        XCTAssertEqual(try driver.waitForExit().signal, SIGKILL)
        XCTAssertEqual(Self.lastBracketedPasteMode(in: driver), "h", "nothing could turn bracketed paste off")
        let settings = try XCTUnwrap(driver.terminalSettingsAfterExit())
        XCTAssertFalse(settings.isOn("echo"), settings.text)
        XCTAssertFalse(settings.isOn("icanon"), settings.text)
    }

    func testCtrlCFromTheKeyboardRestoresTheTerminal() throws {
        let driver = try startGallery()
        defer { driver.close() }
        try driver.waitFor("row 1/1000000")
        driver.press("C-c")
        XCTAssertEqual(try driver.waitForExit().signal, SIGINT)
        assertRestored(driver)
    }

    func testSuspendAndResumeRedraws() throws {
        let driver = try startGallery()
        defer { driver.close() }
        try driver.waitFor("row 1/1000000")
        driver.press("C-z")
        try driver.waitForAbsence(of: "row 1/1000000")
        try driver.waitForProcessState("T", "the program to be stopped by Ctrl-Z")
        XCTAssertNil(driver.exitStatusIfEnded, "suspended, not ended")
        XCTAssertEqual(Self.lastBracketedPasteMode(in: driver), "l", "the shell gets the terminal without bracketed paste")
        driver.resumeFromShell()
        let redrawn = try driver.waitFor("row 1/1000000")
        try driver.waitForIdle()
        XCTAssertEqual(Self.lastBracketedPasteMode(in: driver), "h", "and the resumed program has it back")
        XCTAssertTrue(redrawn.contains("Caller"), redrawn)
        driver.press("q")
        XCTAssertEqual(try driver.waitForExit(), .init(rawValue: 0))
        assertRestored(driver)
    }

    /// Real key sequences from tmux through ncurses and the C shim, read back from the
    /// gallery's status bar ("key …"), which shows each key's decoded label.
    func testKeysAreDecodedFromTheRealTerminal() throws {
        let driver = try startGallery()
        defer { driver.close() }
        try driver.waitFor("row 1/1000000")
        for (sent, label) in [("PageDown", "PgDn"), ("PageUp", "PgUp"), ("End", "End"), ("Home", "Home"),
                              ("F5", "F5"), ("C-e", "Ctrl-E"), ("M-x", "Alt-x"), ("BTab", "Shift-Tab"),
                              ("Tab", "Tab"), ("Left", "←"), ("Right", "→"), ("Up", "↑"), ("j", "j")] {
            driver.press(sent)
            try driver.waitFor("key \(label) ")
        }
        driver.press("1")
        try driver.waitFor("key 1 ")
        driver.press("End")
        try driver.waitFor("row 1000000/1000000")
        driver.press("C-b")
        try driver.waitFor("key Ctrl-B")
        driver.press("F1")
        try driver.waitFor("Gallery keys — Esc to close")
        // A lone Esc (nothing follows within ESCDELAY) is Esc, not the start of Alt-something.
        driver.press("Escape")
        try driver.waitForAbsence(of: "Gallery keys")
        driver.press("Escape")
        XCTAssertEqual(try driver.waitForExit(timeout: .seconds(5)), .init(rawValue: 0), "Esc quits the gallery")
        assertRestored(driver)
    }

    func testDumbAndUnknownTerminalsAreRefusedWithAReason() throws {
        for (term, reason) in [("dumb", "TERM=dumb cannot position the cursor"),
                               ("no-such-terminal", "terminal type 'no-such-terminal' is unknown to terminfo")] {
            let driver = try startGallery(environment: ["TERM": term])
            defer { driver.close() }
            XCTAssertEqual(try driver.waitForExit().exitCode, 2)
            XCTAssertTrue(driver.outputText().contains("handlet-gallery: " + reason), driver.outputText())
            XCTAssertEqual(driver.terminalSettingsAfterExit()?.isSane, true)
        }
    }

    func testNoColorDrawsWithAttributesOnly() throws {
        let driver = try startGallery(environment: ["NO_COLOR": "1"])
        defer { driver.close() }
        try driver.waitFor("row 1/1000000")
        let styled = driver.screenWithAttributes()
        XCTAssertFalse(styled.contains("38;5;"), "no foreground colours")
        XCTAssertFalse(styled.contains("48;5;"), "no background colours")
        XCTAssertTrue(styled.contains("\u{1B}[7m") || styled.contains(";7m"), "selection still visible as reverse video")
    }

    func testEightColourTerminalGetsTheNearestBasicColours() throws {
        let driver = try startGallery(environment: ["TERM": "screen"])
        defer { driver.close() }
        try driver.waitFor("row 1/1000000")
        let styled = driver.screenWithAttributes()
        XCTAssertFalse(styled.contains("38;5;"), "no 256-colour foregrounds on an 8-colour terminal")
        XCTAssertFalse(styled.contains("48;5;"), "no 256-colour backgrounds on an 8-colour terminal")
        let selected = styled.components(separatedBy: "\n").first { $0.contains("2026-11-23") } ?? ""
        XCTAssertTrue(selected.contains("44m"), "selection (palette 25) becomes basic blue: \(selected.debugDescription)")
    }

    func testThemeOptionAcceptsNamesAndRefusesUnknownOnes() throws {
        let light = try startGallery(["--theme", "light"])
        defer { light.close() }
        try light.waitFor("row 1/1000000")
        XCTAssertTrue(light.screenWithAttributes().contains("48;5;153"), "light selection background")

        let unknown = try startGallery(["--theme", "no-such-theme"])
        defer { unknown.close() }
        XCTAssertEqual(try unknown.waitForExit().exitCode, 2)
        XCTAssertTrue(unknown.outputText().contains("unknown theme 'no-such-theme'"), unknown.outputText())
    }

    func testWideCharactersKeepColumnsAligned() throws {
        let driver = try startGallery()
        defer { driver.close() }
        let screen = try driver.waitFor("李小龍")
        let lines = screen.components(separatedBy: "\n")
        func numberColumn(_ line: String) -> Int? {
            guard let range = line.range(of: "+44") else { return nil }
            // Each CJK character is one Character but two terminal columns.
            return line[..<range.lowerBound].reduce(0) { $0 + (($1.unicodeScalars.first?.value ?? 0) >= 0x4E00 ? 2 : 1) }
        }
        let latin = lines.first { $0.contains("Olivia Hughes") }.flatMap(numberColumn)
        let cjk = lines.first { $0.contains("李小龍") }.flatMap(numberColumn)
        XCTAssertNotNil(latin)
        XCTAssertEqual(latin, cjk, "the number column lines up after a CJK name")
    }

    func testIdleWritesNothingAndAOneRowScrollWritesAboutARow() throws {
        let width = 200, height = 60
        let driver = try startGallery(width: width, height: height)
        defer { driver.close() }
        try driver.waitFor("row 1/1000000")
        let fullScreen = driver.bytesWritten
        // The first frame is complete once nothing has been written for half a second (a loaded
        // machine can pause a frame for longer than the usual 150 ms); then a second of ticks is
        // the measuring window (not a synchronisation: nothing is waited for inside it).
        try driver.waitForIdle(quiet: .milliseconds(500), timeout: .seconds(20))
        let idleStart = driver.bytesWritten
        Thread.sleep(forTimeInterval: 1)
        XCTAssertEqual(driver.bytesWritten - idleStart, 0, "an idle screen (four ticks a second) writes nothing")
        // Move the selection to the last visible row, then scroll by one.
        for _ in 0..<(height - 3) { driver.press("Down") }
        try driver.waitFor("row \(height - 2)/1000000")
        let scroll = try driver.bytesWritten { driver.press("Down") }
        XCTAssertGreaterThan(scroll, width, "at least the new row")
        XCTAssertLessThan(scroll, 4 * width, "a scroll region moves the rest (a repaint was \(fullScreen) bytes)")
    }
}
