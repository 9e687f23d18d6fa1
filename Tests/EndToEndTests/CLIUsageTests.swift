import Foundation
import XCTest
import HandletTestSupport

/// Issue 16: the CLI as a script writer expects it: one-line usage errors, negative numbers read
/// as values, relative days, search in time order.
final class CLIUsageTests: XCTestCase {
    var folder: URL!
    var database: String { folder.appendingPathComponent("demo.sqlite").path }
    /// The demo's and the binary's clock (HANDLET_TEST_NOW): Monday 23 Nov 2026 12:00 London, so
    /// "yesterday" and "last monday" mean the same days whenever (and across midnight) the suite runs.
    static let now = Date(timeIntervalSince1970: 1_795_435_200)
    let owner = ["HANDLET_USER": "owner@kestrelhomeservices.co.uk", "HANDLET_TEST_NOW": "1795435200"]

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("handlet-cli-usage-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let made = try HandletBinary.run(["demo", "--calls", "600", "--messages", "600", "--seed", "3", "--db", database],
                                         environment: ["HANDLET_TEST_NOW": "1795435200"])
        XCTAssertEqual(made.status, 0, made.stderr)
    }

    override func tearDown() {
        if let folder { try? FileManager.default.removeItem(at: folder) }
    }

    private func run(_ arguments: [String]) throws -> HandletBinary.Outcome {
        try HandletBinary.run(arguments + ["--db", database], environment: owner)
    }

    func testUsageErrorsAreOneLineNamingTheFlag() throws {
        for (arguments, flag) in [(["calls", "list", "--limit", "-1"], "--limit -1"), (["calls", "list", "--limit=-1"], "--limit -1"),
                                  (["calls", "list", "--bogus"], "--bogus"), (["calls", "list", "--outcome", "nope"], "--outcome"),
                                  (["calls", "list", "--since", "fortnight"], "--since \"fortnight\""), (["purge", "--batch", "-3"], "--batch")] {
            let outcome = try run(arguments)
            XCTAssertEqual(outcome.status, 64, "\(arguments): \(outcome.stderr)")
            XCTAssertEqual(outcome.stderr.split(separator: "\n").count, 1, "\(arguments): \(outcome.stderr)")
            XCTAssertTrue(outcome.stderr.hasPrefix("handlet: "), outcome.stderr)
            XCTAssertTrue(outcome.stderr.contains(flag), "\(arguments) names \(flag): \(outcome.stderr)")
            XCTAssertFalse(outcome.stderr.contains("Usage:"), outcome.stderr)
            XCTAssertEqual(outcome.stdout, "")
        }
        XCTAssertEqual(try run(["calls", "list", "--limit", "-1"]).stderr, try run(["calls", "list", "--limit=-1"]).stderr)
        let help = try run(["calls", "list", "--help"])
        XCTAssertEqual(help.status, 0)
        XCTAssertTrue(help.stdout.contains("USAGE:"), "the usage block is for --help")
    }

    /// `yesterday` and `last monday` mean the same days as the dates they name, in the workspace's
    /// time zone (Europe/London).
    func testRelativeDaysEqualTheDatesTheyName() throws {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Europe/London")!
        let today = calendar.startOfDay(for: Self.now)
        func iso(_ date: Date) -> String {
            let parts = calendar.dateComponents([.year, .month, .day], from: date)
            return String(format: "%04d-%02d-%02d", parts.year!, parts.month!, parts.day!)
        }
        let yesterday = calendar.date(byAdding: .day, value: -1, to: today)!
        var back = (calendar.component(.weekday, from: today) - 2 + 7) % 7
        if back == 0 { back = 7 }
        let lastMonday = calendar.date(byAdding: .day, value: -back, to: today)!
        XCTAssertEqual(calendar.component(.weekday, from: lastMonday), 2)
        for (relative, date) in [("yesterday", yesterday), ("last monday", lastMonday), ("Monday", lastMonday), ("last mon", lastMonday)] {
            let named = try run(["calls", "list", "--json", "--limit", "1000", "--since", relative])
            let dated = try run(["calls", "list", "--json", "--limit", "1000", "--since", iso(date)])
            XCTAssertEqual(named.status, 0, named.stderr)
            XCTAssertEqual(named.stdout, dated.stdout, "--since \(relative) is --since \(iso(date))")
        }
        let until = try run(["calls", "list", "--json", "--limit", "1000", "--until", "yesterday"])
        XCTAssertEqual(until.stdout, try run(["calls", "list", "--json", "--limit", "1000", "--until", iso(yesterday)]).stdout)
        XCTAssertNotEqual(try run(["calls", "list", "--json", "--limit", "1000", "--since", "yesterday"]).stdout,
                          try run(["calls", "list", "--json", "--limit", "1000", "--since", "today"]).stdout,
                          "the demo has calls yesterday, so the two differ")
    }

    /// Plain `calls list` shows the id `calls show` takes, and after a full page says how to get the next.
    func testPlainListsShowTheIdAndTheNextPageCursor() throws {
        let first = try run(["calls", "list", "--limit", "3"])
        XCTAssertEqual(first.status, 0, first.stderr)
        let lines = first.stdout.split(separator: "\n")
        XCTAssertTrue(lines[0].hasPrefix("ID "), String(lines[0]))
        let id = String(lines[1].split(separator: " ")[0])
        let shown = try run(["calls", "show", id, "--json"])
        XCTAssertEqual(shown.status, 0, shown.stderr)
        XCTAssertTrue(shown.stdout.contains("\"id\" : \(id)"), shown.stdout.prefix(300).description)
        let hint = try XCTUnwrap(first.stderr.range(of: #"--after [0-9]+\.[0-9]+"#, options: .regularExpression), first.stderr)
        let cursor = String(first.stderr[hint].dropFirst("--after ".count))
        let next = try run(["calls", "list", "--limit", "3", "--after", cursor])
        let pages = try run(["calls", "list", "--limit", "6"])
        func ids(_ outcome: HandletBinary.Outcome) -> [Substring] { outcome.stdout.split(separator: "\n").dropFirst().map { $0.prefix { $0 != " " } } }
        XCTAssertEqual(ids(next).count, 3)
        XCTAssertEqual(Array(ids(pages).dropFirst(3)), ids(next), "the page after the hinted cursor is rows 4-6")
        let all = try run(["calls", "list", "--limit", "1000"])
        XCTAssertEqual(all.stderr, "", "no hint when the page is not full")
        let json = try run(["calls", "list", "--limit", "3", "--json"])
        XCTAssertEqual(json.stderr, "", "JSON carries its cursor in the rows")
    }

    /// Shortening the period asks first whatever it makes due, as the console does (DESIGN §5;
    /// until issue 21 the CLI asked only when recordings became due); lengthening never asks.
    func testShorteningAsksEvenWhenItMakesNothingDue() throws {
        XCTAssertEqual(try run(["retention", "set", "90"]).status, 0, "lengthening never asks")
        let unconfirmed = try run(["retention", "set", "60"])
        XCTAssertEqual(unconfirmed.status, 64, "no recording is 60-90 days old, and it still asks: \(unconfirmed.stderr)")
        XCTAssertTrue(unconfirmed.stdout.contains("No stored recording becomes due"), unconfirmed.stdout)
        XCTAssertTrue(unconfirmed.stderr.contains("Shorten the retention period to 60 days? Refusing without --yes"), unconfirmed.stderr)
        let nothingDue = try run(["retention", "set", "60", "--yes"])
        XCTAssertEqual(nothingDue.status, 0, nothingDue.stderr)
        XCTAssertTrue(nothingDue.stdout.contains("Retention period set to 60 days"), nothingDue.stdout)
        let due = try run(["retention", "set", "7"])
        XCTAssertNotEqual(due.status, 0, "recordings 7-30 days old would go: it must be confirmed")
        XCTAssertTrue(due.stdout.contains("Retention period set") == false, due.stdout)
        let show = try run(["retention", "show", "--json"])
        XCTAssertTrue(show.stdout.contains("\"retention_days\" : 60"), show.stdout)
    }

    func testSearchJSONIsNewestFirst() throws {
        let outcome = try run(["search", "boiler", "--json", "--limit", "50"])
        XCTAssertEqual(outcome.status, 0, outcome.stderr)
        let json = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(outcome.stdout.utf8)) as? [String: Any])
        for kind in ["calls", "messages"] {
            let times = try XCTUnwrap(json[kind] as? [[String: Any]]).compactMap { $0["at"] as? String }
            XCTAssertGreaterThan(times.count, 5, kind)
            XCTAssertEqual(times, times.sorted(by: >), "\(kind) newest first")
        }
    }
}
