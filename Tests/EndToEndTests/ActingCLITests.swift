import Foundation
import XCTest
import HandletTestSupport

/// Issue 25 from the CLI: `release` needs a reason and asks first, `users disable` asks first,
/// `calls recording` saves a recording whole, never over a file unasked, never for a viewer.
final class ActingCLITests: XCTestCase {
    var folder: URL!
    var database: String { folder.appendingPathComponent("demo.sqlite").path }
    private let owner = "owner@kestrelhomeservices.co.uk"

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("handlet-acting-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let made = try HandletBinary.run(["demo", "--calls", "200", "--messages", "100", "--seed", "3", "--db", database])
        XCTAssertEqual(made.status, 0, made.stderr)
        // A small demo may hold nothing yet: the owner holds its newest recorded call.
        let listed = try HandletBinary.run(["calls", "list", "--has-recording", "--limit", "1", "--json", "--db", database])
        let first = (try JSONSerialization.jsonObject(with: Data(listed.stdout.utf8)) as? [[String: Any]])?.first
        let call = try XCTUnwrap(first?["external_id"] as? String, listed.stdout + listed.stderr)
        let held = try HandletBinary.run(["hold", call, "--reason", "Claim 42", "--db", database, "--user", "owner@kestrelhomeservices.co.uk"])
        XCTAssertEqual(held.status, 0, held.stderr)
    }

    override func tearDown() {
        if let folder { try? FileManager.default.removeItem(at: folder) }
    }

    private func handlet(_ arguments: String..., user: String? = nil) throws -> (status: Int32, stdout: String, stderr: String) {
        let run = try HandletBinary.run(arguments + ["--db", database] + (user.map { ["--user", $0] } ?? []))
        return (run.status, run.stdout, run.stderr)
    }

    private func heldCall() throws -> String {
        let shown = try handlet("retention", "show", "--json")
        let object = try JSONSerialization.jsonObject(with: Data(shown.stdout.utf8)) as? [String: Any]
        let held = try XCTUnwrap((object?["on_hold"] as? [[String: Any]])?.first, shown.stdout)
        return try XCTUnwrap(held["call_external_id"] as? String, "\(held)")
    }

    func testReleaseNeedsAReasonAndAnAnswer() throws {
        let call = try heldCall()
        let noReason = try handlet("release", call, user: owner)
        XCTAssertEqual(noReason.status, 64, noReason.stderr)
        XCTAssertTrue(noReason.stderr.contains("--reason"), noReason.stderr)
        let blank = try handlet("release", call, "--reason", "  ", "--yes", user: owner)
        XCTAssertEqual(blank.status, 64, blank.stderr)
        XCTAssertTrue(blank.stderr.contains("needs a reason"), blank.stderr)
        let unasked = try handlet("release", call, "--reason", "Settled", user: owner)
        XCTAssertEqual(unasked.status, 64, "no terminal to ask on, no --yes: \(unasked.stderr)")
        XCTAssertTrue(unasked.stderr.contains("Release the legal hold on the recording of call \(call)?"), unasked.stderr)
        XCTAssertEqual(try heldCall(), call, "still held")
        let done = try handlet("release", call, "--reason", "Settled", "--yes", user: owner)
        XCTAssertEqual(done.status, 0, done.stderr)
        XCTAssertTrue(done.stdout.contains("Released the legal hold on the recording of call \(call)"), done.stdout)
    }

    func testDisablingAUserAsksFirst() throws {
        let agent = "agent@kestrelhomeservices.co.uk"
        let unasked = try handlet("users", "disable", agent, user: owner)
        XCTAssertEqual(unasked.status, 64, unasked.stderr)
        XCTAssertTrue(unasked.stderr.contains("Disable \(agent)"), unasked.stderr)
        XCTAssertFalse(try handlet("users", "list").stdout.contains("(disabled)"))
        XCTAssertEqual(try handlet("users", "disable", agent, "--yes", user: owner).status, 0)
        XCTAssertTrue(try handlet("users", "list").stdout.contains("(disabled)"))
        XCTAssertTrue(try handlet("users", "list").stdout.contains("LAST ACTIVE"), "when each last signed in")
    }

    func testCallsRecordingSavesTheAudioWholeAndNeverOverAFileUnasked() throws {
        let call = try heldCall()
        let out = folder.appendingPathComponent("saved.wav").path
        let viewer = try handlet("calls", "recording", call, "--output", out, user: "viewer@kestrelhomeservices.co.uk")
        XCTAssertEqual(viewer.status, 77, viewer.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: out))
        let saved = try handlet("calls", "recording", call, "--output", out, "--json", user: "agent@kestrelhomeservices.co.uk")
        XCTAssertEqual(saved.status, 0, saved.stderr)
        let data = try Data(contentsOf: URL(fileURLWithPath: out))
        XCTAssertEqual(String(decoding: data.prefix(4), as: UTF8.self), "RIFF")
        let again = try handlet("calls", "recording", call, "--output", out, user: owner)
        XCTAssertEqual(again.status, 73, again.stderr)
        XCTAssertTrue(again.stderr.contains("--force"), again.stderr)
        try Data("old".utf8).write(to: URL(fileURLWithPath: out))
        let forced = try handlet("calls", "recording", call, "--output", out, "--force", user: owner)
        XCTAssertEqual(forced.status, 0, forced.stderr)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: out)), data)
        XCTAssertTrue(forced.stdout.contains("Saved the recording of call \(call)"), forced.stdout)
        let events = try handlet("audit", "list", "--action", "recording.exported")
        XCTAssertEqual(events.stdout.components(separatedBy: "recording.exported").count - 1, 2, events.stdout)
        XCTAssertFalse(events.stdout.contains("saved.wav"), "no path in the audit log")
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.contains(".handlet-") }
        XCTAssertEqual(leftovers, [])
    }
}
