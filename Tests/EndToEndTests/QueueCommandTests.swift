import Foundation
import HandletDomain
import XCTest
import HandletTestSupport

/// `handlet queue list|show|approve|edit|discard|rate`, run as the real binary with no terminal.
final class QueueCommandTests: XCTestCase {
    private var folder: URL!
    private var database: String { folder.appendingPathComponent("workspace.sqlite").path }
    private var ids: [Int64] = []

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("handlet-queue-\(UUID().uuidString)")
        let url = try PurgeWorkspace.build(in: folder, layout: .init(due: 1, live: 1, held: 0, missingFiles: 0))
        let workspace = try Workspace.open(at: url)
        let now = Date()
        ids = try workspace.insertDrafts((0..<4).map { index in
            Draft(targetKind: "call", targetId: 1, contactId: nil, channel: "sms", intent: .quoteRequest, confidence: 0.91,
                  body: index == 3 ? "Quote: £120\u{1b}[2J all in" : "We can quote £\(100 + index) for that.",
                  correlationId: "queue-e2e-\(index)", createdAt: now.addingTimeInterval(-Double(index + 1) * 3600))
        })
        try workspace.blockDraftForTest(ids[2], by: .contactSuppressed, at: now)
        try workspace.checkpointAndClose()
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: folder) }

    private func queue(_ arguments: [String], user: String? = "agent@example.test", input: String? = nil) throws -> HandletBinary.Outcome {
        try HandletBinary.run(["queue"] + arguments + ["--db", database], environment: user.map { ["HANDLET_USER": $0] } ?? [:],
                              input: input.map { Data($0.utf8) })
    }

    private func json(_ arguments: [String]) throws -> Any {
        let outcome = try queue(arguments + ["--json"], user: nil)
        XCTAssertEqual(outcome.status, 0, outcome.stderr)
        return try JSONSerialization.jsonObject(with: Data(outcome.stdout.utf8))
    }

    func testListAndShowWithStableJSONFields() throws {
        let entries = try XCTUnwrap(try json(["list"]) as? [[String: Any]])
        XCTAssertEqual(entries.map { $0["id"] as? Int64 }, ids.map { $0 }, "newest first")
        XCTAssertEqual(entries.map { $0["queue_state"] as? String }, ["waiting", "waiting", "blocked", "waiting"])
        XCTAssertEqual(entries[2]["gate"] as? String, "contact_suppressed")
        XCTAssertEqual(entries[0]["answers_kind"] as? String, "call")
        XCTAssertEqual(entries[0]["answers_text"] as? String, "Caller asked for a callback")
        for field in ["draft_state", "intent", "channel", "confidence", "body", "created_at", "correlation_id", "answers_id"] {
            XCTAssertNotNil(entries[0][field], field)
        }
        let blocked = try XCTUnwrap(try json(["list", "--state", "blocked"]) as? [[String: Any]])
        XCTAssertEqual(blocked.count, 1)
        let shown = try XCTUnwrap(try json(["show", String(ids[0])]) as? [String: Any])
        XCTAssertEqual(shown["queued"] as? Bool, true)
        XCTAssertEqual(shown["outgoing"] as? String, "We can quote £100 for that.\nAutomated reply from Harbour Electrics Ltd. Reply STOP to opt out.")
        XCTAssertEqual(shown["sms_encoding"] as? String, "GSM-7")
        XCTAssertEqual(shown["sms_segments"] as? Int, 1)
        let text = try queue(["list"], user: nil)
        XCTAssertEqual(text.status, 0, text.stderr)
        XCTAssertTrue(text.stdout.hasPrefix("3 waiting, 1 blocked, 0 held, 0 failed"), text.stdout)
        XCTAssertTrue(text.stdout.contains("blocked by contact_suppressed"), text.stdout)
    }

    func testAControlCharacterIsShownSafelyAndKeptAsStored() throws {
        let text = try queue(["show", String(ids[3])], user: nil)
        XCTAssertEqual(text.status, 0, text.stderr)
        XCTAssertFalse(text.stdout.contains("\u{1b}"), text.stdout)
        XCTAssertTrue(text.stdout.contains("␛[2J"), text.stdout)
        let shown = try XCTUnwrap(try json(["show", String(ids[3])]) as? [String: Any])
        XCTAssertEqual((shown["draft"] as? [String: Any])?["body"] as? String, "Quote: £120\u{1b}[2J all in")
    }

    func testDecisionsAndTheirRefusals() throws {
        let approved = try queue(["approve", String(ids[0])])
        XCTAssertEqual(approved.status, 0, approved.stderr)
        XCTAssertEqual(approved.stdout, "Draft \(ids[0]) approved.\n")
        let twice = try queue(["approve", String(ids[0])])
        XCTAssertEqual(twice.status, 77, "approving twice is refused")
        XCTAssertTrue(twice.stderr.contains("is approved, not waiting"), twice.stderr)
        let blocked = try queue(["approve", String(ids[2])])
        XCTAssertEqual(blocked.status, 77)
        XCTAssertTrue(blocked.stderr.contains("is blocked"), blocked.stderr)
        let discarded = try queue(["discard", String(ids[2])], user: "admin@example.test")
        XCTAssertEqual(discarded.status, 0, discarded.stderr)
        let edited = try queue(["edit", String(ids[1]), "--text", "-"], input: "£150, including parts.\nSee you Monday.")
        XCTAssertEqual(edited.status, 0, edited.stderr)
        let shown = try XCTUnwrap(try json(["show", String(ids[1])]) as? [String: Any])
        XCTAssertEqual((shown["draft"] as? [String: Any])?["body"] as? String, "£150, including parts.\nSee you Monday.")
        XCTAssertEqual((shown["draft"] as? [String: Any])?["draft_state"] as? String, "edited")
        XCTAssertEqual(shown["queued"] as? Bool, true, "edited and approved, its send waits in the outbox until delivered")
        let empty = try queue(["edit", String(ids[3]), "--text", "  "])
        XCTAssertEqual(empty.status, 65, empty.stderr)
        let rated = try queue(["rate", String(ids[3]), "not-now"])
        XCTAssertEqual(rated.status, 0, rated.stderr)
        XCTAssertEqual(rated.stdout, "Draft \(ids[3]) rated not now.\n")
        let viewer = try queue(["rate", String(ids[3]), "yes"], user: "viewer@example.test")
        XCTAssertEqual(viewer.status, 77)
        XCTAssertTrue(viewer.stderr.contains("Only owner, admin or agent"), viewer.stderr)
        let entries = try XCTUnwrap(try json(["list", "--state", "waiting"]) as? [[String: Any]])
        XCTAssertEqual(entries.map { $0["id"] as? Int64 }, [ids[3]])
        XCTAssertEqual(entries.first?["validation"] as? String, "not_now")
    }
}
