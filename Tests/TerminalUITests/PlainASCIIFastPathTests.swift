import XCTest
@testable import TerminalUI

/// Issue 26: printable ASCII skips the cluster walk in `TextWidth.width(of:)` and the segment split
/// in `Sanitizer.clean`; both must give what the full walk gives, for ASCII and for everything else.
final class PlainASCIIFastPathTests: XCTestCase {
    let samples: [String] = [
        "", " ", "Kestrel Home Services", "+442053466403", "~!@#$%^&*()_+{}|:\"<>?`-=[]\\;',./",
        String((0x20...0x7E).map { Character(UnicodeScalar(UInt8($0))) }),
        "tab\there", "line\r\nbreak", "esc\u{1B}[31m", "del\u{7F}", "c1\u{9B}x", "café", "日本語", "👍🏽 ok",
        "bidi \u{202E}txt.exe", "zero\u{200B}width", "e\u{301}", "\u{0}", "x\u{2028}y",
    ]

    func testWidthIsTheClusterWalksWidth() {
        for text in samples {
            XCTAssertEqual(TextWidth.width(of: text), text.reduce(0) { $0 + TextWidth.width(of: $1) }, text.debugDescription)
            XCTAssertEqual(TextWidth.width(of: text.dropFirst()), text.dropFirst().reduce(0) { $0 + TextWidth.width(of: $1) })
        }
    }

    func testCleanIsTheSegmentsJoined() {
        for text in samples {
            XCTAssertEqual(Sanitizer.clean(text), Sanitizer.segments(text).map(\.text).joined(), text.debugDescription)
        }
        XCTAssertEqual(Sanitizer.clean("esc\u{1B}[31m"), "esc␛[31m")
    }
}
