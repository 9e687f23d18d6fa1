import Foundation
import GRDB
@testable import HandletDomain
import XCTest
import HandletTestSupport

/// Issue 11, "The CLI writes to terminals too": stored and typed text reaches the terminal only
/// sanitised, errors echo input short, `--json` escapes what a terminal would obey, and `--db`
/// mistakes are one readable line. Runs the real binary, in a pipe and in a tmux pane.
final class HostileOutputTests: XCTestCase {
    /// Retitles the window (OSC 2), then moves the cursor, then a C1 CSI, then a bidi override.
    static let evil = "\u{1B}]2;PWNED\u{07}\u{1B}[2J\u{9B}31m\u{202E}gnp.exe\u{2066}"
    static let bodyWithNUL = "Before\u{0}hidden tail \u{0}zanzibar end"
    private var folder: URL!
    private var database: URL!

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("handlet-hostile-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        database = folder.appendingPathComponent("workspace.sqlite")
        let now = Date()
        let evil = Self.evil
        let workspace = try Workspace.create(
            at: database, workspace: WorkspaceRecord(name: "WS \(evil)", businessName: "Biz \(evil)", createdAt: now),
            users: [User(name: "Olive \(evil)", email: "owner@example.test", role: .owner, createdAt: now)])
        try workspace.dbPool.write { db in
            let call = Call(externalId: "CA\(evil)", direction: .inbound, fromNumber: "+447700900123", toNumber: "+441632960000",
                            contactId: nil, startedAt: now.addingTimeInterval(-3_600), durationSeconds: 42, handledBy: .aiAgent,
                            outcome: .bookedJob, summary: "Boiler", transcript: Transcript(turns: []),
                            jobDetails: #"{"key \u001b]2;PWNED\u0007 \u202e": "value \u009b31m"}"#, recordingState: .recorded)
            _ = try RecordingImport.add(call, audio: Data("RIFF-hostile".utf8), recordedAt: now.addingTimeInterval(-3_600),
                                        in: db, audioFolder: workspace.audioDirectory)
            var thread = MessageThread(contactId: nil, channel: .sms, lastActivityAt: now, messageCount: 1)
            try thread.insert(db)
            var message = Message(threadId: thread.id!, channel: .sms, direction: .inbound, fromAddress: "+447700900777",
                                  toAddress: "+441632960000", contactId: nil, body: "Hi -dash \(evil) bye",
                                  sentAt: now, deliveryStatus: .received)
            try message.insert(db)
            var nulThread = MessageThread(contactId: nil, channel: .sms, lastActivityAt: now, messageCount: 1)
            try nulThread.insert(db)
            var withNUL = Message(threadId: nulThread.id!, channel: .sms, direction: .inbound, fromAddress: "+447700900888",
                                  toAddress: "+441632960000", contactId: nil, body: Self.bodyWithNUL,
                                  sentAt: now, deliveryStatus: .received)
            try withNUL.insert(db)
        }
        let owner = workspace.session(as: try workspace.actor(email: "owner@example.test"))
        try owner.perform(.placeLegalHold(onCall: workspace.callID("CA\(evil)"), reason: "Dispute \(evil)"))
        try workspace.dbPool.close()
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: folder) }

    private func handlet(_ arguments: [String], db: Bool = true, environment: [String: String] = [:]) throws -> HandletBinary.Outcome {
        try HandletBinary.run(arguments + (db ? ["--db", database.path] : []), environment: environment)
    }

    /// No byte that a terminal obeys: C0 but the line break, DEL, C1, bidi overrides and isolates.
    private func assertInert(_ text: String, _ what: String, file: StaticString = #filePath, line: UInt = #line) {
        let obeyed = text.unicodeScalars.filter {
            ($0.value < 0x20 && $0 != "\n") || (0x7F...0x9F).contains($0.value)
                || (0x202A...0x202E).contains($0.value) || (0x2066...0x2069).contains($0.value)
        }
        XCTAssertEqual(obeyed.map(\.value), [], "\(what): \(text)", file: file, line: line)
    }

    func testEveryPlainOutputWithStoredTextIsSanitised() throws {
        let commands: [[String]] = [
            ["retention", "show"], ["info"], ["users", "list"], ["calls", "show", "CA\(Self.evil)"], ["calls", "list"],
            ["messages", "show", "1"], ["search", "dash"],
            ["release", "CA\(Self.evil)", "--reason", "Settled", "--yes", "--user", "owner@example.test"],
            ["hold", "CA\(Self.evil)", "--reason", "Again \(Self.evil)", "--user", "owner@example.test"],
        ]
        for command in commands {
            let run = try handlet(command)
            XCTAssertEqual(run.status, 0, "\(command.first!): \(run.stderr)")
            assertInert(run.stdout, command.prefix(2).joined(separator: " "))
            assertInert(run.stderr, command.prefix(2).joined(separator: " ") + " (stderr)")
            if command != ["calls", "list"] {
                XCTAssertTrue(run.stdout.contains("␛]2;PWNED␇"), "the stand-ins show: \(command) \(run.stdout)")
            }
        }
        let retention = try handlet(["retention", "show"]).stdout
        XCTAssertTrue(retention.contains("Again ␛]2;PWNED␇␛[2J␛[31m<RLO>gnp.exe<LRI>"), retention)
        let call = try handlet(["calls", "show", "CA\(Self.evil)"]).stdout
        XCTAssertTrue(call.contains("Key ␛]2;PWNED␇ <RLO>: value ␛[31m"), "job-detail keys: \(call)")
    }

    func testInATerminalThePaneTitleStaysAndNoEscapeFromTheDataArrives() throws {
        try TerminalDriver.skipUnlessAvailable()
        for command in [["info"], ["retention", "show"], ["users", "list"], ["calls", "show", "CA\(Self.evil)"]] {
            let driver = try TerminalDriver(executable: try TerminalDriver.product("handlet"), arguments: command + ["--db", database.path])
            defer { driver.close() }
            let title = driver.paneTitle()
            XCTAssertEqual(try driver.waitForExit(), .init(rawValue: 0))
            XCTAssertEqual(driver.paneTitle(), title, "\(command): the title is unchanged")
            XCTAssertFalse(driver.paneTitle().contains("PWNED"))
            let output = driver.output()
            XCTAssertFalse(output.contains(0x1B), "\(command): no ESC at all in a plain command's output: \(driver.outputText())")
            XCTAssertTrue(driver.outputText().contains("␛]2;PWNED␇"), driver.outputText())
        }
    }

    func testErrorsEchoAtMostEightyColumnsOfInputSanitised() throws {
        let long = Self.evil + String(repeating: "x", count: 5_000)
        let runs = [
            try handlet(["info", "--user", long]),
            try handlet(["calls", "show", long]),
            try handlet(["calls", "list", "--since", long]),
            try handlet(["calls", "list", "--after", long]),
            try handlet(["info", "--db", folder.path + "/" + long], db: false),
            try handlet(["info", "--bogus-\(long)"]),
        ]
        for run in runs {
            XCTAssertNotEqual(run.status, 0)
            assertInert(run.stderr, "error")
            let first = run.stderr.split(separator: "\n").first.map(String.init) ?? ""
            XCTAssertLessThan(first.count, 300, first)
            XCTAssertFalse(run.stderr.contains(String(repeating: "x", count: 81)), run.stderr)
        }
        XCTAssertTrue(runs[0].stderr.hasPrefix("handlet: No user ␛]2;PWNED␇"), runs[0].stderr)
        XCTAssertTrue(runs[0].stderr.contains("…"), "a cut echo says so")
    }

    func testBadTermAndThemeErrorsAreShortAndNeverQuoteAFile() throws {
        try TerminalDriver.skipUnlessAvailable()
        let secret = folder.appendingPathComponent("secret.theme")
        try "root:$6$hash:19000:0:99999:7:::\nnormal = default\n".write(to: secret, atomically: true, encoding: .utf8)
        let theme = try TerminalDriver(executable: try TerminalDriver.product("handlet"),
                                       arguments: ["--db", database.path, "--theme", secret.path])
        defer { theme.close() }
        XCTAssertNotEqual(try theme.waitForExit(), .init(rawValue: 0))
        XCTAssertTrue(theme.outputText().contains("is not a theme file"), theme.outputText())
        XCTAssertFalse(theme.outputText().contains("root:"), "the file's content is never quoted: \(theme.outputText())")

        let term = try TerminalDriver(executable: try TerminalDriver.product("handlet"), arguments: ["--db", database.path],
                                      environment: ["TERM": "\u{1B}]2;PWNED\u{07}" + String(repeating: "t", count: 500)])
        defer { term.close() }
        let title = term.paneTitle()
        XCTAssertNotEqual(try term.waitForExit(), .init(rawValue: 0))
        XCTAssertEqual(term.paneTitle(), title)
        XCTAssertFalse(term.outputText().contains(String(repeating: "t", count: 81)), term.outputText())
        XCTAssertFalse(term.output().contains(0x07), "no BEL from TERM: \(term.outputText())")
    }

    func testJSONEscapesC1AndBidiButDecodesToTheExactText() throws {
        let run = try handlet(["messages", "show", "1", "--json"])
        XCTAssertEqual(run.status, 0, run.stderr)
        for raw in ["\u{9B}", "\u{202E}", "\u{2066}", "\u{1B}", "\u{07}"] {
            XCTAssertFalse(run.stdout.contains(raw), "no raw U+\(String(raw.unicodeScalars.first!.value, radix: 16))")
        }
        XCTAssertTrue(run.stdout.contains("\\u009b") && run.stdout.contains("\\u202e") && run.stdout.contains("\\u2066"), run.stdout)
        let json = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        let bodies = (json["messages"] as? [[String: Any]])?.compactMap { $0["body"] as? String } ?? []
        XCTAssertEqual(bodies, ["Hi -dash \(Self.evil) bye"], "the exact text comes back")

        let call = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(try handlet(["calls", "show", "CA\(Self.evil)", "--json"]).stdout.utf8)) as? [String: Any])
        XCTAssertEqual(call["external_id"] as? String, "CA\(Self.evil)")
    }

    func testAQueryStartingWithADashIsSearchableAfterDoubleDash() throws {
        let run = try handlet(["search", "--db", database.path, "--", "-dash"], db: false)
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertTrue(run.stdout.contains("[dash]"), run.stdout)
    }

    func testDBNamingAFolderAnEmptyStringOrAnOverlongPathIsOneLine() throws {
        let cases: [([String], Int32, String)] = [
            (["info", "--db", folder.path], 66, "is a folder"),
            (["demo", "--db", folder.path, "--calls", "1", "--messages", "1"], 73, "is a folder"),
            (["info", "--db", ""], 64, "--db is empty"),
            (["calls", "list", "--db", folder.path + "/" + String(repeating: "a/", count: 2_100) + "w.sqlite"], 64, "bytes long"),
            (["info", "--db", folder.path + "/" + String(repeating: "n", count: 300)], 64, "a file or folder name is at most"),
        ]
        for (arguments, status, says) in cases {
            let run = try handlet(arguments, db: false)
            XCTAssertEqual(run.status, status, "\(arguments.prefix(1)) \(run.stderr)")
            XCTAssertEqual(run.stderr.filter { $0 == "\n" }.count, 1, "one line: \(run.stderr)")
            XCTAssertTrue(run.stderr.contains(says), run.stderr)
            XCTAssertFalse(run.stderr.contains("NSCocoaErrorDomain"), run.stderr)
            XCTAssertLessThan(run.stderr.count, 300, run.stderr)
        }
    }

    func testANULInABodyHidesNothingFromShowOrJSON() throws {
        let plain = try handlet(["messages", "show", "2"])
        XCTAssertEqual(plain.status, 0, plain.stderr)
        XCTAssertTrue(plain.stdout.contains("Before␀hidden tail ␀zanzibar end"), plain.stdout)
        assertInert(plain.stdout, "messages show")

        let json = try handlet(["messages", "show", "2", "--json"])
        XCTAssertTrue(json.stdout.contains(#"Before\u0000hidden tail \u0000zanzibar end"#), json.stdout)
        let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let bodies = (object["messages"] as? [[String: Any]])?.compactMap { $0["body"] as? String } ?? []
        XCTAssertEqual(bodies, [Self.bodyWithNUL], "the whole text is exported")

        let search = try handlet(["search", "zanzibar"])
        XCTAssertTrue(search.stdout.contains("[zanzibar]"), "and search still finds the part after the NUL: \(search.stdout)")
    }
}
