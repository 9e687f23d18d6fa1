import Foundation
import GRDB
@testable import HandletDomain
import XCTest
import HandletTestSupport

/// `handlet demo`, `handlet info` and first run, as the real binary with no terminal.
final class DemoCommandTests: XCTestCase {
    private var folder: URL!
    private var database: String { folder.appendingPathComponent("workspace.sqlite").path }

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("handlet-demo-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: folder) }

    private func info() throws -> [String: Any] {
        let outcome = try HandletBinary.run(["info", "--json", "--db", database])
        XCTAssertEqual(outcome.status, 0, outcome.stderr)
        return try XCTUnwrap(JSONSerialization.jsonObject(with: Data(outcome.stdout.utf8)) as? [String: Any])
    }

    func testDemoThenInfoReportsTheCounts() throws {
        let demo = try HandletBinary.run(["demo", "--calls", "200", "--messages", "600", "--seed", "3", "--db", database])
        XCTAssertEqual(demo.status, 0, demo.stderr)
        XCTAssertEqual(demo.stderr, "", "no progress bar when standard error is not a terminal")
        XCTAssertTrue(demo.stdout.contains("owner@kestrelhomeservices.co.uk"), demo.stdout)

        let info = try info()
        let counts = try XCTUnwrap(info["counts"] as? [String: Int])
        XCTAssertEqual(counts["calls"], 200)
        XCTAssertGreaterThanOrEqual(counts["messages"] ?? 0, 600, "the generated messages and the replies the queue sent")
        XCTAssertEqual(counts["users"], 4)
        XCTAssertGreaterThan(counts["contacts"] ?? 0, 0)
        XCTAssertGreaterThan(counts["recordings"] ?? 0, 0)
        XCTAssertGreaterThan(counts["threads"] ?? 0, 0)
        XCTAssertEqual(info["path"] as? String, database)
        XCTAssertEqual(info["is_demo"] as? Bool, true)
        XCTAssertEqual(info["schema_version"] as? Int, Schema.currentVersion, "a new workspace is at the current schema")
        XCTAssertGreaterThanOrEqual(Schema.currentVersion, 3)
        let disk = try XCTUnwrap(info["disk"] as? [String: Int])
        XCTAssertGreaterThan(disk["database_bytes"] ?? 0, 0)
        XCTAssertGreaterThan(disk["audio_bytes"] ?? 0, 0)
        XCTAssertEqual(disk["total_bytes"], (disk["database_bytes"] ?? 0) + (disk["wal_bytes"] ?? 0) + (disk["audio_bytes"] ?? 0))

        let text = try HandletBinary.run(["info", "--db", database])
        XCTAssertEqual(text.status, 0, text.stderr)
        XCTAssertTrue(text.stdout.contains("Calls                  200"), text.stdout)
    }

    /// Two `handlet demo` processes with one seed and one clock (HANDLET_TEST_NOW) build the same
    /// workspace: `VACUUM INTO` copies of both databases are byte-identical, and so is every
    /// recording file. A third run with another seed differs, so the comparison can fail.
    func testTwoProcessesWithOneSeedAndOneClockBuildByteIdenticalWorkspaces() throws {
        let clock = ["HANDLET_TEST_NOW": "1795435200"]
        func build(_ name: String, seed: String) throws -> (database: Data, audio: [String: String]) {
            let path = folder.appendingPathComponent("\(name).sqlite")
            let demo = try HandletBinary.run(["demo", "--calls", "300", "--messages", "400", "--seed", seed, "--db", path.path],
                                             environment: clock)
            XCTAssertEqual(demo.status, 0, demo.stderr)
            let copy = folder.appendingPathComponent("\(name).vacuumed")
            let queue = try DatabaseQueue(path: path.path)
            try queue.writeWithoutTransaction { db in try db.execute(sql: "VACUUM INTO ?", arguments: [copy.path]) }
            try queue.close()
            let audio = Workspace.audioDirectory(for: path)
            var hashes: [String: String] = [:]
            for file in try FileManager.default.subpathsOfDirectory(atPath: audio.path) where file.hasSuffix(".wav") {
                hashes[file] = try SHA256Hex.ofFile(at: audio.appendingPathComponent(file))
            }
            return (try Data(contentsOf: copy), hashes)
        }
        let first = try build("first", seed: "11")
        let second = try build("second", seed: "11")
        XCTAssertGreaterThan(first.audio.count, 10, "the demo stored recordings")
        XCTAssertEqual(first.audio, second.audio, "every recording file has the same name and SHA-256")
        XCTAssertTrue(first.database == second.database,
                      "VACUUM INTO copies differ (\(first.database.count) and \(second.database.count) bytes, first difference at byte "
                      + "\(zip(first.database, second.database).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? -1))")
        let other = try build("other", seed: "12")
        XCTAssertNotEqual(other.database, first.database, "another seed gives another workspace")
        XCTAssertNotEqual(other.audio, first.audio)
    }

    func testInvalidFlagsAreArgumentErrors() throws {
        // Malformed is usage (64); a whole number out of its range is bad data (65).
        let cases: [([String], Int32)] = [(["--calls", "-5"], 65), (["--calls=-5"], 65), (["--calls", "abc"], 64),
                                          (["--messages", "1.5"], 64), (["--seed", "-1"], 64)]
        for (arguments, status) in cases {
            let outcome = try HandletBinary.run(["demo"] + arguments + ["--db", database])
            XCTAssertEqual(outcome.status, status, "\(arguments)")
            // Issue 16: one line naming the flag and the reason; the usage block is for --help.
            let lines = outcome.stderr.split(separator: "\n")
            XCTAssertEqual(lines.count, 1, outcome.stderr)
            XCTAssertTrue(outcome.stderr.hasPrefix("handlet: ") && outcome.stderr.contains(arguments[0].split(separator: "=")[0]),
                          outcome.stderr)
            XCTAssertFalse(outcome.stderr.contains("Usage:") || outcome.stderr.contains("Error:"), outcome.stderr)
            XCTAssertEqual(outcome.stdout, "", "\(arguments)")
            XCTAssertFalse(FileManager.default.fileExists(atPath: database), "\(arguments) created a workspace")
        }
    }

    func testRefusesToOverwriteUnlessReplacing() throws {
        XCTAssertEqual(try HandletBinary.run(["demo", "--calls", "20", "--messages", "20", "--db", database]).status, 0)
        let again = try HandletBinary.run(["demo", "--calls", "30", "--messages", "20", "--db", database])
        XCTAssertEqual(again.status, 73, "cannot create")
        XCTAssertEqual(again.stderr, "handlet: A workspace already exists at \(database); remove it, choose another --db path, or pass --replace.\n")
        XCTAssertEqual((try info()["counts"] as? [String: Int])?["calls"], 20)

        let replaced = try HandletBinary.run(["demo", "--calls", "30", "--messages", "20", "--replace", "--db", database])
        XCTAssertEqual(replaced.status, 0, replaced.stderr)
        XCTAssertEqual((try info()["counts"] as? [String: Int])?["calls"], 30)

        let stray = folder.appendingPathComponent("notes.txt").path
        try Data("keep me".utf8).write(to: URL(fileURLWithPath: stray))
        let refused = try HandletBinary.run(["demo", "--replace", "--calls", "1", "--db", stray])
        XCTAssertEqual(refused.status, 65, "not a workspace: bad data")
        XCTAssertEqual(try String(contentsOfFile: stray, encoding: .utf8), "keep me")
    }

    func testInfoOnAMissingWorkspaceSaysHowToMakeOne() throws {
        let outcome = try HandletBinary.run(["info", "--db", database])
        XCTAssertEqual(outcome.status, 66, "a missing workspace is missing input (DESIGN §2)")
        XCTAssertTrue(outcome.stderr.hasPrefix("handlet: No workspace at \(database)"), outcome.stderr)
        XCTAssertTrue(outcome.stderr.contains("handlet demo"), outcome.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: database))
    }

    /// `handlet` alone on a new machine: the demo workspace appears at the XDG location and the
    /// user is told so; with no terminal the console then refuses to start, in one line.
    func testFirstRunCreatesTheDemoAtTheDefaultLocation() throws {
        let data = folder.appendingPathComponent("xdg")
        let outcome = try HandletBinary.run([], environment: ["XDG_DATA_HOME": data.path])
        let created = data.appendingPathComponent("handlet/workspace.sqlite")
        XCTAssertTrue(FileManager.default.fileExists(atPath: created.path), outcome.stderr)
        XCTAssertTrue(outcome.stderr.contains("Created a demo workspace at \(created.path)"), outcome.stderr)
        XCTAssertTrue(outcome.stderr.contains("owner@kestrelhomeservices.co.uk"), outcome.stderr)
        XCTAssertTrue(outcome.stderr.contains("handlet init"), "says how to start a real workspace instead: \(outcome.stderr)")

        let info = try HandletBinary.run(["info", "--json", "--db", created.path])
        let counts = try XCTUnwrap((JSONSerialization.jsonObject(with: Data(info.stdout.utf8)) as? [String: Any])?["counts"] as? [String: Int])
        XCTAssertEqual(counts["calls"], 5_000)
        XCTAssertGreaterThanOrEqual(counts["messages"] ?? 0, 15_000, "the generated messages and the replies the queue sent")

        // The second run opens it instead of creating another.
        let second = try HandletBinary.run([], environment: ["XDG_DATA_HOME": data.path])
        XCTAssertFalse(second.stderr.contains("Created a demo workspace"), second.stderr)
    }
}
