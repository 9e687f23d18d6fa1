import XCTest
@testable import TerminalUI

/// Inputs found by the libFuzzer target (`scripts/fuzz-terminal.sh`, Sources/TerminalFuzz).
final class FuzzRegressionTests: XCTestCase {
    /// crash-951c3f7f…: "\u{200F}1" kept its RLM; ALM, LRM and RLM reorder text invisibly
    /// (issue 11: "LRM/RLM/ALM shown visibly").
    func testImplicitBidiMarksAreShownVisibly() {
        XCTAssertEqual(Sanitizer.clean("\u{200F}1"), "<RLM>1")
        XCTAssertEqual(Sanitizer.clean("a\u{200E}b\u{061C}c"), "a<LRM>b<ALM>c")
        XCTAssertEqual(Sanitizer.segments("\u{200F}1"), [.init(text: "<RLM>", isControl: true), .init(text: "1", isControl: false)])
        var grid = Grid(width: 10, height: 1)
        XCTAssertEqual(grid.put("\u{200F}1", x: 0, y: 0), 6)
        XCTAssertEqual(grid.line(0), "<RLM>1    ")
        XCTAssertEqual(grid[0, 0].style.role, .control)
        // A single-line field drops them, as it drops the other bidi controls.
        var state = TextInputState()
        _ = state.handle(.paste("a\u{200F}b"))
        XCTAssertEqual(state.text, "ab")
    }
}
