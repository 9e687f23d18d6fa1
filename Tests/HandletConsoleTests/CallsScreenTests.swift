import Foundation
@testable import HandletDomain
@testable import HandletConsole
import TerminalUI
import XCTest

/// The Calls tab: the virtual list, filters, a call's detail and its legal hold.
final class CallsScreenTests: ConsoleScreenTestCase {
    /// Issue 25: the Calls filter has a Number field: the calls from or to it, in any form.
    func testTheFilterHasANumberField() {
        var driver = makeDriver()
        driver.goTo(.calls)
        driver.press("filter", in: "Calls list")
        XCTAssertTrue(driver.text.contains("Number"), driver.text)
        for _ in 0..<7 { driver.press(.down) }
        driver.type("bob")
        driver.press(.enter)
        XCTAssertTrue(driver.text.contains("is not a phone number"), driver.text)
        for _ in 0..<3 { driver.press(.backspace) }
        driver.type("07700 900001")
        driver.press(.enter)
        XCTAssertTrue(driver.text.contains("+447700900001"), "the number's chip: \(driver.text)")
        XCTAssertTrue(driver.text.contains("Alice Archer"), driver.text)
        XCTAssertFalse(driver.text.contains("Bob Blocked"), driver.text)
    }

    func testCallsListShowsColumnsNewestFirstAndMissedInWarning() {
        var driver = makeDriver()
        driver.goTo(.calls)
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
        driver.goTo(.calls)
        driver.press("down", in: "Calls list")
        driver.press("down", in: "Calls list")
        driver.settle { $0.lines.last!.contains("of 120") }
        XCTAssertTrue(driver.grid.lines.last!.contains("3 of 120"))
        driver.press("page_down", in: "Calls list")
        XCTAssertTrue(driver.grid.lines.last!.contains("\(3 + 27) of 120"), driver.grid.lines.last!)
        driver.press("bottom", in: "Calls list")
        XCTAssertTrue(driver.grid.lines.last!.contains("120 of 120"), driver.grid.lines.last!)
        let selected = (0..<driver.grid.height).first { driver.grid[0, $0].style == .selection }!
        // CALL-119, the oldest, started 120 hours before 23 Nov 12:00; CALL-118 an hour later.
        XCTAssertTrue(driver.grid.lines[selected].contains("18 Nov 12:00"), "the oldest call is selected: \(driver.grid.lines[selected])")
        XCTAssertTrue(driver.grid.lines[selected - 1].contains("18 Nov 13:00"), "the one before it above: \(driver.grid.lines[selected - 1])")
        XCTAssertFalse(driver.grid.lines[(selected + 1)..<(driver.grid.height - 1)].contains { $0.contains("Nov") },
                       "nothing below the oldest call:\n\(driver.text)")
        driver.press("top", in: "Calls list")
        XCTAssertTrue(driver.grid.lines.last!.contains("1 of 120"))
    }

    func testSelectionStaysOnTheSameCallWhenNewCallsArrive() throws {
        var driver = makeDriver()
        driver.goTo(.calls)
        driver.press("down", in: "Calls list")
        driver.press("down", in: "Calls list")
        driver.settle { $0.lines.last!.contains("3 of 120") }
        let selectedRow = { (grid: Grid) in (0..<grid.height).first { grid[0, $0].style == .selection }! }
        let before = selectedRow(driver.grid)
        XCTAssertTrue(driver.grid.lines[before].contains("23 Nov 09:00"))
        let started = ConsoleFixture.now.addingTimeInterval(-60)
        try fixture.workspace.importCall(
            Call(externalId: "CALL-NEW", direction: .inbound, fromNumber: "+447700900009", toNumber: "+441632960000",
                 contactId: nil, startedAt: started, durationSeconds: 30, handledBy: .aiAgent, outcome: .bookedJob,
                 summary: "New caller.", transcript: Transcript(turns: []), recordingState: .notRecorded),
            audio: nil, recordedAt: started)
        driver.tick(ConsoleScreen.changePollTicks * 2)
        driver.settle { $0.lines.last!.contains("of 121") }
        let after = selectedRow(driver.grid)
        XCTAssertTrue(driver.grid.lines[after].contains("23 Nov 09:00"), "the same call is still selected: \(driver.grid.lines[after])")
        XCTAssertEqual(after, before, "at the same height on screen")
        XCTAssertTrue(driver.grid.lines.last!.contains("4 of 121"), driver.grid.lines.last!)
    }

    func testCallDetailShowsSummaryTranscriptRecordingAndWaveform() {
        var driver = makeDriver()
        driver.goTo(.calls)
        driver.press("open", in: "Calls list")
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
        driver.press("back", in: "Call detail")
        XCTAssertTrue(driver.text.contains("Contact or number"), "back goes back to the list")
    }

    func testFilterEditorAppliesChipsAndEmptyStateSaysSo() {
        var driver = makeDriver()
        driver.goTo(.calls)
        driver.press("filter", in: "Calls list")
        XCTAssertTrue(driver.text.contains("Filter"))
        // Date: Today; Outcome: Spam (none in the fixture).
        driver.press("next_choice", in: "Filter editor")
        for _ in 0..<3 { driver.press("next_field", in: "Filter editor") }
        for _ in 0..<CallOutcome.allCases.firstIndex(of: .spam)! + 1 { driver.press("next_choice", in: "Filter editor") }
        driver.press("apply", in: "Filter editor")
        XCTAssertTrue(driver.grid.lines[1].contains("Today") && driver.grid.lines[1].contains("Spam"), driver.grid.lines[1])
        XCTAssertEqual(driver.style(of: "Today")?.role, .chip)
        XCTAssertTrue(driver.text.contains("No calls match these filters"))
        driver.press("clear", in: "Calls list")
        XCTAssertFalse(driver.text.contains("No calls match"))
        driver.settle { $0.lines.last!.contains("of 120") }
        XCTAssertTrue(driver.grid.lines.last!.contains("Calls · 1 of 120"), "every call is back: \(driver.grid.lines.last!)")
        XCTAssertFalse(driver.grid.lines[1].contains("Spam"), "and the chips are gone: \(driver.grid.lines[1])")
    }

    func testFilterEditorRefusesAnImpossibleDate() {
        var driver = makeDriver()
        driver.goTo(.calls)
        driver.press("filter", in: "Calls list")
        driver.press("next_field", in: "Filter editor")
        driver.type("2026-02-30")
        driver.press("apply", in: "Filter editor")
        XCTAssertTrue(driver.text.contains("is not a date"), driver.text)
        driver.press("cancel", in: "Filter editor")
        XCTAssertFalse(driver.text.contains("Filter —"))
    }

    func testHelpListsExactlyTheKeysItDispatches() {
        for actor in [nil, "viewer@example.test"] {
            assertHelpListsExactlyTheKeysItDispatches(.calls, actor: actor, state: "Calls list as \(actor ?? "owner")")
            assertHelpListsExactlyTheKeysItDispatches(.calls, actor: actor, state: "Call detail as \(actor ?? "owner")") {
                _ = $0.open(.call(id: Call.ID(1), highlight: nil))
            }
        }
    }

    func testHelpOrderIsDispatchOrder() {
        var tab = makeTab(.calls)
        XCTAssertEqual(tab.helpEntries.map(\.description).prefix(4), ["Open the call", CallPage.narrowDescription,
                                                                    CallPage.filterDescription, "Clear every filter and the typed words"])
        _ = tab.open(.call(id: Call.ID(1), highlight: nil))
        XCTAssertEqual(tab.helpEntries.first?.description, "Back to the list")
        XCTAssertEqual(tab.helpEntries.map(\.keys), CallsTab.detailKeys(.defaults).helpEntries.map(\.keys))
    }

    func testViewerSeesTheHoldKeysDimmedWithTheRolesThatMay() {
        var driver = makeDriver(actor: "viewer@example.test")
        driver.goTo(.calls)
        driver.press("open", in: "Calls list")
        driver.press("help", in: "Call detail")
        let hold = try! XCTUnwrap(driver.row(containing: "Place a legal hold"))
        XCTAssertTrue(driver.grid.lines[hold].contains("H") && driver.grid.lines[hold].contains("— owner or admin"), driver.grid.lines[hold])
        let column = driver.grid.column(of: "Place a legal hold", row: hold)!
        XCTAssertTrue(driver.grid[column, hold].style.modifiers.contains(.dim), "the row is dimmed")
        let back = try! XCTUnwrap(driver.row(containing: "Back to the list"))
        XCTAssertFalse(driver.grid[driver.grid.column(of: "Back to the list", row: back)!, back].style.modifiers.contains(.dim))

        var owner = makeDriver()
        owner.goTo(.calls)
        owner.press("open", in: "Calls list")
        owner.press("help", in: "Call detail")
        XCTAssertFalse(owner.text.contains("— owner or admin"), "the owner's help is not dimmed")
    }
}

/// Placing and releasing a legal hold from a call, as the owner and as a viewer.
final class LegalHoldFromCallDetailTests: XCTestCase {
    func testHoldNeedsAReasonThenShowsAndReleases() throws {
        let fixture = try ConsoleFixture()
        defer { fixture.remove() }
        let context = fixture.context
        var driver = ScreenDriver(ConsoleScreen(context: context), size: Size(width: 110, height: 32))
        driver.goTo(.calls)
        driver.press("open", in: "Calls list")
        driver.press("hold", in: "Call detail")
        XCTAssertTrue(driver.text.contains("Legal hold on CALL-0"), driver.text)
        driver.press("save", in: "Text prompt")
        XCTAssertTrue(driver.text.contains("needs a reason"), "an empty reason is refused in the prompt: \(driver.text)")
        driver.type("Insurance claim 42")
        driver.press("save", in: "Text prompt")
        XCTAssertTrue(driver.text.contains("Held: Insurance claim 42"), driver.text)
        XCTAssertEqual(driver.style(of: "Held: Insurance")?.role, .warning)
        let held = try !fixture.workspace.session(as: .system).read(.legalHolds).isEmpty
        XCTAssertEqual(held, true)
        driver.press("release", in: "Call detail")
        driver.type("Claim settled")
        driver.press("save", in: "Text prompt")
        driver.press("confirm", in: "Confirmation")
        XCTAssertTrue(driver.text.contains("days left"))
        XCTAssertTrue(driver.grid.lines.last!.contains("Legal hold released"))
    }

    /// The hold keys ask the domain's plans for the open call (issue 21): before a hold only
    /// placing one is offered and releasing is dimmed with the domain's reason; after, the reverse.
    func testHoldKeysAreDimmedWithTheDomainsReasonForThisCall() throws {
        let fixture = try ConsoleFixture()
        defer { fixture.remove() }
        var driver = ScreenDriver(ConsoleScreen(context: fixture.context), size: Size(width: 110, height: 32))
        driver.goTo(.calls)
        driver.press("open", in: "Calls list")
        func reason(_ name: String) -> String? { driver.screen.currentTab.helpEntries.first { $0.name == name }?.disabledReason }
        XCTAssertNil(reason("hold"))
        XCTAssertEqual(reason("release").map { $0.contains("not on legal hold") }, true, reason("release") ?? "nil")
        driver.press("release", in: "Call detail")
        XCTAssertTrue(driver.grid.lines.last!.contains("not on legal hold"), "refused with the same reason: \(driver.grid.lines.last!)")
        driver.press("hold", in: "Call detail")
        driver.type("Insurance claim 42")
        driver.press("save", in: "Text prompt")
        XCTAssertNil(reason("release"))
        XCTAssertEqual(reason("hold").map { $0.contains("already on legal hold") }, true, reason("hold") ?? "nil")
    }

    func testViewerCannotHold() throws {
        let fixture = try ConsoleFixture()
        defer { fixture.remove() }
        let context = ConsoleContext(session: fixture.workspace.session(as: try fixture.workspace.actor(email: "viewer@example.test")),
                                     now: { ConsoleFixture.now })
        var driver = ScreenDriver(ConsoleScreen(context: context), size: Size(width: 110, height: 32))
        driver.goTo(.calls)
        driver.press("open", in: "Calls list")
        driver.press("hold", in: "Call detail")
        XCTAssertFalse(driver.text.contains("Legal hold on CALL-0"))
        XCTAssertTrue(driver.grid.lines.last!.contains("owner or admin"), driver.grid.lines.last!)
    }
}
