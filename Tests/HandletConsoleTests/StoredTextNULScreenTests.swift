import Foundation
import GRDB
@testable import HandletConsole
@testable import HandletDomain
import TerminalUI
import XCTest

/// Issue 11: stored text holding a NUL byte is shown whole (the NUL as ␀) on every screen that
/// reads it: lists, details, the contact timeline, search results and their highlights.
final class StoredTextNULScreenTests: ConsoleScreenTestCase {
    static let name = "Nia\u{0}Nullson"
    static let summary = "Gas\u{0}hidden summary zanzibar"
    static let turn = "Hello\u{0}tail of turn quokka"
    static let subject = "Subj\u{0}ect tail"
    static let body = "Before\u{0}hidden tail \u{0}zanzibar end"

    override func setUpWithError() throws {
        try super.setUpWithError()
        // Written through the records, as the domain stores any text: the write must keep the NUL too.
        let messageID = try fixture.workspace.dbPool.write { db -> Message.ID in
            let now = ConsoleFixture.now
            var contact = Contact(name: Self.name, phone: "+447700900099", createdAt: now)
            try contact.insert(db)
            var call = Call(externalId: "CALL-NUL", direction: .inbound, fromNumber: "+447700900099", toNumber: "+441632960000",
                            contactId: contact.id, startedAt: now.addingTimeInterval(-60), durationSeconds: 42, handledBy: .aiAgent,
                            outcome: .bookedJob, summary: Self.summary,
                            transcript: Transcript(turns: [.init(speaker: .caller, offsetMs: 0, text: Self.turn)]),
                            recordingState: .notRecorded)
            try call.insert(db)
            var thread = MessageThread(contactId: contact.id, channel: .sms, subject: Self.subject,
                                       lastActivityAt: now.addingTimeInterval(-30), messageCount: 1)
            try thread.insert(db)
            var message = Message(threadId: thread.id!, channel: .sms, direction: .inbound, fromAddress: "+447700900099",
                                  toAddress: "+441632960000", contactId: contact.id, body: Self.body,
                                  sentAt: now.addingTimeInterval(-30), deliveryStatus: .received)
            try message.insert(db)
            return message.id!
        }
        XCTAssertEqual(try fixture.workspace.storedBodyLength(ofMessage: messageID), Self.body.utf8.count, "the body is stored whole")
    }

    func testMessagesListSnippetAndConversationShowTheTextAfterTheNUL() throws {
        var driver = makeDriver(size: Size(width: 200, height: 50))
        driver.goTo(.messages)
        let row = try XCTUnwrap(driver.row(containing: "Nia␀Nullson"), driver.text)
        XCTAssertTrue(driver.grid.lines[row].contains("← Before␀hidden tail ␀zanzibar end"), driver.grid.lines[row])
        driver.press("open", in: "Message threads")
        XCTAssertTrue(driver.text.contains("Before␀hidden tail ␀zanzibar end"), driver.text)
        XCTAssertTrue(driver.text.contains("Subj␀ect tail"), "the thread's subject: \(driver.text)")
    }

    func testCallsListAndDetailShowTheNameSummaryAndTranscriptWhole() throws {
        var driver = makeDriver(size: Size(width: 200, height: 50))
        driver.goTo(.calls)
        let row = try XCTUnwrap(driver.row(containing: "Nia␀Nullson"), driver.text)
        XCTAssertEqual(row, 2, "the newest call is first")
        driver.press("open", in: "Calls list")
        XCTAssertTrue(driver.text.contains("Gas␀hidden summary zanzibar"), driver.text)
        XCTAssertTrue(driver.text.contains("Hello␀tail of turn quokka"), driver.text)
    }

    func testContactTimelineShowsTheTextAfterTheNUL() throws {
        var driver = makeDriver(size: Size(width: 200, height: 50))
        driver.goTo(.contacts)
        let row = try XCTUnwrap(driver.row(containing: "Nia␀Nullson"), driver.text)
        for _ in 2..<row { driver.press("down", in: "Contacts list") }
        driver.press("open", in: "Contacts list")
        XCTAssertTrue(driver.text.contains("Gas␀hidden summary zanzibar"), driver.text)
        XCTAssertTrue(driver.text.contains("Before␀hidden tail ␀zanzibar end"), driver.text)
    }

    func testSearchFindsWordsAfterTheNULAndItsSnippetAndHighlightShowThem() throws {
        var driver = makeDriver(size: Size(width: 200, height: 50))
        driver.press("search", in: "Overview")
        driver.type("zanzibar")
        driver.settle { !$0.lines.last!.contains("searching") }
        XCTAssertTrue(driver.grid.lines.last!.contains("2 results"), driver.grid.lines.last!)
        let messageHit = try XCTUnwrap(driver.grid.lines.indices.first { driver.grid.lines[$0].contains("Before␀hidden tail ␀zanzibar") },
                                       driver.text)
        let column = try XCTUnwrap(driver.grid.column(of: "zanzibar", row: messageHit))
        XCTAssertEqual(driver.grid[column, messageHit].style.role, .highlight)
        XCTAssertTrue(driver.text.contains("Gas␀hidden summary zanzibar"), "the call's snippet: \(driver.text)")

driver.press("close", in: "Search")
        driver.press("search", in: "Overview")
        for _ in 0..<10 { driver.press(.backspace) }
        driver.type("quokka")
        driver.settle { !$0.lines.last!.contains("searching") }
        XCTAssertTrue(driver.grid.lines.last!.contains("1 result"), driver.grid.lines.last!)
        driver.press("open", in: "Search")
        XCTAssertEqual(driver.screen.currentTab.title, "Calls")
        let turn = try XCTUnwrap(driver.row(containing: "Hello␀tail of turn quokka"), driver.text)
        let hit = try XCTUnwrap(driver.grid.column(of: "quokka", row: turn))
        XCTAssertEqual(driver.grid[hit, turn].style.role, .highlight, "the hit after the NUL is highlighted in the detail")
    }

    func testNoRawNULReachesTheGrid() {
        var driver = makeDriver(size: Size(width: 200, height: 50))
        for (screen, list, detail) in [(ScreenID.calls, "Calls list", "Call detail"), (.messages, "Message threads", "Conversation"),
                                       (.contacts, "Contacts list", "Contact")] {
            let key = screen
            driver.goTo(screen)
            driver.press("open", in: list)
            for y in 0..<driver.grid.height {
                for x in 0..<driver.grid.width {
                    XCTAssertFalse(driver.grid[x, y].symbol.unicodeScalars.contains("\u{0}"), "raw NUL at \(x),\(y) on tab \(key)")
                }
            }
            driver.press("back", in: detail)
        }
    }
}
