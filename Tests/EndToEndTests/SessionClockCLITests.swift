import Foundation
import XCTest
import HandletTestSupport

/// Issue 21: a CLI command's session runs at one instant, the command clock's (`HANDLET_TEST_NOW`
/// in tests): every change's audit event carries that time, not the wall clock's.
final class SessionClockCLITests: XCTestCase {
    private var folder: URL!
    private var database: String { folder.appendingPathComponent("workspace.sqlite").path }
    /// The demo is made at `made`; every change below runs at `now`, a day and a bit later.
    private let made = 1_795_435_200 // Monday 23 November 2026, 12:00 London
    private var now: Int { made + 90_000 }
    private let owner = "owner@kestrelhomeservices.co.uk"

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("handlet-clock-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let demo = try HandletBinary.run(["demo", "--calls", "40", "--messages", "40", "--db", database],
                                         environment: ["HANDLET_TEST_NOW": String(made)])
        XCTAssertEqual(demo.status, 0, demo.stderr)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: folder) }

    @discardableResult
    private func handlet(_ arguments: String..., user: String? = nil) throws -> HandletBinary.Outcome {
        let outcome = try HandletBinary.run(arguments + ["--db", database],
                                            environment: ["HANDLET_USER": user ?? "", "HANDLET_TEST_NOW": String(now)])
        XCTAssertEqual(outcome.status, 0, "handlet \(arguments.joined(separator: " ")): \(outcome.stderr)")
        return outcome
    }

    private func json(_ outcome: HandletBinary.Outcome) throws -> Any {
        try JSONSerialization.jsonObject(with: Data(outcome.stdout.utf8))
    }

    func testEveryChangesAuditEventCarriesTheInjectedTime() throws {
        let call = try XCTUnwrap((try json(handlet("calls", "list", "--has-recording", "--limit", "1", "--json")) as? [[String: Any]])?.first)
        let callID = try XCTUnwrap(call["id"] as? Int).description
        let notices = try XCTUnwrap(try json(handlet("notices", "list", "--json")) as? [[String: Any]])
        let needingAck = try XCTUnwrap(notices.first { $0["answer_needed"] as? String == "acknowledge" },
                                       "a notice needing acknowledgement in \(notices)")
        let notice = try XCTUnwrap(needingAck["id"] as? Int).description

        let before = try XCTUnwrap((try json(handlet("audit", "list", "--limit", "1", "--json")) as? [[String: Any]])?.first?["seq"] as? Int)
        try handlet("retention", "set", "60", "--yes", user: owner)
        try handlet("hold", callID, "--reason", "Insurance claim", user: owner)
        try handlet("release", callID, "--reason", "Settled", "--yes", user: owner)
        try handlet("users", "add", "jo@example.test", "--name", "Jo Bloggs", "--role", "agent", user: owner)
        try handlet("users", "role", "jo@example.test", "viewer", user: owner)
        try handlet("users", "disable", "jo@example.test", "--yes", user: owner)
        try handlet("notices", "ack", notice, "--yes", user: owner)
        try handlet("autosend", "set", "--cap", "4", user: owner)
        try handlet("compliance", "basis", "marketing", "consent", user: owner)

        let events = try XCTUnwrap(try json(handlet("audit", "list", "--limit", "50", "--json")) as? [[String: Any]])
            .filter { ($0["seq"] as? Int ?? 0) > before }
        let expected = ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: TimeInterval(now)))
        XCTAssertGreaterThanOrEqual(events.count, 9, "\(events.map { $0["action"] ?? "" })")
        for event in events {
            XCTAssertEqual(event["at"] as? String, expected, "\(event["action"] ?? "?") is dated by the command clock")
        }
        let actions = Set(events.compactMap { $0["action"] as? String })
        XCTAssertTrue(actions.isSuperset(of: ["retention.period_changed", "recording.hold_placed", "recording.hold_released",
                                              "user.added", "user.role_changed", "user.disabled", "notice.acknowledged",
                                              "autosend.settings_changed", "compliance.lawful_basis_recorded"]),
                      "\(actions.sorted())")
    }

    /// `retention set` previews what becomes due at the same instant it then changes the period:
    /// the preview it prints and the change's own impact agree.
    func testRetentionSetPreviewsAndPerformsAtOneInstant() throws {
        let change = try XCTUnwrap(try json(handlet("retention", "set", "7", "--yes", "--json", user: owner)) as? [String: Any])
        let impact = try XCTUnwrap(change["impact"] as? [String: Any])
        let recorded = try XCTUnwrap((try json(handlet("audit", "list", "--limit", "1", "--json")) as? [[String: Any]])?.first)
        XCTAssertEqual(recorded["at"] as? String, ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: TimeInterval(now))))
        XCTAssertNotNil(impact["recordings"] as? Int)
    }
}
