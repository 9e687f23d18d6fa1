import Foundation
import HandletDomain
@testable import HandletConsole
import TerminalUI
import XCTest

final class BrowseScreensTests: XCTestCase {
    var fixture: ConsoleFixture!
    override func setUpWithError() throws { fixture = try ConsoleFixture() }
    override func tearDown() { fixture.remove() }

    func makeDriver(size: Size = Size(width: 110, height: 32)) -> ScreenDriver<ConsoleScreen> {
        let fixture = self.fixture!
        var driver = ScreenDriver(size: size) { mailbox in
            let context = fixture.context(post: { mailbox.post($0) })
            return ConsoleScreen(context: context)
        }
        driver.press()
        return driver
    }

    // MARK: Overview

    func testOverviewShowsChartAndAttentionItemsThatOpenFilteredCalls() {
        var driver = makeDriver()
        XCTAssertTrue(driver.text.contains("Calls per day, last 90 days"))
        XCTAssertTrue(driver.text.contains("█"), "the chart has bars")
        XCTAssertTrue(driver.text.contains("Missed calls this week"))
        XCTAssertTrue(driver.text.contains("Recordings expiring in the next 7 days"))
        // 120 calls an hour apart back from Monday noon: those this week (since Monday 00:00) are the first 12,
        // of which every fifth (index 0, 5, 10) is missed.
        let missedLine = driver.grid.lines.first { $0.contains("Missed calls this week") }!
        XCTAssertTrue(missedLine.trimmingCharacters(in: .whitespaces).hasPrefix("3 "), missedLine)
        XCTAssertEqual(driver.style(of: "Missed calls this week")?.role, .selection, "the first item is selected")
        driver.press(.enter)
        XCTAssertEqual(driver.screen.currentTab.title, "Calls")
        XCTAssertTrue(driver.text.contains(" 7 days ") && driver.text.contains(" Missed "), "filter chips show: \(driver.grid.lines[1])")
        let rows = driver.grid.lines.filter { $0.contains("Alice Archer") || $0.contains("Bob Blocked") }
        XCTAssertFalse(rows.isEmpty)
        XCTAssertTrue(rows.allSatisfy { $0.contains("Missed") }, "only missed calls are listed")
    }

    // MARK: Calls

    func testCallsListShowsColumnsNewestFirstAndMissedInWarning() {
        var driver = makeDriver()
        driver.press(.char("2"))
        let header = driver.grid.lines[1]
        for title in ["When", "Contact or number", "Dir", "Length", "Handled by", "Outcome", "Recording"] {
            XCTAssertTrue(header.contains(title), "missing column \(title): \(header)")
        }
        XCTAssertEqual(driver.grid[0, 1].style, .header)
        XCTAssertTrue(driver.grid.lines[2].contains("23 Nov 11:00"), "newest call first: \(driver.grid.lines[2])")
        XCTAssertTrue(driver.grid.lines[2].contains("30d left"), "the recorded call shows its days left: \(driver.grid.lines[2])")
        XCTAssertEqual(driver.grid[0, 2].style, .selection)
        XCTAssertEqual(driver.grid[0, 3].style, .normal)
        let missedRow = driver.grid.lines.firstIndex { $0.contains("23 Nov 06:00") }!
        XCTAssertEqual(driver.grid[0, missedRow].style, .warning, "missed calls stand out")
        driver.settle { $0.lines.last!.contains("of 120") }
        XCTAssertTrue(driver.grid.lines.last!.contains("Calls · 1 of 120"), driver.grid.lines.last!)
    }

    func testCallsScrollByKeysetDownPagesAndToTheEndAndBack() {
        var driver = makeDriver()
        driver.press(.char("2"), .char("j"), .down)
        driver.settle { $0.lines.last!.contains("of 120") }
        XCTAssertTrue(driver.grid.lines.last!.contains("3 of 120"))
        driver.press(.pageDown)
        XCTAssertTrue(driver.grid.lines.last!.contains("\(3 + 28) of 120"), driver.grid.lines.last!)
        driver.press(.char("G"))
        XCTAssertTrue(driver.grid.lines.last!.contains("120 of 120"), driver.grid.lines.last!)
        XCTAssertTrue(driver.text.contains("CALL-119") == false)
        let selected = (0..<driver.grid.height).first { driver.grid[0, $0].style == .selection }!
        XCTAssertTrue(driver.grid.lines[selected].contains("18 Nov"), "the oldest call (120 hours back) is selected: \(driver.grid.lines[selected])")
        driver.press(.char("g"))
        XCTAssertTrue(driver.grid.lines.last!.contains("1 of 120"))
    }

    func testSelectionStaysOnTheSameCallWhenNewCallsArrive() throws {
        var driver = makeDriver()
        driver.press(.char("2"), .down, .down)
        driver.settle { $0.lines.last!.contains("3 of 120") }
        let selectedRow = { (grid: Grid) in (0..<grid.height).first { grid[0, $0].style == .selection }! }
        let before = selectedRow(driver.grid)
        XCTAssertTrue(driver.grid.lines[before].contains("23 Nov 09:00"))
        try fixture.workspace.dbPool.write { db in
            try db.execute(sql: """
                INSERT INTO calls(external_id, direction, from_number, to_number, started_at, duration_seconds, handled_by,
                                  outcome, summary, transcript, transcript_timing, recording_state)
                VALUES ('CALL-NEW', 'inbound', '+447700900009', '+441632960000', ?, 30, 'ai_agent', 'booked_job',
                        'New caller.', '', '', 'not_recorded')
                """, arguments: [Int64(ConsoleFixture.now.timeIntervalSince1970) - 60])
        }
        driver.tick(ConsoleScreen.changePollTicks * 2)
        driver.settle { $0.lines.last!.contains("of 121") }
        let after = selectedRow(driver.grid)
        XCTAssertTrue(driver.grid.lines[after].contains("23 Nov 09:00"), "the same call is still selected: \(driver.grid.lines[after])")
        XCTAssertEqual(after, before, "at the same height on screen")
        XCTAssertTrue(driver.grid.lines.last!.contains("4 of 121"), driver.grid.lines.last!)
    }

    func testCallDetailShowsSummaryTranscriptRecordingAndWaveform() {
        var driver = makeDriver()
        driver.press(.char("2"), .enter)
        let text = driver.text
        XCTAssertTrue(text.contains("Alice Archer"))
        XCTAssertTrue(text.contains("Summary") && text.contains("Caller asked about a radiator leak."))
        XCTAssertTrue(text.contains("SHA-256"))
        XCTAssertTrue(text.contains("30 days left"), text)
        XCTAssertTrue(text.contains("Transcript"))
        XCTAssertTrue(text.contains("0:02") && text.contains("Caller") && text.contains("My radiator is leaking."))
        // The fixture's tone peaks at 37% of full scale: third-eighth blocks above, mirrored below.
        XCTAssertTrue(text.contains("▃▃▃▃▃▃▃▃") && text.contains("▀▀▀▀▀▀▀▀"), "a waveform drawn from the WAV's samples")
        XCTAssertEqual(driver.style(of: "Transcript")?.role, .header)
        driver.press(.escape)
        XCTAssertTrue(driver.text.contains("Contact or number"), "Esc goes back to the list")
    }

    func testFilterEditorAppliesChipsAndEmptyStateSaysSo() {
        var driver = makeDriver()
        driver.press(.char("2"), .char("f"))
        XCTAssertTrue(driver.text.contains("Filter"))
        // Date: Today; Outcome: Spam (none in the fixture).
        driver.press(.right, .down, .down, .down)
        for _ in 0..<CallOutcome.allCases.firstIndex(of: .spam)! + 1 { driver.press(.right) }
        driver.press(.enter)
        XCTAssertTrue(driver.grid.lines[1].contains("Today") && driver.grid.lines[1].contains("Spam"), driver.grid.lines[1])
        XCTAssertEqual(driver.style(of: "Today")?.role, .chip)
        XCTAssertTrue(driver.text.contains("No calls match these filters"))
        driver.press(.char("x"))
        XCTAssertFalse(driver.text.contains("No calls match"))
        XCTAssertTrue(driver.grid.lines.last!.contains("of 120") || driver.grid.lines.last!.contains("1"))
    }

    func testFilterEditorRefusesAnImpossibleDate() {
        var driver = makeDriver()
        driver.press(.char("2"), .char("f"), .down)
        driver.type("2026-02-30")
        driver.press(.enter)
        XCTAssertTrue(driver.text.contains("is not a date"), driver.text)
        driver.press(.escape)
        XCTAssertFalse(driver.text.contains("Filter —"))
    }

    // MARK: Search

    func testSearchHighlightsOpensTheCallAtTheHitAndGoesBackToResults() {
        var driver = makeDriver()
        driver.press(.char("/"))
        driver.type("boiler")
        driver.settle { !$0.lines.last!.contains("searching") }
        XCTAssertTrue(driver.text.contains("1 result"), driver.grid.lines.last!)
        let hitRow = driver.grid.lines.indices.first { $0 > 3 && driver.grid.lines[$0].contains("boiler") }!
        XCTAssertTrue(driver.grid.lines[hitRow].contains("call") && driver.grid.lines[hitRow].contains("Bob Blocked"))
        XCTAssertEqual(driver.grid[driver.grid.column(of: "boiler", row: hitRow)!, hitRow].style.role, .highlight)
        driver.press(.enter)
        XCTAssertEqual(driver.screen.currentTab.title, "Calls")
        XCTAssertTrue(driver.text.contains("My boiler is leaking."))
        XCTAssertEqual(driver.style(of: "boiler")?.role, .highlight, "the hit is highlighted in the detail")
        driver.press(.escape)
        XCTAssertTrue(driver.grid.lines.last!.contains("Search · 1 result"), "back to the results: \(driver.grid.lines.last!)")
        driver.press(.escape)
        XCTAssertFalse(driver.grid.lines[1].contains("Search"))
    }

    /// Search runs off the key path; Enter typed before its results arrive still opens the top
    /// hit of the words typed, and results of a search typed over are dropped.
    func testSearchIsAsynchronousButEnterAndStaleResultsBehave() {
        var driver = makeDriver()
        driver.press(.char("/"))
        driver.backend.send("boiler".map { InputEvent.key(.char($0)) } + [.key(.enter)])
        driver.app.run(&driver.screen, stopWhenIdle: true)
        XCTAssertEqual(driver.screen.currentTab.title, "Calls")
        XCTAssertTrue(driver.text.contains("My boiler is leaking."), driver.text)

        driver.press(.char("/"))
        for _ in 0..<10 { driver.press(.backspace) }
        driver.type("boil")
        driver.settle { !$0.lines.last!.contains("searching") }
        XCTAssertTrue(driver.grid.lines.last!.contains("1 result"), driver.grid.lines.last!)
        let before = driver.text
        let stale = SearchPanel.Results(generation: UUID(), hits: [], message: "stale", clock: BrowseClock(now: ConsoleFixture.now, timeZone: .gmt),
                                        elapsedMilliseconds: 1)
        driver.deliver(stale)
        XCTAssertEqual(driver.text, before, "results of an older search never replace the current ones")
    }

    func testSearchBadInputNeverCrashes() {
        var driver = makeDriver()
        driver.press(.char("/"))
        driver.type("\"unbalanced AND (NEAR * ^:")
        driver.settle { !$0.lines.last!.contains("searching") }
        XCTAssertFalse(driver.text.contains("fts5"), driver.text)
        driver.press(.escape, .char("/"))
        for _ in 0..<40 { driver.press(.backspace) }
        driver.type("the and of")
        XCTAssertTrue(driver.text.contains("more specific"), driver.text)
        for _ in 0..<20 { driver.press(.backspace) }
        driver.type(String(repeating: "leak ", count: 25))
        driver.settle { !$0.lines.last!.contains("searching") }
        XCTAssertTrue(driver.text.contains("Only the first"), driver.text)
    }

    // MARK: Messages

    func testMessagesListAndConversationMarkAutoSentAndDirection() {
        var driver = makeDriver()
        driver.press(.char("3"))
        XCTAssertTrue(driver.grid.lines[1].contains("Last activity") && driver.grid.lines[1].contains("Channel"))
        XCTAssertTrue(driver.grid.lines[2].contains("SMS") && driver.grid.lines[2].contains("Alice Archer"))
        XCTAssertTrue(driver.grid.lines[2].contains("→ Yes, we can come"), driver.grid.lines[2])
        driver.press(.enter)
        XCTAssertTrue(driver.text.contains("← "))
        XCTAssertTrue(driver.text.contains("→ "))
        XCTAssertTrue(driver.text.contains("auto-sent"))
        XCTAssertEqual(driver.style(of: "auto-sent")?.role, .chip)
        XCTAssertTrue(driver.text.contains("delivered"))
        XCTAssertTrue(driver.text.contains("Can someone look at my cistern tomorrow?"))
    }

    func testConversationKeepsLineBreaksAsBreaks() throws {
        try fixture.workspace.dbPool.write { db in
            try db.execute(sql: "UPDATE messages SET body = ? WHERE body LIKE 'Can someone%'", arguments: ["Hello,\n\nCan someone look at my cistern?\nThanks"])
        }
        var driver = makeDriver()
        driver.press(.char("3"), .enter)
        XCTAssertFalse(driver.text.contains("␊"), driver.text)
        let hello = try XCTUnwrap(driver.row(containing: "Hello,"))
        XCTAssertTrue(driver.grid.lines[hello + 2].contains("Can someone look at my cistern?"), driver.text)
        XCTAssertTrue(driver.grid.lines[hello + 3].contains("Thanks"))
    }

    func testSearchOpensTheConversationAtTheMessage() {
        var driver = makeDriver()
        driver.press(.char("/"))
        driver.type("cistern")
        driver.press(.enter)
        XCTAssertEqual(driver.screen.currentTab.title, "Messages")
        XCTAssertEqual(driver.style(of: "cistern")?.role, .highlight)
    }

    // MARK: Contacts

    func testContactsShowOptOutAndTimelineOpensACall() {
        var driver = makeDriver()
        driver.press(.char("4"))
        let bobRow = driver.row(containing: "Bob Blocked")!
        XCTAssertTrue(driver.grid.lines[bobRow].contains("opted out"))
        XCTAssertEqual(driver.grid[0, bobRow].style, .dim)
        driver.press(.down, .enter)
        XCTAssertTrue(driver.text.contains("Opted out") && driver.text.contains("STOP"), driver.text)
        XCTAssertTrue(driver.text.contains("60 calls"))
        driver.press(.enter)
        XCTAssertEqual(driver.screen.currentTab.title, "Calls")
        XCTAssertTrue(driver.text.contains("Bob Blocked") && driver.text.contains("Transcript"))
    }

    func testUntrustedTextIsNeutralised() throws {
        try fixture.workspace.dbPool.write { db in
            try db.execute(sql: "UPDATE contacts SET name = ? WHERE name = 'Alice Archer'", arguments: ["Alice\u{1B}[2J\u{202E}Evil"])
        }
        var driver = makeDriver()
        driver.press(.char("4"))
        for y in 0..<driver.grid.height {
            for x in 0..<driver.grid.width {
                let symbol = driver.grid[x, y].symbol
                XCTAssertFalse(symbol.unicodeScalars.contains { $0.value < 0x20 || $0 == "\u{202E}" }, "raw control at \(x),\(y)")
            }
        }
        XCTAssertTrue(driver.text.contains("␛"), driver.text)
    }
}
