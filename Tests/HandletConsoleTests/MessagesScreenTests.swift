import Foundation
@testable import HandletDomain
@testable import HandletConsole
import TerminalUI
import XCTest

/// The Messages tab: threads and a conversation.
final class MessagesScreenTests: ConsoleScreenTestCase {
    func testMessagesListAndConversationMarkAutoSentAndDirection() {
        var driver = makeDriver()
        driver.goTo(.messages)
        XCTAssertTrue(driver.grid.lines[1].contains("Last activity") && driver.grid.lines[1].contains("Channel"))
        XCTAssertTrue(driver.grid.lines[2].contains("SMS") && driver.grid.lines[2].contains("Alice Archer"))
        XCTAssertTrue(driver.grid.lines[2].contains("→ Yes, we can come"), driver.grid.lines[2])
        driver.press("open", in: "Message threads")
        XCTAssertTrue(driver.text.contains("← "))
        XCTAssertTrue(driver.text.contains("→ "))
        XCTAssertTrue(driver.text.contains("auto-sent"))
        XCTAssertEqual(driver.style(of: "auto-sent")?.role, .chip)
        XCTAssertTrue(driver.text.contains("delivered"))
        XCTAssertTrue(driver.text.contains("Can someone look at my cistern tomorrow?"))
    }

    /// Issue 25: opening a thread clears its unread count in the list (it stayed at 1), once,
    /// audited as `thread.read`; a second opening writes nothing.
    func testOpeningAThreadClearsItsUnreadCount() throws {
        for size in [Size(width: 80, height: 24), Size(width: 200, height: 50)] {
            try fixture.workspace.dbPool.write { db in try db.execute(sql: "UPDATE threads SET unread_count = 1") }
            var driver = makeDriver(size: size)
            driver.goTo(.messages)
            XCTAssertTrue(driver.grid.lines[2].contains(" 1 "), "unread before: \(driver.grid.lines[2])")
            driver.press("open", in: "Message threads")
            driver.press("back", in: "Conversation")
            XCTAssertFalse(driver.grid.lines[2].contains(" 1 "), "read after: \(driver.grid.lines[2])")
            driver.press("open", in: "Message threads")
        }
        let events = try fixture.workspace.dbPool.read { db in
            try Int.fetchOne(db, sql: "SELECT count(*) FROM audit_events WHERE action = 'thread.read'")
        }
        XCTAssertEqual(events, 2, "one event per opening that cleared something, none for a read thread")
        XCTAssertEqual(try fixture.workspace.dbPool.read { try Int.fetchOne($0, sql: "SELECT sum(unread_count) FROM threads") }, 0)
    }

    /// Issue 25: the filter offers unread, auto-sent and marketing.
    func testTheFilterOffersUnreadAutoSentAndMarketing() {
        var driver = makeDriver()
        driver.goTo(.messages)
        driver.press("filter", in: "Message threads")
        for label in ["Unread", "Auto-sent", "Marketing"] { XCTAssertTrue(driver.text.contains(label), "\(label): \(driver.text)") }
        for _ in 0..<6 { driver.press(.down) }
        driver.press(.right)
        driver.press(.enter)
        XCTAssertTrue(driver.text.contains("Auto-sent") && driver.text.contains("Alice Archer"), driver.text)
        driver.press("filter", in: "Message threads")
        for _ in 0..<7 { driver.press(.down) }
        driver.press(.right)
        driver.press(.enter)
        XCTAssertTrue(driver.text.contains("No threads match"), driver.text)
    }

    func testConversationKeepsLineBreaksAsBreaks() throws {
        try fixture.workspace.overwriteMessageBodies(startingWith: "Can someone", with: "Hello,\n\nCan someone look at my cistern?\nThanks")
        var driver = makeDriver()
        driver.goTo(.messages)
        driver.press("open", in: "Message threads")
        XCTAssertFalse(driver.text.contains("␊"), driver.text)
        let hello = try XCTUnwrap(driver.row(containing: "Hello,"))
        XCTAssertTrue(driver.grid.lines[hello + 2].contains("Can someone look at my cistern?"), driver.text)
        XCTAssertTrue(driver.grid.lines[hello + 3].contains("Thanks"))
    }

    func testHelpListsExactlyTheKeysItDispatches() {
        assertHelpListsExactlyTheKeysItDispatches(.messages, state: "Message threads")
        assertHelpListsExactlyTheKeysItDispatches(.messages, state: "Conversation") { _ = $0.open(.thread(id: MessageThread.ID(1), highlight: nil, messageId: nil)) }
    }

    /// Issue 22: `t` in a conversation opens the trace of the Auto-Send message in view; Back
    /// returns to the conversation. A conversation with nothing sent from the queue says so.
    func testTraceKeyOpensTheTraceOfTheSentMessageAndBackReturns() throws {
        var driver = makeDriver()
        driver.goTo(.messages)
        driver.press("open", in: "Message threads")
        driver.press("trace", in: "Conversation")
        XCTAssertTrue(driver.text.contains("nothing to trace"), driver.text)

        // The reply went out from the queue: its draft arrived and was evaluated, and the message carries its correlation id.
        let arrival = try fixture.workspace.session(as: .system).perform(.receiveDraft(ArrivingDraft(
            answers: .thread(MessageThread.ID(1)), intent: .followUp, confidence: 0.95, body: "Yes, we can come at 10am.")),
            at: ConsoleFixture.now.addingTimeInterval(-900))
        try fixture.workspace.dbPool.write { db in
            try db.execute(sql: "UPDATE messages SET correlation_id = ? WHERE auto_sent = 1", arguments: [arrival.correlationId])
        }
        driver = makeDriver(actor: "viewer@example.test")
        driver.goTo(.messages)
        driver.press("open", in: "Message threads")
        XCTAssertTrue(driver.text.contains("t: trace"), driver.text)
        driver.press("trace", in: "Conversation")
        XCTAssertTrue(driver.text.contains("Auto-Send trace"), driver.text)
        XCTAssertTrue(driver.text.contains("Settings in force"), driver.text)
        XCTAssertTrue(driver.text.contains("master_switch"), driver.text)
        XCTAssertTrue(driver.text.contains("Auto-Send is off"), "the deciding gate worded as its failure: \(driver.text)")
        driver.press("back", in: "Auto-Send trace")
        XCTAssertFalse(driver.text.contains("Settings in force"), driver.text)
        XCTAssertTrue(driver.text.contains("Can someone look at my cistern tomorrow?"), driver.text)
    }
}
