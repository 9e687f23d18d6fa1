import Foundation
@testable import HandletDomain
@testable import HandletConsole
import TerminalUI
import XCTest

/// A fresh fixture workspace per test, and the console over it.
class ConsoleScreenTestCase: XCTestCase {
    var fixture: ConsoleFixture!
    override func setUpWithError() throws { fixture = try ConsoleFixture() }
    override func tearDown() { fixture.remove() }

    /// The console as `email` (the owner when nil), with background results delivered.
    func makeDriver(size: Size = Size(width: 110, height: 32), actor email: String? = nil,
                    keys: KeyBindings = .defaults, screens: ScreenRegistry = .standard) -> ScreenDriver<ConsoleScreen> {
        let fixture = self.fixture!
        var driver = ScreenDriver(size: size) { mailbox in
            let context = fixture.context(actor: email, post: { mailbox.post($0) }, keys: keys)
            return ConsoleScreen(context: context, screens: screens)
        }
        driver.keys = keys
        driver.screens = screens
        driver.press()
        return driver
    }

    /// One screen on its own, as `email`, put in a state by `prepare`.
    func makeTab(_ id: ScreenID, actor email: String? = nil, prepare: (inout any ConsoleTab) -> Void = { _ in }) -> any ConsoleTab {
        let registry = ScreenRegistry.standard
        let declaration = registry.screens[registry.index(of: id)!]
        var tab = declaration.make(fixture.context(actor: email), registry)
        tab.activate()
        prepare(&tab)
        return tab
    }

    /// The key bound to `action` in key mode `mode` under `keys`, for a tab driven on its own.
    func key(_ action: String, in mode: String, keys: KeyBindings = .defaults,
             file: StaticString = #filePath, line: UInt = #line) -> Key {
        do { return try ActionKeys.key(action, in: mode, keys: keys) } catch {
            XCTFail("\(error)", file: file, line: line)
            return .char("\u{0}")
        }
    }

    /// Every key a person can press that a table could bind: printable ASCII, the named keys,
    /// Ctrl and Alt letters, function keys and the wheel.
    static let everyKey: [Key] = (0x20...0x7E).map { Key.char(Character(Unicode.Scalar($0)!)) }
        + [.enter, .escape, .tab, .backTab, .backspace, .delete, .insert, .up, .down, .left, .right, .home, .end, .pageUp,
           .pageDown, .shiftUp, .shiftDown, .shiftLeft, .shiftRight, .wheelUp, .wheelDown]
        + (1...12).map(Key.function) + "abcdefghijklmnopqrstuvwxyz".map(Key.ctrl) + "aqx".map(Key.alt)

    /// The keys a help list names, read back from its text as a person would read them.
    func keys(in help: [HelpEntry], file: StaticString = #filePath, line: UInt = #line) -> Set<Key> {
        var keys = Set<Key>()
        for entry in help {
            for token in entry.keys.split(separator: " ") {
                guard let key = KeyNames.parse(String(token)) else {
                    XCTFail("help shows \"\(token)\", which is not a key", file: file, line: line)
                    continue
                }
                keys.insert(key)
            }
        }
        return keys
    }

    /// The screen's help (in the state `prepare` leaves it) lists exactly the keys it reacts to:
    /// each listed key does something (or is refused with a reason), every other key is left to
    /// the console. Each key is pressed on a fresh screen, so one key's effect cannot hide another's.
    func assertHelpListsExactlyTheKeysItDispatches(_ id: ScreenID, actor email: String? = nil, state: String,
                                                   prepare: (inout any ConsoleTab) -> Void = { _ in },
                                                   file: StaticString = #filePath, line: UInt = #line) {
        let help = makeTab(id, actor: email, prepare: prepare).helpEntries
        XCTAssertFalse(help.isEmpty, "\(state): no help", file: file, line: line)
        let listed = keys(in: help, file: file, line: line)
        for key in Self.everyKey {
            var tab = makeTab(id, actor: email, prepare: prepare)
            let response = tab.handle(key)
            if listed.contains(key) {
                XCTAssertNotEqual(response, .ignored, "\(state): help lists \(key.label) but the screen ignores it", file: file, line: line)
            } else {
                XCTAssertEqual(response, .ignored, "\(state): \(key.label) does something help does not list", file: file, line: line)
            }
        }
    }
}
