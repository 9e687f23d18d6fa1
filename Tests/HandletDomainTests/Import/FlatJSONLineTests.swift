import Foundation
@testable import HandletDomain
import XCTest

/// Issue 24: the JSONL import's one-pass reader for flat lines (`FlatJSONLine`) reads what it
/// reads exactly as `JSONDecoder` does, and steps aside for everything else, so a bad line keeps
/// the decoder's reason.
final class FlatJSONLineTests: XCTestCase {
    private let zone = TimeZone(identifier: "Europe/London")!

    private func fast(_ line: String) -> JSONLRecord? { fast(Array(line.utf8)) }

    private func fast(_ bytes: [UInt8]) -> JSONLRecord? {
        var reader = FlatJSONLine()
        return JSONLRecord.flat(bytes, reader: &reader, zone: zone)
    }

    private func decoded(_ bytes: [UInt8]) -> JSONLRecord? {
        let decoder = JSONDecoder()
        decoder.userInfo[JSONLRecord.timeZoneKey] = zone
        return try? decoder.decode(JSONLRecord.self, from: Data(bytes))
    }

    /// Whenever the fast path reads a line, the decoder reads it too, to the same record.
    private func assertAgrees(_ bytes: [UInt8], _ note: String, file: StaticString = #filePath, line: UInt = #line) {
        guard let read = fast(bytes) else { return }
        guard let expected = decoded(bytes) else {
            return XCTFail("the fast path read what the decoder refuses: \(note)", file: file, line: line)
        }
        XCTAssertEqual(String(reflecting: read), String(reflecting: expected), note, file: file, line: line)
    }

    static let flatLines = [
        // As the benchmark and `handlet export jsonl` write them.
        #"{"type":"call","id":"CA0000000000000000000000000000002a","direction":"inbound","from":"07700 012345","to":"0113 496 0000","started_at":"2026-01-01T00:00:00Z","duration_seconds":95,"outcome":"booked_job","summary":"Boiler leak."}"#,
        #"{"type":"message","id":"SM1","channel":"sms","direction":"outbound","from":"01134960000","to":"07700012345","sent_at":"2026-01-01T00:00:25Z","body":"On my way","auto_sent":true,"unread":false,"contact":"crm-7","thread":"t1","status":"delivered","subject":null}"#,
        #"{"type":"contact","id":7,"name":"Jo \"JB\" Bloggs\n\tCafé \u00e9 \ud83d\ude00 \/ \\","phone":"07700 900123","email":"jo@example.com","created_at":1767225600,"opted_out_at":null,"consents":null}"#,
        #"  { "type" : "review" , "id" : "r1", "source":"google","author":"Sam","stars":5,"text":"Great","posted_at":"2026-03-01 09:30","replied_at":null, "unknown": "x" }  "#,
        #"{"type":"request","id":"d1","contact":null,"request_type":"access","received_at":"2026-03-01T09:30:00+01:00","due_at":"2026-03-31","status":"open","notes":"x","extra":-12,"more":false}"#,
        #"{"type":"CALL","id":-5,"direction":"inbound","from":"a","to":"b","started_at":0,"duration_seconds":0,"outcome":"missed","legal_hold":null,"transcript":null,"attachments":null,"stars":"not read for a call"}"#,
        #"{}"#,
        #"{"type":"message","body":"日本語 — ünïcødé","staff":7,"text":true}"#,
    ]

    func testTheFlatShapesAreReadInOnePassAsTheDecoderReadsThem() throws {
        for line in Self.flatLines {
            XCTAssertNotNil(fast(line), line)
            assertAgrees(Array(line.utf8), line)
        }
        let record = try XCTUnwrap(fast(Self.flatLines[2]))
        XCTAssertEqual(record.name, "Jo \"JB\" Bloggs\n\tCafé é 😀 / \\")
        XCTAssertEqual(record.id, "7")
        XCTAssertEqual(record.createdAt, Date(timeIntervalSince1970: 1_767_225_600))
    }

    func testEverythingElseIsLeftToTheDecoder() {
        let aside = [
            #"{"type":"call","transcript":[{"speaker":"caller","text":"hi"}]}"#,   // nested
            #"{"type":"message","attachments":["a.jpg"]}"#,
            #"{"type":"call","duration_seconds":1.5}"#,                             // a fraction
            #"{"type":"call","duration_seconds":1e3}"#,
            #"{"type":"call","duration_seconds":-0}"#,
            #"{"type":"call","duration_seconds":99999999999999999999}"#,            // past 64 bits
            #"{"type":"call","duration_seconds":"95"}"#,                            // the wrong type
            #"{"type":"message","sent_at":"2026-02-30T09:00:00Z"}"#,                // not a time
            #"{"type":"message","sent_at":true}"#,
            #"{"type":"message","type":"call"}"#,                                   // a key twice
            #"{"type":"message","x":1,"x":2}"#,
            #"{"typ\u0065":"message"}"#,                                            // an escaped key
            #"{"type":"message","body":"\ud83d"}"#,                                 // a lone surrogate
            #"{"type":"message","body":"\u0000"}"#,
            #"{"type":"message","body":"\x"}"#,
            "{\"type\":\"message\",\"body\":\"a\u{01}b\"}",                          // a raw control character
            #"{"type":"message",}"#,                                                // not JSON
            #"{"type":"message"} x"#,
            #"{"type":"message""#,
            #"["type"]"#,
            #""call""#,
            "",
            #"{"type":1}"#,
            #"{"type":"message","contact":true}"#,
            #"{"type":"message","id":false}"#,
            #"{"type":"message","auto_sent":"yes"}"#,
            #"{"type":"contact","consents":"none"}"#,
            #"{"type":"message","body":01}"#,
        ]
        for line in aside {
            XCTAssertNil(fast(line), line)
        }
    }

    /// Generated lines, and those lines damaged byte by byte: the fast path never reads anything
    /// differently from the decoder (nor what the decoder refuses).
    func testGeneratedAndDamagedLinesAgreeWithTheDecoder() {
        var random = SeededGenerator(seed: 24)
        let keys = ["type", "id", "name", "from", "to", "body", "sent_at", "started_at", "duration_seconds", "contact",
                    "auto_sent", "unread", "stars", "status", "consents", "legal_hold", "created_at", "x", "transcript"]
        let values = [#""call""#, #""message""#, #""contact""#, #""review""#, "12", "-3", "0", "1.5", "true", "false", "null",
                      #""2026-03-01T09:30:00Z""#, #""2026-03-01 09:30""#, #""a\"b\\c\u00e9\ud83d\ude00""#, #""é""#, "[]",
                      #"{"a":1}"#, #""\ud800""#, "9223372036854775807", "-9223372036854775808", "9223372036854775808"]
        var read = 0
        for trial in 0..<4_000 {
            var fields: [String] = []
            for _ in 0..<Int.random(in: 0...8, using: &random) {
                fields.append("\"\(keys.randomElement(using: &random)!)\":\(values.randomElement(using: &random)!)")
            }
            var bytes = Array(("{" + fields.joined(separator: Bool.random(using: &random) ? "," : " , ") + "}").utf8)
            assertAgrees(bytes, "trial \(trial): \(String(decoding: bytes, as: UTF8.self))")
            if fast(bytes) != nil { read += 1 }
            for _ in 0..<Int.random(in: 1...3, using: &random) where !bytes.isEmpty {
                let at = Int.random(in: 0..<bytes.count, using: &random)
                switch Int.random(in: 0..<3, using: &random) {
                case 0: bytes[at] = [0x22, 0x5C, 0x2C, 0x3A, 0x7B, 0x7D, 0x30, 0x2D, 0x20, 0x75, 0x65].randomElement(using: &random)!
                case 1: bytes.remove(at: at)
                default: bytes.insert(UInt8.random(in: 0x20...0x7E, using: &random), at: at)
                }
            }
            guard String(validating: bytes, as: UTF8.self) != nil else { continue }
            assertAgrees(bytes, "trial \(trial), damaged: \(String(decoding: bytes, as: UTF8.self))")
        }
        XCTAssertGreaterThan(read, 100, "the generated lines exercise the fast path")
    }
}
