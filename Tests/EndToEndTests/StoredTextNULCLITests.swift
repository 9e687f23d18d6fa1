import Foundation
import GRDB
@testable import HandletDomain
import XCTest
import HandletTestSupport

/// Issue 11: stored text holding a NUL byte hides nothing from any CLI output. Plain text shows
/// the NUL as ␀; `--json` keeps it (`\u0000`) except in search snippets, which are display text
/// and show ␀ like the plain output. Runs the real binary.
final class StoredTextNULCLITests: XCTestCase {
    static let name = "Nia\u{0}Nullson"
    static let summary = "Gas\u{0}hidden summary zanzibar"
    static let turn = "Hello\u{0}tail of turn quokka"
    static let subject = "Subj\u{0}ect tail"
    static let body = "Before\u{0}hidden tail \u{0}zanzibar end"
    private var folder: URL!
    private var database: URL!
    private var threadID: Int64 = 0

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("handlet-nul-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        database = folder.appendingPathComponent("workspace.sqlite")
        let now = Date()
        let workspace = try Workspace.create(
            at: database, workspace: WorkspaceRecord(name: "NUL test", businessName: "NUL Plumbing", createdAt: now),
            users: [User(name: "Olive Owner", email: "owner@example.test", role: .owner, createdAt: now)])
        threadID = try workspace.dbPool.write { db in
            var contact = Contact(name: Self.name, phone: "+447700900099", createdAt: now)
            try contact.insert(db)
            var call = Call(externalId: "CALL-NUL", direction: .inbound, fromNumber: "+447700900099", toNumber: "+441632960000",
                            contactId: contact.id, startedAt: now.addingTimeInterval(-60), durationSeconds: 42, handledBy: .aiAgent,
                            outcome: .bookedJob, summary: Self.summary,
                            transcript: Transcript(turns: [.init(speaker: .caller, offsetMs: 0, text: Self.turn)]),
                            recordingState: .notRecorded)
            try call.insert(db)
            var thread = MessageThread(contactId: contact.id, channel: .sms, subject: Self.subject, lastActivityAt: now, messageCount: 1)
            try thread.insert(db)
            var message = Message(threadId: thread.id!, channel: .sms, direction: .inbound, fromAddress: "+447700900099",
                                  toAddress: "+441632960000", contactId: contact.id, body: Self.body, sentAt: now,
                                  deliveryStatus: .received)
            try message.insert(db)
            return thread.id!.rawValue
        }
        try workspace.dbPool.close()
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: folder) }

    private func handlet(_ arguments: String...) throws -> HandletBinary.Outcome {
        let run = try HandletBinary.run(arguments + ["--db", database.path], environment: [:])
        XCTAssertEqual(run.status, 0, "\(arguments): \(run.stderr)")
        XCTAssertFalse(run.stdout.unicodeScalars.contains("\u{0}"), "no raw NUL from \(arguments)")
        return run
    }

    private func json(_ arguments: String...) throws -> Any {
        let run = try HandletBinary.run(arguments + ["--json", "--db", database.path], environment: [:])
        XCTAssertEqual(run.status, 0, "\(arguments): \(run.stderr)")
        return try JSONSerialization.jsonObject(with: Data(run.stdout.utf8))
    }

    func testMessagesListShowsTheSnippetNameAndSubjectWhole() throws {
        let plain = try handlet("messages", "list")
        XCTAssertTrue(plain.stdout.contains("Before␀hidden tail ␀zanzibar end"), plain.stdout)
        XCTAssertTrue(plain.stdout.contains("Nia␀Nullson"), plain.stdout)

        let list = try XCTUnwrap(try json("messages", "list") as? [[String: Any]])
        let thread = try XCTUnwrap(list.first, "\(list)")
        XCTAssertEqual(thread["last_snippet"] as? String, Self.body)
        XCTAssertEqual(thread["subject"] as? String, Self.subject)
        XCTAssertEqual(thread["contact_name"] as? String, Self.name)

        let show = try handlet("messages", "show", String(threadID))
        XCTAssertTrue(show.stdout.contains("Subject: Subj␀ect tail"), show.stdout)
        XCTAssertTrue(show.stdout.contains("Nia␀Nullson"), show.stdout)
    }

    func testSearchMatchesAfterTheNULAndTheSnippetShowsTheWordsBetween() throws {
        let plain = try handlet("search", "zanzibar")
        XCTAssertTrue(plain.stdout.contains("Before␀hidden tail ␀[zanzibar] end"), plain.stdout)
        XCTAssertTrue(plain.stdout.contains("Gas␀hidden summary [zanzibar]"), plain.stdout)
        XCTAssertTrue(plain.stdout.contains("Nia␀Nullson"), plain.stdout)
        let turn = try handlet("search", "quokka")
        XCTAssertTrue(turn.stdout.contains("Hello␀tail of turn [quokka]"), turn.stdout)

        let results = try XCTUnwrap(try json("search", "zanzibar") as? [String: Any])
        let hits = ((results["calls"] as? [[String: Any]]) ?? []) + ((results["messages"] as? [[String: Any]]) ?? [])
        let snippets = hits.compactMap { $0["snippet"] as? String }
        XCTAssertTrue(snippets.contains("Before␀hidden tail ␀zanzibar end"), "\(results)")
        XCTAssertEqual(hits.compactMap { $0["party"] as? String }, [Self.name, Self.name])
        for hit in hits {
            let snippet = Array(try XCTUnwrap(hit["snippet"] as? String))
            let ranges = try XCTUnwrap(hit["highlights"] as? [[Int]])
            XCTAssertEqual(ranges.map { String(snippet[$0[0]..<$0[1]]) }, ["zanzibar"], "the highlight marks the word after the NUL")
        }
    }

    func testCallsAndContactsShowTheSummaryTranscriptAndNameWhole() throws {
        let show = try handlet("calls", "show", "CALL-NUL")
        XCTAssertTrue(show.stdout.contains("Gas␀hidden summary zanzibar"), show.stdout)
        XCTAssertTrue(show.stdout.contains("Hello␀tail of turn quokka"), show.stdout)
        XCTAssertTrue(show.stdout.contains("Nia␀Nullson"), show.stdout)
        let call = try XCTUnwrap(try json("calls", "show", "CALL-NUL") as? [String: Any])
        XCTAssertTrue(String(describing: call).contains("hidden summary zanzibar"), "\(call)")
        XCTAssertTrue(String(describing: call).contains("tail of turn quokka"), "\(call)")

        let list = try handlet("calls", "list")
        XCTAssertTrue(list.stdout.contains("Nia␀Nullson"), list.stdout)

        let contacts = try handlet("contacts", "list")
        XCTAssertTrue(contacts.stdout.contains("Nia␀Nullson"), contacts.stdout)
        let contact = try handlet("contacts", "show", "1")
        XCTAssertTrue(contact.stdout.contains("Nia␀Nullson"), contact.stdout)
        XCTAssertTrue(contact.stdout.contains("Gas␀hidden summary zanzibar"), "the timeline: \(contact.stdout)")
        XCTAssertTrue(contact.stdout.contains("Before␀hidden tail ␀zanzibar end"), "the timeline: \(contact.stdout)")
    }
}
