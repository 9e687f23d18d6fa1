import Foundation
import GRDB
@testable import HandletConsole
@testable import HandletDomain
import TerminalUI
import XCTest

/// Issue 13: the Notices tab (list, reader, diff, acknowledge, object), the start-up panel, the
/// Overview's notice line and the compliance centre, typed at and read from the grid.
final class NoticesScreenTests: ConsoleScreenTestCase {
    static let day: TimeInterval = 86_400

    static func stamp(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: date)
    }

    static func file(id: String, kind: String = "dpa", version: String = "1", title: String? = nil, published: Date, effective: Date,
                     ack: Bool = true, body: String) -> Data {
        Data("""
            ---
            id: \(id)
            kind: \(kind)
            title: \(title ?? "Notice \(id)")
            version: \(version)
            published: \(stamp(published))
            effective: \(stamp(effective))
            needs-acknowledgement: \(ack ? "yes" : "no")
            ---
            \(body)
            """.utf8)
    }

    static let agreement = """
        # Processing agreement

        We process **your** data on *your* instructions.

        - Subprocessors
          - announced 30 days ahead
            - objections in writing
        - Breaches within 72 hours

        | Data | Kept for | Set by |
        |---|---|---|
        | Call recordings (audio) | 30 days by default; any whole number of days from 1 to 730; none while recording is off | Workspace setting |
        | 通話の録音 | 三十日 | 設定 |

        See [the ICO](https://ico.org.uk) for your rights.
        """

    /// The fixture's workspace with a DPA in two versions and a subprocessor change whose window is open.
    func importNotices(hostile: Bool = false) throws {
        let now = ConsoleFixture.now
        let owner = fixture.workspace.session(as: try fixture.workspace.actor(email: "owner@example.test"))
        var files: [(name: String, data: Data?)] = [
            ("dpa-1.md", Self.file(id: "dpa", published: now.addingTimeInterval(-90 * Self.day), effective: now.addingTimeInterval(-60 * Self.day),
                                   body: "# Processing agreement\n\nVersion one words.")),
            ("dpa-2.md", Self.file(id: "dpa", version: "2", title: "Processing agreement", published: now.addingTimeInterval(-5 * Self.day),
                                   effective: now.addingTimeInterval(20 * Self.day), body: Self.agreement)),
            ("sub.md", Self.file(id: "sub-speech", kind: "subprocessor_change", title: "New speech provider",
                                 published: now.addingTimeInterval(-10 * Self.day), effective: now.addingTimeInterval(30 * Self.day), ack: false,
                                 body: "# New speech provider\n\nA second EU provider.")),
        ]
        if hostile {
            files.append(("evil.md", Self.file(id: "evil", kind: "policy_update", title: "Evil \u{202E}title",
                                               published: now.addingTimeInterval(-1 * Self.day), effective: now, ack: false,
                                               body: "# Hi \u{1B}[31mred\n\nClear \u{1B}[2J screen \u{9B}1m and \u{202E}reversed\n\n| a\u{1B}[5m | b |\n|---|---|\n| c | d\u{07} |")))
        }
        let summary = try owner.importNotices(files, now: now)
        XCTAssertEqual(summary.failed.map(\.reason), [])
    }

    func openNotices(_ driver: inout ScreenDriver<ConsoleScreen>) {
        driver.goTo(.notices)
        XCTAssertEqual(driver.screen.currentTab.title, "Notices")
    }

    func testTheStartUpPanelNamesEachNoticeNeedingAnAnswerAndIsDismissible() throws {
        try importNotices()
        var driver = makeDriver(size: Size(width: 80, height: 24))
        XCTAssertTrue(driver.text.contains("2 notices from the processor need an answer"), driver.text)
        XCTAssertTrue(driver.text.contains("Processing agreement (version 2): acknowledge by 13 Dec 2026"), driver.text)
        XCTAssertTrue(driver.text.contains("New speech provider (version 1): object by 13 Dec 2026"), driver.text)
        driver.press(.escape)
        XCTAssertFalse(driver.text.contains("need an answer"), "Esc dismisses it: \(driver.text)")
        XCTAssertEqual(driver.screen.currentTab.title, "Overview")

        var again = makeDriver(size: Size(width: 80, height: 24))
        again.press("open", in: "Start-up panel")
        XCTAssertEqual(again.screen.currentTab.title, "Notices", "Enter opens the Notices tab")

        var passing = makeDriver(size: Size(width: 80, height: 24))
        passing.press(.char("2"))
        XCTAssertEqual(passing.screen.currentTab.title, "Calls", "any other key closes the panel and does its job")
        XCTAssertFalse(passing.text.contains("need an answer"))
    }

    func testNoPanelWhenNothingNeedsAnAnswer() {
        let driver = makeDriver(size: Size(width: 80, height: 24))
        XCTAssertFalse(driver.text.contains("need an answer"))
    }

    func testTheOverviewsNoticeLineOpensTheTab() throws {
        try importNotices()
        var driver = makeDriver()
        driver.press("dismiss", in: "Start-up panel")
        XCTAssertTrue(driver.text.contains("Notices needing an answer"), driver.text)
        // After the recording lines and Auto-Send's drafts waiting: the attention list is in tab order.
        driver.press(.down, .down, .down, .down, .down, .enter)
        XCTAssertEqual(driver.screen.currentTab.title, "Notices")
        XCTAssertTrue(driver.text.contains("New speech provider"), driver.text)
    }

    /// Issue 25: the Overview's notice line dates a deadline as the list does, in the workspace's
    /// zone (it wrote the UTC day, a day early or late far from London).
    func testTheOverviewsNoticeLineDatesInTheWorkspacesZone() throws {
        try importNotices()
        try fixture.workspace.dbPool.write { try $0.execute(sql: "UPDATE workspace SET time_zone = 'Pacific/Auckland' WHERE id = 1") }
        let system = fixture.workspace.session(as: .system)
        let overview = try system.read(.overview(clock: system.read(.browseClock(now: ConsoleFixture.now))))
        let details = NoticesTab.attention(overview)[0].details
        // The window closes 13 Dec 12:00 UTC: 14 Dec 01:00 in Auckland.
        let line = try XCTUnwrap(details.first { $0.contains("New speech provider") }, "\(details)")
        XCTAssertTrue(line.contains("objections until 14 Dec 2026 01:00"), line)
        for size in [Size(width: 80, height: 24), Size(width: 200, height: 50)] {
            var driver = makeDriver(size: size)
            driver.press("dismiss", in: "Start-up panel")
            openNotices(&driver)
            let row = try XCTUnwrap(driver.grid.lines.first { $0.contains("New speech provider") }, driver.text)
            XCTAssertTrue(row.contains("14 Dec 2026"), "the list says the same day: \(row)")
        }
    }

    func testTheListShowsStateAndTheAnswerNeeded() throws {
        try importNotices()
        var driver = makeDriver(size: Size(width: 80, height: 24))
        driver.press("dismiss", in: "Start-up panel")
        openNotices(&driver)
        let text = driver.text
        XCTAssertTrue(text.contains("3 notices · 2 need an answer"), text)
        let sub = try XCTUnwrap(driver.grid.lines.first { $0.contains("New speech provider") })
        XCTAssertTrue(sub.contains("new") && sub.contains("object by 13 Dec 2026"), sub)
        let old = try XCTUnwrap(driver.grid.lines.first { $0.contains("Notice dpa") })
        XCTAssertTrue(old.contains("overdue") == false && old.contains("—"), "version 1 is superseded: no answer needed: \(old)")
    }

    func testTheReaderLaysOutHeadingsNestedListsAWideTableAndWideCharactersAndScrolls() throws {
        try importNotices()
        var driver = makeDriver(size: Size(width: 80, height: 24))
        driver.press("dismiss", in: "Start-up panel")
        openNotices(&driver)
        // Newest first: the DPA version 2 (published 5 days ago), the change (10), version 1 (90).
        driver.press(.enter)
        var text = driver.text
        XCTAssertTrue(text.contains("Processing agreement"), text)
        XCTAssertTrue(text.contains("State read"), "opening it marks it read: \(text)")
        driver.press(.escape)
        // The list now says it was read.
        XCTAssertTrue(driver.grid.lines.first { $0.contains("Processing agreement") }?.contains("read") == true, driver.text)
        driver.press(.enter)
        text = driver.text
        XCTAssertTrue(text.contains("State read"), text)
        XCTAssertTrue(text.contains("• Subprocessors"), text)
        XCTAssertTrue(text.contains("  ◦ announced 30 days ahead"), text)
        XCTAssertTrue(text.contains("    ▪ objections in writing"), text)
        XCTAssertEqual(driver.style(of: "your data")?.role, .strong)
        XCTAssertEqual(driver.style(of: "Set by")?.role, .header)
        for line in driver.grid.lines { XCTAssertEqual(TextWidth.width(of: line), 80, "never past the screen: \(line)") }
        // The long cell wraps inside its column instead of being cut.
        driver.press(.pageDown)
        text = driver.text
        XCTAssertTrue(text.contains("recording is off"), text)
        XCTAssertTrue(text.contains("通話の録音"), text)
        XCTAssertTrue(text.contains("the ICO <https://ico.org.uk>"), text)
        XCTAssertFalse(text.contains("…"), "nothing is cut: \(text)")
        XCTAssertFalse(text.contains("# Processing agreement"), "headings are laid out, not shown raw")
    }

    /// Issue 28: the newest notice's body changed by SQL shows as tampering above the text.
    func testABodyChangedInTheDatabaseShowsAsTampering() throws {
        try importNotices()
        try fixture.workspace.dbPool.write { db in
            try db.execute(sql: "UPDATE notices SET body = body || ' (and we may sell your data)' WHERE notice_key = 'dpa' AND version = '2'")
        }
        var driver = makeDriver(size: Size(width: 80, height: 24))
        driver.press("dismiss", in: "Start-up panel")
        openNotices(&driver)
        driver.press(.enter)
        let text = driver.text
        XCTAssertTrue(text.contains("TAMPERED: the stored text of this notice"), text)
        XCTAssertEqual(driver.style(of: "TAMPERED")?.role, .error)
    }

    func testHostileTextInANoticeNeverReachesTheTerminal() throws {
        try importNotices(hostile: true)
        var driver = makeDriver(size: Size(width: 80, height: 24))
        driver.press("dismiss", in: "Start-up panel")
        openNotices(&driver)
        XCTAssertTrue(driver.text.contains("Evil <RLO>title"), driver.text)
        driver.press(.enter)
        let text = driver.text
        for raw in ["\u{1B}", "\u{07}", "\u{9B}", "\u{202E}"] { XCTAssertFalse(text.contains(raw), "raw \(raw.debugDescription) in \(text)") }
        XCTAssertTrue(text.contains("␛[2J"), text)
        XCTAssertTrue(text.contains("<RLO>"), text)
        // And the bytes a real terminal would get (the headless backend records what ncurses would write).
        for line in driver.grid.lines { XCTAssertFalse(line.unicodeScalars.contains { $0.properties.generalCategory == .control }) }
    }

    func testDiffAgainstThePreviousVersion() throws {
        try importNotices()
        var driver = makeDriver(size: Size(width: 80, height: 24))
        driver.press("dismiss", in: "Start-up panel")
        openNotices(&driver)
        driver.press(.char("d"))
        let text = driver.text
        XCTAssertTrue(text.contains("--- dpa version 1"), text)
        XCTAssertTrue(text.contains("+++ dpa version 2"), text)
        XCTAssertTrue(text.contains("-Version one words."), text)
        XCTAssertTrue(text.contains("+- Breaches within 72 hours"), text)
        XCTAssertEqual(driver.style(of: "-Version one words.")?.role, .error)
        XCTAssertEqual(driver.style(of: "+We process")?.role, .success)
        driver.press(.escape)
        XCTAssertTrue(driver.text.contains("need an answer"), "back to the list")
        driver.press(.down, .char("d"))
        XCTAssertTrue(driver.text.contains("First version: nothing to compare with"), driver.text)
    }

    func testAcknowledgeAsksThenRecordsTheVersionAndHash() throws {
        try importNotices()
        var driver = makeDriver(size: Size(width: 80, height: 24))
        driver.press("dismiss", in: "Start-up panel")
        openNotices(&driver)
        driver.press(.char("a"))
        XCTAssertTrue(driver.text.contains("Acknowledge Processing agreement"), driver.text)
        driver.press(.char("y"))
        XCTAssertTrue(driver.grid.lines.last!.contains("Acknowledged dpa version 2 as owner@"), driver.grid.lines.last!)
        let stored = try fixture.workspace.dbPool.read { try NoticeResponse.fetchAll($0) }
        XCTAssertEqual(stored.map(\.version), ["2"])
        let summary = try fixture.workspace.session(as: .system).read(.notices(now: ConsoleFixture.now)).first { $0.key == "dpa" && $0.version == "2" }!
        XCTAssertEqual(stored.first?.sha256, summary.sha256)
        XCTAssertEqual(summary.state, .acknowledged)
        XCTAssertTrue(driver.grid.lines.first { $0.contains("Processing agreement") }?.contains("acknowledged") == true)
        // The old version cannot be answered.
        driver.press(.char("G"), .char("a"))
        XCTAssertTrue(driver.grid.lines.last!.contains("Version 1 of dpa is not the latest (2 is)"), driver.grid.lines.last!)
    }

    func testObjectionTakesAReasonAndIsRefusedToAViewer() throws {
        try importNotices()
        var viewer = makeDriver(size: Size(width: 80, height: 24), actor: "viewer@example.test")
        viewer.press("dismiss", in: "Start-up panel")
        openNotices(&viewer)
        viewer.press(.char("o"))
        XCTAssertTrue(viewer.grid.lines.last!.contains("Only owner may object to a subprocessor change"), viewer.grid.lines.last!)
        viewer.press(.char("a"))
        XCTAssertTrue(viewer.grid.lines.last!.contains("Only owner or admin may acknowledge"), viewer.grid.lines.last!)

        var driver = makeDriver(size: Size(width: 80, height: 24))
        driver.press("dismiss", in: "Start-up panel")
        openNotices(&driver)
        driver.press(.char("o"))
        XCTAssertTrue(driver.grid.lines.last!.contains("Only a subprocessor change can be objected to"), "the DPA is not objectable")
        driver.press(.down, .char("o"))
        XCTAssertTrue(driver.text.contains("Object to New speech provider"), driver.text)
        driver.press(.enter)
        XCTAssertTrue(driver.text.contains("An objection needs a reason"), "an empty reason is refused in the prompt: \(driver.text)")
        driver.type("We need UK-only processing")
        driver.press(.enter)
        XCTAssertTrue(driver.grid.lines.last!.contains("Objected to sub-speech version 1"), driver.grid.lines.last!)
        let response = try XCTUnwrap(try fixture.workspace.dbPool.read { try NoticeResponse.fetchOne($0) })
        XCTAssertEqual(response.response, .objected)
        XCTAssertEqual(response.reason, "We need UK-only processing")
        XCTAssertTrue(driver.grid.lines.first { $0.contains("New speech provider") }?.contains("objected") == true)
    }

    func testTheComplianceCentreListsEachDutyAndFixesTheLawfulBasisFromTheKeyboard() throws {
        try importNotices()
        var driver = makeDriver(size: Size(width: 80, height: 24))
        driver.press("dismiss", in: "Start-up panel")
        openNotices(&driver)
        driver.press(.char("c"))
        var text = driver.text
        XCTAssertTrue(text.contains("Your duties under the DPA"), text)
        let basis = try XCTUnwrap(driver.grid.lines.first { $0.contains("Lawful basis recorded") })
        XCTAssertTrue(basis.contains("FAILING"), basis)
        XCTAssertTrue(text.contains("Auto-Send configured lawfully") && text.contains("not in use"), text)
        XCTAssertTrue(text.contains("none recorded"), text)
        // Record every purpose through the dialogs: b, purpose, basis.
        for index in 0..<ProcessingPurpose.allCases.count {
            driver.press(.char("b"))
            for _ in 0..<index { driver.press(.down) }
            driver.press(.enter)
            XCTAssertTrue(driver.text.contains("Which basis"), driver.text)
            driver.press(.down, .enter)
        }
        text = driver.text
        XCTAssertTrue(driver.grid.lines.first { $0.contains("Lawful basis recorded") }?.contains("ok") == true, text)
        XCTAssertEqual(try fixture.workspace.session(as: .system).read(.complianceSettings).bases[.marketing], .contract)
        // Enter on the special-category line opens its (empty) list; Esc goes back.
        driver.press(.char("G"))
        driver.press(.up, .up, .up, .up, .up, .up, .up, .up)
        driver.press(.escape)
        XCTAssertTrue(driver.text.contains("need an answer"), "Esc leaves the centre for the list")
    }

    /// The special-category line opens its matches; Enter on one opens the conversation at the word.
    func testSpecialCategoryMatchesOpenFromTheComplianceCentre() throws {
        try fixture.workspace.overwriteMessageBody(Message.ID(1), with: "Please come early, my dad is diabetic.")
        var driver = makeDriver(size: Size(width: 80, height: 24))
        openNotices(&driver)
        driver.press(.char("c"))
        let line = try XCTUnwrap(driver.grid.lines.first { $0.contains("No unnecessary special-category data") })
        XCTAssertTrue(line.contains("FAILING"), line)
        XCTAssertTrue(driver.text.contains("1 message and 0 calls in 90 days"), driver.text)
        for _ in 0..<6 { driver.press(.down) }
        driver.press(.enter)
        XCTAssertTrue(driver.text.contains("Special-category matches, last 90 days"), driver.text)
        let hit = try XCTUnwrap(driver.grid.lines.first { $0.contains("Message 1") })
        XCTAssertTrue(hit.contains("health") && hit.contains("diabetic"), hit)
        driver.press(.enter)
        XCTAssertEqual(driver.screen.currentTab.title, "Messages")
        XCTAssertTrue(driver.text.contains("my dad is diabetic"), driver.text)
    }

    func testHelpListsExactlyTheKeysItDispatches() throws {
        try importNotices()
        assertHelpListsExactlyTheKeysItDispatches(.notices, state: "Notices list")
        assertHelpListsExactlyTheKeysItDispatches(.notices, actor: "viewer@example.test", state: "Notices list as viewer")
        assertHelpListsExactlyTheKeysItDispatches(.notices, state: "Notice reader") { _ = $0.handle(.enter) }
        assertHelpListsExactlyTheKeysItDispatches(.notices, state: "Notice diff") { _ = $0.handle(.char("d")) }
        assertHelpListsExactlyTheKeysItDispatches(.compliance, state: "Compliance centre")
        assertHelpListsExactlyTheKeysItDispatches(.compliance, state: "Special-category matches") { tab in
            for _ in 0..<6 { _ = tab.handle(.down) }
            _ = tab.handle(.enter)
        }
    }
}
