import Foundation
import GRDB
import XCTest
import HandletTestSupport

/// Issue 24: each format from another system reaches the workspace through `handlet import` and
/// the one import path: contacts matched or created, a STOP in a WhatsApp chat acted on, a second
/// import of the same file adding nothing, and the options each format takes.
final class ImportFormatsCLITests: XCTestCase {
    private var root: URL!
    private var database: String { root.appendingPathComponent("w.sqlite").path }
    private static let owner = "owner@shop.example"

    override func setUpWithError() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("handlet-formats-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        let made = try HandletBinary.run(["init", "--db", database, "--name", "Shop Ltd", "--owner", Self.owner])
        XCTAssertEqual(made.status, 0, made.stderr)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: root) }

    private func file(_ name: String, _ text: String) throws -> String {
        let path = root.appendingPathComponent(name).path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    private func importing(_ arguments: [String]) throws -> HandletBinary.Outcome {
        try HandletBinary.run(["import"] + arguments + ["--db", database], environment: ["HANDLET_USER": Self.owner])
    }

    private func scalar(_ sql: String) throws -> Int {
        let queue = try DatabaseQueue(path: database)
        defer { try? queue.close() }
        return try queue.read { db in try Int.fetchOne(db, sql: sql) ?? 0 }
    }

    func testEachFormatImportsThroughTheOnePathAndASecondRunAddsNothing() throws {
        let chat = try file("chat.txt", """
            12/03/2026, 09:15 - Messages and calls are end-to-end encrypted. No one outside of this chat can read them.\r
            12/03/2026, 09:16 - Jane Smith: Hi, my boiler is making a noise\r
            12/03/2026, 09:20 - Shop: Sorry to hear that! We can come tomorrow.\r
            Would 10am suit?\r
            13/03/2026, 18:02 - Jane Smith: STOP\r

            """)
        let calls = try file("calls.json", """
            {"calls":[{"sid":"CA0123456789abcdef0123456789abcdef","from":"+447700900123","to":"+441132960000","status":"completed",\
            "direction":"inbound","start_time":"Tue, 10 Mar 2026 09:30:00 +0000","duration":"200"},\
            {"sid":"CA0123456789abcdef0123456789abcde0","from":"07700 900124","to":"+441132960000","status":"no-answer",\
            "direction":"inbound","start_time":"2026-03-11T10:00:00Z","duration":"0"}]}
            """)
        // CSV doubles a quote inside a quoted field: the clid is "Ann Lee" <07700900123>.
        let cdr = try file("Master.csv", "\"\",\"07700900123\",\"200\",\"from-pstn\",\"\"\"Ann Lee\"\" <07700900123>\",\"SIP/trunk-1\","
            + "\"SIP/200-2\",\"Dial\",\"SIP/200\",\"2026-03-12 10:00:00\",\"2026-03-12 10:00:05\",\"2026-03-12 10:04:05\",245,240,"
            + "\"ANSWERED\",\"DOCUMENTATION\",\"1710237600.1\",\"\"\n")
        let mail = try file("mail.mbox", """
            From ann@example.com Thu Mar 12 10:00:00 2026
            From: =?UTF-8?B?QW5uIEzDqWU=?= <ann@example.com>
            To: office@shop.example
            Subject: =?ISO-8859-1?Q?Radiator_qu=E9ry?=
            Message-ID: <a1@example.com>
            Date: Thu, 12 Mar 2026 10:00:00 +0000

            Hello, can you quote for a new radiator?

            From office@shop.example Thu Mar 12 11:00:00 2026
            From: Office <office@shop.example>
            To: ann@example.com
            Subject: Re: Radiator query
            Message-ID: <b2@shop.example>
            In-Reply-To: <a1@example.com>
            Date: Thu, 12 Mar 2026 11:00:00 +0000

            Yes, about 300 pounds.

            """)
        let runs: [[String]] = [["whatsapp", chat, "--me", "Shop"], ["twilio-calls", calls], ["asterisk-cdr", cdr, "--me", "200"],
                                ["mbox", mail, "--me", "office@shop.example"]]
        for run in runs {
            let first = try importing(run)
            XCTAssertEqual(first.status, 0, "\(run[0]): \(first.stderr)")
            XCTAssertFalse(first.stdout.contains("0 duplicates skipped, 0 lines rejected, 0 contacts created") && first.stdout.contains("Imported 0"),
                           "\(run[0]) imported something: \(first.stdout)")
        }
        XCTAssertEqual(try scalar("SELECT COUNT(*) FROM calls"), 3)
        XCTAssertEqual(try scalar("SELECT COUNT(*) FROM messages"), 5)
        // The CDR's caller is the Twilio call's: one contact, matched by the number in either form.
        XCTAssertEqual(try scalar("SELECT COUNT(DISTINCT contact_id) FROM calls WHERE from_number = '+447700900123'"), 1)
        XCTAssertEqual(try scalar("SELECT COUNT(*) FROM contacts WHERE name = 'Jane Smith' AND opted_out_at IS NOT NULL"), 1,
                       "the STOP in the chat suppressed its sender")
        XCTAssertEqual(try scalar("SELECT COUNT(*) FROM threads WHERE subject = 'Radiator quéry'"), 1)
        XCTAssertEqual(try scalar("SELECT COUNT(DISTINCT thread_id) FROM messages WHERE channel = 'email'"), 1, "the reply joined its thread")
        for run in runs {
            let again = try importing(run)
            XCTAssertEqual(again.status, 0, again.stderr)
            XCTAssertTrue(again.stdout.hasPrefix("Imported 0 records"), "\(run[0]) a second time: \(again.stdout)")
        }
        XCTAssertEqual(try scalar("SELECT COUNT(*) FROM calls") + (try scalar("SELECT COUNT(*) FROM messages")), 8)
    }

    /// A WhatsApp chat exported again later (another file, more messages) adds only its new
    /// messages, into the chat's thread; the same text sent twice in a minute is two messages.
    /// An mbox and a Twilio page that overlap earlier ones add only the new records.
    func testOverlappingLaterExportsOfEachFormatAddOnlyTheNewRecords() throws {
        let earlier = """
            12/03/2026, 09:16 - Jane Smith: Hi, my boiler is making a noise
            12/03/2026, 09:20 - Shop: Sorry to hear that! We can come tomorrow.
            12/03/2026, 09:21 - Jane Smith: ok
            12/03/2026, 09:21 - Jane Smith: ok

            """
        let chat = try file("WhatsApp Chat with Jane Smith.txt", earlier)
        let first = try importing(["whatsapp", chat, "--me", "Shop"])
        XCTAssertEqual(first.status, 0, first.stderr)
        XCTAssertEqual(try scalar("SELECT COUNT(*) FROM messages"), 4, "the two oks of 09:21 are two messages")
        try FileManager.default.createDirectory(at: root.appendingPathComponent("later"), withIntermediateDirectories: true)
        let later = try file("later/WhatsApp Chat with Jane Smith.txt", earlier + "13/03/2026, 08:00 - Shop: On our way\n")
        let second = try importing(["whatsapp", later, "--me", "Shop"])
        XCTAssertEqual(second.status, 0, second.stderr)
        XCTAssertTrue(second.stdout.hasPrefix("Imported 1 record"), second.stdout)
        XCTAssertTrue(second.stdout.contains("4 duplicates skipped"), second.stdout)
        XCTAssertEqual(try scalar("SELECT COUNT(DISTINCT thread_id) FROM messages"), 1, "the new message joined the chat's thread")
        XCTAssertEqual(try scalar("SELECT message_count FROM threads"), 5)

        let message = { (id: String, body: String) in
            "{\"sid\":\"\(id)\",\"from\":\"+447700900123\",\"to\":\"+441132960000\",\"body\":\"\(body)\",\"status\":\"received\",\"direction\":\"inbound\",\"date_sent\":\"Tue, 10 Mar 2026 09:30:00 +0000\"}"
        }
        let page1 = try file("m1.json", "{\"messages\":[\(message("SM1", "one")),\(message("SM2", "two"))]}")
        let page2 = try file("m2.json", "{\"messages\":[\(message("SM2", "two")),\(message("SM3", "three"))]}")
        XCTAssertEqual(try importing(["twilio-messages", page1]).status, 0)
        let overlap = try importing(["twilio-messages", page2])
        XCTAssertTrue(overlap.stdout.hasPrefix("Imported 1 record"), overlap.stdout)

        let mail = { (id: String, minute: Int) in
            "From ann@example.com Thu Mar 12 10:00:00 2026\nFrom: Ann <ann@example.com>\nTo: office@shop.example\nSubject: Hi\n"
                + (id.isEmpty ? "" : "Message-ID: <\(id)@example.com>\n")
                + "Date: Thu, 12 Mar 2026 10:\(minute):00 +0000\n\nText \(minute)\n\n"
        }
        let box1 = try file("a.mbox", mail("a1", 10) + mail("", 11))
        let box2 = try file("b.mbox", mail("a1", 10) + mail("", 11) + mail("a3", 12))
        XCTAssertEqual(try importing(["mbox", box1, "--me", "office@shop.example"]).status, 0)
        let laterBox = try importing(["mbox", box2, "--me", "office@shop.example"])
        XCTAssertTrue(laterBox.stdout.hasPrefix("Imported 1 record"), laterBox.stdout)
        XCTAssertTrue(laterBox.stdout.contains("2 duplicates skipped"), laterBox.stdout)

        // A CDR without uniqueid (keyed by its content's hash), then a later one that overlaps it.
        let row = { (minute: Int) in
            "\"\",\"07700900555\",\"200\",\"from-pstn\",\"\",\"SIP/trunk-1\",\"SIP/200-2\",\"Dial\",\"SIP/200\",\"2026-03-12 10:\(minute):00\","
                + "\"2026-03-12 10:\(minute):05\",\"2026-03-12 10:\(minute):45\",45,40,\"ANSWERED\",\"DOCUMENTATION\"\n"
        }
        let cdr1 = try file("cdr1.csv", row(10) + row(11))
        let cdr2 = try file("cdr2.csv", row(10) + row(11) + row(12))
        XCTAssertTrue(try importing(["asterisk-cdr", cdr1, "--me", "200"]).stdout.hasPrefix("Imported 2 records"))
        let laterCDR = try importing(["asterisk-cdr", cdr2, "--me", "200"])
        XCTAssertTrue(laterCDR.stdout.hasPrefix("Imported 1 record"), laterCDR.stdout)
        XCTAssertTrue(try importing(["asterisk-cdr", cdr2, "--me", "200"]).stdout.hasPrefix("Imported 0 records"))
    }

    func testAFormatsOptionsAreCheckedBeforeAnythingIsRead() throws {
        let chat = try file("chat.txt", "12/03/2026, 09:16 - Jane: Hi\n")
        for (arguments, says) in [(["whatsapp", chat, "--date-order", "xyz"], "--date-order \"xyz\": give dmy, mdy or ymd."),
                                  (["asterisk-cdr", chat, "--columns", "src,dst"], "The column list has no \"start\""),
                                  (["whatsapp", chat, "--time-zone", "Mars/Olympus"], "is not a time zone"),
                                  (["csv", chat], "\"csv\" is not an import format")] {
            let refused = try importing(arguments)
            XCTAssertEqual(refused.status, 64, refused.stderr)
            XCTAssertTrue(refused.stderr.contains(says), refused.stderr)
        }
        XCTAssertEqual(try scalar("SELECT COUNT(*) FROM messages"), 0)
    }
}
