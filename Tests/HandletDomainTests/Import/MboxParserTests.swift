import Foundation
@testable import HandletDomain
import XCTest

/// Issue 24: mbox mail: separators, encoded headers, MIME bodies, charsets and threads.
final class MboxParserTests: XCTestCase {
    static let html = Data([UInt8]("<html><style>p{}</style><p>Thanks &amp; see you</p><br>Jane ".utf8) + [0x93] + Array("ok".utf8) + [0x94] + Array("</html>".utf8))
        .base64EncodedString()

    static var mbox: [UInt8] {
        var text = """
        From jane@example.com Tue Aug 31 20:36:28 2010
        From: =?UTF-8?B?Wm/DqyBTbWl0aA==?= <jane@example.com>
        To: Dave Plumbing <dave@plumbing.example>
        Subject: =?ISO-8859-1?Q?Caf=E9_leak?= and
         =?UTF-8?Q?more_=E2=82=AC?=
        Date: Tue, 31 Aug 2010 20:36:28 +0100
        Message-ID: <root@example.com>
        Content-Type: text/plain; charset=utf-8

        Hello Dave,
        >From the kitchen, water everywhere.
        >>From two quotes
        Jane INVALID

        From dave@plumbing.example Tue Aug 31 21:00:00 2010
        From: Dave Plumbing <dave@plumbing.example>
        To: jane@example.com
        Subject: Re: Caf\u{E9} leak
        Date: Tue, 31 Aug 2010 21:00:00 +0000
        Message-ID: <reply1@plumbing.example>
        In-Reply-To: <root@example.com>
        MIME-Version: 1.0
        Content-Type: multipart/mixed; boundary="outer"

        This is a multi-part message in MIME format.
        --outer
        Content-Type: multipart/alternative; boundary=inner

        --inner
        Content-Type: text/plain; charset=utf-8
        Content-Transfer-Encoding: quoted-printable

        I'll come tomorrow at 10 =E2=82=AC=
         no, =C2=A3100.
        --inner
        Content-Type: text/html; charset=utf-8

        <p>ignored</p>
        --inner--
        --outer
        Content-Type: application/pdf; name="quote.pdf"
        Content-Disposition: attachment; filename*=UTF-8''Quote%20%C2%A3100.pdf
        Content-Transfer-Encoding: base64

        JVBERi0xLjQK
        --outer--

        From jane@example.com Wed Sep  1 08:00:00 2010
        From: jane@example.com (Jane)
        To: dave@plumbing.example
        Subject: Re: Re: Caf\u{E9} leak
        Message-ID: <second@example.com>
        References: <root@example.com> <reply1@plumbing.example>
        Content-Type: text/html; charset=windows-1252
        Content-Transfer-Encoding: base64

        \(html)

        From jane@example.com
        From: jane@example.com
        Subject: no date here

        body

        """
        text = text.replacingOccurrences(of: "INVALID", with: "\u{1}")
        return Array(text.utf8).map { $0 == 0x01 ? 0xFF : $0 }
    }

    func parser() -> MboxParser { MboxParser(me: ["Dave@Plumbing.example"]) }

    func testMessagesHeadersBodiesAndThreads() throws {
        let lines = try parseAll(parser(), Self.mbox, file: "inbox.mbox")
        XCTAssertEqual(lines.map(\.line), [1, 15, 48, 59])
        let first = try XCTUnwrap(lines[0].message)
        XCTAssertEqual(first, IncomingMessage(
            externalId: "root@example.com", channel: .email, direction: .inbound, from: "jane@example.com",
            to: "dave@plumbing.example", senderName: "Zoë Smith", sentAt: utc(2010, 8, 31, 19, 36, 28),
            body: "Hello Dave,\nFrom the kitchen, water everywhere.\n>From two quotes\nJane \u{FFFD}",
            subject: "Café leak and more €", threadKey: "root@example.com", deliveryStatus: .received))
        let reply = try XCTUnwrap(lines[1].message)
        XCTAssertEqual(reply.direction, .outbound, "from the business's own address, whatever its case")
        XCTAssertEqual(reply.body, "I'll come tomorrow at 10 € no, £100.", "the text/plain part, quoted-printable decoded")
        XCTAssertEqual(reply.attachments, ["Quote £100.pdf"])
        XCTAssertEqual(reply.threadKey, "root@example.com")
        XCTAssertEqual(reply.subject, "Re: Café leak")
        let third = try XCTUnwrap(lines[2].message)
        XCTAssertEqual(third.body, "Thanks & see you\n\nJane \u{201C}ok\u{201D}", "HTML only: its text, from windows-1252")
        XCTAssertEqual(third.senderName, "Jane")
        XCTAssertEqual(third.sentAt, utc(2010, 9, 1, 8), "no Date header: the From line's")
        XCTAssertEqual(third.threadKey, "root@example.com")
        XCTAssertEqual(lines[3].rejection?.reason, "It has no Date.")
        XCTAssertEqual(lines[3].rejection?.text, "From jane@example.com\nFrom: jane@example.com\nSubject: no date here\n\nbody")
    }

    func testCRLFABOMAnEmlAnEmptyFileAndACutOff() throws {
        var crlf: [UInt8] = [0xEF, 0xBB, 0xBF]
        for byte in Self.mbox { if byte == 0x0A { crlf.append(0x0D) }; crlf.append(byte) }
        let lines = try parseAll(parser(), crlf)
        XCTAssertEqual(lines, try parseAll(parser(), Self.mbox), "CRLF reads as LF")
        XCTAssertEqual(try parseAll(parser(), ""), [])
        let eml = "Received: from x\r\nFrom: Jane <jane@example.com>\r\nDate: 1 Sep 2010 08:00 GMT\r\nSubject: =?utf-8?q?hi?= =?utf-8?q?_there?=\r\n\r\nbody\r\n"
        let single = try parseAll(parser(), eml, file: "one.eml")
        XCTAssertEqual(single.count, 1)
        XCTAssertEqual(single.first?.message?.subject, "hi there", "white space between encoded words is dropped")
        XCTAssertEqual(single.first?.message?.sentAt, utc(2010, 9, 1, 8))
        XCTAssertNil(single.first?.message?.threadKey)
        let full = Self.mbox
        let cut = Array(full[..<(String(decoding: full, as: UTF8.self).utf8.count - 200)])
        let cutLines = try parseAll(parser(), cut)
        XCTAssertEqual(cutLines.count, 3)
        XCTAssertNotNil(cutLines[2].message, "a message cut off in its body keeps what arrived")
        XCTAssertEqual(try parseAll(parser(), "stray text\n\nFrom a\nFrom: a@b\nDate: 1 Sep 2010 08:00 GMT\n\nx").compactMap(\.rejection?.reason),
                       ["It comes before the first \"From \" line of the mailbox."])
    }

    func testEncodedWordsAndCharsets() {
        XCTAssertEqual(EncodedWords.decode("=?UTF-8?B?w6k=?= =?UTF-8?B?w6k=?="), "éé")
        XCTAssertEqual(EncodedWords.decode("=?UTF-8?B?4oI=?= =?UTF-8?B?rA==?="), "€", "a character split across two words")
        XCTAssertEqual(EncodedWords.decode("Re: =?iso-8859-1?q?=A3?=5 ok"), "Re: £5 ok")
        XCTAssertEqual(EncodedWords.decode("=?unknown-charset?Q?abc?="), "abc")
        XCTAssertEqual(EncodedWords.decode("=?broken"), "=?broken")
        XCTAssertEqual(EncodedWords.decode("=?utf-8?X?abc?="), "=?utf-8?X?abc?=")
        XCTAssertEqual(Charsets.text([0x41, 0xE9], charset: "iso-8859-1"), "Aé")
        XCTAssertEqual(Charsets.text([0x41, 0xE9], charset: "utf-8"), "A\u{FFFD}")
        XCTAssertEqual(Charsets.text([0x82, 0xA0], charset: "shift_jis"), "あ")
    }

    func testFuzzedMailboxes() throws {
        let corpus = [String(decoding: Self.mbox, as: UTF8.self)]
        try fuzz(parser(), mutator: InputMutator(seed: 4155, corpus: corpus, tokens: ["From ", ">From ", "=?", "?=", "?B?", "?Q?", "--outer", "--inner--", "\n\n", "boundary=", "=\n"]),
                 count: 1500)
    }
}
