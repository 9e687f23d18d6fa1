import Foundation
import XCTest
import HandletTestSupport

/// The real `handlet` in a real terminal (tmux): the Calls list sorted by a column deep into it,
/// and calls marked across pages (issue 25).
final class CallsListEndToEndTests: XCTestCase {
    var folder: URL!
    var database: URL { folder.appendingPathComponent("demo.sqlite") }

    override func setUpWithError() throws {
        try TerminalDriver.skipUnlessAvailable()
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("handlet-calls-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let made = try HandletBinary.run(["demo", "--calls", "400", "--messages", "300", "--seed", "7", "--db", database.path])
        XCTAssertEqual(made.status, 0, made.stderr)
    }

    override func tearDown() {
        if let folder { try? FileManager.default.removeItem(at: folder) }
    }

    /// "1h 02m", "3m 07s", "45s" as seconds.
    static func seconds(_ text: Substring) -> Int? {
        var total = 0
        for part in text.split(separator: " ") {
            guard let unit = part.last, let value = Int(part.dropLast()) else { return nil }
            switch unit {
            case "h": total += value * 3600
            case "m": total += value * 60
            case "s": total += value
            default: return nil
            }
        }
        return total
    }

    /// The Length cells of the list's rows on screen, top to bottom.
    static func lengths(_ screen: String) -> [Int] {
        screen.split(separator: "\n").compactMap { line -> Int? in
            guard let match = line.range(of: #"\b(\d+h \d{2}m|\d+m \d{2}s|\d+s)\b"#, options: .regularExpression) else { return nil }
            return seconds(line[match])
        }
    }

    private func openCalls(_ terminal: TerminalDriver) throws {
        let start = try terminal.waitUntil("the console") { $0.contains("need an answer") || $0.contains("Needs attention") }
        if start.contains("need an answer") {
            terminal.press("Escape")
            _ = try terminal.waitForAbsence(of: "need an answer")
        }
        terminal.press("2")
        _ = try terminal.waitUntil("the calls list") { $0.contains("Handled by") && $0.contains("of 400") }
    }

    func testSortByLengthDescendingHoldsAtDepthAndMarksSurvivePaging() throws {
        let terminal = try TerminalDriver(executable: HandletBinary.url, arguments: ["--db", database.path], width: 100, height: 30)
        defer { terminal.close() }
        try openCalls(terminal)
        terminal.press(">", ">", ">")
        terminal.press("s")
        _ = try terminal.waitFor("▲")
        terminal.press("s")
        let sorted = try terminal.waitFor("▼")
        var seen = Self.lengths(sorted)
        XCTAssertGreaterThan(seen.count, 10, sorted)
        for _ in 0..<6 {
            terminal.press("PageDown")
            try terminal.waitForIdle()
            seen += Self.lengths(terminal.screen())
        }
        let page = Self.lengths(terminal.screen())
        XCTAssertEqual(page, page.sorted(by: >), "longest first on page 7:\n\(terminal.screen())")
        XCTAssertTrue(terminal.screen().contains("Length▼"), "the whole title and its marker: \(terminal.screen())")
        terminal.press("G")
        try terminal.waitForIdle()
        let last = Self.lengths(terminal.screen())
        XCTAssertEqual(last, last.sorted(by: >), terminal.screen())
        XCTAssertLessThanOrEqual(last.last ?? 0, seen.min() ?? 0, "the shortest call is at the end")
        XCTAssertTrue(terminal.screen().contains("400 of 400"), terminal.screen())

        // Marks: three at the top, one a page down; the count shows, they survive paging, Esc clears.
        terminal.press("g")
        try terminal.waitForIdle()
        terminal.press("Space", "Space", "Space")
        _ = try terminal.waitFor("3 marked")
        terminal.press("PageDown")
        terminal.press("Space")
        _ = try terminal.waitFor("4 marked")
        terminal.press("g")
        try terminal.waitForIdle()
        let top = terminal.screenLines().filter { $0.hasPrefix("*") }
        XCTAssertEqual(top.count, 3, terminal.screen())
        terminal.press("Escape")
        _ = try terminal.waitForAbsence(of: "marked ·")
        XCTAssertTrue(terminal.screenLines().filter { $0.hasPrefix("*") }.isEmpty, terminal.screen())
        // q goes back to the Overview (the tab was opened from there), then quits.
        terminal.press("q")
        try terminal.waitForIdle()
        terminal.press("q")
        XCTAssertEqual(try terminal.waitForExit().exitCode, 0)
    }
}
