import Foundation
import GRDB
@testable import HandletDomain
import XCTest
import HandletTestSupport

/// Issue 23, the session-10 leftovers: reviews a person wrote, picked by the user (a review site
/// shows "Jane S.", not a contact); the export's and a new request's plans; and deleting one
/// item's text without rewriting the whole search index (the next purge compacts it).
final class DataSubjectReviewsAndCompactionTests: XCTestCase {
    private static let planted = "Ysolde Marrowgate-Quennell"

    private func workspace() throws -> (RolesWorkspace, PlantedPerson, PlantedPerson) {
        let fixture = try RolesWorkspace()
        let person = try fixture.workspace.plantPerson(name: Self.planted, phones: ["+447700900321"], email: "ysolde@example.test",
                                                       at: RolesWorkspace.at(days: 1), seed: 1)
        let other = try fixture.workspace.plantPerson(name: "Ysolde Marsh", phones: ["+447700900322"], email: "ym@example.test",
                                                      at: RolesWorkspace.at(days: 2), seed: 2)
        return (fixture, person, other)
    }

    private func addReview(_ fixture: RolesWorkspace, author: String, text: String, days: Double) throws -> Int64 {
        try fixture.workspace.dbPool.write { db in
            try Review(source: "google", author: author, stars: 4, text: text, postedAt: RolesWorkspace.at(days: days)).inserted(db).id!
        }
    }

    private func error(_ work: () throws -> Void) -> (any Error)? {
        do { try work(); return nil } catch { return error }
    }

    // MARK: Reviews

    func testAuthorMatching() {
        XCTAssertTrue(ReviewAttribution.couldBe(author: "Ysolde M.", name: "Ysolde Marrowgate-Quennell"))
        XCTAssertTrue(ReviewAttribution.couldBe(author: "ysolde marrowgate-quennell", name: "Ysolde Marrowgate-Quennell"))
        XCTAssertTrue(ReviewAttribution.couldBe(author: "Zoë Q.", name: "Zoe Quill"), "accents folded")
        XCTAssertFalse(ReviewAttribution.couldBe(author: "Ysolde", name: "Ysolde Marrowgate"), "a first name alone is too vague")
        XCTAssertFalse(ReviewAttribution.couldBe(author: "Ysolde K.", name: "Ysolde Marrowgate"))
        XCTAssertFalse(ReviewAttribution.couldBe(author: "Yvonne M.", name: "Ysolde Marrowgate"))
        XCTAssertFalse(ReviewAttribution.couldBe(author: "Bright Sparks Ltd", name: "Bright Sparks"))
    }

    func testPickedReviewsAreHeldExportedAndErasedAndOthersUntouched() throws {
        let (fixture, person, other) = try workspace()
        let mine = try addReview(fixture, author: "Ysolde M.", text: "Boiler fixed the same day", days: 3)
        let alsoShort = try addReview(fixture, author: "Ysolde M.", text: "Second visit was fine", days: 4)
        let stranger = try addReview(fixture, author: "Kit P.", text: "Fine", days: 5)
        let owner = fixture.workspace.session(as: fixture.owner)
        let admin = fixture.workspace.session(as: fixture.admin)

        // Both Ysoldes' initials match "Ysolde M.": suggested to each, held by neither until picked
        // (and each one's whole-name review may be the other's: suggested too, the user decides).
        XCTAssertEqual(Set(try admin.read(.reviewSuggestions(person.contactIDs)).compactMap(\.id)).intersection([mine, alsoShort, stranger]),
                       [mine, alsoShort])
        XCTAssertEqual(Set(try admin.read(.reviewSuggestions(other.contactIDs)).compactMap(\.id)).intersection([mine, alsoShort, stranger]),
                       [mine, alsoShort])
        XCTAssertEqual(try admin.read(.heldAbout(person.contactIDs)).reviews.map(\.author), [Self.planted], "the whole-name review only")

        // The admin picks one for the person: held, audited by ids, no longer suggested to anyone.
        let picked = try admin.perform(.attributeReviews([mine], to: person.contactIDs[0]))
        XCTAssertEqual(picked.reviewIds, [mine])
        let held = try admin.read(.heldAbout(person.contactIDs))
        XCTAssertEqual(Set(held.reviews.compactMap(\.id)).contains(mine), true)
        XCTAssertFalse(try admin.read(.reviewSuggestions(person.contactIDs)).contains { $0.id == mine })
        XCTAssertFalse(try admin.read(.reviewSuggestions(other.contactIDs)).contains { $0.id == mine })
        XCTAssertTrue(try admin.read(.reviewSuggestions(other.contactIDs)).contains { $0.id == alsoShort })
        let event = try XCTUnwrap(fixture.workspace.dbPool.read { db in
            try Row.fetchOne(db, sql: "SELECT target, details, seq FROM audit_events WHERE action = 'dsr.reviews_attributed'")
        })
        XCTAssertEqual(event[0] as String, "contact:\(person.contactIDs[0].rawValue)")
        XCTAssertFalse((event[1] as String).contains("Ysolde"), "ids only in the log")
        XCTAssertTrue(held.auditEventSeqs.contains(event[2] as Int64), "the picking is among the events naming them")

        // Picking it again changes nothing; picking it for the other person is refused; agents may not pick.
        XCTAssertEqual(try admin.perform(.attributeReviews([mine], to: person.contactIDs[0])).reviewIds, [])
        XCTAssertEqual(error { _ = try admin.perform(.attributeReviews([mine], to: other.contactIDs[0])) } as? DataSubjectError,
                       .reviewOfAnother(review: mine, contact: person.contactIDs[0].rawValue))
        XCTAssertEqual(error { _ = try admin.perform(.attributeReviews([999_999], to: other.contactIDs[0])) } as? DataSubjectError,
                       .noSuchReview(999_999))
        XCTAssertNotNil(error { _ = try fixture.workspace.session(as: fixture.agent).perform(.attributeReviews([stranger], to: other.contactIDs[0])) }
                        as? PermissionDenied)

        // Unpicked by mistake and picked again; unpicking one that is not theirs is refused.
        XCTAssertEqual(error { _ = try admin.perform(.unattributeReviews([stranger], from: person.contactIDs)) } as? DataSubjectError,
                       .reviewNotAttributed(review: stranger))
        try admin.perform(.unattributeReviews([mine], from: person.contactIDs))
        XCTAssertFalse(try admin.read(.heldAbout(person.contactIDs)).reviews.contains { $0.id == mine })
        try admin.perform(.attributeReviews([mine], to: person.contactIDs[0]))

        // The export holds it; the other person's export does not.
        let exportFolder = fixture.folder.appendingPathComponent("export-person")
        try admin.exportPerson(person.contactIDs, to: exportFolder)
        let reviews = try String(contentsOf: exportFolder.appendingPathComponent("reviews.json"), encoding: .utf8)
        XCTAssertTrue(reviews.contains("Boiler fixed the same day"), reviews)
        XCTAssertFalse(reviews.contains("Second visit"), reviews)
        let otherFolder = fixture.folder.appendingPathComponent("export-other")
        try admin.exportPerson(other.contactIDs, to: otherFolder)
        XCTAssertFalse(try String(contentsOf: otherFolder.appendingPathComponent("reviews.json"), encoding: .utf8).contains("Boiler fixed"))

        // The erasure deletes it with the person; the unpicked and the stranger's reviews stay.
        let plan = try owner.plan(.erasePerson(person.contactIDs))
        guard case .erasure(let preview)? = plan.preview else { return XCTFail("no erasure preview") }
        XCTAssertEqual(preview.reviewsDeleted, 2)
        try owner.erase(person.contactIDs, typed: Self.planted)
        let left = try fixture.workspace.dbPool.read { db in
            (try Int64.fetchAll(db, sql: "SELECT id FROM reviews ORDER BY id"),
             try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM review_authors")!)
        }
        XCTAssertFalse(left.0.contains(mine))
        XCTAssertTrue(left.0.contains(alsoShort) && left.0.contains(stranger))
        XCTAssertEqual(left.1, 0, "the attribution went with the review")
    }

    // MARK: Plans

    func testTheExportPlanPreviewsAndRefusesABadTargetBeforeWriting() throws {
        let (fixture, person, _) = try workspace()
        let admin = fixture.workspace.session(as: fixture.admin)
        let target = fixture.folder.appendingPathComponent("ysolde.zip")
        let plan = try admin.exportPlan(person.contactIDs, to: target)
        XCTAssertEqual(plan.preview.recordings, person.audioPaths.count)
        XCTAssertTrue(plan.preview.isZip)
        XCTAssertTrue(plan.preview.summary.contains("Everything held about \(Self.planted)"), plan.preview.summary)
        XCTAssertTrue(plan.preview.summary.contains("3 recordings"), plan.preview.summary)
        XCTAssertEqual(plan.confirmation.confirmLabel, "Export")
        XCTAssertFalse(FileManager.default.fileExists(atPath: target.path), "planning writes nothing")
        let full = fixture.folder.appendingPathComponent("full")
        try FileManager.default.createDirectory(at: full, withIntermediateDirectories: true)
        try Data("x".utf8).write(to: full.appendingPathComponent("other.txt"))
        XCTAssertEqual(error { _ = try admin.exportPlan(person.contactIDs, to: full) } as? DataSubjectError, .exportTargetNotEmpty(full.path))
        XCTAssertNotNil(error { _ = try fixture.workspace.session(as: fixture.viewer).exportPlan(person.contactIDs, to: target) }
                        as? PermissionDenied)
    }

    func testANewRequestsPlanSaysWhenItFallsDueAndAsksNothing() throws {
        let (fixture, person, _) = try workspace()
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = DataSubjectDue.london
        let received = calendar.date(from: DateComponents(year: 2026, month: 1, day: 31, hour: 9))!
        let admin = fixture.workspace.session(as: fixture.admin, clock: .fixed(received))
        let plan = try admin.plan(.openDataSubjectRequest(type: .erasure, contact: person.contactIDs[0]))
        XCTAssertNil(plan.confirmation)
        guard case .dataSubjectRequest(let preview)? = plan.preview else { return XCTFail("no preview") }
        XCTAssertEqual(preview.contactName, Self.planted)
        XCTAssertEqual(preview.dueAt, calendar.date(from: DateComponents(year: 2026, month: 2, day: 28, hour: 9)))
        XCTAssertTrue(preview.summary.contains("due 28 Feb"), preview.summary)
    }

    // MARK: Deleting one item's text

    func testDeletingTextOwesACompactionThatTheNextPurgePays() throws {
        let (fixture, person, _) = try workspace()
        let admin = fixture.workspace.session(as: fixture.admin)
        let message = person.messageIDs[0]
        let owed = { try fixture.workspace.dbPool.read { db in try String.fetchAll(db, sql: "SELECT index_name FROM fts_compaction_owed ORDER BY 1") } }
        func inIndex(_ table: String, _ word: String) throws -> Bool {
            try fixture.workspace.dbPool.read { db in
                let all = try Data.fetchAll(db, sql: "SELECT block FROM \(table)_data WHERE block IS NOT NULL").reduce(Data(), +)
                return all.range(of: Data(word.utf8)) != nil
            }
        }
        func matches(_ table: String, _ word: String) throws -> Int {
            try fixture.workspace.dbPool.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \(table) WHERE \(table) MATCH ?", arguments: [word])! }
        }
        // A word only this message holds.
        try fixture.workspace.dbPool.write { db in
            try db.execute(sql: "UPDATE messages SET body = 'Please note I am zymurgical and pregnant' WHERE id = ?", arguments: [message])
        }
        XCTAssertEqual(try matches("message_fts", "zymurgical"), 1)

        let plan = try admin.plan(.deleteMessageText(message))
        XCTAssertTrue(plan.preview?.summary.contains("at the next purge") == true, plan.preview?.summary ?? "")
        try admin.perform(plan, confirmed: true)
        // Gone from search at once; the index is owed a compaction (its pages still hold the word).
        XCTAssertEqual(try matches("message_fts", "zymurgical"), 0)
        XCTAssertEqual(try owed(), ["message_fts"])
        XCTAssertTrue(try inIndex("message_fts", "zymurgical"), "not rewritten per deletion")

        let call = person.callIDs[0]
        try admin.perform(admin.plan(.deleteCallText(call)), confirmed: true)
        XCTAssertEqual(try owed(), ["call_fts", "message_fts"])
        XCTAssertEqual(try matches("call_fts", "Marrowgate"), person.callIDs.count - 1)

        // The purge (nothing else due) pays both debts once its last transaction is in (`SearchRewrite`).
        let report = try fixture.workspace.session(as: .system).purge(now: RolesWorkspace.at(days: 3))
        XCTAssertEqual(report.run.messageTexts, 0)
        XCTAssertEqual(try owed(), [])
        XCTAssertFalse(try inIndex("message_fts", "zymurgical"), "the purge rewrote the index")
        XCTAssertEqual(try matches("call_fts", "Marrowgate"), person.callIDs.count - 1, "the rest still found")
        try fixture.workspace.dbPool.write { db in
            try db.execute(sql: "INSERT INTO message_fts(message_fts, rank) VALUES('integrity-check', 1)")
            try db.execute(sql: "INSERT INTO call_fts(call_fts, rank) VALUES('integrity-check', 1)")
        }
    }

    func testAnErasurePaysTheDebtsToo() throws {
        let (fixture, person, other) = try workspace()
        let admin = fixture.workspace.session(as: fixture.admin)
        try admin.perform(admin.plan(.deleteMessageText(other.messageIDs[0])), confirmed: true)
        try fixture.workspace.session(as: fixture.owner).erase(person.contactIDs, typed: Self.planted)
        XCTAssertEqual(try fixture.workspace.dbPool.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM fts_compaction_owed") }, 0)
    }
}
