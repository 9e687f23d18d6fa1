import Foundation
import XCTest
import HandletTestSupport

/// Issue 28, validation that agrees with itself: every stored one-line field takes the same
/// characters, every echo of bad input is cut at the same length, an argument that is not UTF-8
/// is refused, an offset that does not exist is refused, and `--user ''` is one thing everywhere.
final class ValidationEdgeCLITests: XCTestCase {
    private var folder: URL!
    private var database: String { folder.appendingPathComponent("w.sqlite").path }
    private let owner = "owner@example.test"

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("handlet-validation-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let created = try HandletBinary.run(["init", "--name", "Checks Ltd", "--owner", owner, "--db", database])
        XCTAssertEqual(created.status, 0, created.stderr)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: folder) }

    private func handlet(_ arguments: [String], user: String? = nil) throws -> HandletBinary.Outcome {
        try HandletBinary.run(arguments + ["--db", database], environment: ["HANDLET_USER": user ?? owner])
    }

    func testTheCallerNoticeTakesWhatEveryOtherOneLineFieldTakes() throws {
        for text in ["Calls are recorded\u{2028}by an AI assistant", "AI assistant\u{200B}; calls recorded", "AI\u{00AD}assistant",
                     "AI assistant\tcalls recorded"] {
            let outcome = try handlet(["compliance", "caller-notice", text])
            XCTAssertEqual(outcome.status, 65, "\(text.debugDescription): \(outcome.stderr)")
            XCTAssertTrue(outcome.stderr.contains("one line of plain text"), outcome.stderr)
            // A user's name refuses it too.
            let name = try handlet(["users", "add", "n\(text.count)@example.test", "--name", text, "--role", "viewer"])
            XCTAssertEqual(name.status, 65, "\(text.debugDescription): \(name.stderr)")
        }
        XCTAssertEqual(try handlet(["compliance", "caller-notice", "Calls are answered by an AI assistant and recorded 👩‍💼"]).status, 0)
    }

    func testANoticeFileEchoesAHeaderValueCutShort() throws {
        let notices = folder.appendingPathComponent("notices")
        try FileManager.default.createDirectory(at: notices, withIntermediateDirectories: true)
        let long = String(repeating: "9.", count: 3_000) + "x"
        try Data("---\nid: n\nkind: dpa\ntitle: T\nversion: \(long)\neffective: 2026-01-01\nneeds-acknowledgement: no\n---\nBody".utf8)
            .write(to: notices.appendingPathComponent("long.md"))
        let outcome = try handlet(["notices", "import", notices.path])
        XCTAssertEqual(outcome.status, 65)
        let line = try XCTUnwrap((outcome.stdout + outcome.stderr).split(separator: "\n").first { $0.contains("long.md:5") })
        XCTAssertLessThan(line.count, 200, String(line))
        XCTAssertTrue(line.contains("…"), String(line))
    }

    func testAnArgumentThatIsNotUTF8IsRefusedWithAWord() throws {
        let shell = Process()
        shell.executableURL = URL(fileURLWithPath: "/bin/sh")
        // A Latin-1 é (0xE9) in a user's name, as a terminal set to ISO-8859-1 would send it.
        shell.arguments = ["-c", "exec \"$0\" users add jose@example.test --name \"$(printf 'Jos\\351')\" --role viewer --db \"$1\"",
                           try HandletBinary.located().path, database]
        var environment = ProcessInfo.processInfo.environment
        environment["HANDLET_USER"] = owner
        shell.environment = environment
        let errors = Pipe()
        shell.standardError = errors
        shell.standardOutput = FileHandle.nullDevice
        try shell.run()
        shell.waitUntilExit()
        let stderr = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        XCTAssertEqual(shell.terminationStatus, 64, stderr)
        XCTAssertTrue(stderr.contains("Argument 5 (Jos\\xE9) is not valid UTF-8"), stderr)
        XCTAssertFalse(try handlet(["users", "list"]).stdout.contains("jose@"), "nothing was added")
    }

    func testOffsetsThatDoNotExistAreRefused() throws {
        for offset in ["+14:00", "-12:00", "+05:30", "Z"] {
            let outcome = try handlet(["audit", "list", "--since", "2026-03-14T09:30:00\(offset)"])
            XCTAssertEqual(outcome.status, 0, "\(offset): \(outcome.stderr)")
        }
        for offset in ["+15:00", "-13:60", "+2500", "+99"] {
            let outcome = try handlet(["audit", "list", "--since", "2026-03-14T09:30:00\(offset)"])
            XCTAssertEqual(outcome.status, 64, "\(offset): \(outcome.stderr)")
            XCTAssertTrue(outcome.stderr.contains("is not a date"), outcome.stderr)
        }
    }

    func testAnEmptyUserIsOneThingForReadsAndChanges() throws {
        var lines: Set<String> = []
        for arguments in [["calls", "list"], ["users", "list"], ["retention", "set", "7", "--yes"], ["purge"], ["console"]] {
            let outcome = try handlet(arguments + ["--user", ""])
            XCTAssertEqual(outcome.status, 64, "\(arguments): \(outcome.stderr)")
            lines.insert(outcome.stderr)
        }
        XCTAssertEqual(lines, ["handlet: --user is empty; give a user's email, or leave --user out.\n"])
    }
}
