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
