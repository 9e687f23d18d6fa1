import Foundation
@testable import HandletDomain
import XCTest

/// Issue 24: Twilio Call and Message resources, as a list page or one per line.
final class TwilioParserTests: XCTestCase {
    static let callsPage = """
    {
      "calls": [
        {
          "sid": "CA5ef8732a3c49700934481addd5ce1659",
          "account_sid": "ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
          "from": "+447700900123",
          "to": "+441632960000",
          "status": "completed",
          "direction": "inbound",
          "start_time": "Tue, 31 Aug 2010 20:36:28 +0000",
          "end_time": "Tue, 31 Aug 2010 20:36:44 +0000",
          "duration": "16",
          "caller_name": "Jane \\"JJ\\" Smith, {builder}",
          "price": "-0.03000",
          "subresource_uris": {"notifications": "/2010-04-01/Accounts/AC/Calls/CA/Notifications.json"}
        },
        {
          "sid": "CA00000000000000000000000000000002",
          "from": "+441632960000", "to": "+447700900456",
          "status": "no-answer", "direction": "outbound-api",
          "start_time": "Wed, 01 Sep 2010 09:00:00 +0100", "duration": null
        },
        {"sid": "CA00000000000000000000000000000003", "from": "+447700900789", "to": "+441632960000",
         "status": "canceled", "direction": "outbound-dial", "start_time": "2010-09-02T10:00:00Z", "duration": "0"},
        {"sid": "CA00000000000000000000000000000004", "from": "+447700900789", "to": "+441632960000",
         "status": "busy", "direction": "inbound", "start_time": "2010-09-02T10:05:00+02:00", "duration": 0},
        {"sid": "CA00000000000000000000000000000005", "from": "+447700900789", "to": "+441632960000",
         "status": "in-progress", "direction": "inbound", "start_time": "2010-09-02 10:10:00"}
      ],
      "end": 4,
      "first_page_uri": "/2010-04-01/Accounts/AC/Calls.json?PageSize=50&Page=0",
      "next_page_uri": "/2010-04-01/Accounts/AC/Calls.json?PageSize=50&Page=1",
      "page": 0,
      "page_size": 50,
      "uri": "/2010-04-01/Accounts/AC/Calls.json"
    }

    """

    func testAListPageOfCallsMapsStatusesDirectionsAndBothDateForms() throws {
        let lines = try parseAll(TwilioParser(kind: .calls), Self.callsPage)
        XCTAssertEqual(lines.count, 5)
        let first = try XCTUnwrap(lines[0].call)
        XCTAssertEqual(first, IncomingCall(externalId: "CA5ef8732a3c49700934481addd5ce1659", direction: .inbound,
                                           from: "+447700900123", to: "+441632960000", callerName: "Jane \"JJ\" Smith, {builder}",
                                           startedAt: utc(2010, 8, 31, 20, 36, 28), durationSeconds: 16, outcome: .messageTaken))
        XCTAssertEqual(lines[0].line, 3)
        let second = try XCTUnwrap(lines[1].call)
        XCTAssertEqual(second.direction, .outbound)
        XCTAssertEqual(second.outcome, .missed)
        XCTAssertEqual(second.startedAt, utc(2010, 9, 1, 8))
        XCTAssertEqual(second.durationSeconds, 0)
        XCTAssertEqual(lines[2].call?.outcome, .abandoned)
        XCTAssertEqual(lines[2].call?.direction, .outbound)
        XCTAssertEqual(lines[2].call?.startedAt, utc(2010, 9, 2, 10))
        XCTAssertEqual(lines[3].call?.startedAt, utc(2010, 9, 2, 8, 5), "an ISO 8601 offset is honoured")
        XCTAssertEqual(lines[3].call?.outcome, .missed)
        let unfinished = try XCTUnwrap(lines[4].rejection)
        XCTAssertEqual(unfinished.reason, "The call had not ended (status in-progress).")
        XCTAssertEqual(unfinished.position, SourcePosition(file: "fixture", line: 27))
        XCTAssertTrue(unfinished.text.hasPrefix("{\"sid\": \"CA00000000000000000000000000000005\""))
    }

    func testAPageOnOneLineAndTheMessagesKey() throws {
        let page = #"{"end":1,"messages":[{"sid":"SM1","from":"whatsapp:+447700900123","to":"whatsapp:+441632960000","body":"Hi, can you come Tuesday?\nThanks","status":"received","direction":"inbound","date_sent":"Thu, 02 Sep 2010 11:00:00 +0000","num_media":"2"},{"sid":"MM2","from":"+441632960000","to":"+447700900123","body":"Yes [10am]","status":"undelivered","direction":"outbound-reply","date_sent":null,"date_created":"2010-09-02T11:05:00Z","num_media":"0"}],"next_page_uri":null}"#
        let lines = try parseAll(TwilioParser(kind: .messages), page)
        XCTAssertEqual(lines.count, 2)
        let first = try XCTUnwrap(lines[0].message)
        XCTAssertEqual(first, IncomingMessage(externalId: "SM1", channel: .whatsapp, direction: .inbound, from: "+447700900123",
                                              to: "+441632960000", sentAt: utc(2010, 9, 2, 11), body: "Hi, can you come Tuesday?\nThanks",
                                              attachments: ["SM1 media 1", "SM1 media 2"], deliveryStatus: .received))
        let second = try XCTUnwrap(lines[1].message)
        XCTAssertEqual(second.channel, .sms)
        XCTAssertEqual(second.direction, .outbound)
        XCTAssertEqual(second.deliveryStatus, .failed)
        XCTAssertEqual(second.sentAt, utc(2010, 9, 2, 11, 5), "no date_sent: date_created")
    }

    func testJSONLinesWithABOMCRLFABrokenLineInvalidBytesAndADuplicate() throws {
        let good = #"{"sid":"SM10","from":"+447700900123","to":"+441632960000","body":"Ta","status":"delivered","direction":"outbound-api","date_sent":"2024-03-04T10:15:02.123Z"}"#
        var bytes: [UInt8] = [0xEF, 0xBB, 0xBF]
        bytes += Array((good + "\r\n").utf8)
        bytes += Array(#"{"sid":"SM11","from":"+447700900123","to":"+441632960000","body":"cut off here"#.utf8) + [0x0D, 0x0A]
        bytes += Array(#"{"sid":"SM12","from":"+447700900123","to":"+441632960000","body":"caf"#.utf8) + [0xE9, 0xFF]
        bytes += Array(#"","status":"read","direction":"inbound","date_sent":"2024-03-04 10:16:00"}"#.utf8) + [0x0A]
        bytes += Array("\n   \n".utf8)
        bytes += Array("not json at all\n".utf8)
        bytes += Array((good + "\n").utf8)
        bytes += Array(#"{"sid":"CA13","from":"+447700900123","to":"+441632960000","status":"completed","direction":"inbound","start_time":"2024-03-04T10:00:00Z"}"#.utf8)
        let lines = try parseAll(TwilioParser(kind: .messages), bytes)
        XCTAssertEqual(lines.map(\.line), [1, 2, 3, 6, 7, 8])
        XCTAssertEqual(lines[0].message?.sentAt, Date(timeIntervalSince1970: utc(2024, 3, 4, 10, 15, 2).timeIntervalSince1970 + 0.123))
        XCTAssertEqual(lines[1].rejection?.reason, "The record breaks off inside a string at the end of the line.")
        XCTAssertEqual(lines[1].rejection?.text.hasPrefix(#"{"sid":"SM11""#), true)
        XCTAssertEqual(lines[2].message?.body, "caf\u{FFFD}\u{FFFD}", "bytes that are not UTF-8 are replaced, the record kept")
        XCTAssertEqual(lines[2].message?.sentAt, utc(2024, 3, 4, 10, 16), "no zone: UTC")
        XCTAssertEqual(lines[2].message?.deliveryStatus, .read)
        XCTAssertEqual(lines[3].rejection?.reason, "It is not a JSON object.")
        XCTAssertEqual(lines[3].rejection?.text, "not json at all")
        XCTAssertEqual(lines[4], .record(.message(lines[0].message!), SourcePosition(file: "fixture", line: 7)),
                       "a duplicate is emitted as read: the import path skips it by its sid")
        XCTAssertEqual(lines[5].rejection?.reason, "Its sid CA13 is a call (import it as twilio-calls).")
    }

    func testAnEmptyFileAndAPageCutOffMidRecord() throws {
        XCTAssertEqual(try parseAll(TwilioParser(kind: .calls), ""), [])
        XCTAssertEqual(try parseAll(TwilioParser(kind: .calls), "\n\n"), [])
        let cut = String(Self.callsPage.prefix(through: Self.callsPage.range(of: "\"status\": \"no-answer\"")!.upperBound))
        let lines = try parseAll(TwilioParser(kind: .calls), cut)
        XCTAssertEqual(lines.count, 2)
        XCTAssertNotNil(lines[0].call)
        XCTAssertEqual(lines[1].rejection?.reason, "The file ends inside this record (cut off?).")
        XCTAssertEqual(lines[1].line, 17)
    }

    func testMissingAndWrongFieldsAreRefusedOneByOne() throws {
        let text = """
        {"sid":"CA1","to":"+441632960000","status":"completed","direction":"inbound","start_time":"2024-03-04T10:00:00Z"}
        {"sid":"CA2","from":"+1","to":"+2","status":"completed","direction":"sideways","start_time":"2024-03-04T10:00:00Z"}
        {"sid":"CA3","from":"+1","to":"+2","status":"completed","direction":"inbound","start_time":"yesterday"}
        {"sid":"CA4","from":"+1","to":"+2","status":"completed","direction":"inbound","start_time":"2024-03-04T10:00:00Z","duration":"-4"}
        {"sid":"CA5","from":"+1","to":"+2","status":"completed","direction":"inbound","start_time":"Mon, 04 Mar 2024 10:00:00 GMT","end_time":"Mon, 04 Mar 2024 10:01:30 GMT"}
        [1, 2, 3]
        """
        let lines = try parseAll(TwilioParser(kind: .calls), text)
        XCTAssertEqual(lines.compactMap(\.rejection?.reason), [
            "It has no \"from\".",
            "Its direction \"sideways\" is not inbound or outbound-….",
            "Its start_time \"yesterday\" is neither an RFC 2822 nor an ISO 8601 date.",
            "Its duration \"-4\" is not a number of seconds.",
            "It is not a JSON object.",
        ])
        XCTAssertEqual(lines[4].call?.durationSeconds, 90, "no duration: end_time less start_time")
    }

    func testAPageIsReadAsAStreamNotWhole() throws {
        var page = #"{"calls": ["#
        for n in 0..<20_000 {
            if n > 0 { page += "," }
            page += #"{"sid":"CA\#(n)","from":"+447700900123","to":"+441632960000","status":"completed","direction":"inbound","start_time":"2024-03-04T10:00:00Z","duration":"5"}"#
        }
        page += "]}"
        let data = Data(page.utf8)
        let counting = RepairingInputStream(InputStream(data: data))
        var parser = TwilioParser(kind: .calls)
        var readAtFirstRecord: Int?
        var records = 0
        var progress: [Int] = []
        try parser.parse(counting, file: "page.json", emit: { line in
            if readAtFirstRecord == nil { readAtFirstRecord = counting.count }
            if line.call != nil { records += 1 }
        }, bytesRead: { progress.append($0) })
        XCTAssertEqual(records, 20_000)
        XCTAssertLessThanOrEqual(try XCTUnwrap(readAtFirstRecord), ByteLineReader.chunkSize,
                                 "the first record is out after one chunk of a \(data.count)-byte page")
        XCTAssertEqual(progress.last, data.count)
        XCTAssertEqual(progress, progress.sorted())
    }

    func testDeepNestingAndAnOversizedRecordAreRefusedNotFatal() throws {
        let deep = #"{"sid":"CA1","x":"# + String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000) + "}\n"
        var parser = TwilioParser(kind: .calls)
        parser.maxRecordBytes = 64 * 1024
        let lines = try parseAll(parser, deep + #"{"sid":"CA2","from":"+1","to":"+2","status":"busy","direction":"inbound","start_time":"2024-03-04T10:00:00Z"}"#)
        XCTAssertEqual(lines.count, 2)
        XCTAssertEqual(lines[0].rejection?.reason, "The record is longer than 64 KiB.")
        XCTAssertEqual(lines[1].call?.externalId, "CA2")
        let nested = #"{"sid":"CA3","x":"# + String(repeating: "[", count: 20_000) + String(repeating: "]", count: 20_000) + "}"
        XCTAssertNotNil(try parseAll(TwilioParser(kind: .calls), nested).first?.rejection, "too deep for JSON: refused, no crash")
    }

    func testTheFactoryNamesEveryFormat() throws {
        for name in ImportFormats.names { XCTAssertNoThrow(try ImportFormats.parser(named: name)) }
        XCTAssertThrowsError(try ImportFormats.parser(named: "csv")) { error in
            XCTAssertEqual((error as? ImportFormatError)?.exitClass, .usage)
        }
    }

    func testFuzzedPagesAndLines() throws {
        let corpus = [Self.callsPage, """
        {"sid":"CA1","from":"+447700900123","to":"+441632960000","status":"busy","direction":"inbound","start_time":"Tue, 31 Aug 2010 20:36:28 +0000","duration":"3"}
        {"sid":"CA2","from":"+447700900123","to":"+441632960000","status":"completed","direction":"outbound-api","start_time":"2010-08-31T20:36:28Z","duration":"30"}
        """]
        try fuzz(TwilioParser(kind: .calls), mutator: InputMutator(seed: 24, corpus: corpus, tokens: ["{", "}", "[", "]", "\\", "\\\"", "\"calls\":", "null"]),
                 count: 3000)
    }
}
