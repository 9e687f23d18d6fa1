import Foundation
@testable import HandletDomain
@testable import HandletConsole
import TerminalUI
import XCTest

/// The `/` panel over any tab.
final class SearchPanelTests: ConsoleScreenTestCase {
    func testSearchHighlightsOpensTheCallAtTheHitAndGoesBackToResults() {
        var driver = makeDriver()
        driver.press("search", in: "Overview")
        driver.type("boiler")
        driver.settle { !$0.lines.last!.contains("searching") }
        XCTAssertTrue(driver.text.contains("1 result"), driver.grid.lines.last!)
        let hitRow = driver.grid.lines.indices.first { $0 > 3 && driver.grid.lines[$0].contains("boiler") }!
        XCTAssertTrue(driver.grid.lines[hitRow].contains("call") && driver.grid.lines[hitRow].contains("Bob Blocked"))
        XCTAssertEqual(driver.grid[driver.grid.column(of: "boiler", row: hitRow)!, hitRow].style.role, .highlight)
        driver.press("open", in: "Search")
        XCTAssertEqual(driver.screen.currentTab.title, "Calls")
        XCTAssertTrue(driver.text.contains("My boiler is leaking."))
        XCTAssertEqual(driver.style(of: "boiler")?.role, .highlight, "the hit is highlighted in the detail")
        driver.press("back", in: "Call detail")
        XCTAssertTrue(driver.grid.lines.last!.contains("Search · 1 result"), "back to the results: \(driver.grid.lines.last!)")
        driver.press("close", in: "Search")
        XCTAssertFalse(driver.grid.lines[1].contains("Search"))
    }

    /// Issue 16: `/` reopens with the last query selected; typing replaces it, Home keeps it.
    func testReopenedSearchSelectsTheLastQuerySoTypingReplacesIt() {
        var driver = makeDriver()
        driver.press("search", in: "Overview")
        driver.type("boiler")
        driver.settle { !$0.lines.last!.contains("searching") }
        driver.press("close", in: "Search")
        driver.press("search", in: "Overview")
        let field = driver.row(containing: "Search ")!
        XCTAssertTrue(driver.grid.lines[field].contains("boiler"), driver.grid.lines[field])
        XCTAssertEqual(driver.grid[driver.grid.column(of: "boiler", row: field)!, field].style.role, .selection)
        driver.type("leak")
        XCTAssertTrue(driver.grid.lines[field].contains("Search  leak"), driver.grid.lines[field])
        XCTAssertFalse(driver.grid.lines[field].contains("boiler"), driver.grid.lines[field])
        driver.settle { !$0.lines.last!.contains("searching") }
        driver.press("close", in: "Search")
        driver.press("search", in: "Overview")
        driver.press(.home)
        driver.type("x")
        XCTAssertTrue(driver.grid.lines[field].contains("Search  xleak"), driver.grid.lines[field])
    }

    /// Issue 16: a phone number in any common form finds the contact's calls and messages.
    func testSearchFindsAPhoneNumberInAnyForm() {
        var counts: [String: String] = [:]
        for typed in ["07700 900001", "07700900001", "+447700900001", "+44 7700 900001"] {
            var driver = makeDriver()
            driver.press("search", in: "Overview")
            driver.type(typed)
            // The total follows the first page (issue 25): "1–40 of 40+" until it is counted.
            driver.settle { !$0.lines.last!.contains("searching") && !$0.lines.last!.contains("+ results") }
            let hits = driver.grid.lines.filter { $0.contains("Alice Archer") }
            XCTAssertGreaterThan(hits.count, 3, "\(typed): \(driver.text)")
            XCTAssertFalse(driver.grid.lines.contains { $0.contains("Bob Blocked") }, "only Alice has that number: \(typed)")
            counts[typed] = driver.grid.lines.last!
        }
        XCTAssertEqual(Set(counts.values.map { $0.components(separatedBy: " · ").prefix(2).joined() }).count, 1,
                       "every form finds the same: \(counts)")
    }

    func testSearchIsAsynchronousButEnterAndStaleResultsBehave() {
        var driver = makeDriver()
        driver.press("search", in: "Overview")
        driver.backend.send("boiler".map { InputEvent.key(.char($0)) } + [.key(.enter)])
        driver.app.run(&driver.screen, stopWhenIdle: true)
        XCTAssertEqual(driver.screen.currentTab.title, "Calls")
        XCTAssertTrue(driver.text.contains("My boiler is leaking."), driver.text)

    }

    /// A real search's results that arrive after the user typed over it are dropped: the search
    /// for "boiler" runs and posts, the user types on before that message is handled, and only
    /// the search for the new text changes the list.
    func testResultsOfARealSearchTypedOverNeverReplaceTheCurrentOnes() throws {
        let log = SearchInputTests.PostLog()
        let context = fixture.context(post: { log.record($0) })
        var panel = SearchPanel(scope: .everything, keys: context.keys)
        for character in "boiler" { _ = panel.handle(.char(character), context: context) }
        let boiler = try waitForPost(log, count: 1)
        XCTAssertEqual(boiler.hits.count, 1, "the search for boiler ran and found its one call")

        // Typed over before that result was handled: "boiler" becomes "radiator".
        for _ in 0..<6 { _ = panel.handle(.backspace, context: context) }
        for character in "radiator" { _ = panel.handle(.char(character), context: context) }
        XCTAssertFalse(panel.receive(boiler), "the older search's results are refused")
        XCTAssertEqual(panel.hits.count, 0, "and change nothing")
        XCTAssertTrue(panel.isSearching, "the search for the new text is still running")

        let radiator = try waitForPost(log, count: 2)
        XCTAssertTrue(panel.receive(radiator))
        XCTAssertGreaterThan(panel.hits.count, 1, "the current search's results are shown")
        XCTAssertFalse(panel.receive(boiler), "even after the current results came")
        XCTAssertEqual(panel.hits.count, radiator.hits.count)
    }

    private func waitForPost(_ log: SearchInputTests.PostLog, count: Int, file: StaticString = #filePath,
                             line: UInt = #line) throws -> SearchPanel.Results {
        let deadline = Date().addingTimeInterval(15)
        // A page's results count; the total that follows each (issue 25) does not.
        var pages: [SearchPanel.Results] { log.posted.filter { $0.total == nil } }
        while pages.count < count {
            if Date() >= deadline {
                XCTFail("no search result \(count) within 15 s (posted \(pages.count))", file: file, line: line)
                throw CancellationError()
            }
            Thread.sleep(forTimeInterval: 0.01)
        }
        return pages[count - 1]
    }

    func testSearchBadInputNeverCrashes() {
        var driver = makeDriver()
        driver.press("search", in: "Overview")
        driver.type("\"unbalanced AND (NEAR * ^:")
        driver.settle { !$0.lines.last!.contains("searching") }
        XCTAssertFalse(driver.text.contains("fts5"), driver.text)
        driver.press("close", in: "Search")
        driver.press("search", in: "Overview")
        for _ in 0..<40 { driver.press(.backspace) }
        driver.type("the and of")
        XCTAssertTrue(driver.text.contains("more specific"), driver.text)
        for _ in 0..<20 { driver.press(.backspace) }
        driver.type(String(repeating: "leak ", count: 25))
        driver.settle { !$0.lines.last!.contains("searching") }
        XCTAssertTrue(driver.text.contains("Only the first"), driver.text)
    }

    /// Issue 11: "nothing found" quotes at most a screen's width (60 columns) of the query.
    func testNothingFoundQuotesAtMostAScreenWidthOfTheQuery() {
        var driver = makeDriver()
        driver.press("search", in: "Overview")
        let words = (0..<19).map { "qzx\($0)wvkjyp" }
        driver.type(words.joined(separator: " "))
        driver.settle { !$0.lines.last!.contains("searching") }
        let status = driver.grid.lines.last!
        XCTAssertTrue(driver.text.contains("Nothing matches"), driver.text)
        let line = driver.grid.lines.first { $0.contains("Nothing matches") }!
        let quoted = line.components(separatedBy: "\"").dropFirst().first ?? ""
        XCTAssertLessThanOrEqual(TextWidth.width(of: quoted), 60, status)
        XCTAssertTrue(quoted.hasSuffix("…"), "a cut query says so: \(quoted)")
        XCTAssertFalse(line.contains(words.last!), "the end of the query is not quoted")
    }

    func testSearchOpensTheConversationAtTheMessage() {
        var driver = makeDriver()
        driver.press("search", in: "Overview")
        driver.type("cistern")
        driver.press("open", in: "Search")
        XCTAssertEqual(driver.screen.currentTab.title, "Messages")
        XCTAssertEqual(driver.style(of: "cistern")?.role, .highlight)
    }

    /// The panel's table covers its keys; everything printable types into the search.
    func testPrintableKeysTypeAndTheTableKeysAct() {
        var driver = makeDriver()
        driver.press("search", in: "Overview")
        driver.type("q?:/fx")
        XCTAssertTrue(driver.text.contains("q?:/fx"), "printable keys type, even those bound elsewhere: \(driver.text)")
        for binding in SearchPanel.table.defaults.bindings {
            XCTAssertTrue(binding.keys.allSatisfy { !$0.typesText }, "\(binding.name) would never be reached from the search field")
        }
    }
}
