import Foundation
import HandletDomain
import TerminalUI
import XCTest

/// Issue 28: the characters the domain refuses in emails and names as invisible are exactly the
/// ones every screen and CLI line draws as visible stand-ins, and a joiner inside an emoji is
/// neither refused nor replaced.
final class PlainTextAgreementTests: XCTestCase {
    func testInvisibleCharactersAreRefusedByTheDomainAndShownByTheTerminal() {
        var checked = 0
        for value in UInt32(0)...0xE0FFF {
            guard let scalar = Unicode.Scalar(value) else { continue }
            let refused = PlainText.isInvisible(value)
            let shown = Sanitizer.invisibleStandIn([scalar], at: 0) != nil
            // The joiner is refused in names and emails but drawn as it is (text fields edit around it).
            XCTAssertEqual(refused, shown || value == 0x200D, String(format: "U+%04X", value))
            if shown { checked += 1 }
        }
        XCTAssertEqual(checked, 2 + 5 + 1 + 1 + 6 + 1 + 3 + 128)
    }

    func testStandInsInStoredTextAndEmojiJoinersLeftAlone() {
        let name = "Olive\u{200B} Owner\u{2060}\u{00AD}"
        XCTAssertEqual(Sanitizer.clean(name), "Olive<ZWSP> Owner<WJ><SHY>")
        XCTAssertEqual(Sanitizer.clean("\u{FEFF}x\u{E0041}"), "<BOM>x<TAG>")
        let mechanic = "👩\u{200D}🔧"
        XCTAssertEqual(Sanitizer.clean(mechanic), mechanic)
        XCTAssertNil(PlainText.forbiddenScalar(in: mechanic))
        XCTAssertEqual(Sanitizer.clean("a\u{200D}b"), "a\u{200D}b")
        XCTAssertNotNil(PlainText.forbiddenScalar(in: "a\u{200D}b"))
    }
}
