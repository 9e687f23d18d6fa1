import Foundation
@testable import HandletDomain
@testable import HandletConsole
import TerminalUI
import XCTest

/// What a frame costs when little changed (issue 26), counted rather than timed: an idle console
/// draws no frames, and a one-row move draws no row but restyles two.
final class FrameWorkTests: ConsoleScreenTestCase {
    /// The console at rest gets four ticks a second; one that changes nothing draws nothing (the
    /// whole screen was drawn and diffed at every tick). A tick that does change something (a
    /// flash running out) draws.
    func testIdleTicksDrawNothing() {
        var driver = makeDriver(size: Size(width: 200, height: 50))
        driver.settle { $0.lines.contains { $0.contains("Missed calls, last 7 days") } }
        let frames = driver.app.frameCount
        for tick in 1...(ConsoleScreen.changePollTicks * 5) {
            let draws = driver.app.deliver(.tick, to: &driver.screen)
            XCTAssertEqual(draws, false, "tick \(tick) changed nothing")
        }
        XCTAssertEqual(driver.app.frameCount, frames)

        driver.screen.show("Saved", isError: false)
        driver.app.drawFrame(&driver.screen)
        XCTAssertTrue(driver.text.contains("Saved"), driver.text)
        var drawn: [Int] = []
        for tick in 1...ConsoleScreen.flashTicks {
            if driver.app.deliver(.tick, to: &driver.screen) == true { drawn.append(tick) }
        }
        XCTAssertEqual(drawn, [ConsoleScreen.flashTicks], "only the tick that ends the flash draws")
        driver.app.drawFrame(&driver.screen)
        XCTAssertFalse(driver.text.contains("Saved"), driver.text)
    }

    private func callsPane(_ driver: ScreenDriver<ConsoleScreen>) -> KeysetListPane<CallPage> {
        (driver.screen.currentTab as! CallsTab).list.pane
    }

    /// `j` copies the rows on screen from the last frame and draws none of them again; what reaches
    /// the terminal is the two rows whose selection changed and the position in the status bar.
    /// A move that scrolls draws the one row that came on screen; a page draws a page. (Moves are
    /// handed straight to the screen, one frame each: at 200 columns the preview of the selected
    /// call is read once the keys settle, in a frame of its own.)
    func testAOneRowMoveDrawsNoRowAndRestylesTwo() {
        for size in [Size(width: 80, height: 24), Size(width: 200, height: 50)] {
            var driver = makeDriver(size: size)
            driver.goTo(.calls)
            driver.settle { $0.lines.last!.contains("of 120") }
            let rowsDrawn = callsPane(driver).drawnRows.drawn
            XCTAssertGreaterThan(rowsDrawn, 10, "the first frame drew the screen's rows")
            for _ in 0..<2 { _ = driver.outcome(of: "down", in: "Calls list") }
            XCTAssertEqual(callsPane(driver).drawnRows.drawn, rowsDrawn, "a move within the screen draws no row (\(size))")
            XCTAssertTrue(driver.grid.lines.last!.contains("3 of 120"), driver.grid.lines.last!)
            let listWidth = size.width >= CallsTab.previewMinimumWidth ? CallsTab.listWidth(total: size.width) : size.width
            XCTAssertLessThanOrEqual(driver.backend.cellsWrittenLastFrame, 2 * listWidth + 12, "two rows restyled and the position (\(size))")
            XCTAssertGreaterThanOrEqual(driver.backend.cellsWrittenLastFrame, 2 * listWidth - 10)

            // To the last row on screen, then one more: the list scrolls by one row, and only it is drawn.
            let bodyRows = callsPane(driver).browser.pageHeight
            for _ in 0..<(bodyRows - 3) { _ = driver.outcome(of: "down", in: "Calls list") }
            XCTAssertEqual(callsPane(driver).drawnRows.drawn, rowsDrawn)
            _ = driver.outcome(of: "down", in: "Calls list")
            XCTAssertEqual(callsPane(driver).drawnRows.drawn, rowsDrawn + 1, "the row that scrolled on (\(size))")
            _ = driver.outcome(of: "page_down", in: "Calls list")
            XCTAssertLessThanOrEqual(callsPane(driver).drawnRows.drawn, rowsDrawn + 1 + bodyRows)
            XCTAssertGreaterThan(callsPane(driver).drawnRows.drawn, rowsDrawn + 1)
        }
    }

    /// What the rows' look depends on besides their records draws them again: a mark adds the mark
    /// column to every row, and a new width lays every row out again.
    func testKeptRowsAreDrawnAgainWhenTheirLookChanges() {
        var driver = makeDriver(size: Size(width: 120, height: 30))
        driver.goTo(.calls)
        let rowsDrawn = callsPane(driver).drawnRows.drawn
        let shown = callsPane(driver).browser.visibleRows.count
        driver.press("mark", in: "Calls list")
        XCTAssertEqual(callsPane(driver).drawnRows.drawn, rowsDrawn + shown, "the mark column on every row")
        let marked = driver.grid.lines.firstIndex { $0.contains("23 Nov 11:00") }!
        XCTAssertTrue(driver.grid.lines[marked].hasPrefix("*"), driver.grid.lines[marked])
        driver.backend.resize(to: Size(width: 100, height: 30))
        driver.press()
        XCTAssertEqual(callsPane(driver).drawnRows.drawn, rowsDrawn + 2 * shown, "laid out for the new width")
        XCTAssertTrue(driver.grid.lines[marked].hasPrefix("*"), driver.grid.lines[marked])
    }

    /// A kept row is checked against the record read now: one read again with other data is drawn
    /// again, one unchanged is copied; other columns or context draw everything again.
    func testKeptRowsAreCheckedAgainstTheirRecords() {
        let kept = DrawnRows<Int, String>()
        let columns = [TableColumn("Name", width: .flexible(minimum: 4, weight: 1))]
        let signature = DrawnRows<Int, String>.Signature(columns: columns, width: 10, context: 0)
        var drawn: [String] = []
        func cells(_ rows: [String], _ signature: DrawnRows<Int, String>.Signature) -> [String] {
            kept.cells(of: rows, key: { Int($0.prefix(1))! }, signature: signature) { row in
                drawn.append(row)
                return Table(columns: columns).cells(of: TableRow([row]), width: signature.width)
            }.map { $0.map(\.symbol).joined() }
        }
        XCTAssertEqual(cells(["1 a", "2 b"], signature), ["1 a       ", "2 b       "])
        XCTAssertEqual(cells(["1 a", "2 c"], signature), ["1 a       ", "2 c       "])
        XCTAssertEqual(drawn, ["1 a", "2 b", "2 c"], "row 2's record changed; row 1's did not")
        var wider = signature
        wider.width = 12
        XCTAssertEqual(cells(["1 a", "2 c"], wider), ["1 a         ", "2 c         "])
        var otherContext = wider
        otherContext.context = 1
        _ = cells(["1 a"], otherContext)
        XCTAssertEqual(drawn, ["1 a", "2 b", "2 c", "1 a", "2 c", "1 a"])
        XCTAssertEqual(kept.drawn, 6)
    }
}
