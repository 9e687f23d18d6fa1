import Foundation
import XCTest
import HandletTestSupport

/// Issue 23: an erasure started in the real console (tmux) runs in the background. While the
/// search is rewritten (held there by `HANDLET_TEST_REWRITE_PAUSE`), the console shows the phase,
/// moves between tabs, and asks before quitting; quitting anyway leaves an erasure that
/// `retention show` names and `dsr erase --finish` finishes.
final class ConsoleErasureEndToEndTests: XCTestCase {
    var folder: URL!
    var database: URL { folder.appendingPathComponent("demo.sqlite") }
    let owner = "owner@kestrelhomeservices.co.uk"

    override func setUpWithError() throws {
        try TerminalDriver.skipUnlessAvailable()
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("handlet-erase-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let made = try HandletBinary.run(["demo", "--calls", "300", "--messages", "300", "--seed", "7", "--db", database.path])
        XCTAssertEqual(made.status, 0, made.stderr)
    }

    override func tearDown() {
        if let folder { try? FileManager.default.removeItem(at: folder) }
    }

    /// The register's rows in the console's order, with the person each is about.
    private func register() throws -> [[String: Any]] {
        let listed = try HandletBinary.run(["dsr", "list", "--json", "--db", database.path, "--user", owner])
        XCTAssertEqual(listed.status, 0, listed.stderr)
        return try XCTUnwrap(JSONSerialization.jsonObject(with: Data(listed.stdout.utf8)) as? [[String: Any]])
    }

    /// Opens the console on the Requests tab (`0`) with the person of
    /// the first request that names one open, and starts their erasure; returns their name.
    private func startErasure(_ terminal: TerminalDriver) throws -> String {
        let rows = try register()
        let index = try XCTUnwrap(rows.firstIndex { $0["contact_name"] is String }, "a request about a person")
        let name = try XCTUnwrap(rows[index]["contact_name"] as? String)
        _ = try terminal.waitUntil("the console") { $0.contains("Needs attention") || $0.contains("need an answer") }
        terminal.press("Escape")
        _ = try terminal.waitUntil("the panel closed") { !$0.contains("need an answer") && $0.contains("Needs attention") }
        terminal.press("0")
        _ = try terminal.waitFor("RECEIVED")
        for _ in 0..<index { terminal.press("j") }
        terminal.press("Enter")
        _ = try terminal.waitFor("Held:")
        terminal.press("E")
        _ = try terminal.waitFor("Type their name or number")
        terminal.type(name)
        terminal.press("Enter")
        _ = try terminal.waitFor("rewriting the search indexes", timeout: .seconds(30))
        return name
    }

    func testTheConsoleStaysUsableWhileAnErasureRunsAndAsksBeforeQuitting() throws {
        let terminal = try TerminalDriver(executable: HandletBinary.url, arguments: ["--db", database.path], width: 100, height: 32,
                                          environment: ["HANDLET_USER": owner, "HANDLET_TEST_REWRITE_PAUSE": "20"])
        defer { terminal.close() }
        let name = try startErasure(terminal)
        // Another tab opens while it runs, and the status bar still says what is running.
        terminal.press("2")
        _ = try terminal.waitUntil("the calls list, the erasure still in the status bar") {
            $0.contains("Outcome") && $0.contains("Erasing \(name) · rewriting the search indexes")
        }
        terminal.press("0")
        _ = try terminal.waitFor("Now: rewriting the search indexes")
        terminal.press("Escape")
        _ = try terminal.waitFor("Erasing \(name):")
        // Quitting asks; staying keeps it running to its end.
        terminal.press("q")
        _ = try terminal.waitFor("Quitting stops it safely")
        terminal.press("n")
        _ = try terminal.waitForAbsence(of: "Quitting stops it safely")
        _ = try terminal.waitFor("Erased \(name)", timeout: .seconds(60))
        terminal.press("q")
        XCTAssertEqual(try terminal.waitForExit().exitCode, 0)
        let shown = try HandletBinary.run(["retention", "show", "--db", database.path])
        XCTAssertFalse(shown.stdout.contains("Search debt"), shown.stdout)
    }

    func testQuittingWhileAnErasureRunsLeavesItForTheFinishCommand() throws {
        let terminal = try TerminalDriver(executable: HandletBinary.url, arguments: ["--db", database.path], width: 100, height: 32,
                                          environment: ["HANDLET_USER": owner, "HANDLET_TEST_REWRITE_PAUSE": "120"])
        defer { terminal.close() }
        _ = try startErasure(terminal)
        terminal.press("Escape")
        _ = try terminal.waitFor("RECEIVED")
        terminal.press("q")
        _ = try terminal.waitFor("Quitting stops it safely")
        terminal.press("y")
        XCTAssertEqual(try terminal.waitForExit(timeout: .seconds(30)).exitCode, 0)
        let shown = try HandletBinary.run(["retention", "show", "--db", database.path])
        XCTAssertTrue(shown.stdout.contains("Search debt:       an erasure stopped before finishing"), shown.stdout)
        XCTAssertTrue(shown.stdout.contains("handlet dsr erase --finish"), shown.stdout)
        let finished = try HandletBinary.run(["dsr", "erase", "--finish", "--db", database.path, "--user", owner])
        XCTAssertEqual(finished.status, 0, finished.stderr)
        XCTAssertTrue(finished.stdout.contains("Finished 1 interrupted erasure"), finished.stdout)
        XCTAssertFalse(try HandletBinary.run(["retention", "show", "--db", database.path]).stdout.contains("Search debt"))
    }
}
