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
}
