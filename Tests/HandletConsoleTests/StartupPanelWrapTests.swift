import Foundation
@testable import HandletConsole
import TerminalUI
import XCTest

/// Issue 25: a wrapped start-up panel never splits a date ("object by 27 Dec" / "2026 02:25 GMT").
/// The lines' maker marks its dates (`StartupPanel.whole`), as the Notices tab does.
final class StartupPanelWrapTests: XCTestCase {
    func testAWrappedPanelKeepsEachDateWholeAt80And200Columns() {
        let date = "27 Dec 2026 02:25 GMT"
        // The date straddles the wrap column at 80 (70 columns inside the panel) when spaces break anywhere.
        let plainLine = "Subprocessor change for transcripts (version 2): object by \(date) or it is accepted"
        let line = "Subprocessor change for transcripts (version 2): object by \(StartupPanel.whole(date)) or it is accepted"
        let plain = TextWrap.wrap(TextWrap.sanitizedSpans(plainLine, style: .normal), width: 70).map { $0.map(\.text).joined() }
        XCTAssertFalse(plain.contains { $0.contains(date) }, "the plain wrap splits it: \(plain)")
        for size in [Size(width: 80, height: 24), Size(width: 200, height: 50)] {
            let panel = StartupPanel(title: "1 notice from the processor needs an answer",
                                     lines: [line, "Another (version 1): acknowledge by \(StartupPanel.whole("3 Jan 2027"))"],
                                     openLabel: "open the Notices tab", destination: .screen(.notices))
            var grid = Grid(size: size)
            panel.render(into: &grid, area: Rect(x: 0, y: 0, width: size.width, height: size.height), keys: .defaults)
            let text = grid.lines.joined(separator: "\n")
            XCTAssertTrue(text.contains(date), "\(size): the date whole on one line:\n\(text)")
            XCTAssertTrue(text.contains("3 Jan 2027"), text)
        }
        let narrow = StartupPanel.wrapKeepingDatesWhole(TextWrap.sanitizedSpans(line, style: .normal), width: 30).map { $0.map(\.text).joined() }
        XCTAssertTrue(narrow.contains { $0.contains(date) }, "\(narrow)")
        XCTAssertEqual(narrow.joined(separator: " "), plainLine, "nothing lost, spaces given back")
    }
}
