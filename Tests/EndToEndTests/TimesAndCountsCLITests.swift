import Foundation
import XCTest
import HandletTestSupport

/// Issue 25, "never misread a time or a count", in the CLI: plain output states the zone of its
/// times and writes them one way; JSON keeps ISO 8601 in UTC; `calls list --help` offers only
/// call flags; `--version`; `purge --dry-run` prints call ids whole.
final class TimesAndCountsCLITests: XCTestCase {
    var folder: URL!
    var database: String { folder.appendingPathComponent("demo.sqlite").path }
    /// Monday 23 Nov 2026 12:00 London (GMT).
    let owner = ["HANDLET_USER": "owner@kestrelhomeservices.co.uk", "HANDLET_TEST_NOW": "1795435200"]

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("handlet-times-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let made = try HandletBinary.run(["demo", "--calls", "400", "--messages", "300", "--seed", "5", "--db", database],
                                         environment: ["HANDLET_TEST_NOW": "1795435200"])
        XCTAssertEqual(made.status, 0, made.stderr)
    }

    override func tearDown() {
        if let folder { try? FileManager.default.removeItem(at: folder) }
    }

    private func run(_ arguments: [String]) throws -> HandletBinary.Outcome {
        try HandletBinary.run(arguments + ["--db", database], environment: owner)
    }

    func testPlainTimesSayTheirZoneAndJSONStaysISOUTC() throws {
        let list = try run(["calls", "list", "--limit", "3"])
        XCTAssertEqual(list.status, 0, list.stderr)
        let header = try XCTUnwrap(list.stdout.split(separator: "\n").first)
        XCTAssertTrue(header.contains("WHEN (Europe/London)"), "the list's time column says its zone: \(header)")

        let json = try run(["calls", "list", "--limit", "1", "--json"])
        let rows = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]])
        let startedAt = try XCTUnwrap(rows.first?["started_at"] as? String)
        XCTAssertTrue(startedAt.hasSuffix("Z") && startedAt.contains("T"), "JSON keeps ISO 8601 UTC: \(startedAt)")
        let id = try XCTUnwrap(rows.first?["id"] as? Int)

        let show = try run(["calls", "show", String(id)])
        XCTAssertEqual(show.status, 0, show.stderr)
        let when = try XCTUnwrap(show.stdout.split(separator: "\n").first { $0.hasPrefix("When:") }, show.stdout)
        // "When:        22 Nov 2026 21:58 GMT, 46s": the one timestamp format, with its zone.
        XCTAssertNotNil(when.range(of: #"When: +\d{1,2} [A-Z][a-z]{2} 2026 \d{2}:\d{2} GMT, "#, options: .regularExpression), String(when))
        XCTAssertNil(show.stdout.range(of: #"\d{4}-\d{2}-\d{2} \d{2}:\d{2}"#, options: .regularExpression),
                     "no second time format: \(show.stdout)")
    }

    func testCallsListHelpOffersOnlyCallFlags() throws {
        let help = try run(["calls", "list", "--help"])
        XCTAssertEqual(help.status, 0, help.stderr)
        XCTAssertFalse(help.stdout.contains("--channel"), "calls have no channel: \(help.stdout)")
        for flag in ["--since", "--until", "--outcome", "--direction", "--has-recording", "--handled-by"] {
            XCTAssertTrue(help.stdout.contains(flag), "\(flag) is offered: \(help.stdout)")
        }
        let refused = try run(["calls", "list", "--channel", "sms"])
        XCTAssertEqual(refused.status, 64, refused.stderr)
        let filtered = try run(["calls", "list", "--outcome", "missed", "--since", "7d", "--limit", "2"])
        XCTAssertEqual(filtered.status, 0, filtered.stderr)
        XCTAssertTrue(filtered.stdout.contains("Missed"), filtered.stdout)
    }

    func testVersion() throws {
        let version = try HandletBinary.run(["--version"])
        XCTAssertEqual(version.status, 0, version.stderr)
        XCTAssertTrue(version.stdout.hasPrefix("handlet "), version.stdout)
        XCTAssertNotNil(version.stdout.range(of: #"\d+\.\d+\.\d+"#, options: .regularExpression), version.stdout)
    }

    /// The dry run's ids are whole, so `calls show` takes each as printed.
    func testPurgeDryRunPrintsWholeCallIdsThatCallsShowTakes() throws {
        let plan = try run(["purge", "--dry-run"])
        XCTAssertEqual(plan.status, 0, plan.stderr)
        let rows = plan.stdout.split(separator: "\n").dropFirst().filter { $0.first?.isNumber == true }
        XCTAssertFalse(rows.isEmpty, "a fresh demo has expired recordings: \(plan.stdout)")
        let id = String(rows[0].split(separator: " ", omittingEmptySubsequences: true)[1])
        XCTAssertGreaterThan(id.count, 20, "the demo's call ids are longer than the old 20-column cut: \(id)")
        let show = try run(["calls", "show", id])
        XCTAssertEqual(show.status, 0, "calls show takes the id the dry run printed: \(show.stderr)")
        XCTAssertTrue(show.stdout.contains(id), show.stdout)
    }
}
