import Foundation
import HandletDomain
@testable import HandletConsole
import TerminalUI
import XCTest

/// An in-memory keyset list, newest (largest) first, as the calls list orders its rows: the
/// browser's windowing arithmetic without a database. A class, so a test can insert and delete
/// rows under a browser that holds its pager, as another process would.
final class MemoryList {
    /// In list order: descending.
    private(set) var values: [Int]
    /// Every read the browser made.
    private(set) var reads = 0

    init(count: Int) { values = Array((0..<count).reversed()) }

    func insertAbove(_ count: Int) {
        let top = (values.first ?? -1) + 1
        values.insert(contentsOf: (top..<(top + count)).reversed(), at: 0)
    }

    func remove(_ value: Int) { values.removeAll { $0 == value } }

    func read<T>(_ body: () -> T) -> T {
        reads += 1
        return body()
    }
}

struct MemoryPager: KeysetPaging {
    let list: MemoryList

    func cursor(of row: Int) -> Int { row }

    func first(limit: Int) throws -> [Int] { list.read { Array(list.values.prefix(limit)) } }
    func after(_ cursor: Int, limit: Int) throws -> [Int] { list.read { Array(list.values.filter { $0 < cursor }.prefix(limit)) } }
    func before(_ cursor: Int, limit: Int) throws -> [Int] { list.read { Array(list.values.filter { $0 > cursor }.suffix(limit)) } }
    func last(limit: Int) throws -> [Int] { list.read { Array(list.values.suffix(limit)) } }

    /// As the domain's `KeysetList.window` does it, in one read.
    func window(keeping selected: Int, rowsAbove: Int, limit: Int) throws -> KeysetWindow<Int> {
        list.read {
            let above = Array(list.values.filter { $0 > selected }.suffix(min(max(rowsAbove, 0), limit - 1)))
            let below = Array(list.values.filter { $0 <= selected }.prefix(limit - above.count))
            if below.isEmpty {
                let rows = above + list.values.suffix(1).filter { !above.contains($0) }
                return KeysetWindow(rows: rows, selectedIndex: rows.isEmpty ? nil : rows.count - 1)
            }
            return KeysetWindow(rows: above + below, selectedIndex: above.count)
        }
    }
}

final class KeysetBrowserTests: XCTestCase {
    /// A browser over `count` rows on a screen `height` rows high, read from the top.
    private func make(_ count: Int, height: Int = 10) throws -> (KeysetBrowser<MemoryPager>, MemoryList) {
        let list = MemoryList(count: count)
        var browser = KeysetBrowser(pager: MemoryPager(list: list))
        try browser.setPageHeight(height)
        try browser.reload()
        return (browser, list)
    }

    /// The selection is drawn: on screen, in the rows drawn, and the screen is full when the list can fill it.
    private func assertSelectionVisible(_ browser: KeysetBrowser<MemoryPager>, listCount: Int,
                                        file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertTrue((0..<browser.pageHeight).contains(browser.selectedOnScreen), "selection on screen", file: file, line: line)
        XCTAssertEqual(browser.visibleRows.dropFirst(browser.selectedOnScreen).first, browser.selectedRow, file: file, line: line)
        XCTAssertEqual(browser.visibleRows.count, min(browser.pageHeight, listCount), "the screen is full", file: file, line: line)
    }

    func testPageDownAndUpCrossTheWindowEdges() throws {
        var (browser, list) = try make(1_000)
        XCTAssertEqual(browser.selectedRow, 999)
        XCTAssertEqual(browser.positionText, "1")
        for page in 1...60 {
            try browser.apply(.pageDown)
            XCTAssertEqual(browser.selectedRow, 999 - 9 * page, "PgDn moves a page less one row")
            XCTAssertEqual(browser.positionText, DisplayText.count(9 * page + 1))
            XCTAssertEqual(browser.selectedOnScreen, 9, "the selection rides the bottom row")
            assertSelectionVisible(browser, listCount: 1_000)
            XCTAssertLessThanOrEqual(browser.rows.count, browser.windowLimit)
        }
        XCTAssertGreaterThan(list.reads, 5, "540 rows are not one window: the edges were crossed")
        for page in 1...60 {
            try browser.apply(.pageUp)
            XCTAssertEqual(browser.selectedRow, 999 - 9 * (60 - page))
            assertSelectionVisible(browser, listCount: 1_000)
        }
        XCTAssertEqual(browser.positionText, "1")
        XCTAssertEqual(browser.selectedOnScreen, 0)
        try browser.apply(.pageUp)
        XCTAssertEqual(browser.selectedRow, 999, "PgUp at the top stays there")
    }

    func testTopAndBottom() throws {
        var (browser, _) = try make(1_000)
        try browser.apply(.bottom)
        XCTAssertEqual(browser.selectedRow, 0)
        XCTAssertEqual(browser.visibleRows.last, 0)
        XCTAssertEqual(browser.selectedOnScreen, 9, "the last row at the bottom of a full screen")
        assertSelectionVisible(browser, listCount: 1_000)
        XCTAssertEqual(browser.positionText, "", "not counted: the end's position is unknown")
        try browser.apply(.down)
        XCTAssertEqual(browser.selectedRow, 0, "j at the end stays there")
        try browser.apply(.top)
        XCTAssertEqual(browser.selectedRow, 999)
        XCTAssertEqual(browser.positionText, "1")
        browser.setTotal(1_000)
        XCTAssertEqual(browser.positionText, "1 of 1,000")
        try browser.apply(.bottom)
        XCTAssertEqual(browser.positionText, "1,000 of 1,000", "counted: the end knows where it is")
        try browser.apply(.up)
        XCTAssertEqual(browser.positionText, "999 of 1,000")
    }

    /// However far the user scrolls, only a few screens of rows are in memory, and each read brings a page.
    func testMemoryStaysBoundedAfterScrollingTenThousandRows() throws {
        var (browser, list) = try make(20_000, height: 20)
        for _ in 0..<10_000 {
            try browser.apply(.down)
            XCTAssertLessThanOrEqual(browser.rows.count, browser.windowLimit)
        }
        XCTAssertEqual(browser.selectedRow, 20_000 - 1 - 10_000)
        XCTAssertEqual(browser.positionText, "10,001", "the position survives the rows dropped above")
        assertSelectionVisible(browser, listCount: 20_000)
        XCTAssertLessThan(list.reads, 10_000 / 16 + 2, "one read per page of rows, not per key")
        for _ in 0..<10_000 {
            try browser.apply(.up)
            XCTAssertLessThanOrEqual(browser.rows.count, browser.windowLimit)
        }
        XCTAssertEqual(browser.selectedRow, 19_999)
        XCTAssertEqual(browser.positionText, "1")
    }

    func testPositionIsKnownFromTheTopUnknownAfterARefreshDeepInTheListAndKnownAgainOnceCounted() throws {
        var (browser, list) = try make(1_000)
        for _ in 0..<50 { try browser.apply(.pageDown) }
        XCTAssertEqual(browser.positionText, "451", "reached from the top")
        list.insertAbove(3)
        try browser.refreshKeepingSelection()
        XCTAssertEqual(browser.selectedRow, 549, "the same record")
        XCTAssertEqual(browser.positionText, "", "re-read around the selection: rows above may have come or gone")
        browser.setTotal(1_003)
        XCTAssertEqual(browser.positionText, "of 1,003", "the count alone does not place a row deep in the list")
        while browser.selectedRow != 0 { try browser.apply(.pageDown) }
        XCTAssertEqual(browser.positionText, "1,003 of 1,003", "counted and at the end: known from the bottom")
        try browser.apply(.top)
        XCTAssertEqual(browser.positionText, "1 of 1,003")

        // Counted first, then a refresh whose window reaches the end.
        (browser, _) = try make(40)
        try browser.apply(.bottom)
        try browser.refreshKeepingSelection()
        browser.setTotal(40)
        XCTAssertEqual(browser.positionText, "40 of 40")
    }

    func testRefreshKeepsTheSelectionOnTheSameRecordAtTheSameHeightWhenRowsArriveAbove() throws {
        var (browser, list) = try make(1_000)
        for _ in 0..<25 { try browser.apply(.down) }
        for _ in 0..<4 { try browser.apply(.up) }
        let record = browser.selectedRow, height = browser.selectedOnScreen
        XCTAssertEqual(height, 5)
        list.insertAbove(7)
        try browser.refreshKeepingSelection()
        XCTAssertEqual(browser.selectedRow, record)
        XCTAssertEqual(browser.selectedOnScreen, height, "new rows never yank the cursor")
        assertSelectionVisible(browser, listCount: 1_007)

        // Near the top the new rows are read too, so the position is known and moved down by them.
        (browser, _) = try make(1_000)
        let near = browser.pager.list
        for _ in 0..<3 { try browser.apply(.down) }
        near.insertAbove(5)
        try browser.refreshKeepingSelection()
        XCTAssertEqual(browser.selectedRow, 996)
        XCTAssertEqual(browser.selectedOnScreen, 3)
        XCTAssertEqual(browser.positionText, "9")
        try browser.apply(.top)
        XCTAssertEqual(browser.selectedRow, 1_004, "the new rows are there above")
    }

    func testADeletedSelectionMovesToTheNextRowOrTheNewLast() throws {
        var (browser, list) = try make(30)
        try browser.apply(.bottom)
        XCTAssertEqual(browser.selectedRow, 0)
        list.remove(0)
        try browser.refreshKeepingSelection()
        XCTAssertEqual(browser.selectedRow, 1, "the last row went: the new last is selected")
        assertSelectionVisible(browser, listCount: 29)
        XCTAssertFalse(browser.rows.contains(0))

        try browser.apply(.top)
        try browser.apply(.down)
        list.remove(28)
        try browser.refreshKeepingSelection()
        XCTAssertEqual(browser.selectedRow, 27, "a middle row went: the next takes its place")
        XCTAssertEqual(browser.selectedOnScreen, 1)
    }

    func testAnEmptyListAndOneThatFillsLater() throws {
        var (browser, list) = try make(0)
        XCTAssertTrue(browser.isEmpty)
        XCTAssertNil(browser.selectedRow)
        XCTAssertEqual(browser.positionText, "empty")
        for action in [NavigationAction.down, .up, .pageDown, .pageUp, .bottom, .top] { try browser.apply(action) }
        try browser.refreshKeepingSelection()
        try browser.setPageHeight(30)
        XCTAssertTrue(browser.isEmpty)
        XCTAssertEqual(browser.visibleRows.count, 0)
        list.insertAbove(3)
        try browser.refreshKeepingSelection()
        XCTAssertEqual(Array(browser.visibleRows), [2, 1, 0])
        XCTAssertEqual(browser.positionText, "1")
    }

    /// A resize changes the page height: the selection stays on screen and a taller screen is full.
    func testPageHeightChangesKeepTheSelectionVisibleAndTheScreenFull() throws {
        var (browser, list) = try make(1_000, height: 20)
        for _ in 0..<15 { try browser.apply(.down) }
        XCTAssertEqual(browser.selectedOnScreen, 15)
        try browser.setPageHeight(5)
        XCTAssertEqual(browser.selectedRow, 984)
        assertSelectionVisible(browser, listCount: 1_000)
        let reads = list.reads
        try browser.setPageHeight(5)
        XCTAssertEqual(list.reads, reads, "the same height reads nothing")
        try browser.setPageHeight(60)
        assertSelectionVisible(browser, listCount: 1_000)
        XCTAssertEqual(browser.positionText, "16")
        XCTAssertLessThanOrEqual(browser.rows.count, browser.windowLimit)

        // At the bottom of the list, a taller screen reads the rows above to fill itself.
        try browser.setPageHeight(5)
        try browser.apply(.bottom)
        try browser.setPageHeight(50)
        assertSelectionVisible(browser, listCount: 1_000)
        XCTAssertEqual(browser.visibleRows.last, 0)
        XCTAssertEqual(browser.selectedRow, 0)

        // A list shorter than the screen shows all of it.
        (browser, _) = try make(7, height: 5)
        try browser.apply(.bottom)
        try browser.setPageHeight(40)
        XCTAssertEqual(Array(browser.visibleRows), Array((0..<7).reversed()))
        XCTAssertEqual(browser.selectedOnScreen, 6)
    }
}
