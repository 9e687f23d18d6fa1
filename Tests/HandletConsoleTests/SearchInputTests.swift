import Foundation
import HandletDomain
@testable import HandletConsole
import TerminalUI
import XCTest

/// Issue 11's freeze: pasting 10 KB into search took 47 s, because every key rebuilt the text
/// and started a search. Now a paste is one capped edit, and a burst of keys one search.
final class SearchInputTests: XCTestCase {
    var fixture: ConsoleFixture!
    override func setUpWithError() throws { fixture = try ConsoleFixture() }
    override func tearDown() { fixture.remove() }

    /// Counts the search results posted, and forwards every message to the app.
    final class PostLog: @unchecked Sendable {
        private let lock = NSLock()
        private var results: [SearchPanel.Results] = []
        func record(_ message: any Sendable) {
            // A page of results; the total that follows one (issue 25) is not a search.
            guard let found = message as? SearchPanel.Results, found.total == nil else { return }
            lock.lock()
            results.append(found)
            lock.unlock()
        }
        var posted: [SearchPanel.Results] {
            lock.lock()
            defer { lock.unlock() }
            return results
        }
    }

    func testAHundredKilobytePasteIsCappedShownAsCappedAndSearchedOnce() throws {
        let log = PostLog()
        let fixture = self.fixture!
        var driver = ScreenDriver(size: Size(width: 110, height: 32)) { mailbox in
            let context = fixture.context(post: { log.record($0); mailbox.post($0) })
            return ConsoleScreen(context: context)
        }
        driver.press(.char("/"))
        let line = "my boiler is leaking again\n"
        let paste = String(repeating: line, count: 100_000 / line.utf8.count + 1)
        XCTAssertGreaterThan(paste.utf8.count, 100_000)
        let started = ContinuousClock.now
        driver.press(.paste(paste))
        let handled = ContinuousClock.now - started
        driver.settle { !$0.lines.last!.contains("searching") }
        let field = try XCTUnwrap(driver.row(containing: "Search "))
        XCTAssertTrue(driver.grid.lines[field].contains("limit 1,500 characters"), driver.grid.lines[field])
        XCTAssertEqual(driver.style(of: "limit 1,500")?.role, .error)
        XCTAssertFalse(driver.text.contains("␊"), "line breaks became spaces")
        XCTAssertTrue(driver.grid.lines[field].contains("boiler is leaking again my boiler"), driver.grid.lines[field])
        driver.press(.char("x"))
        XCTAssertTrue(driver.grid.lines[field].contains("limit 1,500 characters"), "typing at the cap is refused visibly")
        // A key that started a search would show "searching" at once (the panel marks it before
        // the search runs): no window to wait out.
        XCTAssertFalse(driver.grid.lines.last!.contains("searching"), "the refused key started no search: \(driver.grid.lines.last!)")
        XCTAssertEqual(log.posted.count, 1, "one search for the paste; the refused key changed nothing")
        XCTAssertTrue(driver.grid.lines.last!.contains("result"), driver.grid.lines.last!)
        print("bench-paste: console handled a \(paste.utf8.count)-byte paste into search (debug build, one frame) in \(handled)")
    }

    /// Keys that come faster than the debounce start one search, for the last text; each pause
    /// longer than the debounce may add one. The keys are 10 ms apart, like key repeat or a
    /// frame per key: long enough for a search of this small workspace to start and finish.
    func testABurstOfKeysStartsOneSearchForTheLastText() throws {
        let log = PostLog()
        let context = fixture.context(post: { log.record($0) })
        var panel = SearchPanel(scope: .everything, keys: context.keys)
        var longPauses = 0
        var last = ContinuousClock.now
        for character in "boiler" {
            Thread.sleep(forTimeInterval: 0.01)
            _ = panel.handle(.char(character), context: context)
            if ContinuousClock.now - last > SearchPanel.debounce { longPauses += 1 }
            last = ContinuousClock.now
        }
        // Until the search for the whole word has posted (the panel takes only that one's
        // results); searches for earlier texts posted before it or were cancelled.
        let deadline = Date().addingTimeInterval(15)
        var accepted = 0
        while accepted == 0 {
            if Date() >= deadline { return XCTFail("the search for \"boiler\" never posted its results within 15 s") }
            Thread.sleep(forTimeInterval: 0.01)
            accepted = log.posted.filter { panel.receive($0) }.count
        }
        let posted = log.posted
        XCTAssertEqual(accepted, 1, "the search that ran for the whole word posted once")
        XCTAssertLessThanOrEqual(posted.count, 1 + longPauses, "searches started: \(posted.count), pauses over the debounce: \(longPauses)")
        XCTAssertEqual(panel.hits.count, 1, "boiler is in one call")
    }

    /// Enter does not wait for the debounce: it searches at once for what is typed.
    func testEnterRightAfterTypingOpensTheHit() {
        var driver = ScreenDriver(size: Size(width: 110, height: 32)) { [fixture] mailbox in
            let context = fixture!.context(post: { mailbox.post($0) })
            return ConsoleScreen(context: context)
        }
        driver.press(.char("/"))
        driver.backend.send([.key(.paste("boiler"))] + [.key(.enter)])
        driver.app.run(&driver.screen, stopWhenIdle: true)
        XCTAssertEqual(driver.screen.currentTab.title, "Calls")
        XCTAssertTrue(driver.text.contains("My boiler is leaking."), driver.text)
    }
}
