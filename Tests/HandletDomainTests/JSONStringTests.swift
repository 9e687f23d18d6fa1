import Foundation
import HandletDomain
import XCTest

/// One JSON string quoter for the JSONL export, the workspace export and a data-subject export's
/// cells: the JSONL and workspace exports used to differ in DEL (U+007F), which one wrote raw.
final class JSONStringTests: XCTestCase {
    func testEveryControlAndDELIsEscapedAndTheRestReadsBack() throws {
        XCTAssertEqual(JSONString.quoted("a\u{7F}b"), "\"a\\u007fb\"")
        XCTAssertEqual(JSONString.quoted("\u{1B}[2J"), "\"\\u001b[2J\"")
        XCTAssertEqual(JSONString.quoted("\"\\\n\r\t"), "\"\\\"\\\\\\n\\r\\t\"")
        XCTAssertEqual(JSONString.quoted("\u{2028}\u{2029}"), "\"\\u2028\\u2029\"")
        XCTAssertEqual(JSONString.quoted("é 👩‍🔧 /"), "\"é 👩‍🔧 /\"")
        var every = ""
        for value in 0..<0x100 { every.unicodeScalars.append(Unicode.Scalar(value)!) }
        every += "\u{2028}\u{2029}\u{FEFF}\u{10FFFF}"
        let quoted = JSONString.quoted(every)
        XCTAssertFalse(quoted.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F }, "no raw control in the output")
        let decoded = try JSONDecoder().decode(String.self, from: Data(quoted.utf8))
        XCTAssertEqual(decoded, every)
    }
}
