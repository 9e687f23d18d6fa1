import Foundation
import GRDB
@testable import HandletDomain
import XCTest

/// Separate retention for call text and message text (DESIGN §5), and data minimisation (issue 23).
final class TextRetentionTests: XCTestCase {
    private func owner(_ fixture: BrowseFixture) throws -> WorkspaceSession {
        fixture.workspace.session(as: try fixture.workspace.actor(email: "owner@example.test"))
    }

    private func agent(_ fixture: BrowseFixture) throws -> WorkspaceSession {
        fixture.workspace.session(as: try fixture.workspace.actor(email: "agent@example.test"))
    }

    /// Calls and messages 10, 40, 100 and 400 days old, each with a word of its own.
    private struct Aged {
        var calls: [Int: Call.ID] = [:]
        var messages: [Int: Message.ID] = [:]
        var thread: MessageThread.ID
    }

    private static let ages = [10, 40, 100, 400]

    private func aged(_ fixture: BrowseFixture) throws -> Aged {
        let contact = try fixture.addContact("Priya Kaur", phone: "+447700900555")
        let thread = try fixture.addThread(contact: contact, channel: .sms)
        var aged = Aged(thread: thread)
        for age in Self.ages {
            aged.calls[age] = try fixture.addCall(at: BrowseFixture.at(days: -Double(age)), contact: contact,
                                                  summary: "Callword\(age) summary",
                                                  turns: [.init(speaker: .caller, offsetMs: 0, text: "Transcriptword\(age) please")])
            aged.messages[age] = try fixture.addMessage(thread: thread, at: BrowseFixture.at(days: -Double(age)),
                                                        body: "Messageword\(age) body", attachments: [Attachment(name: "scan\(age).pdf", bytes: 10)])
        }
        return aged
    }

    private func matches(_ fixture: BrowseFixture, _ table: String, _ word: String) throws -> Int {
        try fixture.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \(table) WHERE \(table) MATCH ?", arguments: [word])! }
    }

    // MARK: Periods

    func testPeriodBoundaries() throws {
        XCTAssertThrowsError(try TextRetentionPeriod(parsing: "29")) {
            XCTAssertEqual($0 as? TextRetentionError, .outOfRange("29"))
            XCTAssertEqual(($0 as? any SysexitsError)?.exitClass, .dataError)
        }
        XCTAssertEqual(try TextRetentionPeriod(parsing: "30").days, 30)
        XCTAssertEqual(try TextRetentionPeriod(parsing: "3650").days, 3650)
        XCTAssertThrowsError(try TextRetentionPeriod(parsing: "3651")) { XCTAssertEqual($0 as? TextRetentionError, .outOfRange("3651")) }
        XCTAssertThrowsError(try TextRetentionPeriod(days: 29))
        XCTAssertThrowsError(try TextRetentionPeriod(days: 3651))
        for bad in ["", "thirty", "-30", "30.5", "+30", "1e2"] {
            XCTAssertThrowsError(try TextRetentionPeriod(parsing: bad), bad) {
                XCTAssertEqual(($0 as? any SysexitsError)?.exitClass, .usage, bad)
            }
        }
    }

    func testOffByDefaultAndThePurgeLeavesTextAlone() throws {
        let fixture = try BrowseFixture()
        let aged = try aged(fixture)
        let overview = try owner(fixture).read(.retentionOverview(now: BrowseFixture.now))
        XCTAssertNil(overview.textRetention.transcripts)
        XCTAssertNil(overview.textRetention.messages)
        let report = try fixture.workspace.session(as: .system).purge(now: BrowseFixture.now)
        XCTAssertEqual(report.run.callTexts, 0)
        XCTAssertEqual(report.run.messageTexts, 0)
        XCTAssertEqual(try fixture.read { db in try Call.fetchOne(db, key: aged.calls[400])!.summary }, "Callword400 summary")
    }

    func testPreviewCountsWhatANewPeriodMakesDue() throws {
        let fixture = try BrowseFixture()
        _ = try aged(fixture)
        let session = try owner(fixture)
        // Off to 30 days: everything older than 30 days (40, 100, 400).
        let on = try session.read(.textImpactPreview(.transcripts, changingTo: try TextRetentionPeriod(days: 30), now: BrowseFixture.now))
        XCTAssertTrue(on.isShortening)
        XCTAssertEqual(on.items, 3)
        XCTAssertEqual(on.oldest, BrowseFixture.at(days: -400))
        XCTAssertEqual(on.newest, BrowseFixture.at(days: -40))
        // The plan shows it and asks.
        let plan = try session.plan(.setTextRetention(.messages, to: try TextRetentionPeriod(days: 90)), at: BrowseFixture.now)
        XCTAssertNotNil(plan.confirmation)
        guard case .textRetention(let impact)? = plan.preview else { return XCTFail("no preview") }
        XCTAssertEqual(impact.items, 2)
        XCTAssertThrowsError(try session.perform(plan, confirmed: false, at: BrowseFixture.now)) { XCTAssertTrue($0 is ChangeNotConfirmed) }
        try session.perform(plan, confirmed: true, at: BrowseFixture.now)
        // 90 to 365 lengthens: nothing due, nothing asked. 365 back to 90 from 365: only what is in (90, 365].
        let longer = try session.plan(.setTextRetention(.messages, to: try TextRetentionPeriod(days: 365)), at: BrowseFixture.now)
        XCTAssertNil(longer.confirmation)
        try session.perform(longer, confirmed: false, at: BrowseFixture.now)
        let shorter = try session.read(.textImpactPreview(.messages, changingTo: try TextRetentionPeriod(days: 90), now: BrowseFixture.now))
        XCTAssertEqual(shorter.items, 1)
        XCTAssertEqual(shorter.oldest, BrowseFixture.at(days: -100))
        // Turning off asks nothing and removes nothing.
        let off = try session.plan(.setTextRetention(.messages, to: nil), at: BrowseFixture.now)
        XCTAssertNil(off.confirmation)
        let change = try session.perform(off, confirmed: false, at: BrowseFixture.now)
        XCTAssertEqual(change.from?.days, 365)
        XCTAssertNil(change.to)
        let events = try fixture.read { db in
            try String.fetchAll(db, sql: "SELECT details FROM audit_events WHERE action = 'retention.text_period_changed' ORDER BY seq")
        }
        XCTAssertEqual(events.count, 3)
        XCTAssertTrue(events[0].contains("\"to_days\":90"), events[0])
    }

    func testOnlyOwnersAndAdminsSetTextPeriodsAndNothingChangesWhenRefused() throws {
        let fixture = try BrowseFixture()
        let plan = try agent(fixture).plan(.setTextRetention(.transcripts, to: try TextRetentionPeriod(days: 30)))
        XCTAssertEqual((plan.refusalError as? PermissionDenied)?.permission, .changeRetention)
        XCTAssertThrowsError(try agent(fixture).perform(.setTextRetention(.transcripts, to: try TextRetentionPeriod(days: 30))))
        XCTAssertNil(try owner(fixture).read(.retentionOverview()).textRetention.transcripts)
    }

    // MARK: The purge

    func testPurgeRemovesExactlyTheOldTextKeepsMetadataAndTheIndexForgetsIt() throws {
        let fixture = try BrowseFixture()
        let aged = try aged(fixture)
        // A call on legal hold keeps its text with its audio.
        let held = try fixture.addCall(at: BrowseFixture.at(days: -500), summary: "Heldword summary")
        try fixture.addRecording(call: held, createdAt: BrowseFixture.at(days: -500), expiresAt: BrowseFixture.at(days: -470),
                                 legalHold: true)
        let session = try owner(fixture)
        try session.perform(.setTextRetention(.transcripts, to: try TextRetentionPeriod(days: 30)).confirming(true), at: BrowseFixture.now)
        try session.perform(.setTextRetention(.messages, to: try TextRetentionPeriod(days: 365)).confirming(true), at: BrowseFixture.now)
        let before = try fixture.read { db in try Call.fetchAll(db).sorted { $0.id! < $1.id! } }
        let overview = try session.read(.retentionOverview(now: BrowseFixture.now))
        XCTAssertEqual(overview.textDue.calls, 3)
        XCTAssertEqual(overview.textDue.messages, 1)
        XCTAssertEqual(try session.read(.purgePlan(now: BrowseFixture.now)).callTexts, 3)

        let report = try fixture.workspace.session(as: .system).purge(batchSize: 2, now: BrowseFixture.now)
        XCTAssertEqual(report.run.callTexts, 3)
        XCTAssertEqual(report.run.messageTexts, 1)

        let after = try fixture.read { db in try Call.fetchAll(db).sorted { $0.id! < $1.id! } }
        for (old, new) in zip(before, after) {
            let age = Self.ages.first { aged.calls[$0] == old.id }
            let removed = age.map { $0 > 30 } ?? false
            XCTAssertEqual(new.summary.isEmpty, removed, "call \(old.externalId)")
            XCTAssertEqual(new.transcript.isEmpty, removed || old.transcript.isEmpty, "call \(old.externalId)")
            // Metadata stays.
            XCTAssertEqual(new.startedAt, old.startedAt)
            XCTAssertEqual(new.fromNumber, old.fromNumber)
            XCTAssertEqual(new.outcome, old.outcome)
            XCTAssertEqual(new.durationSeconds, old.durationSeconds)
            XCTAssertEqual(new.contactId, old.contactId)
        }
        XCTAssertEqual(try fixture.read { db in try Call.fetchOne(db, key: held)!.summary }, "Heldword summary")
        let marks = try fixture.read { db in
            try Row.fetchAll(db, sql: "SELECT id, text_removed, text_removed_at FROM messages ORDER BY id")
        }
        for row in marks {
            let id: Int64 = row[0]
            let isOld = id == aged.messages[400]!.rawValue
            XCTAssertEqual(row[1] as String?, isOld ? "retention" : nil)
            XCTAssertEqual(row[2] as Int64?, isOld ? Int64(BrowseFixture.now.timeIntervalSince1970) : nil)
        }
        let message = try fixture.read { db in try Message.fetchOne(db, key: aged.messages[400])! }
        XCTAssertEqual(message.body, "")
        XCTAssertNil(message.attachments)
        XCTAssertEqual(message.sentAt, BrowseFixture.at(days: -400))
        XCTAssertEqual(message.threadId, aged.thread)

        // The search no longer finds the removed text and still finds the rest.
        for age in [40, 100, 400] {
            XCTAssertEqual(try matches(fixture, "call_fts", "callword\(age)"), 0)
            XCTAssertEqual(try matches(fixture, "call_fts", "transcriptword\(age)"), 0)
        }
        XCTAssertEqual(try matches(fixture, "call_fts", "callword10"), 1)
        XCTAssertEqual(try matches(fixture, "message_fts", "messageword400"), 0)
        XCTAssertEqual(try matches(fixture, "message_fts", "messageword100"), 1)
        XCTAssertEqual(try fixture.read { db in try String.fetchAll(db, sql: "PRAGMA integrity_check") }, ["ok"])
        try fixture.write { db in
            try db.execute(sql: "INSERT INTO call_fts(call_fts) VALUES('integrity-check')")
            try db.execute(sql: "INSERT INTO message_fts(message_fts) VALUES('integrity-check')")
        }

        // One audit event for the run, with the text counts.
        let details = try fixture.read { db in
            try String.fetchAll(db, sql: "SELECT details FROM audit_events WHERE action = 'recording.purge_run'")
        }
        XCTAssertEqual(details.count, 1)
        XCTAssertTrue(details[0].contains("\"call_texts\":3") && details[0].contains("\"message_texts\":1"), details[0])
        let last = try XCTUnwrap(try session.read(.retentionOverview(now: BrowseFixture.now)).lastPurge)
        XCTAssertEqual(last.callTexts, 3)

        // A second run finds nothing more.
        let again = try fixture.workspace.session(as: .system).purge(now: BrowseFixture.now)
        XCTAssertEqual(again.run.callTexts + again.run.messageTexts, 0)
    }

    /// A thread's subject is text too: blanked by the purge once none of its messages keeps its
    /// text, kept while one does; a thread whose text is kept is untouched.
    func testThreadSubjectsGoWithTheirLastMessagesText() throws {
        let fixture = try BrowseFixture()
        let contact = try fixture.addContact("Tom Reyes", phone: "+447700900556")
        let old = try fixture.addThread(contact: contact, channel: .email, subject: "Oldsubject about my diagnosis")
        let mixed = try fixture.addThread(contact: contact, channel: .email, subject: "Mixedsubject quote")
        _ = try fixture.addMessage(thread: old, at: BrowseFixture.at(days: -400), body: "Old one")
        _ = try fixture.addMessage(thread: old, at: BrowseFixture.at(days: -390), body: "Old two")
        _ = try fixture.addMessage(thread: mixed, at: BrowseFixture.at(days: -400), body: "Old three")
        let recent = try fixture.addMessage(thread: mixed, at: BrowseFixture.at(days: -10), body: "Recent")
        let session = try owner(fixture)
        try session.perform(.setTextRetention(.messages, to: try TextRetentionPeriod(days: 365)).confirming(true), at: BrowseFixture.now)
        try fixture.workspace.session(as: .system).purge(batchSize: 1, now: BrowseFixture.now)
        func subject(_ id: MessageThread.ID) throws -> String? {
            try fixture.read { db in try String.fetchOne(db, sql: "SELECT subject FROM threads WHERE id = ?", arguments: [id]) }
        }
        XCTAssertEqual(try subject(old), "")
        XCTAssertEqual(try subject(mixed), "Mixedsubject quote")
        // Deleting the last kept message's text blanks its thread's subject too.
        try session.perform(.deleteMessageText(recent).confirming(true), at: BrowseFixture.now)
        XCTAssertEqual(try subject(mixed), "")
    }

    // MARK: Data minimisation

    func testDeletingOneMessagesTextAsksRemovesItFromSearchAndTheMatchesAndIsAudited() throws {
        let fixture = try BrowseFixture()
        let contact = try fixture.addContact("Jane Diabetic-Test", phone: "+447700900777")
        let thread = try fixture.addThread(contact: contact, channel: .whatsapp)
        let sensitive = try fixture.addMessage(thread: thread, at: BrowseFixture.at(days: -2), body: "I am diabetic so please call before")
        let other = try fixture.addMessage(thread: thread, at: BrowseFixture.at(days: -1), body: "Thanks, see you Tuesday")
        let session = try owner(fixture)
        let hits = try session.read(.specialCategoryHits(now: BrowseFixture.now))
        XCTAssertEqual(hits.count, 1)
        XCTAssertEqual(hits.first?.contactName, "Jane Diabetic-Test")
        XCTAssertTrue(hits.first?.snippet.contains("diabetic") == true, hits.first?.snippet ?? "")

        let plan = try session.plan(.deleteMessageText(sensitive), at: BrowseFixture.now)
        XCTAssertEqual(plan.confirmation?.isDestructive, true)
        guard case .textDeletion(let preview)? = plan.preview else { return XCTFail("no preview") }
        XCTAssertEqual(preview.characters, 35)
        XCTAssertEqual(preview.contactName, "Jane Diabetic-Test")
        XCTAssertThrowsError(try session.perform(plan, confirmed: false)) { XCTAssertTrue($0 is ChangeNotConfirmed) }
        XCTAssertEqual(try fixture.read { db in try Message.fetchOne(db, key: sensitive)!.body }, "I am diabetic so please call before")

        let deleted = try session.perform(plan, confirmed: true, at: BrowseFixture.now)
        XCTAssertEqual(deleted.characters, 35)
        XCTAssertEqual(try fixture.read { db in try Message.fetchOne(db, key: sensitive)!.body }, "")
        XCTAssertEqual(try fixture.read { db in try Message.fetchOne(db, key: other)!.body }, "Thanks, see you Tuesday")
        XCTAssertEqual(try matches(fixture, "message_fts", "diabetic"), 0)
        XCTAssertEqual(try session.read(.specialCategoryHits(now: BrowseFixture.now)), [])
        let events = try fixture.read { db in
            try Row.fetchAll(db, sql: "SELECT actor, target, details FROM audit_events WHERE action = 'message.text_deleted'")
        }
        XCTAssertEqual(events.count, 1)
        XCTAssertEqual(events[0][0] as String, "owner@example.test")
        XCTAssertEqual(events[0][1] as String, "message:\(sensitive)")
        XCTAssertFalse((events[0][2] as String).contains("diabetic"))

        // Again: refused, nothing written.
        let again = try session.plan(.deleteMessageText(sensitive))
        XCTAssertEqual(again.refusalError as? TextDeletionError, .alreadyDeleted("message \(sensitive)"))
        // An agent may not; an unknown id is bad data.
        XCTAssertEqual((try agent(fixture).plan(.deleteMessageText(other)).refusalError as? PermissionDenied)?.permission, .minimiseData)
        XCTAssertThrowsError(try session.perform(.deleteMessageText(Message.ID(999_999)).confirming(true))) {
            XCTAssertEqual($0 as? TextDeletionError, .noSuchMessage("999999"))
            XCTAssertEqual(($0 as? any SysexitsError)?.exitClass, .dataError)
        }
        XCTAssertEqual(try fixture.read { db in try Message.fetchOne(db, key: other)!.body }, "Thanks, see you Tuesday")
    }

    func testDeletingOneCallsTextKeepsTheCall() throws {
        let fixture = try BrowseFixture()
        let call = try fixture.addCall(at: BrowseFixture.at(days: -3), summary: "Caller mentioned chemotherapy appointments",
                                       turns: [.init(speaker: .caller, offsetMs: 0, text: "After my chemotherapy please")])
        let session = try owner(fixture)
        let external = try fixture.read { db in try Call.fetchOne(db, key: call)!.externalId }
        XCTAssertEqual(try session.read(.specialCategoryHits(now: BrowseFixture.now)).count, 1)
        let plan = try session.plan(.deleteCallText(named: external))
        XCTAssertNotNil(plan.confirmation)
        try session.perform(plan, confirmed: true)
        let after = try fixture.read { db in try Call.fetchOne(db, key: call)! }
        XCTAssertEqual(after.summary, "")
        XCTAssertEqual(after.transcript, "")
        XCTAssertEqual(after.externalId, external)
        XCTAssertEqual(after.startedAt, BrowseFixture.at(days: -3))
        XCTAssertEqual(try matches(fixture, "call_fts", "chemotherapy"), 0)
        XCTAssertEqual(try session.read(.specialCategoryHits(now: BrowseFixture.now)), [])
        XCTAssertEqual(try fixture.read { db in
            try String.fetchOne(db, sql: "SELECT text_removed FROM calls WHERE id = ?", arguments: [call])
        }, "deleted")
        XCTAssertThrowsError(try session.perform(.deleteCallText(named: "CA-NOPE").confirming(true))) {
            XCTAssertEqual($0 as? RetentionError, .noSuchCall("CA-NOPE"))
        }
    }
}
