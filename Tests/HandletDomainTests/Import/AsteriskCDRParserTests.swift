import Foundation
@testable import HandletDomain
import XCTest

/// Issue 24: Asterisk `Master.csv` (cdr_csv) and cdr_custom layouts, read through CSV.swift.
final class AsteriskCDRParserTests: XCTestCase {
    static let london = TimeZone(identifier: "Europe/London")!

    func parser(columns: [String]? = nil, own: [String] = [], contexts: [String] = []) throws -> AsteriskCDRParser {
        try AsteriskCDRParser(columns: columns, ownNumbers: own, outboundContexts: contexts, timeZone: Self.london)
    }

    static let master = #"""
    "","07700900123","441632960000","from-trunk","""Jane Smith"" <07700900123>","PJSIP/trunk-00000001","PJSIP/201-00000002","Dial","PJSIP/201,30,tT","2024-03-04 10:15:02","2024-03-04 10:15:09","2024-03-04 10:17:11",129,122,"ANSWERED","DOCUMENTATION","1709547302.42","kitchen, then ""the"" bathroom"
    "","07700900456","441632960000","from-trunk","<07700900456>","PJSIP/trunk-00000003","","Dial","PJSIP/201,30","2024-07-04 18:00:00","","2024-07-04 18:00:25",25,0,"NO ANSWER","DOCUMENTATION","1720112400.43",""
    "","201","07700900789","from-internal","""Office"" <201>","PJSIP/201-00000004","PJSIP/trunk-00000005","Dial","PJSIP/trunk/07700900789","2024-07-04 18:05:00","","2024-07-04 18:05:04",4,0,"BUSY","DOCUMENTATION","1720112700.44",""
    "","07700900123","441632960000","from-trunk","Jane Smith <07700900123>","PJSIP/trunk-00000006","","VoiceMail","201@default","2024-07-04 19:00:00","2024-07-04 19:00:01","2024-07-04 19:00:41",40,40,"ANSWERED","DOCUMENTATION","1720116000.45","left a
    message over
    two lines"
    "","07700900999","441632960000","from-trunk","","PJSIP/trunk-00000007","","Dial","PJSIP/201","2024-07-04 20:00:00","","2024-07-04 20:00:01",1,0,"FAILED","DOCUMENTATION","1720119600.46",""
    """#

    func testStandardRowsQuotedFieldsAndDispositions() throws {
        let lines = try parseAll(try parser(), Self.master)
        XCTAssertEqual(lines.count, 5)
        XCTAssertEqual(lines.map(\.line), [1, 2, 3, 4, 7], "a field with line breaks moves the next row's line on")
        XCTAssertEqual(lines[0].call, IncomingCall(externalId: "1709547302.42", direction: .inbound, from: "07700900123",
                                                   to: "441632960000", callerName: "Jane Smith",
                                                   startedAt: utc(2024, 3, 4, 10, 15, 2), durationSeconds: 122,
                                                   outcome: .messageTaken, handledBy: .staff))
        XCTAssertEqual(lines[1].call?.outcome, .missed)
        XCTAssertEqual(lines[1].call?.startedAt, utc(2024, 7, 4, 17), "local time in the zone given (BST in July)")
        XCTAssertNil(lines[1].call?.callerName)
        XCTAssertEqual(lines[2].call?.direction, .outbound, "from-internal: an extension calling out")
        XCTAssertEqual(lines[2].call?.outcome, .missed)
        XCTAssertEqual(lines[2].call?.callerName, "Office")
        XCTAssertEqual(lines[3].call?.handledBy, .voicemail)
        XCTAssertEqual(lines[3].call?.callerName, "Jane Smith")
        XCTAssertEqual(lines[4].call?.outcome, .missed)
    }

    func testABOMCRLFInvalidBytesDuplicatesAndACutOffRow() throws {
        let row = #""","07700900123","441632960000","from-trunk","""Zoë"" <07700900123>","PJSIP/trunk-1","","Dial","PJSIP/201","2024-01-10 09:00:00","2024-01-10 09:00:05","2024-01-10 09:01:05",65,60,"ANSWERED","DOCUMENTATION""#
        var bytes: [UInt8] = [0xEF, 0xBB, 0xBF] + Array((row + "\r\n").utf8)
        bytes += Array(#""","07700900124","441632960000","from-trunk","""Bad "#.utf8) + [0xFF, 0xC3] + Array(#" bytes"" <07700900124>","PJSIP/trunk-2","","Dial","","2024-01-10 09:10:00","","2024-01-10 09:10:09",9,0,"NO ANSWER","DOCUMENTATION""#.utf8) + [0x0D, 0x0A]
        bytes += Array((row + "\r\n").utf8)
        bytes += Array("\r\n".utf8)
        bytes += Array(#""","07700900125","441632960000","from-trunk","","PJSIP/trunk-3","","Dial","PJSIP/201","2024-01-10 09:20:00","#.utf8)
        let lines = try parseAll(try parser(), bytes)
        XCTAssertEqual(lines.map(\.line), [1, 2, 3, 5])
        XCTAssertEqual(lines[0].call?.callerName, "Zoë", "the BOM is not part of the first field")
        XCTAssertEqual(lines[0].call?.from, "07700900123")
        XCTAssertEqual(lines[1].call?.callerName, "Bad \u{FFFD}\u{FFFD} bytes", "bytes that are not UTF-8 are replaced and the row kept")
        XCTAssertEqual(lines[2].call, lines[0].call, "a duplicate row is emitted as read (no uniqueid: the import path hashes it)")
        XCTAssertNil(lines[0].call?.externalId)
        let cut = try XCTUnwrap(lines[3].rejection)
        XCTAssertEqual(cut.reason, "It has 11 fields; a Master.csv row has at least 16 (cut off?).")
        XCTAssertEqual(cut.text, #",07700900125,441632960000,from-trunk,,PJSIP/trunk-3,,Dial,PJSIP/201,2024-01-10 09:20:00,"#)
    }

    func testAnEmptyFileAndBadValues() throws {
        XCTAssertEqual(try parseAll(try parser(), ""), [])
        XCTAssertEqual(try parseAll(try parser(), "\n\n"), [])
        let text = """
        "","1","2","c","","","","Dial","","2024-01-10 09:00:00","","2024-01-10 09:00:01",1,0,"CONGESTED","DOCUMENTATION"
        "","1","2","c","","","","Dial","","10/01/2024 09:00","","",1,0,"ANSWERED","DOCUMENTATION"
        "","1","2","c","","","","Dial","","2024-01-10 09:00:00","","",1,abc,"ANSWERED","DOCUMENTATION"
        "","1","","c","","","","Dial","","2024-01-10 09:00:00","","",1,0,"ANSWERED","DOCUMENTATION"
        "","1","2","c","","","","Dial","","2024-02-30 09:00:00","","",1,0,"ANSWERED","DOCUMENTATION"
        "","1","2","c","","","","Dial","","1e300","","",1,0,"ANSWERED","DOCUMENTATION"
        """
        XCTAssertEqual(try parseAll(try parser(), text).compactMap(\.rejection?.reason), [
            "Its disposition \"CONGESTED\" is not ANSWERED, NO ANSWER, BUSY or FAILED.",
            "Its start \"10/01/2024 09:00\" is not a date and time.",
            "Its billsec \"abc\" is not a number of seconds.",
            "It has no dst (the number dialled).",
            "Its start \"2024-02-30 09:00:00\" is not a date and time.",
            "Its start \"1e300\" is not a date and time.",
        ])
    }

    func testACustomLayoutWithZonesEpochsAndAHeader() throws {
        let columns = ["start", "src", "dst", "clid", "disposition", "billsec", "uniqueid", "-"]
        let text = """
        start,src,dst,clid,disposition,billsec,uniqueid,x
        2024-03-04T10:15:02+01:00,07700900123,01632960000,"Smith, Jane <07700900123>",ANSWERED,61,a1,ignored
        1709547302,07700900123,01632960000,,BUSY,0,a2,
        2024-03-04 10:15:02Z,07700900123,01632960000,,NO ANSWER,0,a3,
        2024-03-04 10:15:02,07700900123,01632960000,,ANSWERED
        """
        let lines = try parseAll(try parser(columns: columns), text)
        XCTAssertEqual(lines.map(\.line), [2, 3, 4, 5])
        XCTAssertEqual(lines[0].call?.startedAt, utc(2024, 3, 4, 9, 15, 2))
        XCTAssertEqual(lines[0].call?.callerName, "Smith, Jane")
        XCTAssertEqual(lines[0].call?.durationSeconds, 61)
        XCTAssertEqual(lines[0].call?.externalId, "a1")
        XCTAssertEqual(lines[1].call?.startedAt, Date(timeIntervalSince1970: 1_709_547_302))
        XCTAssertEqual(lines[2].call?.startedAt, utc(2024, 3, 4, 10, 15, 2))
        XCTAssertEqual(lines[3].rejection?.reason, "It has 5 fields; the column layout has 8 (cut off?).")
        XCTAssertThrowsError(try parser(columns: ["start", "src", "dst", "colour", "disposition"])) { error in
            XCTAssertEqual(error as? ImportFormatError, .unknownColumn("colour"))
            XCTAssertEqual((error as? ImportFormatError)?.exitClass, .usage)
        }
        XCTAssertThrowsError(try parser(columns: ["start", "src", "dst"])) { error in
            XCTAssertEqual(error as? ImportFormatError, .missingColumn("disposition"))
        }
    }

    func testDirectionFromTheBusinesssNumbersContextsAndExtensions() throws {
        func row(_ src: String, _ dst: String, _ context: String) -> String {
            #""","\#(src)","\#(dst)","\#(context)","","","","Dial","","2024-01-10 09:00:00","","",1,0,"ANSWERED","DOCUMENTATION""#
        }
        let text = [row("+44 1632 960000", "07700900123", "default"), row("07700900123", "01632 960000", "default"),
                    row("07700900123", "500", "sales-out"), row("201", "07700900123", "default"),
                    row("07700900123", "201", "default")].joined(separator: "\n")
        let directions = try parseAll(try parser(own: ["01632960000"], contexts: ["Sales-Out"]), text).compactMap(\.call?.direction)
        XCTAssertEqual(directions, [.outbound, .inbound, .outbound, .outbound, .inbound])
        let guessed = try parseAll(try parser(), text).compactMap(\.call?.direction)
        XCTAssertEqual(guessed, [.inbound, .inbound, .inbound, .outbound, .inbound])
    }

    func testProgressIsReported() throws {
        var parser = try parser()
        var progress: [Int] = []
        let input = InputStream(data: Data(Self.master.utf8))
        input.open()
        try parser.parse(input, file: "Master.csv", emit: { _ in }, bytesRead: { progress.append($0) })
        XCTAssertEqual(progress.last, Self.master.utf8.count)
        XCTAssertNotEqual(input.streamStatus, .closed, "the stream is its opener's to close")
        input.close()
    }

    func testFuzzedRows() throws {
        try fuzz(try parser(), mutator: InputMutator(seed: 2_024, corpus: [Self.master], tokens: ["\"\"", "\",\"", "ANSWERED", "NO ANSWER", "2024-13-01 25:61:00"]),
                 count: 3000)
    }
}
