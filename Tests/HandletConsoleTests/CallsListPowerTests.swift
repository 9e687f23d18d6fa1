import Foundation
import GRDB
@testable import HandletDomain
@testable import HandletConsole
import TerminalUI
import XCTest

/// The Calls list for a power user (issue 25): sort by any column, show or hide columns and more
/// of them when wide, a preview beside the list, next/previous from a detail, and marks with
/// actions on several calls at once.
final class CallsListPowerTests: ConsoleScreenTestCase {
    private func selectedLine(_ driver: ScreenDriver<ConsoleScreen>) -> String {
        driver.grid.lines[(0..<driver.grid.height).first { driver.grid[0, $0].style == .selection }!]
    }

    private func header(_ driver: ScreenDriver<ConsoleScreen>) -> String {
        driver.grid.lines.first { $0.contains("When") } ?? ""
    }

    /// The column a sort key acts on moves with > and <; s cycles it ascending, descending, off,
    /// with ▲/▼ in the header; the sorted list pages by keyset deep into it.
    func testSortCyclesAscendingDescendingAndOffShownInTheHeaderAndPagesAtDepth() {
        for size in [Size(width: 80, height: 24), Size(width: 200, height: 50)] {
            var driver = makeDriver(size: size)
            driver.goTo(.calls)
            let headerRow = driver.row(containing: "When")!
            let whenColumn = driver.grid.column(of: "When", row: headerRow)!
            XCTAssertEqual(driver.grid[whenColumn, headerRow].style, .header, "no underline before a column key")
            for _ in 0..<3 { driver.press("next_column", in: "Calls list") }
            let lengthColumn = driver.grid.column(of: "Length", row: headerRow)!
            XCTAssertTrue(driver.grid[lengthColumn, headerRow].style.modifiers.contains(.underline), "\(size): Length underlined")
            XCTAssertFalse(driver.grid[whenColumn, headerRow].style.modifiers.contains(.underline))

            driver.press("sort", in: "Calls list")
            XCTAssertTrue(header(driver).contains("▲"), "\(size): \(header(driver))")
            XCTAssertTrue(selectedLine(driver).contains(DisplayText.duration(60)), "shortest first: \(selectedLine(driver))")
            driver.press("sort", in: "Calls list")
            XCTAssertTrue(header(driver).contains("▼"), header(driver))
            XCTAssertTrue(selectedLine(driver).contains(DisplayText.duration(179)) && selectedLine(driver).contains("18 Nov 12:00"),
                          "longest (the oldest call) first: \(selectedLine(driver))")
            // Deep in the list, still longest first: each PgDn reads the next page by keyset.
            for _ in 0..<2 { driver.press("page_down", in: "Calls list") }
            driver.settle { $0.lines.last!.contains("of 120") }
            let status = driver.grid.lines.last!
            let position = Int(status.components(separatedBy: "Calls · ").last!.components(separatedBy: " of").first!)!
            XCTAssertGreaterThan(position, 30, status)
            XCTAssertTrue(selectedLine(driver).contains(DisplayText.duration(179 - (position - 1))),
                          "\(size): call \(position) is \(DisplayText.duration(179 - (position - 1))): \(selectedLine(driver))")
            driver.press("bottom", in: "Calls list")
            XCTAssertTrue(selectedLine(driver).contains(DisplayText.duration(60)), "the shortest last: \(selectedLine(driver))")

            driver.press("sort", in: "Calls list")
            XCTAssertFalse(header(driver).contains("▲") || header(driver).contains("▼"), header(driver))
            XCTAssertTrue(selectedLine(driver).contains("23 Nov 11:00"), "newest first again: \(selectedLine(driver))")
        }
    }

    /// c hides the underlined column, C shows them all; a wide list shows Number, External id and Summary.
    func testColumnsHideAndShowAndAWideListShowsMore() {
        var narrow = makeDriver(size: Size(width: 80, height: 24))
        narrow.goTo(.calls)
        XCTAssertFalse(header(narrow).contains("Number") || header(narrow).contains("Summary"), header(narrow))
        narrow.press("next_column", in: "Calls list")
        narrow.press("hide_column", in: "Calls list")
        XCTAssertFalse(header(narrow).contains("Contact"), header(narrow))
        XCTAssertTrue(narrow.grid.lines.last!.contains("Hid Contact"), narrow.grid.lines.last!)
        narrow.press("show_columns", in: "Calls list")
        XCTAssertTrue(header(narrow).contains("Contact"), header(narrow))

        var wide = makeDriver(size: Size(width: 200, height: 50))
        wide.goTo(.calls)
        wide.press("preview", in: "Calls list")
        for title in ["Number", "External id", "Summary", "Contact or number", "Outcome"] {
            XCTAssertTrue(header(wide).contains(title), "200 wide, no preview: \(title) missing: \(header(wide))")
        }
        let first = wide.grid.lines[wide.row(containing: "When")! + 1]
        XCTAssertTrue(first.contains("CALL-0") && first.contains("+447700900001") && first.contains("radiator leak"), first)
        XCTAssertFalse(first.contains("Alice Archer" + String(repeating: " ", count: 60)), "no very wide blank Contact column: \(first)")
    }

    /// At 160 columns and wider the selected call shows beside the list and follows the selection; p hides it.
    func testPreviewBesideTheListFollowsTheSelection() {
        var driver = makeDriver(size: Size(width: 200, height: 50))
        driver.goTo(.calls)
        let split = Self.listWidthAt200
        XCTAssertTrue(driver.text.contains("CALL-0"), driver.text)
        let previewText = driver.grid.lines.map { String($0.dropFirst(split)) }.joined(separator: "\n")
        XCTAssertTrue(previewText.contains("CALL-0") && previewText.contains("Summary"), previewText)
        driver.press("down", in: "Calls list")
        let moved = driver.grid.lines.map { String($0.dropFirst(split)) }.joined(separator: "\n")
        XCTAssertTrue(moved.contains("CALL-1") && !moved.contains("CALL-0"), moved)
        driver.press("preview", in: "Calls list")
        XCTAssertFalse(driver.grid.lines.contains { $0.contains("│") && $0.contains("Transcript") }, driver.text)

        var narrow = makeDriver(size: Size(width: 80, height: 24))
        narrow.goTo(.calls)
        XCTAssertFalse(narrow.text.contains("Summary"), "no preview at 80 columns: \(narrow.text)")
    }

    /// Moves do not read the preview: the pane blanks (never another call's detail beside the
    /// selection) and the selected call is read once the keys settle, so holding `j` costs what
    /// the list costs.
    func testPreviewIsReadOnceTheKeysSettle() {
        var driver = makeDriver(size: Size(width: 200, height: 50))
        driver.goTo(.calls)
        let split = Self.listWidthAt200
        func pane() -> String { driver.grid.lines.map { String($0.dropFirst(split)) }.joined(separator: "\n") }
        guard let down = driver.key("down", in: "Calls list") else { return }
        _ = driver.outcome(of: down)
        _ = driver.outcome(of: down)
        XCTAssertFalse(pane().contains("CALL-0") || pane().contains("CALL-1") || pane().contains("Summary"),
                       "no stale or early preview while keys arrive: \(pane())")
        XCTAssertTrue(driver.screen.idle(), "the settled keys read the preview")
        XCTAssertFalse(driver.screen.idle(), "and only once")
        driver.app.drawFrame(&driver.screen)
        XCTAssertTrue(pane().contains("CALL-2") && pane().contains("Summary"), pane())
    }

    static let listWidthAt200 = CallsTab.listWidth(total: 200) + 1

    /// ] and [ (and J and K) open the next and previous call of the list from inside a detail.
    func testNextAndPreviousCallFromInsideADetail() {
        for size in [Size(width: 80, height: 24), Size(width: 200, height: 50)] {
            var driver = makeDriver(size: size)
            driver.goTo(.calls)
            driver.press("open", in: "Calls list")
            XCTAssertTrue(driver.text.contains("CALL-0"), driver.text)
            driver.press("next_call", in: "Call detail")
            XCTAssertTrue(driver.text.contains("CALL-1") && driver.text.contains("Transcript"), driver.text)
            driver.press(.char("J"))
            XCTAssertTrue(driver.text.contains("CALL-2"), driver.text)
            driver.press("previous_call", in: "Call detail")
            driver.press(.char("K"))
            XCTAssertTrue(driver.text.contains("CALL-0"), driver.text)
            driver.press("previous_call", in: "Call detail")
            XCTAssertTrue(driver.grid.lines.last!.contains("first call"), driver.grid.lines.last!)
            driver.press("back", in: "Call detail")
            XCTAssertTrue(selectedLine(driver).contains("23 Nov 11:00"), "the list's selection followed: \(selectedLine(driver))")
        }
    }

    /// Space marks and moves down; the count shows; marks survive paging; Esc clears them, then goes back.
    func testSpaceMarksSurvivePagingAndEscClearsThem() {
        var driver = makeDriver(size: Size(width: 80, height: 24))
        driver.goTo(.calls)
        driver.press("mark", in: "Calls list")
        driver.press("mark", in: "Calls list")
        XCTAssertTrue(driver.grid.lines.last!.contains("2 marked"), driver.grid.lines.last!)
        XCTAssertTrue(selectedLine(driver).contains("23 Nov 09:00"), "Space moved down: \(selectedLine(driver))")
        let marked = { (driver: ScreenDriver<ConsoleScreen>) in driver.grid.lines.filter { $0.hasPrefix("*") }.count }
        XCTAssertEqual(marked(driver), 2, driver.text)
        driver.press("page_down", in: "Calls list")
        driver.press("page_down", in: "Calls list")
        driver.press("mark", in: "Calls list")
        driver.press("top", in: "Calls list")
        XCTAssertEqual(marked(driver), 2, "the first two are still marked after paging:\n\(driver.text)")
        XCTAssertTrue(driver.grid.lines.last!.contains("3 marked"), driver.grid.lines.last!)
        driver.press("clear_marks", in: "Calls list with marks")
        XCTAssertEqual(marked(driver), 0)
        XCTAssertFalse(driver.grid.lines.last!.contains("marked ·"), driver.grid.lines.last!)
        XCTAssertEqual(driver.outcome(of: .escape), driver.outcome(of: .escape), "with no marks Esc is the console's")
    }

    /// H on marked calls: one reason, one question, one command; U releases them all, or none
    /// when one of them cannot be released.
    func testHoldAndReleaseOnMarkedCallsIsOneCommandAllOrNothing() throws {
        try fixture.workspace.dbPool.write { db in
            let call = try Call.filter(Column("external_id") == "CALL-1").fetchOne(db)!
            try db.execute(sql: "UPDATE calls SET recording_state = 'recorded' WHERE id = ?", arguments: [call.id])
            var recording = Recording(callId: call.id!, filePath: "call-1.wav", bytes: 10, durationMs: 1000, sha256: "00",
                                      createdAt: ConsoleFixture.now, expiresAt: ConsoleFixture.now.addingTimeInterval(30 * 86_400))
            try recording.insert(db)
        }
        let auditBefore = try fixture.workspace.dbPool.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM audit_events")! }
        var driver = makeDriver(size: Size(width: 80, height: 24))
        driver.goTo(.calls)
        XCTAssertEqual(driver.outcome(of: .char("H")), driver.outcome(of: .char("H")), "H acts only on marks")
        XCTAssertFalse(driver.text.contains("Legal hold on"))
        driver.press("mark", in: "Calls list")
        driver.press("mark", in: "Calls list")
        driver.press("hold_marked", in: "Calls list with marks")
        XCTAssertTrue(driver.text.contains("Legal hold on 2 marked calls"), driver.text)
        driver.type("Insurance claim 42")
        driver.press("save", in: "Text prompt")
        XCTAssertTrue(driver.text.contains("2 recordings of CALL-0, CALL-1"), "the domain's question: \(driver.text)")
        driver.press("confirm", in: "Confirmation")
        XCTAssertTrue(driver.grid.lines.last!.contains("2 recordings are on legal hold"), driver.grid.lines.last!)
        XCTAssertFalse(driver.grid.lines.last!.contains("marked ·"), "marks cleared after the action")
        let held = try fixture.workspace.session(as: .system).read(.legalHolds)
        XCTAssertEqual(Set(held.map(\.callExternalId)), ["CALL-0", "CALL-1"])
        XCTAssertEqual(Set(held.map(\.reason)), ["Insurance claim 42"])
        let events = try fixture.workspace.dbPool.read {
            try Row.fetchAll($0, sql: "SELECT action, target FROM audit_events ORDER BY seq").dropFirst(auditBefore)
        }
        XCTAssertEqual(events.count, 1, "one audit event for the whole action")
        XCTAssertEqual(events.first?["action"], "recording.hold_placed")

        // CALL-0 is held, CALL-2 has no recording: the release is refused whole, naming CALL-2.
        driver.press("top", in: "Calls list")
        driver.press("mark", in: "Calls list")
        driver.press("down", in: "Calls list")
        driver.press("mark", in: "Calls list")
        driver.press("release_marked", in: "Calls list with marks")
        XCTAssertTrue(driver.grid.lines.last!.contains("CALL-2"), driver.grid.lines.last!)
        XCTAssertEqual(try fixture.workspace.session(as: .system).read(.legalHolds).count, 2, "nothing released")
    }
}
