import Foundation
import XCTest
@testable import TerminalUI

final class KeyDecoderTests: XCTestCase {
    private func decode(_ raw: RawInput, then following: [RawInput] = []) -> [InputEvent] {
        var queue = following
        return KeyDecoder.decode(raw) { queue.isEmpty ? nil : queue.removeFirst() }
    }

    func testPlainControlAndSpecialKeys() {
        XCTAssertEqual(decode(.scalar(0x6A)), [.key(.char("j"))])
        XCTAssertEqual(decode(.scalar(0x6771)), [.key(.char("東"))])
        XCTAssertEqual(decode(.scalar(12)), [.key(.ctrl("l"))])
        XCTAssertEqual(decode(.scalar(26)), [.key(.ctrl("z"))])
        XCTAssertEqual(decode(.scalar(9)), [.key(.tab)])
        XCTAssertEqual(decode(.scalar(13)), [.key(.enter)])
        XCTAssertEqual(decode(.scalar(127)), [.key(.backspace)])
        XCTAssertEqual(decode(.special(.pageDown)), [.key(.pageDown)])
        XCTAssertEqual(decode(.special(.backTab)), [.key(.backTab)])
        XCTAssertEqual(decode(.special(.resize)), [.resize])
        XCTAssertEqual(decode(.special(.wheelUp)), [.key(.wheelUp)])
        XCTAssertEqual(decode(.function(5)), [.key(.function(5))])
        XCTAssertEqual(decode(.scalar(0x9B)), [], "a raw C1 control is never a key")
    }

    func testEscapeVersusAlt() {
        XCTAssertEqual(decode(.scalar(27)), [.key(.escape)], "nothing followed within ESCDELAY")
        XCTAssertEqual(decode(.scalar(27), then: [.scalar(0x78)]), [.key(.alt("x"))])
        XCTAssertEqual(decode(.scalar(27), then: [.special(.up)]), [.key(.escape), .key(.up)])
        XCTAssertEqual(decode(.scalar(27), then: [.scalar(27)]), [.key(.escape), .key(.escape)])
    }

    private func decodeBytes(_ text: String) -> [InputEvent] {
        var scalars = text.unicodeScalars.map { RawInput.scalar($0.value) }
        var events: [InputEvent] = []
        while !scalars.isEmpty {
            let first = scalars.removeFirst()
            events += KeyDecoder.decode(first) { scalars.isEmpty ? nil : scalars.removeFirst() }
        }
        return events
    }

    /// Inside tmux or screen with TERM=xterm-256color, these arrive as characters (issue 16).
    func testNavigationSequencesTheTerminfoEntryDoesNotName() {
        let expected: [(String, Key)] = [
            ("\u{1B}[1~", .home), ("\u{1B}[7~", .home), ("\u{1B}[H", .home), ("\u{1B}OH", .home), ("\u{1B}[1;5H", .home),
            ("\u{1B}[4~", .end), ("\u{1B}[8~", .end), ("\u{1B}[F", .end), ("\u{1B}OF", .end),
            ("\u{1B}[2~", .insert), ("\u{1B}[3~", .delete), ("\u{1B}[5~", .pageUp), ("\u{1B}[6~", .pageDown),
            ("\u{1B}[A", .up), ("\u{1B}OB", .down), ("\u{1B}[C", .right), ("\u{1B}[D", .left),
            ("\u{1B}[1;2A", .shiftUp), ("\u{1B}[1;2D", .shiftLeft), ("\u{1B}[Z", .backTab),
            ("\u{1B}OP", .function(1)), ("\u{1B}[15~", .function(5)), ("\u{1B}[24~", .function(12)),
        ]
        for (bytes, key) in expected {
            XCTAssertEqual(decodeBytes(bytes), [.key(key)], bytes.debugDescription)
        }
    }

    func testUnknownSequencesAreSwallowedNotTyped() {
        XCTAssertEqual(decodeBytes("\u{1B}[99~"), [], "a complete sequence naming no key types nothing")
        XCTAssertEqual(decodeBytes("\u{1B}[1;5X" + "x"), [.key(.char("x"))])
        XCTAssertEqual(decodeBytes("\u{1B}[4~ab"), [.key(.end), .key(.char("a")), .key(.char("b"))])
        XCTAssertEqual(decodeBytes("\u{1B}["), [.key(.alt("["))], "Alt-[ alone is still Alt-[")
        XCTAssertEqual(decodeBytes("\u{1B}O"), [.key(.alt("O"))])
        XCTAssertEqual(decodeBytes("\u{1B}[" + String(repeating: "1", count: 40) + "~"), [],
                       "an endless parameter run is dropped, not buffered")
    }

    func testKeyLabels() {
        XCTAssertEqual(Key.ctrl("l").label, "Ctrl-L")
        XCTAssertEqual(Key.char(" ").label, "Space")
        XCTAssertEqual(Key.pageDown.label, "PgDn")
        XCTAssertEqual(Key.function(1).label, "F1")
    }
}

final class KeyMapTests: XCTestCase {
    enum Action: Sendable, Equatable { case open, back }

    func testDispatchAndHelpComeFromOneTable() {
        let keys = KeyMap<Action>([KeyBinding([.enter, .char("o")], .open, "Open"), KeyBinding([.escape], .back, "Back")])
        XCTAssertEqual(keys.action(for: .char("o")), .open)
        XCTAssertEqual(keys.action(for: .escape), .back)
        XCTAssertNil(keys.action(for: .char("x")))
        XCTAssertEqual(keys.helpEntries.map(\.keys), ["Enter o", "Esc"])
        XCTAssertTrue(keys.conflictingKeys.isEmpty)
        XCTAssertEqual((keys + KeyMap([KeyBinding([.enter], .back, "x")])).conflictingKeys, [.enter])
    }

    func testStandardNavigationHasArrowsAndVimKeys() {
        let nav = KeyMap<NavigationAction>.standardNavigation
        XCTAssertEqual(nav.action(for: .down), .down)
        XCTAssertEqual(nav.action(for: .char("j")), .down)
        XCTAssertEqual(nav.action(for: .char("k")), .up)
        XCTAssertEqual(nav.action(for: .char("G")), .bottom)
        XCTAssertEqual(nav.action(for: .char("g")), .top)
        XCTAssertEqual(nav.action(for: .pageDown), .pageDown)
        XCTAssertTrue(nav.conflictingKeys.isEmpty)
    }
}

final class ThemeTests: XCTestCase {
    func testShippedFilesMatchBuiltins() throws {
        let themesFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Themes")
        for name in Theme.builtinNames {
            let text = try String(contentsOf: themesFolder.appendingPathComponent(name + ".theme"), encoding: .utf8)
            let fromFile = try Theme.parse(text, defaultName: name)
            XCTAssertEqual(fromFile, Theme.builtin(name), "Themes/\(name).theme and BuiltinThemes.swift differ")
            XCTAssertEqual(Set(fromFile.roles.keys), Set(Role.allCases), "\(name) defines every role")
        }
    }

    func testParseFormat() throws {
        let theme = try Theme.parse("""
        name: test
        normal = default   # comment
        selection = white on 24 bold ; mono reverse
        error = #ff0000 underline
        """)
        XCTAssertEqual(theme.name, "test")
        XCTAssertEqual(theme.appearance(of: .selection), RoleAppearance(foreground: .indexed(7), background: .indexed(24), modifiers: .bold, monochrome: .reverse))
        XCTAssertEqual(theme.appearance(of: .error).foreground, .indexed(196))
        XCTAssertEqual(theme.appearance(of: .header), theme.appearance(of: .normal), "missing roles look normal")
    }

    func testParseErrorsNameTheLine() {
        XCTAssertThrowsError(try Theme.parse("normal = default\nbogus = red")) { error in
            XCTAssertEqual((error as? ThemeParseError)?.line, 2)
        }
        XCTAssertThrowsError(try Theme.parse("normal = 300")) { error in
            XCTAssertEqual((error as? ThemeParseError)?.message, "a colour number is outside 0-255")
        }
        XCTAssertThrowsError(try Theme.parse("normal = red blink"))
        XCTAssertThrowsError(try Theme.load("no-such-theme", environment: ["HOME": "/nonexistent"]))
    }

    func testColourModesDegrade() {
        let dark = Theme.dark
        XCTAssertEqual(dark.resolve(.selection, mode: .colors256), ResolvedStyle(foreground: 231, background: 25, modifiers: .bold))
        let sixteen = dark.resolve(.selection, mode: .colors16)
        XCTAssertLessThan(sixteen.foreground, 16)
        XCTAssertLessThan(sixteen.background, 16)
        XCTAssertLessThan(dark.resolve(.selection, mode: .colors8).background, 8)
        XCTAssertEqual(dark.resolve(.selection, mode: .monochrome), ResolvedStyle(foreground: -1, background: -1, modifiers: [.reverse, .bold]))
        XCTAssertEqual(dark.resolve(Style(.normal, .underline), mode: .monochrome).modifiers, .underline, "widget modifiers survive")
    }

    func testNoColorForcesMonochromeWhateverTheTerminal() {
        XCTAssertEqual(ColorMode.detect(colorCount: 256, environment: ["NO_COLOR": ""]), .monochrome)
        XCTAssertEqual(ColorMode.detect(colorCount: 256, environment: [:]), .colors256)
        XCTAssertEqual(ColorMode.detect(colorCount: 16, environment: [:]), .colors16)
        XCTAssertEqual(ColorMode.detect(colorCount: 8, environment: [:]), .colors8)
        XCTAssertEqual(ColorMode.detect(colorCount: 0, environment: [:]), .monochrome)
    }
}

final class TerminalSafeSymbolTests: XCTestCase {
    func testMultiScalarEmojiAreSimplifiedToWhatTerminalsAgreeOn() {
        XCTAssertEqual(TerminalSafeSymbol.cells(for: "é", width: 1), ["é"])
        XCTAssertEqual(TerminalSafeSymbol.cells(for: "e\u{301}", width: 1), ["e\u{301}"])
        XCTAssertEqual(TerminalSafeSymbol.cells(for: "👨‍👩‍👧", width: 2), ["👨"])
        XCTAssertEqual(TerminalSafeSymbol.cells(for: "👍🏽", width: 2), ["👍"])
        XCTAssertEqual(TerminalSafeSymbol.cells(for: "🇬🇧", width: 2), ["G", "B"])
        XCTAssertEqual(TerminalSafeSymbol.cells(for: "❤️", width: 2), ["❤", " "])
    }
}

/// A screen for runner tests: counts events and shows the last key.
struct ProbeScreen: Screen {
    var lastKey = "none"
    var messages: [String] = []
    /// Every layout and key, in the order the runner delivered them.
    var log: [String] = []
    mutating func layout(_ size: Size) { log.append("layout \(size)") }
    var minimumSize: Size { Size(width: 20, height: 5) }
    func render(into grid: inout Grid, area: Rect) {
        grid.put("last: \(lastKey)", x: 0, y: 0, maxWidth: area.width)
        grid.put("messages: \(messages.joined(separator: ","))", x: 0, y: 1, style: .accent, maxWidth: area.width)
    }
    mutating func handle(_ event: AppEvent) -> EventOutcome {
        switch event {
        case .key(.char("q")): return .quit
        case .key(let key): lastKey = key.label; log.append("key \(key.label)")
        case .message(let message): messages.append("\(message)")
        case .tick: break
        }
        return .handled
    }
}

/// A screen whose ticks change what it shows only every tenth time (a clock's minute), as a
/// console at rest; it quits at its thirtieth tick.
struct TickProbeScreen: Screen {
    var ticks = 0
    var minimumSize: Size { Size(width: 20, height: 5) }
    func render(into grid: inout Grid, area: Rect) {
        grid.put("minute \(ticks / 10)", x: 0, y: 0, maxWidth: area.width)
    }
    mutating func handle(_ event: AppEvent) -> EventOutcome {
        guard case .tick = event else { return .handled }
        ticks += 1
        if ticks == 30 { return .quit }
        return ticks % 10 == 0 ? .handled : .ignored
    }
}

final class TerminalAppTests: XCTestCase {
    /// A tick the screen ignores draws no frame (issue 26: the idle console redrew the whole screen
    /// four times a second); one that changed something does. Ticks come on every poll here
    /// (interval zero), so the count is exact, not timed.
    func testATickThatChangesNothingDrawsNothing() {
        let backend = HeadlessBackend(size: Size(width: 30, height: 6))
        let app = TerminalApp(backend: backend)
        app.tickInterval = .zero
        var screen = TickProbeScreen()
        app.run(&screen)
        XCTAssertEqual(screen.ticks, 30)
        XCTAssertEqual(app.frameCount, 3, "the first frame, then the 10th and 20th ticks'; none for the 27 ignored")
        XCTAssertEqual(backend.framesPresented, 3)
        XCTAssertEqual(backend.screen.line(0).trimmingCharacters(in: .whitespaces), "minute 2")
    }

    /// A post makes the wake-up descriptor readable, so a backend polling it beside the keyboard
    /// shows background results at once; delivering the messages makes it quiet again.
    func testAPostWakesTheInputWaitAndDrainingQuietsIt() {
        let mailbox = Mailbox()
        func readable() -> Bool {
            var descriptor = pollfd(fd: mailbox.wakeDescriptor, events: Int16(POLLIN), revents: 0)
            return poll(&descriptor, 1, 0) == 1
        }
        XCTAssertGreaterThanOrEqual(mailbox.wakeDescriptor, 0)
        XCTAssertFalse(readable())
        for index in 0..<10_000 { mailbox.post(index) } // more than a pipe holds: posting never blocks
        XCTAssertTrue(readable())
        XCTAssertEqual(mailbox.drain().count, 10_000)
        XCTAssertFalse(readable())
    }

    func testRunsKeysThroughTheScreenAndQuits() {
        let backend = HeadlessBackend(size: Size(width: 30, height: 6))
        backend.send(.char("x"), .down)
        let app = TerminalApp(backend: backend)
        app.mailbox.post("hello")
        var screen = ProbeScreen()
        app.run(&screen, stopWhenIdle: true)
        XCTAssertEqual(backend.screen.line(0).trimmingCharacters(in: .whitespaces), "last: ↓")
        XCTAssertEqual(backend.screen.line(1).trimmingCharacters(in: .whitespaces), "messages: hello")
        XCTAssertEqual(backend.screen[0, 1].style, .accent)
        XCTAssertTrue(backend.stopped, "the terminal is always handed back")
    }

    func testOnlyChangedCellsAreWrittenAfterTheFirstFrame() {
        let backend = HeadlessBackend(size: Size(width: 30, height: 6))
        let app = TerminalApp(backend: backend)
        var screen = ProbeScreen()
        app.drawFrame(&screen)
        XCTAssertEqual(backend.cellsWrittenLastFrame, 180)
        _ = screen.handle(.key(.char("y")))
        app.drawFrame(&screen)
        XCTAssertEqual(backend.cellsWrittenLastFrame, 4, "'none' became 'y' plus three blanks")
        app.drawFrame(&screen)
        XCTAssertEqual(backend.cellsWrittenLastFrame, 0)
    }

    func testTooSmallTerminalSaysWhatSizeIsNeededAndRecovers() {
        let backend = HeadlessBackend(size: Size(width: 18, height: 4))
        let app = TerminalApp(backend: backend)
        var screen = ProbeScreen()
        backend.send(.char("z"))
        app.run(&screen, stopWhenIdle: true)
        let text = backend.screen.lines.joined(separator: "\n")
        XCTAssertTrue(text.contains("need 20x5"), text)
        XCTAssertTrue(text.contains("have 18x4"), "wrapped, never cut: \(text)")
        XCTAssertFalse(text.contains("press"), "a screen with no quit key is promised none: \(text)")
        XCTAssertEqual(screen.lastKey, "none", "keys are not acted on blind")
        let warningRow = backend.screen.lines.firstIndex { $0.contains("Terminal") }!
        XCTAssertEqual(backend.screen[backend.screen.column(of: "Terminal", row: warningRow)!, warningRow].style, .warning)

        backend.resize(to: Size(width: 30, height: 6))
        backend.send(.char("z"))
        app.run(&screen, stopWhenIdle: true)
        XCTAssertEqual(backend.screen.line(0).trimmingCharacters(in: .whitespaces), "last: z")
        XCTAssertGreaterThan(backend.invalidations, 0, "a resize forces a full repaint")
    }

    /// The screen learns its size before its first frame and after each resize, before the keys
    /// pressed after it (a list pages by the new height); drawing alone never lays out again.
    func testLayoutComesBeforeTheFirstFrameAndEachResize() {
        let backend = HeadlessBackend(size: Size(width: 30, height: 6))
        let app = TerminalApp(backend: backend)
        var screen = ProbeScreen()
        backend.send(.char("a"))
        app.run(&screen, stopWhenIdle: true)
        XCTAssertEqual(screen.log, ["layout 30x6", "key a"])
        app.drawFrame(&screen)
        XCTAssertEqual(screen.log.count, 2, "the same size is not laid out again")
        backend.resize(to: Size(width: 40, height: 10))
        backend.send(.char("c"))
        app.run(&screen, stopWhenIdle: true)
        XCTAssertEqual(screen.log, ["layout 30x6", "key a", "layout 40x10", "key c"], "once per size, before the key")
        XCTAssertEqual(backend.screen.size, Size(width: 40, height: 10))
    }

    func testCtrlLRepaintsEverything() {
        let backend = HeadlessBackend(size: Size(width: 30, height: 6))
        let app = TerminalApp(backend: backend)
        var screen = ProbeScreen()
        backend.send(.ctrl("l"))
        app.run(&screen, stopWhenIdle: true)
        XCTAssertEqual(backend.invalidations, 1)
        XCTAssertEqual(backend.cellsWrittenLastFrame, 180)
        XCTAssertEqual(screen.lastKey, "none", "Ctrl-L is the runner's, not the screen's")
    }
}
