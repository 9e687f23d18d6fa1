import Foundation
@testable import HandletDomain
@testable import HandletConsole
import TerminalUI
import XCTest

/// Issue 23 in the console: the Retention tab's text periods, and deleting a special-category
/// match's text from the compliance centre.
final class TextRetentionScreenTests: ConsoleScreenTestCase {
    private func retention(actor email: String? = nil, size: Size = Size(width: 110, height: 32)) -> ScreenDriver<ConsoleScreen> {
        var driver = makeDriver(size: size, actor: email)
        driver.goTo(.retention)
        return driver
    }

    private func textSettings() throws -> TextRetentionSettings {
        try fixture.workspace.session(as: .system).read(.retentionOverview(now: ConsoleFixture.now)).textRetention
    }

    func testTheTextPeriodsShowAtEitherSize() throws {
        for size in [Size(width: 80, height: 24), Size(width: 200, height: 50)] {
            let driver = retention(size: size)
            let call = try XCTUnwrap(driver.grid.lines.first { $0.contains("Call text") }, driver.text)
            XCTAssertTrue(call.contains("off: kept until deleted (30–3650 days to set)"), call)
            // An empty field is "off" here, not an error the field would print under the note.
            XCTAssertFalse(call.contains("Enter a whole number") || call.contains("deletedm"), call)
            XCTAssertNotNil(driver.row(containing: "Message text"), driver.text)
        }
    }

    func testSettingACallTextPeriodShowsWhatGoesAsksAndSaves() throws {
        var driver = retention()
        driver.press("text_periods", in: "Retention")   // call text
        driver.type("30")
        XCTAssertTrue(driver.text.contains("to save"), driver.text)
        driver.press("save", in: "Retention: text periods")
        XCTAssertTrue(driver.text.contains("Keep call summaries and transcripts 30 days"), driver.text)
        XCTAssertNil(try textSettings().transcripts, "nothing changes before the answer")
        driver.press("cancel", in: "Confirmation")
        XCTAssertNil(try textSettings().transcripts)
        XCTAssertTrue(driver.grid.lines.last!.contains("Not confirmed"), driver.grid.lines.last!)

        // The field shows the saved value again (empty: off) and keeps the focus.
        driver.type("30")
        driver.press("save", in: "Retention: text periods")
        driver.press("confirm", in: "Confirmation")
        XCTAssertEqual(try textSettings().transcripts?.days, 30)
        XCTAssertTrue(try fixture.workspace.auditActions().contains(AuditAction.textRetentionChanged.rawValue))
        XCTAssertTrue(driver.grid.lines.last!.contains("Retention of call summaries and transcripts: 30 days"), driver.grid.lines.last!)

        // Message text on the next row; clearing it again turns it off without asking.
        driver.press("next", in: "Retention: text periods")
        driver.type("365")
        driver.press("save", in: "Retention: text periods")
        driver.press("confirm", in: "Confirmation")
        XCTAssertEqual(try textSettings().messages?.days, 365)
        driver.press(.backspace, .backspace, .backspace)
        driver.press("save", in: "Retention: text periods")
        XCTAssertNil(try textSettings().messages)
    }

    func testOutOfRangeAndViewersChangeNothing() throws {
        var driver = retention()
        driver.press("text_periods", in: "Retention")
        driver.type("29")
        driver.press("save", in: "Retention: text periods")
        XCTAssertTrue(driver.grid.lines.last!.contains("outside the valid text retention period"), driver.grid.lines.last!)
        XCTAssertNil(try textSettings().transcripts)

        var viewer = retention(actor: "viewer@example.test")
        viewer.press("text_periods", in: "Retention")
        viewer.type("60")
        viewer.press(.enter)
        XCTAssertTrue(viewer.grid.lines.last!.contains("Only owner or admin"), viewer.grid.lines.last!)
        XCTAssertNil(try textSettings().transcripts)
    }

    func testAMatchShowsItsContactAndSnippetAndDeletesWithItsKey() throws {
        try fixture.workspace.overwriteMessageBody(Message.ID(1), with: "Please come early, my dad is diabetic.")
        for size in [Size(width: 80, height: 24), Size(width: 200, height: 50)] {
            var driver = makeDriver(size: size)
            driver.goTo(.notices)
            driver.press(.char("c"))
            for _ in 0..<6 { driver.press(.down) }
            driver.press(.enter)
            let hit = try XCTUnwrap(driver.grid.lines.first { $0.contains("Message 1") }, driver.text)
            XCTAssertTrue(hit.contains("Alice") || hit.contains("Bob"), "the contact: \(hit)")
            XCTAssertTrue(hit.contains("diabetic"), "the snippet: \(hit)")
        }
        // A viewer sees the matches but may not delete.
        var viewer = makeDriver(actor: "viewer@example.test")
        viewer.goTo(.notices)
        viewer.press(.char("c"))
        for _ in 0..<6 { viewer.press(.down) }
        viewer.press(.enter)
        viewer.press(.char("d"))
        XCTAssertTrue(viewer.text.contains("Only owner or admin"), viewer.text)
        XCTAssertEqual(try fixture.workspace.storedBodyLength(ofMessage: Message.ID(1)), 38)

        var driver = makeDriver()
        driver.goTo(.notices)
        driver.press(.char("c"))
        for _ in 0..<6 { driver.press(.down) }
        driver.press(.enter)
        driver.press("delete_text", in: "Special-category matches")
        XCTAssertTrue(driver.text.contains("Delete message text"), driver.text)
        XCTAssertTrue(driver.text.contains("loses its text"), driver.text)
        XCTAssertEqual(try fixture.workspace.storedBodyLength(ofMessage: Message.ID(1)), 38, "nothing before the answer")
        driver.press("confirm", in: "Confirmation")
        XCTAssertEqual(try fixture.workspace.storedBodyLength(ofMessage: Message.ID(1)), 0)
        XCTAssertTrue(driver.text.contains("Nothing matches."), driver.text)
        XCTAssertTrue(try fixture.workspace.auditActions().contains(AuditAction.messageTextDeleted.rawValue))
    }

    /// Opened from a match, the conversation has the delete key at hand for that message.
    func testTheOpenedMatchDeletesWithItsKey() throws {
        try fixture.workspace.overwriteMessageBody(Message.ID(1), with: "Please come early, my dad is diabetic.")
        var driver = makeDriver()
        driver.goTo(.notices)
        driver.press(.char("c"))
        for _ in 0..<6 { driver.press(.down) }
        driver.press(.enter)
        driver.press(.enter)
        XCTAssertEqual(driver.screen.currentTab.title, "Messages")
        driver.press("delete_text", in: "Conversation")
        XCTAssertTrue(driver.text.contains("Delete message text"), driver.text)
        driver.press("cancel", in: "Confirmation")
        XCTAssertEqual(try fixture.workspace.storedBodyLength(ofMessage: Message.ID(1)), 38)
        driver.press("delete_text", in: "Conversation")
        driver.press("confirm", in: "Confirmation")
        XCTAssertEqual(try fixture.workspace.storedBodyLength(ofMessage: Message.ID(1)), 0)
        XCTAssertFalse(driver.text.contains("diabetic"), driver.text)
        XCTAssertTrue(driver.text.contains("[Text deleted on"), driver.text)
        XCTAssertTrue(driver.grid.lines.last!.contains("Deleted the text of message 1"), driver.grid.lines.last!)
    }

    func testACallsDetailDeletesItsSummaryAndTranscript() throws {
        var driver = makeDriver()
        driver.goTo(.calls)
        driver.press(.enter)
        XCTAssertTrue(driver.text.contains("leak"), driver.text)
        driver.press("delete_text", in: "Call detail")
        XCTAssertTrue(driver.text.contains("Delete summary and transcript"), driver.text)
        driver.press("confirm", in: "Confirmation")
        XCTAssertTrue(driver.grid.lines.last!.contains("Deleted the summary and transcript"), driver.grid.lines.last!)
        XCTAssertFalse(driver.text.contains("leaking"), driver.text)
        XCTAssertTrue(driver.text.contains("Text deleted on"), "the call says where its text went: \(driver.text)")
        XCTAssertTrue(try fixture.workspace.auditActions().contains(AuditAction.callTextDeleted.rawValue))
        // Again: refused with the domain's reason, nothing asked.
        driver.press("delete_text", in: "Call detail")
        XCTAssertTrue(driver.grid.lines.last!.contains("already been removed"), driver.grid.lines.last!)
    }

    /// Like the custom days field: every key stays in the field, and its help lists the keys that
    /// do something other than type.
    func testTheTextFieldsKeepEveryKeyAndListTheirOwn() throws {
        var driver = retention()
        driver.press("text_periods", in: "Retention")
        XCTAssertTrue(driver.screen.currentTab.capturesText)
        XCTAssertEqual(keys(in: driver.screen.currentTab.helpEntries), [.enter, .escape, .up, .down])
        XCTAssertNotEqual(driver.screen.handle(.key(.char("q"))), .quit, "q does not quit from the field")
        driver.press(.escape)
        XCTAssertFalse(driver.screen.currentTab.capturesText, "Esc leaves the field")
    }
}
