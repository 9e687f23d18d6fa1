import Foundation
@testable import HandletConsole
import TerminalUI
import XCTest

/// Issue 16: copy the selected number, email, call id or a transcript with OSC 52, and say so.
final class ClipboardCopyTests: ConsoleScreenTestCase {
    func testCallDetailCopiesNumberIdAndTranscript() throws {
        var driver = makeDriver()
        driver.goTo(.calls)
        driver.press("open", in: "Calls list")
        driver.press("copy_number", in: "Call detail")
        XCTAssertEqual(driver.backend.performed.count, 1)
        guard case .copyToClipboard(let number) = try XCTUnwrap(driver.backend.performed.last) else { return XCTFail() }
        XCTAssertTrue(number.hasPrefix("+447700900"), number)
        XCTAssertTrue(driver.grid.lines.last!.contains("Copied the number to the clipboard"), driver.grid.lines.last!)
        driver.press("copy_id", in: "Call detail")
        XCTAssertEqual(driver.backend.performed.last, .copyToClipboard("CALL-0"))
        driver.press("copy_transcript", in: "Call detail")
        guard case .copyToClipboard(let transcript) = try XCTUnwrap(driver.backend.performed.last) else { return XCTFail() }
        XCTAssertTrue(transcript.contains("\n") || transcript.contains(": "), transcript)
        XCTAssertEqual(driver.backend.performed.count, 3, "one request per key, none from drawing")
    }

    func testContactCopiesPhoneAndSaysWhenThereIsNothing() throws {
        var driver = makeDriver()
        driver.goTo(.contacts)
        driver.press("open", in: "Contacts list")
        driver.press("copy_phone", in: "Contact")
        XCTAssertEqual(driver.backend.performed.last, .copyToClipboard("+447700900001"), "Alice Archer's number")
        driver.press("copy_email", in: "Contact")
        XCTAssertEqual(driver.backend.performed.count, 1, "Alice has no email: nothing is sent")
        XCTAssertTrue(driver.grid.lines.last!.contains("Nothing to copy"), driver.grid.lines.last!)
    }

    func testTheSequenceIsBase64SoNoTextCanActOnTheTerminal() {
        let hostile = "CALL\u{1B}]0;pwned\u{07}\u{202E}x\nnext"
        let bytes = TerminalRequest.copyToClipboard(hostile).bytes
        XCTAssertTrue(bytes.hasPrefix("\u{1B}]52;c;") && bytes.hasSuffix("\u{07}"))
        let payload = String(bytes.dropFirst(7).dropLast())
        XCTAssertFalse(payload.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F }, "only base64 between the markers")
        let decoded = String(decoding: Data(base64Encoded: payload)!, as: UTF8.self)
        XCTAssertEqual(decoded, "CALL]0;pwnedx\nnext", "controls and bidi overrides dropped, the line break kept")
        let long = String(repeating: "é", count: 60_000)
        XCTAssertLessThanOrEqual(TerminalRequest.clipboardText(long).utf8.count, TerminalRequest.clipboardLimitBytes)
    }
}
