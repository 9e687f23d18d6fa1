import Foundation
import XCTest
import HandletTestSupport

/// Issue 25: releasing a legal hold in the real console, in a real terminal (tmux), asks why and
/// then asks to confirm; "no" changes nothing, "yes" releases it with the reason in its history.
final class HoldReleaseConsoleEndToEndTests: XCTestCase {
    var folder: URL!
    var database: URL { folder.appendingPathComponent("demo.sqlite") }

    override func setUpWithError() throws {
        try TerminalDriver.skipUnlessAvailable()
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("handlet-release-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let made = try HandletBinary.run(["demo", "--calls", "400", "--messages", "400", "--seed", "7", "--db", database.path])
        XCTAssertEqual(made.status, 0, made.stderr)
        // A small demo may hold nothing yet: the owner holds its newest recorded call.
        let listed = try HandletBinary.run(["calls", "list", "--has-recording", "--limit", "1", "--json", "--db", database.path])
        let first = (try JSONSerialization.jsonObject(with: Data(listed.stdout.utf8)) as? [[String: Any]])?.first
        let call = try XCTUnwrap(first?["external_id"] as? String, listed.stdout + listed.stderr)
        let held = try HandletBinary.run(["hold", call, "--reason", "Claim 42", "--db", database.path, "--user", "owner@kestrelhomeservices.co.uk"])
        XCTAssertEqual(held.status, 0, held.stderr)
    }

    override func tearDown() {
        if let folder { try? FileManager.default.removeItem(at: folder) }
    }

    private func holds() throws -> [[String: Any]] {
        let shown = try HandletBinary.run(["retention", "show", "--json", "--db", database.path])
        let object = try JSONSerialization.jsonObject(with: Data(shown.stdout.utf8)) as? [String: Any]
        return object?["on_hold"] as? [[String: Any]] ?? []
    }

    func testReleasingAHoldFromRetentionAsksWhyThenConfirms() throws {
        let before = try holds()
        XCTAssertFalse(before.isEmpty, "the demo holds recordings")
        let terminal = try TerminalDriver(executable: HandletBinary.url, arguments: ["--db", database.path], width: 100, height: 32)
        defer { terminal.close() }
        _ = try terminal.waitUntil("the console") { $0.contains("Needs attention") || $0.contains("need an answer") }
        terminal.press("Escape")
        _ = try terminal.waitUntil("the panel closed") { !$0.contains("need an answer") && $0.contains("Needs attention") }
        terminal.press("5")
        _ = try terminal.waitFor("On legal hold")
        terminal.press("j")
        terminal.press("j")
        terminal.press("U")
        _ = try terminal.waitFor("Release the legal hold on")
        terminal.press("Enter")
        _ = try terminal.waitFor("needs a reason")
        terminal.type("Claim settled in court")
        terminal.press("Enter")
        let question = try terminal.waitFor("Reason: Claim settled in court")
        XCTAssertTrue(question.contains("Release the legal hold on the recording of call"), question)
        terminal.press("n")
        _ = try terminal.waitFor("Not released")
        XCTAssertEqual(try holds().count, before.count, "no: nothing changed")

        terminal.press("U")
        _ = try terminal.waitFor("Release the legal hold on")
        terminal.type("Claim settled in court")
        terminal.press("Enter")
        _ = try terminal.waitFor("Reason: Claim settled in court")
        terminal.press("y")
        _ = try terminal.waitFor("Legal hold released on")
        terminal.press("q")
        XCTAssertEqual(try terminal.waitForExit().exitCode, 0)
        XCTAssertEqual(try holds().count, before.count - 1)
        let events = try HandletBinary.run(["audit", "list", "--action", "recording.hold_released", "--json", "--db", database.path])
        XCTAssertTrue(events.stdout.contains("\"with_reason\":true") || events.stdout.contains("\"with_reason\" : true"), events.stdout)
        XCTAssertFalse(events.stdout.contains("Claim settled"), "the reason stays out of the audit log")
    }
}
