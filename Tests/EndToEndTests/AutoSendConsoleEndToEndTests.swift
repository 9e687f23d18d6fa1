import Foundation
import XCTest
import HandletTestSupport

/// The Auto-Send tab in the real binary, in a real terminal (tmux), at 80x24: an agent sees the
/// settings read only, opens the queue and approves a draft; the CLI then sees it decided.
final class AutoSendConsoleEndToEndTests: XCTestCase {
    var folder: URL!
    var database: URL { folder.appendingPathComponent("demo.sqlite") }

    override func setUpWithError() throws {
        try TerminalDriver.skipUnlessAvailable()
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("handlet-autosend-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let made = try HandletBinary.run(["demo", "--calls", "200", "--messages", "600", "--seed", "7", "--db", database.path])
        XCTAssertEqual(made.status, 0, made.stderr)
    }

    override func tearDown() {
        if let folder { try? FileManager.default.removeItem(at: folder) }
    }

    private func waitingIds() throws -> [Int64] {
        let listed = try HandletBinary.run(["queue", "list", "--state", "waiting", "--json", "--db", database.path])
        XCTAssertEqual(listed.status, 0, listed.stderr)
        let entries = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(listed.stdout.utf8)) as? [[String: Any]])
        return entries.compactMap { $0["id"] as? Int64 }
    }

    func testAnAgentSeesTheSettingsReadOnlyAndApprovesADraftInTheQueue() throws {
        let before = try waitingIds()
        let first = try XCTUnwrap(before.first, "the demo has drafts waiting")
        let terminal = try TerminalDriver(executable: HandletBinary.url,
                                          arguments: ["--db", database.path, "--user", "agent@kestrelhomeservices.co.uk"], width: 80, height: 24)
        defer { terminal.close() }
        _ = try terminal.waitUntil("the console is up") { $0.contains("Needs attention") || $0.contains("need an answer") }
        terminal.press("Escape")
        _ = try terminal.waitFor("Needs attention")
        terminal.press("6")
        let settings = try terminal.waitFor("Auto-Send (master)")
        XCTAssertTrue(settings.contains("read only"), settings)
        terminal.press("s")
        _ = try terminal.waitFor("Only owner or admin may")
        terminal.press("v")
        let queue = try terminal.waitFor("Action queue")
        XCTAssertTrue(queue.contains("\(before.count) waiting"), queue)
        terminal.press("a")
        _ = try terminal.waitFor("Draft \(first) approved")
        terminal.press("q")
        XCTAssertEqual(try terminal.waitForExit().exitCode, 0)
        XCTAssertEqual(try waitingIds(), Array(before.dropFirst()))
    }
}
