import Foundation
@testable import HandletDomain
import XCTest

/// Issue 24: WhatsApp chat exports from Android and iOS, in the date and clock styles of several locales.
final class WhatsAppParserTests: XCTestCase {
    static let utcZone = TimeZone(identifier: "UTC")!

    func parser(me: String? = "Dave Plumbing", order: DateOrder? = nil) -> WhatsAppParser {
        WhatsAppParser(me: me, dateOrder: order, timeZone: Self.utcZone)
    }

    static let android = """
    31/08/2023, 14:05 - Messages and calls are end-to-end encrypted. No one outside of this chat, not even WhatsApp, can read or listen to them. Tap to learn more.
    31/08/2023, 14:05 - Jane Smith: Hi, is that Dave the plumber?
    31/08/2023, 14:06 - Dave Plumbing: Yes: how can I help?
    The boiler, you said?
    31/08/2023, 14:07 - Jane Smith: <Media omitted>
    31/08/2023, 14:08 - Jane Smith: IMG-20230831-WA0001.jpg (file attached)
    Here's the leak
    31/08/2023, 14:09 - Jane Smith added Bob
    01/09/2023, 09:00 - Jane Smith: STOP

    """

    /// The import key of a chat message is its content's, not its file's: the same chat exported
    /// again to another folder, or later with more messages, gives its messages the same keys;
    /// the same text sent twice in one minute is two messages with two keys.
    func testAChatMessagesKeyIsItsContentsWhateverFileItIsReadFrom() throws {
        let chat = Self.android + "01/09/2023, 09:01 - Jane Smith: ok\n01/09/2023, 09:01 - Jane Smith: ok\n"
        let keys = try parseAll(parser(), chat, file: "a/WhatsApp Chat with Jane Smith.txt").compactMap { $0.message?.externalId }
        XCTAssertEqual(keys.count, 7)
        XCTAssertEqual(Set(keys).count, 7, "the two identical messages of 09:01 are told apart")
        let again = try parseAll(parser(), chat, file: "b/WhatsApp Chat with Jane Smith.txt").compactMap { $0.message?.externalId }
        XCTAssertEqual(again, keys, "another file of the same chat: the same keys")
        let unzipped = try parseAll(parser(), chat, file: "d/WhatsApp Chat - Jane Smith/_chat.txt").compactMap { $0.message?.externalId }
        XCTAssertEqual(unzipped, keys, "an iOS export unzipped into a folder named for the chat: the same keys")
        let later = chat + "02/09/2023, 08:00 - Jane Smith: Thanks\n"
        let laterKeys = try parseAll(parser(), later, file: "c/WhatsApp Chat with Jane Smith.txt").compactMap { $0.message?.externalId }
        XCTAssertEqual(Array(laterKeys.prefix(7)), keys, "a later export of the chat: the earlier messages keep their keys")
        XCTAssertFalse(keys.contains(laterKeys[7]))
    }

    /// Imports before session 11 keyed a chat message by its content and the file's path as given
    /// (`ImportKeys.key(of:)` of a message without an id): each message carries that key too, the
    /// other participant named from the file's name only; a minute's second identical message was
    /// never stored under it and has none.
    func testEachMessageCarriesTheKeyImportsBeforeSession11GaveIt() throws {
        let file = "d/WhatsApp Chat - Jane Smith/_chat.txt"
        let chat = Self.android + "01/09/2023, 09:01 - Jane Smith: ok\n01/09/2023, 09:01 - Jane Smith: ok\n"
        let messages = try parseAll(parser(), chat, file: file).compactMap(\.message)
        func old(_ direction: String, _ from: String, _ to: String, _ at: Date, _ body: String) -> String {
            ImportKeys.contentKey(["message", "whatsapp", direction, from, to, String(Int64(at.timeIntervalSince1970)), body, file])
        }
        XCTAssertEqual(messages.map(\.legacyKey), [
            old("inbound", "Jane Smith", "Dave Plumbing", utc(2023, 8, 31, 14, 5), "Hi, is that Dave the plumber?"),
            old("outbound", "Dave Plumbing", "Jane Smith", utc(2023, 8, 31, 14, 6), "Yes: how can I help?\nThe boiler, you said?"),
            old("inbound", "Jane Smith", "Dave Plumbing", utc(2023, 8, 31, 14, 7), ""),
            old("inbound", "Jane Smith", "Dave Plumbing", utc(2023, 8, 31, 14, 8), "Here's the leak"),
            old("inbound", "Jane Smith", "Dave Plumbing", utc(2023, 9, 1, 9), "STOP"),
            old("inbound", "Jane Smith", "Dave Plumbing", utc(2023, 9, 1, 9, 1), "ok"),
            nil,
        ])
        XCTAssertEqual(messages[1].to, "Jane Smith", "today's reading names the chat from its folder")
        XCTAssertTrue(messages.allSatisfy { $0.legacyKey != $0.externalId })
    }

    func testTheSameWordsAtTheSameMinuteInTwoChatsAreTwoMessages() throws {
        let line = "01/09/2023, 09:01 - Jane Smith: ok\n"
        let one = try parseAll(parser(), Self.android + line, file: "WhatsApp Chat with Jane Smith.txt").compactMap { $0.message?.externalId }
        let group = try parseAll(parser(), Self.android + line, file: "WhatsApp Chat with Boiler Jobs.txt").compactMap { $0.message?.externalId }
        XCTAssertTrue(Set(one).isDisjoint(with: group), "a 1:1 chat and a group chat share no key")
        let ios = try parseAll(parser(), Self.android + line, file: "x/_chat.txt").compactMap { $0.message?.externalId }
        let otherIOS = try parseAll(parser(), Self.android + line, file: "y/_chat.txt").compactMap { $0.message?.externalId }
        XCTAssertTrue(Set(ios).isDisjoint(with: otherIOS), "two unnamed chats from two folders share no key")
    }

    func testAnIdenticalMessageWrittenOutOfOrderIsStillASecondMessage() throws {
        // The hour the clocks go back repeats 01:00-01:59, and phones write the odd message out of order.
        let chat = Self.android + "01/09/2023, 09:01 - Jane Smith: ok\n01/09/2023, 09:30 - Jane Smith: and\n"
            + "01/09/2023, 09:01 - Jane Smith: ok\n"
        let keys = try parseAll(parser(), chat, file: "WhatsApp Chat with Jane Smith.txt").compactMap { $0.message?.externalId }
        XCTAssertEqual(Set(keys).count, keys.count, "every message has its own key")
    }

    func testAnAndroidExportWithSystemLinesMediaAndMultiLineMessages() throws {
        let lines = try parseAll(parser(), Self.android, file: "exports/WhatsApp Chat with Jane Smith.txt")
        XCTAssertEqual(lines.map(\.line), [2, 3, 5, 6, 9], "the encryption notice and the group change are skipped")
        let first = try XCTUnwrap(lines[0].message)
        var expected = IncomingMessage(externalId: first.externalId, channel: .whatsapp, direction: .inbound, from: "Jane Smith",
                                       to: "Dave Plumbing", senderName: "Jane Smith", sentAt: utc(2023, 8, 31, 14, 5),
                                       body: "Hi, is that Dave the plumber?",
                                       threadKey: "exports/WhatsApp Chat with Jane Smith.txt", deliveryStatus: .received)
        expected.legacyKey = first.legacyKey   // testEachMessageCarriesTheKeyImportsBeforeSession11GaveIt
        XCTAssertEqual(first, expected)
        XCTAssertEqual(first.externalId?.hasPrefix("sha256:"), true, "a content key")
        let reply = try XCTUnwrap(lines[1].message)
        XCTAssertEqual(reply.direction, .outbound)
        XCTAssertEqual(reply.from, "Dave Plumbing")
        XCTAssertEqual(reply.to, "Jane Smith", "the other participant, from the export's file name")
        XCTAssertEqual(reply.body, "Yes: how can I help?\nThe boiler, you said?")
        XCTAssertEqual(lines[2].message?.attachments, ["Media omitted"])
        XCTAssertEqual(lines[2].message?.body, "")
        XCTAssertEqual(lines[3].message?.attachments, ["IMG-20230831-WA0001.jpg"])
        XCTAssertEqual(lines[3].message?.body, "Here's the leak")
        XCTAssertEqual(lines[4].message?.sentAt, utc(2023, 9, 1, 9), "day-first, read from the 31 in the file")
        XCTAssertEqual(lines[4].message?.body, "STOP")
    }

    func testAnIOSExportWithNarrowSpacesDirectionMarksCRLFAndTwelveHourTimes() throws {
        let text = [
            "\u{FEFF}[8/31/23, 2:05:12\u{202F}PM] Jane Smith: \u{200E}Messages and calls are end-to-end encrypted. No one outside of this chat, not even WhatsApp, can read or listen to them.",
            "[8/31/23, 2:05:12\u{202F}PM] Jane Smith: Hi",
            "\u{200E}[8/31/23, 2:06:00\u{202F}PM] Jane Smith: \u{200E}<attached: 00000012-PHOTO-2023-08-31-14-06-00.jpg>",
            "[8/31/23, 2:07:00\u{202F}PM] Dave Plumbing: \u{200E}image omitted",
            "[9/1/23, 12:00:00\u{202F}AM] Dave Plumbing: midnight",
            "[9/1/23, 12:30:00 PM] Jane Smith: noon",
            "\u{200E}[9/1/23, 12:31:00\u{202F}PM] Jane Smith: \u{200E}Jane Smith changed this group's icon",
        ].joined(separator: "\r\n") + "\r\n"
        let lines = try parseAll(parser(), text, file: "_chat.txt")
        XCTAssertEqual(lines.map(\.line), [2, 3, 4, 5, 6])
        XCTAssertEqual(lines[0].message?.sentAt, utc(2023, 8, 31, 14, 5, 12))
        XCTAssertEqual(lines[0].message?.body, "Hi", "no carriage return left on the text")
        XCTAssertEqual(lines[1].message?.attachments, ["00000012-PHOTO-2023-08-31-14-06-00.jpg"])
        XCTAssertEqual(lines[2].message?.attachments, ["image omitted"])
        XCTAssertEqual(lines[2].message?.to, "Jane Smith", "no chat name in _chat.txt: the last other participant")
        XCTAssertEqual(lines[3].message?.sentAt, utc(2023, 9, 1, 0, 0))
        XCTAssertEqual(lines[4].message?.sentAt, utc(2023, 9, 1, 12, 30))
    }

    func testOtherLocalesClocksAndDateForms() throws {
        let german = """
        31.08.23, 14:05 - Max Müller: Hallo
        04.09.23, 2:05 nachm. - Max Müller: Test
        04.09.23, 9:15 vorm. - Max Müller: Früh
        """
        XCTAssertEqual(try parseAll(parser(), german).compactMap(\.message?.sentAt),
                       [utc(2023, 8, 31, 14, 5), utc(2023, 9, 4, 14, 5), utc(2023, 9, 4, 9, 15)])
        let spanish = "4/9/23, 2:05\u{202F}p.\u{202F}m. - Ana: Hola\n4/9/23, 10:00 a. m. - Ana: ¿Qué tal?\n"
        XCTAssertEqual(try parseAll(parser(order: .dmy), spanish).compactMap(\.message?.sentAt),
                       [utc(2023, 9, 4, 14, 5), utc(2023, 9, 4, 10)], "--date-order says day-first")
        XCTAssertEqual(try parseAll(parser(), spanish).compactMap(\.message?.sentAt).first, utc(2023, 4, 9, 14, 5),
                       "undecidable and AM/PM: month-first")
        let yearFirst = "2023-08-31, 14:05 - Jane: hi\n2023-08-31 14:06 - Jane: again\n"
        XCTAssertEqual(try parseAll(parser(), yearFirst).compactMap(\.message?.sentAt), [utc(2023, 8, 31, 14, 5), utc(2023, 8, 31, 14, 6)])
        let dashes = "[31-08-2023 14:05:00] Jane: hi\n"
        XCTAssertEqual(try parseAll(parser(), dashes).first?.message?.sentAt, utc(2023, 8, 31, 14, 5))
    }

    func testTheOrderThatKeepsMessagesInTimeOrderWinsWhenNoDayIsOverTwelve() throws {
        let text = """
        05/01/2024, 9:00 AM - Jane: one
        06/01/2024, 9:00 AM - Jane: two
        01/02/2024, 9:00 AM - Jane: three
        """
        XCTAssertEqual(try parseAll(parser(), text).compactMap(\.message?.sentAt),
                       [utc(2024, 1, 5, 9), utc(2024, 1, 6, 9), utc(2024, 2, 1, 9)])
    }

    func testPastTheHeldLimitTheOrderIsGuessedFromTheMessagesHeld() throws {
        var limited = parser()
        limited.maxHeldMessages = 2
        let text = """
        05/01/2024, 9:00 AM - Jane: one
        06/01/2024, 9:00 AM - Jane: two
        01/02/2024, 9:00 AM - Jane: three
        """
        XCTAssertEqual(try parseAll(limited, text).compactMap(\.message?.sentAt),
                       [utc(2024, 5, 1, 9), utc(2024, 6, 1, 9), utc(2024, 1, 2, 9)],
                       "both orders keep the first two in time order: the 12-hour clock's habit, month-first, decides")
    }

    func testBadLinesInvalidBytesAnEmptyFileAndACutOff() throws {
        XCTAssertEqual(try parseAll(parser(), ""), [])
        XCTAssertEqual(try parseAll(parser(), "\n\r\n"), [])
        var bytes = Array("a stray line\n31/02/2023, 10:00 - Jane: no such day\n".utf8)
        bytes += Array("[1/2/23, 2:05:00 XYZ] Jane: odd marker\n".utf8)
        bytes += Array("28/02/2023, 10:00 - Jane: caf".utf8) + [0xE9, 0x21, 0x0A]
        bytes += Array("28/02/2023, 10:01 - Jane: cut of".utf8)
        let lines = try parseAll(parser(), bytes)
        XCTAssertEqual(lines.map(\.line), [1, 2, 3, 4, 5])
        XCTAssertEqual(lines[0].rejection?.reason, "It comes before the first message and does not start with a date and time.")
        XCTAssertEqual(lines[0].rejection?.text, "a stray line")
        XCTAssertEqual(lines[1].rejection?.reason, "Its date and time do not exist (read dmy; --date-order may fix it).")
        XCTAssertEqual(lines[2].rejection?.reason, "Its time's marker \"XYZ\" is not a known AM/PM word (a 24-hour time has none).")
        XCTAssertEqual(lines[3].message?.body, "caf\u{FFFD}!")
        XCTAssertEqual(lines[4].message?.body, "cut of")
    }

    func testWithoutMeEveryoneIsInbound() throws {
        let lines = try parseAll(parser(me: nil), Self.android)
        XCTAssertEqual(Set(lines.compactMap(\.message?.direction)), [.inbound])
    }

    func testFuzzedChats() throws {
        let corpus = [Self.android, "[8/31/23, 2:05:12\u{202F}PM] Jane Smith: Hi\r\n\u{200E}[8/31/23, 2:06:00\u{202F}PM] Jane: \u{200E}<attached: 1.jpg>\r\n",
                      "31.08.23, 14:05 - Max: Hallo\n04.09.23, 2:05 nachm. - Max: Test\n"]
        try fuzz(parser(), mutator: InputMutator(seed: 7, corpus: corpus, tokens: ["[", "]", " - ", "/", ".", ": ", "PM", "a. m.", "12:", "31/12/2023, "]),
                 count: 3000)
    }
}
