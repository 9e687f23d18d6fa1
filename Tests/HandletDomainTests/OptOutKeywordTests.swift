import Foundation
import GRDB
@testable import HandletDomain
import XCTest
import HandletTestSupport

final class OptOutKeywordTests: XCTestCase {
    static let stops = ["STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "OPTOUT", "REVOKE"]
    static let starts = ["START", "UNSTOP"]

    /// Each keyword as people type it: any case, with spaces, line breaks and punctuation around it.
    static func variants(_ keyword: String) -> [String] {
        let lower = keyword.lowercased()
        let title = keyword.prefix(1) + keyword.dropFirst().lowercased()
        let mixed = String(keyword.enumerated().map { $0.offset % 2 == 0 ? Character($0.element.lowercased()) : $0.element })
        var forms: [String] = []
        for word in [keyword, lower, String(title), mixed] {
            forms += [word, "  \(word)  ", "\(word).", "\(word)!", " \(word)!!\n", "\t\(word)?", "\"\(word)\"", "(\(word))",
                      "\(word)...", "¡\(word)!", "\u{200B}\(word)", "\r\n\(word),"]
        }
        return forms
    }

    func testEveryOptOutKeywordInAnyCaseWithSpacesAndPunctuation() {
        for keyword in Self.stops {
            for text in Self.variants(keyword) {
                XCTAssertEqual(OptOutKeyword.signal(in: text), .optOut(keyword: keyword), "\(text.debugDescription)")
            }
        }
        XCTAssertEqual(OptOutKeyword.stopWords, Set(Self.stops))
    }

    func testStartAndUnstopLiftItInAnyCaseWithSpacesAndPunctuation() {
        for keyword in Self.starts {
            for text in Self.variants(keyword) {
                XCTAssertEqual(OptOutKeyword.signal(in: text), .optIn(keyword: keyword), "\(text.debugDescription)")
            }
        }
    }

    func testAKeywordInsideASentenceOrAnotherWordIsNotOne() {
        for text in ["Please stop by on Tuesday", "STOPPED", "stops", "s t o p", "stop stop", "endless", "Can you cancel Tuesday?",
                     "UN SUBSCRIBE", "opt out", "", "   ", "!!!", "🛑", "STOP🛑", "start the job Monday", "stop-all",
                     String(repeating: " ", count: 80) + "STOP"] {
            XCTAssertNil(OptOutKeyword.signal(in: text), text.debugDescription)
        }
    }

    // MARK: Acting on a stored inbound message

    private func message(_ fixture: RetentionFixture, body: String, direction: Direction = .inbound,
                         contact: Contact.ID?) throws -> Message.ID {
        try fixture.workspace.dbPool.write { db in
            var thread = MessageThread(contactId: contact, channel: .sms, lastActivityAt: RetentionFixture.start)
            try thread.insert(db)
            var message = Message(threadId: thread.id!, channel: .sms, direction: direction, fromAddress: "+447700900123",
                                  toAddress: "+441632960000", contactId: contact, body: body, sentAt: RetentionFixture.start,
                                  deliveryStatus: direction == .inbound ? .received : .delivered)
            try message.insert(db)
            return message.id!
        }
    }

    private func contact(_ fixture: RetentionFixture, restricted: Bool = false) throws -> Contact.ID {
        try fixture.workspace.dbPool.write { db in
            var contact = Contact(name: "Priya Shah", phone: "+447700900123", restrictedAt: restricted ? RetentionFixture.start : nil,
                                  createdAt: RetentionFixture.start)
            try contact.insert(db)
            return contact.id!
        }
    }

    private func stored(_ fixture: RetentionFixture, _ id: Contact.ID) throws -> Contact {
        try fixture.workspace.dbPool.read { try Contact.fetchOne($0, key: id.rawValue)! }
    }

    func testAStopMessageSuppressesTheContactAtOnceAndStartLiftsItEachAudited() throws {
        let fixture = try RetentionFixture()
        let priya = try contact(fixture)
        let system = fixture.workspace.session(as: .system)
        let at = RetentionFixture.at(days: 2)

        let stop = try message(fixture, body: "  Stop! ", contact: priya)
        let change = try system.perform(.processOptOutKeywords(inMessage: stop), at: at)
        XCTAssertEqual(change, OptOutChange(messageId: stop, contactId: priya, signal: .optOut(keyword: "STOP"), changed: true))
        XCTAssertEqual(try stored(fixture, priya).optedOutAt, at)
        XCTAssertEqual(try stored(fixture, priya).optOutKeyword, "STOP")
        XCTAssertTrue(try stored(fixture, priya).isSuppressed)
        let event = try XCTUnwrap(fixture.auditEvents(AuditAction.contactOptOutChanged.rawValue).last)
        XCTAssertEqual(event.actor, "system")
        XCTAssertEqual(event.target, "contact:\(priya.rawValue)")
        XCTAssertEqual(event.detailValues, ["message_id": .int(stop.rawValue), "keyword": "STOP", "state": "opted_out", "channel": "sms"])

        // A second opt-out keyword changes nothing and writes nothing.
        let again = try message(fixture, body: "unsubscribe", contact: priya)
        XCTAssertFalse(try system.perform(.processOptOutKeywords(inMessage: again), at: at.addingTimeInterval(60)).changed)
        XCTAssertEqual(try stored(fixture, priya).optOutKeyword, "STOP")

        let start = try message(fixture, body: "UNSTOP.", contact: priya)
        let lifted = try fixture.workspace.session(as: fixture.agent).perform(.processOptOutKeywords(inMessage: start), at: at)
        XCTAssertTrue(lifted.changed)
        XCTAssertNil(try stored(fixture, priya).optedOutAt)
        XCTAssertNil(try stored(fixture, priya).optOutKeyword)
        let events = try fixture.auditEvents(AuditAction.contactOptOutChanged.rawValue)
        XCTAssertEqual(events.map { $0.detailValues["state"] }, [.string("opted_out"), .string("opted_in")])
        XCTAssertEqual(events.last?.detailValues["message_id"], .int(start.rawValue))
        XCTAssertEqual(events.last?.actor, "agent@example.test")
    }

    func testStartDoesNotLiftADataSubjectRestriction() throws {
        let fixture = try RetentionFixture()
        let restricted = try contact(fixture, restricted: true)
        let system = fixture.workspace.session(as: .system)
        try system.perform(.processOptOutKeywords(inMessage: try message(fixture, body: "quit", contact: restricted)))
        try system.perform(.processOptOutKeywords(inMessage: try message(fixture, body: "start", contact: restricted)))
        let contact = try stored(fixture, restricted)
        XCTAssertNil(contact.optedOutAt)
        XCTAssertNotNil(contact.restrictedAt)
        XCTAssertTrue(contact.isSuppressed)
    }

    func testOrdinaryMessagesOutboundMessagesAndViewersChangeNothing() throws {
        let fixture = try RetentionFixture()
        let priya = try contact(fixture)
        let system = fixture.workspace.session(as: .system)
        let chat = try message(fixture, body: "Can you stop by Tuesday?", contact: priya)
        XCTAssertEqual(try system.perform(.processOptOutKeywords(inMessage: chat)),
                       OptOutChange(messageId: chat, contactId: priya, signal: nil, changed: false))
        let ours = try message(fixture, body: "STOP", direction: .outbound, contact: priya)
        XCTAssertThrowsError(try system.perform(.processOptOutKeywords(inMessage: ours))) {
            XCTAssertEqual($0 as? OptOutError, .notInbound(ours))
        }
        XCTAssertThrowsError(try system.perform(.processOptOutKeywords(inMessage: Message.ID(999_999)))) {
            XCTAssertEqual($0 as? OptOutError, .noSuchMessage(Message.ID(999_999)))
        }
        let stop = try message(fixture, body: "STOP", contact: priya)
        XCTAssertThrowsError(try fixture.workspace.session(as: fixture.viewer).perform(.processOptOutKeywords(inMessage: stop))) {
            XCTAssertEqual($0 as? PermissionDenied, PermissionDenied(permission: .recordInboundMessages, role: .viewer))
        }
        XCTAssertNil(try stored(fixture, priya).optedOutAt)
        XCTAssertTrue(try fixture.auditEvents(AuditAction.contactOptOutChanged.rawValue).isEmpty)
        // Without a contact there is nobody to suppress.
        let anonymous = try message(fixture, body: "STOP", contact: nil)
        XCTAssertFalse(try system.perform(.processOptOutKeywords(inMessage: anonymous)).changed)
    }
}
