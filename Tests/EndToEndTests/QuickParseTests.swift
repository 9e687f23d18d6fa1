import Foundation
import XCTest
import HandletTestSupport

/// Issue 26: a command line that names its subcommand is parsed without argument-parser's
/// completion-script check and the default subcommand's reflection (`QuickParse`), and
/// `handlet --help` prints its help without parsing. Whatever the line, the binary prints the same
/// bytes on both outputs and exits with the same status as the standard parse
/// (`HANDLET_TEST_STANDARD_PARSE`, a test hook, forces that).
final class QuickParseTests: XCTestCase {
    var folder: URL!
    var database: String { folder.appendingPathComponent("demo.sqlite").path }
    let clock = ["HANDLET_TEST_NOW": "1795435200"]

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("handlet-quick-parse-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let made = try HandletBinary.run(["demo", "--calls", "200", "--messages", "200", "--seed", "5", "--db", database],
                                         environment: clock)
        XCTAssertEqual(made.status, 0, made.stderr)
    }

    override func tearDown() {
        if let folder { try? FileManager.default.removeItem(at: folder) }
    }

    func testEveryLineGetsWhatTheStandardParseGives() throws {
        let db = ["--db", database]
        let lines: [[String]] = [
            // Runs: reads, in text and JSON.
            ["calls", "list", "--limit", "5"] + db, ["calls", "--limit", "3"] + db, ["calls", "list", "--json", "--limit=2"] + db,
            ["info"] + db, ["info", "--json"] + db, ["search", "boiler", "--limit", "3"] + db, ["messages", "list", "--limit", "4"] + db,
            ["calls", "list", "--outcome", "missed", "--since", "yesterday"] + db, ["audit", "list", "--limit", "2"] + db,
            // Usage errors and values out of range (one line, 64 or 65), written once.
            ["calls", "list", "--limit", "-1"] + db, ["calls", "list", "--limit=0"] + db, ["calls", "list", "--bogus"] + db,
            ["calls", "list", "--outcome", "nope"] + db, ["calls", "bogus"] + db, ["calls", "list", "extra"] + db,
            ["search"] + db, ["info", "--db"], ["purge", "--batch", "-3"] + db, ["calls", "list", "--sort", "size"] + db,
            ["users", "add"] + db, ["info", "--user", ""] + db, ["calls", "show", "nope"] + db,
            // Help, version and completions: never the quick parse, the same text all the same.
            ["--help"], ["-h"], ["-help"], ["help"], ["help", "calls"], ["calls", "--help"], ["calls", "list", "-h"],
            ["info", "--help"], ["--version"], ["info", "--version"], ["bogus"], ["--db"],
            ["--generate-completion-script", "bash"], ["info", "--generate-completion-script=zsh"],
            ["--experimental-dump-help"],
        ]
        for line in lines {
            let quick = try HandletBinary.run(line, environment: clock)
            let standard = try HandletBinary.run(line, environment: clock.merging(["HANDLET_TEST_STANDARD_PARSE": "1"]) { $1 })
            XCTAssertEqual(quick.status, standard.status, "\(line): \(quick.stderr)")
            XCTAssertEqual(quick.stdout, standard.stdout, "\(line)")
            XCTAssertEqual(quick.stderr, standard.stderr, "\(line)")
        }
    }

    func testAValueOutOfRangeIsSaidOnce() throws {
        let outcome = try HandletBinary.run(["calls", "list", "--limit", "0", "--db", database], environment: clock)
        XCTAssertEqual(outcome.status, 65)
        XCTAssertEqual(outcome.stderr.split(separator: "\n").count, 1, outcome.stderr)
        XCTAssertTrue(outcome.stderr.contains("--limit 0"), outcome.stderr)
    }
}
