import Foundation
@testable import HandletDomain
@testable import HandletConsole
import TerminalUI
import XCTest

/// The Requests tab (issue 23): the register with overdue requests highlighted, the person view
/// reached from it and from other screens by contact id, acting through the domain's plans; its
/// Overview items and the compliance duty it fixes; 80x24 and 200x50, every role.
final class RequestsScreenTests: ConsoleScreenTestCase {
    static let name = "Wenna Ostrogoth-Pyle"
    var person: PlantedPerson!
    var overdueID: Int64 = 0
    var dueSoonID: Int64 = 0

    override func setUpWithError() throws {
        try super.setUpWithError()
        person = try fixture.workspace.plantPerson(name: Self.name, phones: ["+447700900555"], email: "wenna@example.test",
                                                   at: ConsoleFixture.now.addingTimeInterval(-50 * 86_400))
        let owner = fixture.workspace.session(as: try fixture.workspace.actor(email: "owner@example.test"),
                                              clock: .fixed(ConsoleFixture.now))
        overdueID = try owner.perform(.openDataSubjectRequest(type: .erasure, contact: person.contactIDs[0],
                                                              received: ConsoleFixture.now.addingTimeInterval(-40 * 86_400))).id
        dueSoonID = try owner.perform(.openDataSubjectRequest(type: .portability, contact: person.contactIDs[0],
                                                              received: ConsoleFixture.now.addingTimeInterval(-27 * 86_400))).id
    }

    func requestsDriver(size: Size = Size(width: 200, height: 50), actor email: String = "owner@example.test") -> ScreenDriver<ConsoleScreen> {
        var driver = makeDriver(size: size, actor: email)
        driver.goTo(.requests)
        return driver
    }

    func testTheRegisterHighlightsOverdueRequestsAt80x24And200x50() {
        for size in [Size(width: 80, height: 24), Size(width: 200, height: 50)] {
            var driver = requestsDriver(size: size)
            XCTAssertEqual(driver.screen.currentTab.title, "Requests")
            XCTAssertTrue(driver.text.contains("OVERDUE"), driver.text)
            // Two overdue (the planted access request and the erasure), one due this week; the
            // first row is selected, so the second overdue one shows the highlight.
            driver.press(.down, .down)
            XCTAssertEqual(driver.style(of: "OVERDUE")?.role, .error, "the overdue request is highlighted")
            XCTAssertTrue(driver.text.contains("due within 7 days"), driver.text)
            XCTAssertTrue(driver.text.contains("Wenna"), driver.text)
            XCTAssertNotNil(driver.row(containing: "portability"), driver.text)
        }
    }

    func testThePersonViewShowsWhatIsHeldAndRestrictsThroughTheDomain() throws {
        var driver = requestsDriver()
        driver.press("open", in: "Requests")
        XCTAssertTrue(driver.text.contains("Held: 3 calls"), driver.text)
        XCTAssertTrue(driver.text.contains("+447700900555"), driver.text)
        driver.press("restrict", in: "Person")
        XCTAssertTrue(driver.text.contains("RESTRICTED"), driver.text)
        let contact = try XCTUnwrap(fixture.workspace.dbPool.read { db in try Contact.fetchOne(db, key: self.person.contactIDs[0]) })
        XCTAssertTrue(contact.isSuppressed)
        XCTAssertEqual(try fixture.workspace.auditActions().last, "contact.restricted")
        driver.press("restrict", in: "Person")
        XCTAssertTrue(driver.text.contains("already restricted"), "the domain's refusal: \(driver.text)")
        driver.press("back", in: "Person")
        XCTAssertNotNil(driver.row(containing: "OVERDUE"), driver.text)
    }

    func testErasureAsksForTheNameTypedAndErases() throws {
        var driver = requestsDriver(size: Size(width: 80, height: 24))
        driver.press("open", in: "Requests")
        driver.press("erase", in: "Person")
        XCTAssertTrue(driver.text.contains("Type their name or number"), driver.text)
        driver.type("Wenna")
        driver.press("save", in: "Text prompt")
        XCTAssertTrue(driver.text.contains("nothing was erased"), driver.text)
        XCTAssertEqual(try fixture.workspace.erasureState(person.contactIDs).contacts, 1)
        driver.press("erase", in: "Person")
        driver.type("07700 900555")
        driver.press("save", in: "Text prompt")
        // It runs in the background; its end is flashed, and the register read again.
        driver.settle { grid in grid.lines.contains { $0.contains("Erased") } }
        XCTAssertEqual(try fixture.workspace.erasureState(person.contactIDs).contacts, 0)
        XCTAssertEqual(driver.grid.lines.filter { $0.contains("(erased)") }.count, 3, "the register keeps the requests: \(driver.text)")
    }

    /// The erasure runs off the interface thread: while the search is rewritten, the person view
    /// says what it is doing and for how long, the console moves between tabs, changes to the
    /// person are refused, quitting asks first; the result arrives when it ends.
    func testAnErasureRunsInTheBackgroundWithItsProgressAndTheConsoleStaysUsable() throws {
        let reached = DispatchSemaphore(value: 0), release = DispatchSemaphore(value: 0)
        SearchRewrite.afterBuilds = {
            reached.signal()
            _ = release.wait(timeout: .now() + 60)
        }
        defer {
            release.signal()
            SearchRewrite.afterBuilds = nil
        }
        var driver = requestsDriver(size: Size(width: 80, height: 24))
        driver.press("open", in: "Requests")
        driver.press("erase", in: "Person")
        driver.type(Self.name)
        driver.press("save", in: "Text prompt")
        XCTAssertEqual(reached.wait(timeout: .now() + 30), .success, "the erasure reached the search's rewrite")
        driver.settle { grid in grid.lines.contains { $0.contains("rewriting the search indexes") } }
        XCTAssertTrue(driver.text.contains("Erasing \(Self.name)"), driver.text)
        XCTAssertTrue(driver.text.contains("Now: rewriting the search indexes"), driver.text)

        // Nothing else about them while it runs; one erasure at a time.
        driver.press("restrict", in: "Person")
        XCTAssertTrue(driver.text.contains("nothing else can change about them"), driver.text)
        XCTAssertEqual(try fixture.workspace.auditActions().filter { $0 == "contact.restricted" }.count, 0)

        // Quitting (from the register, the tab's top level) asks first, and staying keeps it running.
        driver.press("back", in: "Person")
        XCTAssertTrue(driver.text.contains("Erasing \(Self.name): rewriting the search indexes"), "the register's banner: \(driver.text)")
        XCTAssertEqual(driver.outcome(of: "quit", in: "Console"), .handled)
        XCTAssertTrue(driver.text.contains("Quitting stops it safely"), driver.text)
        XCTAssertTrue(driver.text.contains("handlet dsr erase"), driver.text)
        driver.press("cancel", in: "Confirmation")
        XCTAssertFalse(driver.text.contains("Quitting stops it safely"), driver.text)

        // The console is usable: another tab opens, and the status bar still shows the erasure.
        driver.goTo(.calls)
        XCTAssertEqual(driver.screen.currentTab.title, "Calls")
        XCTAssertTrue(driver.text.contains("Erasing"), driver.text)
        driver.goTo(.requests)
        XCTAssertTrue(driver.text.contains("Erasing \(Self.name)"), driver.text)

        driver.tick(ConsoleScreen.flashTicks + 1)   // the refusal's red flash has gone by
        release.signal()
        driver.settle { grid in grid.lines.contains { $0.contains("Erased \(Self.name)") } }
        XCTAssertEqual(try fixture.workspace.erasureState(person.contactIDs).contacts, 0)
        XCTAssertEqual(try fixture.workspace.erasureState(person.contactIDs).pending, 0, "finished, not left pending")
        XCTAssertNil(driver.screen.currentTab.quitWarning, "nothing running: quitting asks nothing")
        XCTAssertEqual(driver.outcome(of: "quit", in: "Console"), .quit)
    }

    /// A failure ends the run with its one line, and the view is the person's again.
    func testAnErasureThatFailsSaysSoInOneLine() throws {
        SearchRewrite.afterBuilds = { throw DataSubjectError.wrongConfirmation }
        defer { SearchRewrite.afterBuilds = nil }
        var driver = requestsDriver(size: Size(width: 200, height: 50))
        driver.press("open", in: "Requests")
        driver.press("erase", in: "Person")
        driver.type(Self.name)
        driver.press("save", in: "Text prompt")
        driver.settle { grid in grid.lines.contains { $0.contains("Erasing \(Self.name) failed:") } }
        XCTAssertNil(driver.screen.currentTab.quitWarning)
        // The records went in the first step; the interrupted erasure waits to be finished, and the Overview says so.
        XCTAssertEqual(try fixture.workspace.erasureState(person.contactIDs).pending, 1)
        driver.goTo(.overview)
        driver.settle { grid in grid.lines.contains { $0.contains("Erasures not finished") } }
        XCTAssertTrue(driver.text.contains("handlet dsr erase --finish"), driver.text)
    }

    func testRolesAreRefusedWithTheRoleNeeded() {
        var viewer = requestsDriver(actor: "viewer@example.test")
        XCTAssertTrue(viewer.text.contains("OVERDUE"), "a viewer reads the register: \(viewer.text)")
        viewer.press("open", in: "Requests")
        XCTAssertTrue(viewer.text.contains("Only owner or admin"), viewer.text)
        XCTAssertFalse(viewer.text.contains("Held:"), viewer.text)
    }

    func testExtendOnceWithAReasonThroughTheDialogs() throws {
        var driver = requestsDriver()
        driver.press("extend", in: "Requests")
        XCTAssertTrue(driver.text.contains("Once only"), driver.text)
        driver.press("next", in: "Question with several answers")
        driver.press("choose", in: "Question with several answers")
        driver.type("Many recordings to review")
        driver.press("save", in: "Text prompt")
        XCTAssertTrue(driver.text.contains("is now due"), driver.text)
        let entries = try fixture.workspace.session(as: .system).read(.dataSubjectRequests(.all, now: ConsoleFixture.now))
        XCTAssertEqual(entries.filter { $0.firstDueAt != nil }.count, 1, "the selected request, extended")
        driver.press("extend", in: "Requests")
        XCTAssertTrue(driver.text.contains("already extended once"), driver.text)
    }

    func testOtherScreensOpenThePersonByContactIDAndTheOverviewAndComplianceCentreLeadHere() throws {
        var tab = makeTab(.requests)
        XCTAssertTrue(tab.open(.dataSubject(contacts: person.contactIDs)))
        XCTAssertTrue(tab.crumb.contains(Self.name), tab.crumb)
        var missing = makeTab(.requests)
        XCTAssertFalse(missing.open(.dataSubject(contacts: [Contact.ID(999_999)])), "a contact that is not there")

        let system = fixture.workspace.session(as: .system)
        let overview = try system.read(.overview(clock: system.read(.browseClock(now: ConsoleFixture.now))))
        let items = RequestsTab.attention(overview)
        XCTAssertEqual(items.map(\.count), [2, 1])
        XCTAssertTrue(items[0].isWarning)
        XCTAssertEqual(items[0].destination, .screen(.requests))
        XCTAssertTrue(items[0].details.first?.contains("overdue since") == true, "\(items[0].details)")
        let fix = try XCTUnwrap(ScreenRegistry.standard.fix(for: .dataSubjectRequests))
        XCTAssertEqual(fix.screen, .requests)

        var driver = makeDriver(size: Size(width: 200, height: 50))
        XCTAssertTrue(driver.text.contains("Data-subject requests overdue"), driver.text)
        driver.goTo(.requests)
        XCTAssertTrue(driver.text.contains("OVERDUE"))
    }

    /// Issue 25: the register, its Overview lines and the person view date in the workspace's
    /// zone, as every other screen does (they were fixed to London).
    func testTheRegisterAndItsOverviewLinesDateInTheWorkspacesZone() throws {
        try fixture.workspace.dbPool.write { try $0.execute(sql: "UPDATE workspace SET time_zone = 'Pacific/Auckland' WHERE id = 1") }
        let system = fixture.workspace.session(as: .system)
        let erasure = try XCTUnwrap(system.read(.dataSubjectRequests(.all, now: ConsoleFixture.now)).first { $0.id == overdueID })
        let zoned = DisplayText.date(LocalDate(containing: erasure.dueAt, in: TimeZone(identifier: "Pacific/Auckland")!))
        let london = DisplayText.date(LocalDate(containing: erasure.dueAt, in: TimeZone(identifier: "Europe/London")!))
        XCTAssertNotEqual(zoned, london, "the due moment falls on two different days in the two zones")

        let overview = try system.read(.overview(clock: system.read(.browseClock(now: ConsoleFixture.now))))
        let details = RequestsTab.attention(overview)[0].details
        XCTAssertTrue(details.contains { $0.contains("erasure request \(overdueID)") && $0.hasSuffix("overdue since \(zoned)") }, "\(details)")

        for size in [Size(width: 80, height: 24), Size(width: 200, height: 50)] {
            var driver = requestsDriver(size: size)
            let row = try XCTUnwrap(driver.grid.lines.first { $0.contains("erasure") }, driver.text)
            XCTAssertTrue(row.contains(zoned) && !row.contains(london), "\(size): \(row)")
            if size.width == 200 {
                driver.press("open", in: "Requests")
                let line = try XCTUnwrap(driver.grid.lines.first { $0.contains("\(overdueID)  erasure  due") }, driver.text)
                XCTAssertTrue(line.contains("due \(zoned)"), line)
            }
        }
    }

    func testTheContactsPersonViewOpensThePersonHere() {
        var driver = makeDriver(size: Size(width: 200, height: 50))
        driver.goTo(.contacts)
        driver.screen.navigate(to: .contact(id: person.contactIDs[0]))
        driver.press()
        driver.press("data_subject", in: "Contact")
        XCTAssertEqual(driver.screen.currentTab.title, "Requests")
        XCTAssertTrue(driver.text.contains("Held: 3 calls"), driver.text)
        driver.press("back", in: "Person")
        XCTAssertEqual(driver.screen.currentTab.title, "Contacts", "Esc goes back where it came from")
    }

    func testHelpListsExactlyTheKeysItDispatches() {
        assertHelpListsExactlyTheKeysItDispatches(.requests, state: "register")
        let ids = person.contactIDs
        assertHelpListsExactlyTheKeysItDispatches(.requests, state: "person") { tab in _ = tab.open(.dataSubject(contacts: ids)) }
    }
}
