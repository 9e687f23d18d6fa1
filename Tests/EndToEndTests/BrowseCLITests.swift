import Foundation
import GRDB
@testable import HandletDomain
import XCTest
import HandletTestSupport

/// Runs the built `handlet` binary against a small workspace and checks what a script sees.
final class BrowseCLITests: XCTestCase {
    /// The fixture's and the binary's clock (HANDLET_TEST_NOW): 23 Nov 2026 12:00 London, so
    /// `--since 7d` means the same seven days whenever the suite runs.
    static let now = Date(timeIntervalSince1970: 1_795_435_200)
    private var folder: URL!
    private var database: URL!
    private var ids: (recentMissed: Int64, thread: Int64, optedOut: Int64) = (0, 0, 0)

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("handlet-browse-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        database = folder.appendingPathComponent("workspace.sqlite")
        let now = Self.now
        let workspace = try Workspace.create(
            at: database, workspace: WorkspaceRecord(name: "CLI", businessName: "CLI Plumbing Ltd", createdAt: now),
            users: [User(name: "Owner", email: "owner@example.test", role: .owner, createdAt: now)])
        ids = try workspace.dbPool.write { db in
            var hostile = Contact(name: "Eve \u{1B}[31mRed\u{1B}[0m \u{202E}gnp.exe", phone: "+447700900666", createdAt: now)
            try hostile.insert(db)
            let hostileId = hostile.id!
            var optedOut = Contact(name: "Olly Out", phone: "+447700900777", optedOutAt: now, optOutKeyword: "STOP", createdAt: now)
            try optedOut.insert(db)
            let optedOutId = optedOut.id!
            var recentMissed: Int64 = 0
            for index in 0..<12 {
                var call = Call(externalId: "CA\(index)", direction: .inbound, fromNumber: "+44770090\(1000 + index)",
                                toNumber: "+441632960000", contactId: index == 0 ? hostileId : nil,
                                startedAt: now.addingTimeInterval(-Double(index) * 86_400), durationSeconds: 60 + index,
                                handledBy: .aiAgent, outcome: index.isMultiple(of: 3) ? .missed : .bookedJob,
                                summary: index == 5 ? "Immersion heater \u{1B}]0;pwned\u{07} replaced" : "Routine visit \(index)",
                                transcript: Transcript(turns: [.init(speaker: .caller, offsetMs: 1_500, text: "Hello there")]),
                                recordingState: .notRecorded)
                try call.insert(db)
                if index == 0 { recentMissed = call.id!.rawValue }
            }
            var thread = MessageThread(contactId: optedOutId, channel: .sms, lastActivityAt: now, messageCount: 2)
            try thread.insert(db)
            let threadId = thread.id!
            var inbound = Message(threadId: threadId, channel: .sms, direction: .inbound, fromAddress: "+447700900777",
                                  toAddress: "+441632960000", contactId: optedOutId, body: "Is the immersion fixed?",
                                  sentAt: now.addingTimeInterval(-60), deliveryStatus: .received)
            try inbound.insert(db)
            var reply = Message(threadId: threadId, channel: .sms, direction: .outbound, fromAddress: "+441632960000",
                                toAddress: "+447700900777", contactId: optedOutId, body: "Yes, all done. Reply STOP to opt out.",
                                sentAt: now, deliveryStatus: .delivered, autoSent: true)
            try reply.insert(db)
            return (recentMissed, threadId.rawValue, optedOutId.rawValue)
        }
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: folder)
    }

    private struct Run {
        let status: Int32
        let stdout: Data
        let stderr: String
        var text: String { String(decoding: stdout, as: UTF8.self) }
        func json() throws -> Any { try JSONSerialization.jsonObject(with: stdout) }
    }

    private func handlet(_ arguments: String...) throws -> Run { try handlet(arguments) }

    private func handlet(_ arguments: [String]) throws -> Run {
        let outcome = try HandletBinary.run(arguments + ["--db", database.path],
                                            environment: ["HANDLET_TEST_NOW": String(Int(Self.now.timeIntervalSince1970))],
                                            timeout: 60)
        XCTAssertEqual(outcome.reason, .exit, "handlet \(arguments.joined(separator: " ")) crashed")
        return Run(status: outcome.status, stdout: outcome.stdoutData, stderr: outcome.stderr)
    }

    func testCallsListAsJSONWithFilters() throws {
        let all = try handlet("calls", "list", "--json")
        XCTAssertEqual(all.status, 0, all.stderr)
        let rows = try XCTUnwrap(try all.json() as? [[String: Any]])
        XCTAssertEqual(rows.count, 12)
        XCTAssertEqual(rows.first?["id"] as? Int64, ids.recentMissed)
        for key in ["id", "cursor", "external_id", "started_at", "other_number", "direction", "duration_seconds",
                    "handled_by", "outcome", "recording_state"] {
            XCTAssertNotNil(rows.first?[key], key)
        }

        let missed = try XCTUnwrap(try handlet("calls", "list", "--outcome", "missed", "--since", "7d", "--json").json() as? [[String: Any]])
        XCTAssertEqual(missed.map { $0["external_id"] as? String }, ["CA0", "CA3", "CA6"])

        let firstPage = try XCTUnwrap(try handlet("calls", "list", "--limit", "5", "--json").json() as? [[String: Any]])
        let cursor = try XCTUnwrap(firstPage.last?["cursor"] as? String)
        let nextPage = try XCTUnwrap(try handlet("calls", "list", "--limit", "5", "--after", cursor, "--json").json() as? [[String: Any]])
        XCTAssertEqual(nextPage.map { $0["external_id"] as? String }, ["CA5", "CA6", "CA7", "CA8", "CA9"])

        let none = try handlet("calls", "list", "--outcome", "spam")
        XCTAssertEqual(none.status, 0)
        XCTAssertEqual(none.text, "No calls match the filters: Spam.\n")
    }

    /// Issue 25: `contacts list --search`, `calls list --number` (a number no contact has),
    /// `search` matching the last word as a prefix like the console, `--limit` the newest by time,
    /// and the messages list's unread / auto-sent / marketing flags.
    func testFindAnythingFromTheCLI() throws {
        let found = try handlet("contacts", "list", "--search", "olly", "--json")
        XCTAssertEqual(found.status, 0, found.stderr)
        XCTAssertEqual((try found.json() as? [[String: Any]])?.map { $0["name"] as? String }, ["Olly Out"])
        let byNumber = try XCTUnwrap(try handlet("contacts", "list", "--search", "07700 900777", "--json").json() as? [[String: Any]])
        XCTAssertEqual(byNumber.map { $0["name"] as? String }, ["Olly Out"])
        XCTAssertEqual(try handlet("contacts", "list", "--search", "nobody").text, "No contact matches nobody.\n")

        // +447700901004 called once (CA4) and no contact has it.
        let calls = try handlet("calls", "list", "--number", "07700 901004", "--json")
        XCTAssertEqual(calls.status, 0, calls.stderr)
        XCTAssertEqual((try calls.json() as? [[String: Any]])?.map { $0["external_id"] as? String }, ["CA4"])
        let bad = try handlet("calls", "list", "--number", "bob")
        XCTAssertEqual(bad.status, 64)
        XCTAssertTrue(bad.stderr.contains("--number bob: not a phone number"), bad.stderr)

        let prefix = try XCTUnwrap(try handlet("search", "immers", "--json").json() as? [String: Any])
        XCTAssertEqual((prefix["calls"] as? [Any])?.count, 1, "the last word matches as a prefix, as in the console")
        XCTAssertEqual((prefix["messages"] as? [Any])?.count, 1)
        let newest = try XCTUnwrap(try handlet("search", "routine", "--limit", "2", "--json").json() as? [String: Any])
        XCTAssertEqual((newest["calls"] as? [[String: Any]])?.compactMap { $0["id"] as? Int64 }.count, 2)

        let autoSent = try XCTUnwrap(try handlet("messages", "list", "--auto-sent", "--json").json() as? [[String: Any]])
        XCTAssertEqual(autoSent.count, 1)
        XCTAssertEqual(try XCTUnwrap(try handlet("messages", "list", "--marketing", "--json").json() as? [[String: Any]]).count, 0)
        XCTAssertEqual(try XCTUnwrap(try handlet("messages", "list", "--unread", "--json").json() as? [[String: Any]]).count, 0)
    }

    /// `calls list --sort COLUMN[:desc]`: the console's sort for scripts, paged by the cursors it prints.
    func testCallsListSortsByAColumnAndPagesWithItsCursors() throws {
        // Lengths are 60 + index: CA11 is the longest; missed are CA0, CA3, CA6, CA9.
        let longest = try XCTUnwrap(try handlet("calls", "list", "--sort", "length:desc", "--limit", "4", "--json").json() as? [[String: Any]])
        XCTAssertEqual(longest.map { $0["external_id"] as? String }, ["CA11", "CA10", "CA9", "CA8"])
        let cursor = try XCTUnwrap(longest.last?["cursor"] as? String)
        XCTAssertEqual(cursor.split(separator: "~").first, "68", "the cursor carries the sorted value: \(cursor)")
        let next = try XCTUnwrap(try handlet("calls", "list", "--sort", "length:desc", "--limit", "4", "--after", cursor, "--json").json()
                                 as? [[String: Any]])
        XCTAssertEqual(next.map { $0["external_id"] as? String }, ["CA7", "CA6", "CA5", "CA4"])

        let byOutcome = try XCTUnwrap(try handlet("calls", "list", "--sort", "outcome", "--json").json() as? [[String: Any]])
        XCTAssertEqual(byOutcome.prefix(8).map { $0["outcome"] as? String }, Array(repeating: "booked_job", count: 8))
        XCTAssertEqual(byOutcome.suffix(4).map { $0["external_id"] as? String }, ["CA9", "CA6", "CA3", "CA0"],
                       "missed last, oldest first within it")

        let plain = try handlet("calls", "list", "--sort", "duration")
        XCTAssertEqual(plain.status, 0, plain.stderr)
        XCTAssertTrue(plain.text.split(separator: "\n")[1].contains("1m 00s"), "the shortest first: \(plain.text)")

        let bad = try handlet("calls", "list", "--sort", "colour")
        XCTAssertEqual(bad.status, 64)
        XCTAssertTrue(bad.stderr.contains("--sort colour"), bad.stderr)
        XCTAssertTrue(try handlet("calls", "list").text.isEmpty == false)
        let foreign = try handlet("calls", "list", "--sort", "length", "--after", "1795435200.1")
        XCTAssertEqual(foreign.status, 64, "a cursor from another order is refused, not misread: \(foreign.stderr)")
        XCTAssertTrue(foreign.stdout.isEmpty)
    }

    func testUntrustedTextNeverReachesTheTerminalRaw() throws {
        for run in [try handlet("calls", "list"), try handlet("calls", "show", "CA0"), try handlet("calls", "show", "CA5"),
                    try handlet("search", "immersion"), try handlet("contacts", "list")] {
            XCTAssertEqual(run.status, 0, run.stderr)
            let forbidden = run.text.unicodeScalars.filter { ($0.value < 0x20 && $0 != "\n") || (0x7F...0x9F).contains($0.value)
                || (0x202A...0x202E).contains($0.value) || (0x2066...0x2069).contains($0.value) }
            XCTAssertEqual(forbidden.map(\.value), [], run.text)
        }
        XCTAssertTrue(try handlet("calls", "show", "CA0").text.contains("Eve ␛[31mRed␛[0m <RLO>gnp.exe"))
        let json = try XCTUnwrap(try handlet("calls", "show", "CA5", "--json").json() as? [String: Any])
        XCTAssertEqual(json["summary"] as? String, "Immersion heater \u{1B}]0;pwned\u{07} replaced", "JSON keeps the exact text, escaped")
    }

    func testSearchFindsBothKindsAndSurvivesHostileInput() throws {
        let found = try XCTUnwrap(try handlet("search", "immersion", "--json").json() as? [String: Any])
        let calls = try XCTUnwrap(found["calls"] as? [[String: Any]])
        let messages = try XCTUnwrap(found["messages"] as? [[String: Any]])
        XCTAssertEqual(calls.map { $0["kind"] as? String }, ["call"])
        XCTAssertEqual(messages.first?["thread_id"] as? Int64, ids.thread)
        XCTAssertEqual(messages.first?["snippet"] as? String, "Is the immersion fixed?")
        XCTAssertEqual(messages.first?["highlights"] as? [[Int]], [[7, 16]])
        XCTAssertTrue(try handlet("search", "immersion").text.contains("Is the [immersion] fixed?"))

        let onlyCalls = try XCTUnwrap(try handlet("search", "immersion", "--outcome", "booked_job", "--json").json() as? [String: Any])
        XCTAssertEqual((onlyCalls["messages"] as? [Any])?.count, 0)

        for hostile in ["\"immersion", "NEAR(", "*", "immersion OR", "'; DROP TABLE calls; --", String(repeating: "(\"", count: 5_000)] {
            let run = try handlet("search", hostile)
            XCTAssertTrue(run.status == 0 || run.stderr.hasPrefix("handlet: "), "\(hostile.prefix(20)): \(run.stderr)")
        }
        let stopWords = try handlet("search", "the and of")
        XCTAssertEqual(stopWords.status, 64, "the words given cannot make a search: usage")
        XCTAssertEqual(stopWords.stderr, "handlet: Nothing to search for: add a word more specific than \"the\", \"and\" or \"of\".\n")
        let nothing = try handlet("search", "zebra", "--channel", "email")
        XCTAssertEqual(nothing.text, "Nothing found for zebra with the filters: Email.\n")
    }

    func testMessagesAndContacts() throws {
        let threads = try XCTUnwrap(try handlet("messages", "list", "--channel", "sms", "--json").json() as? [[String: Any]])
        XCTAssertEqual(threads.first?["id"] as? Int64, ids.thread)
        XCTAssertEqual(threads.first?["last_direction"] as? String, "outbound")
        let thread = try XCTUnwrap(try handlet("messages", "show", String(ids.thread), "--json").json() as? [String: Any])
        let messages = try XCTUnwrap(thread["messages"] as? [[String: Any]])
        XCTAssertEqual(messages.map { $0["auto_sent"] as? Bool }, [false, true])
        XCTAssertEqual(messages.map { $0["delivery_status"] as? String }, ["received", "delivered"])
        XCTAssertTrue(try handlet("messages", "show", String(ids.thread)).text.contains("[auto-sent]"))

        let contact = try handlet("contacts", "show", String(ids.optedOut))
        XCTAssertEqual(contact.status, 0, contact.stderr)
        XCTAssertTrue(contact.text.contains("Opted out:   yes"))
        XCTAssertTrue(contact.text.contains("(STOP)"))
        let timeline = try XCTUnwrap((try handlet("contacts", "show", String(ids.optedOut), "--json").json() as? [String: Any])?["timeline"] as? [[String: Any]])
        XCTAssertEqual(timeline.map { $0["kind"] as? String }, ["message", "message"])
        let everyone = try XCTUnwrap(try handlet("contacts", "list", "--json").json() as? [[String: Any]])
        XCTAssertEqual(everyone.count, 2)
        let firstPage = try XCTUnwrap(try handlet("contacts", "list", "--limit", "1", "--json").json() as? [[String: Any]])
        let lastId = try XCTUnwrap(firstPage.last?["id"] as? Int64)
        let secondPage = try XCTUnwrap(try handlet("contacts", "list", "--limit", "1", "--after", String(lastId), "--json").json() as? [[String: Any]])
        XCTAssertEqual((firstPage + secondPage).map { $0["id"] as? Int64 }, everyone.map { $0["id"] as? Int64 })
        let pastTheEnd = try XCTUnwrap(try handlet("contacts", "list", "--after", String(try XCTUnwrap(secondPage.last?["id"] as? Int64)), "--json").json() as? [[String: Any]])
        XCTAssertTrue(pastTheEnd.isEmpty)
        let unknown = try handlet("contacts", "list", "--after", "999999")
        XCTAssertEqual(unknown.status, 65, "no such record is bad data")
        XCTAssertEqual(unknown.stderr, "handlet: --after 999999: no contact with that id in this workspace.\n")
    }

    /// The plain tables print the console's columns: the same declaration, headers in capitals,
    /// cells as the console shows them (made safe), plus the id that `show` takes.
    func testPlainTablesPrintTheListsDeclaredColumns() throws {
        func table(_ run: Run) -> [[String]] {
            XCTAssertEqual(run.status, 0, run.stderr)
            return run.text.split(separator: "\n").map {
                $0.trimmingCharacters(in: .whitespaces).components(separatedBy: "  ").filter { !$0.isEmpty }
                    .map { $0.trimmingCharacters(in: .whitespaces) }
            }
        }
        // A time column's header also says the zone its times are in (issue 25): "WHEN (Europe/London)".
        func unzoned(_ headers: [String]?) -> [String]? {
            headers?.map { $0.replacingOccurrences(of: #" \(Europe/London\)$"#, with: "", options: .regularExpression) }
        }
        let calls = table(try handlet("calls", "list"))
        XCTAssertTrue(calls.first?.contains { $0.hasPrefix("WHEN (") } == true, calls.first?.description ?? "")
        XCTAssertEqual(unzoned(calls.first), CallRow.columns.headers(for: .plainText).map { $0.uppercased() })
        XCTAssertEqual(calls.count, 1 + 12)
        let newest = calls[1]
        XCTAssertEqual(newest[0], String(ids.recentMissed), "the id `calls show` takes")
        XCTAssertEqual(newest[2], "Eve ␛[31mRed␛[0m <RLO>gnp.exe", "the party, made safe")
        XCTAssertEqual(Array(newest[3...]), ["in", "1m 00s", "AI agent", "Missed", "none"], newest.description)
        let messages = table(try handlet("messages", "list"))
        XCTAssertEqual(unzoned(messages.first), ThreadRow.columns.headers(for: .plainText).map { $0.uppercased() })
        XCTAssertEqual(messages[1].first, String(ids.thread), "the id `messages show` takes")
        XCTAssertEqual(messages[1].last, "→ Yes, all done. Reply STOP to opt out.")
        let contacts = table(try handlet("contacts", "list"))
        XCTAssertEqual(contacts.first, ContactRow.columns.headers(for: .plainText).map { $0.uppercased() })
        XCTAssertTrue(contacts.contains([String(ids.optedOut), "Olly Out", "+447700900777", "opted out"]), contacts.description)
        let contact = table(try handlet("contacts", "show", String(ids.optedOut)))
        let timeline = try XCTUnwrap(contact.firstIndex { $0.first == "Timeline (newest first)" })
        XCTAssertEqual(unzoned(contact[timeline + 1]), TimelineEntry.columns.headers(for: .plainText).map { $0.uppercased() })
        XCTAssertEqual(Array(contact[timeline + 2].dropFirst()), ["message", "out", "SMS", "Yes, all done. Reply STOP to opt out."])
    }

    func testBadInputIsAClearOneLineFailure() throws {
        let channelOnCalls = try handlet("calls", "list", "--channel", "sms")
        XCTAssertEqual(channelOnCalls.status, 64)
        XCTAssertEqual(channelOnCalls.stderr, "handlet: --channel applies to messages; calls have no channel.\n")
        XCTAssertEqual(try handlet("calls", "show", "CA999").stderr, "handlet: No call CA999 in this workspace.\n")
        // Every failure, a command's own or an argument error (issue 16), is one line on standard error.
        let cases: [(arguments: [String], status: Int32, says: String)] = [
            (["calls", "show", "CA999"], 65, "handlet: No call CA999 in this workspace."),
            (["messages", "show", "999"], 65, "handlet: No thread 999 in this workspace."),
            (["calls", "list", "--since", "2026-02-30"], 64, "handlet: --since \"2026-02-30\" is not a date: give today"),
            (["calls", "list", "--since", "2026-03-02", "--until", "2026-03-01"], 64,
             "handlet: --since 2026-03-02 --until 2026-03-01: The end is before the start"),
            (["calls", "list", "--outcome", "bogus"], 64, "handlet: The value 'bogus' is invalid for '--outcome <OUTCOME>'"),
            (["calls", "list", "--limit", "0"], 65, "handlet: --limit 0: expected 1 to 10000."),
            (["calls", "list", "--after", "yesterday"], 64, "handlet: --after yesterday: expected a cursor"),
        ]
        for (arguments, status, says) in cases {
            let run = try handlet(arguments)
            let name = arguments.joined(separator: " ")
            XCTAssertEqual(run.status, status, "\(name): \(run.stderr)")
            XCTAssertEqual(run.text, "", "\(name): nothing on standard output")
            let lines = run.stderr.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            XCTAssertEqual(lines.last, "", "\(name): ends with a newline")
            XCTAssertTrue(lines.first?.hasPrefix(says) == true, "\(name): the line says what was wrong:\n\(run.stderr)")
            XCTAssertEqual(lines.count, 2, "\(name): exactly one line on standard error:\n\(run.stderr)")
        }
    }
}
