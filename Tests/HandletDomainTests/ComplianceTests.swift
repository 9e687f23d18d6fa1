import Foundation
import GRDB
@testable import HandletDomain
import XCTest

/// Issue 13: each duty of the compliance centre flips when the workspace changes to make it true
/// or false.
final class ComplianceTests: XCTestCase {
    var fixture: BrowseFixture!
    var owner: WorkspaceSession!
    let now = BrowseFixture.now

    override func setUpWithError() throws {
        fixture = try BrowseFixture()
        owner = try fixture.workspace.session(actingAs: "owner@example.test", otherwise: .refuse)
        // Everyone opened the console yesterday, so only the duty under test changes.
        for email in ["owner@example.test", "agent@example.test"] {
            try fixture.workspace.session(actingAs: email, otherwise: .refuse)
                .perform(.consoleSessionStarted(session: "s-\(email.prefix(5))", clientAddress: nil), at: now.addingTimeInterval(-86_400))
        }
    }

    func report() throws -> ComplianceReport { try owner.read(.compliance(now: now)) }
    func status(_ duty: ComplianceReport.Duty) throws -> ComplianceReport.Status { try report().line(duty)!.status }

    func testLawfulBasisFlipsWhenEveryPurposeHasOne() throws {
        XCTAssertEqual(try status(.lawfulBasis), .failing)
        XCTAssertEqual(try report().line(.lawfulBasis)?.detail, "none recorded for: call_handling, call_recording, messaging, marketing")
        for purpose in ProcessingPurpose.allCases.dropLast() { try owner.perform(.setLawfulBasis(.contract, for: purpose)) }
        XCTAssertEqual(try status(.lawfulBasis), .failing)
        XCTAssertTrue(try owner.perform(.setLawfulBasis(.consent, for: .marketing)))
        XCTAssertFalse(try owner.perform(.setLawfulBasis(.consent, for: .marketing)), "the same basis again changes nothing")
        XCTAssertEqual(try status(.lawfulBasis), .ok)
        XCTAssertEqual(try owner.read(.complianceSettings).bases[.marketing], .consent)
        let agent = try fixture.workspace.session(actingAs: "agent@example.test", otherwise: .refuse)
        XCTAssertThrowsError(try agent.perform(.setLawfulBasis(.contract, for: .marketing))) {
            XCTAssertEqual($0 as? PermissionDenied, PermissionDenied(permission: .changeComplianceSettings, role: .agent))
        }
    }

    func testCallerNoticeNeedsTheSettingAndGreetingsThatDiscloseRecordingAndTheAI() throws {
        let good = [Transcript.Turn(speaker: .aiAgent, offsetMs: 0, text: "Morning, I'm the firm's AI assistant and this call is recorded."),
                    Transcript.Turn(speaker: .caller, offsetMs: 3_000, text: "Hi, my boiler has stopped.")]
        try fixture.addCall(at: now.addingTimeInterval(-3_600), turns: good)
        XCTAssertEqual(try status(.callerNotice), .failing)
        XCTAssertEqual(try report().line(.callerNotice)?.detail, "no caller notice configured")
        try owner.perform(.setCallerNotice("Calls are answered by an AI assistant and recorded; see kestrel.example/privacy."))
        XCTAssertEqual(try status(.callerNotice), .ok)
        // A greeting that forgets the recording.
        try fixture.addCall(at: now.addingTimeInterval(-1_800),
                            turns: [Transcript.Turn(speaker: .aiAgent, offsetMs: 0, text: "Hello, you're speaking with an AI assistant."),
                                    Transcript.Turn(speaker: .caller, offsetMs: 2_000, text: "I was recorded last time.")])
        XCTAssertEqual(try status(.callerNotice), .failing)
        XCTAssertEqual(try report().line(.callerNotice)?.detail,
                       "1 of the last 2 AI-answered calls' greetings do not mention the recording and the AI assistant")
        // With recording off, only the AI disclosure is needed.
        try fixture.write { try $0.execute(sql: "UPDATE workspace SET recording_enabled = 0") }
        XCTAssertEqual(try status(.callerNotice), .ok)
        try owner.perform(.setCallerNotice("  "))
        XCTAssertEqual(try status(.callerNotice), .failing)
    }

    func testMarketingOnlyWithConsentForThatChannel() throws {
        let contact = try fixture.addContact("Aled Jones", phone: "+447700900111")
        let thread = try fixture.addThread(contact: contact, channel: .sms)
        let offer = try fixture.addMessage(thread: thread, at: now.addingTimeInterval(-5 * 86_400), body: "10% off boiler services",
                                           direction: .outbound, status: .delivered)
        XCTAssertEqual(try status(.marketingConsent), .ok, "not marked as marketing")
        try fixture.write { try $0.execute(sql: "UPDATE messages SET is_marketing = 1 WHERE id = ?", arguments: [offer]) }
        XCTAssertEqual(try status(.marketingConsent), .failing)
        XCTAssertEqual(try report().line(.marketingConsent)?.count, 1)
        // Consent by email does not cover SMS.
        try fixture.write { try $0.execute(sql: """
            INSERT INTO marketing_consents(contact_id, channel, given_at, method) VALUES (?, 'email', ?, 'web form')
            """, arguments: [contact, Int64(now.timeIntervalSince1970) - 30 * 86_400]) }
        XCTAssertEqual(try status(.marketingConsent), .failing)
        try fixture.write { try $0.execute(sql: """
            INSERT INTO marketing_consents(contact_id, channel, given_at, method) VALUES (?, 'sms', ?, 'booking call')
            """, arguments: [contact, Int64(now.timeIntervalSince1970) - 30 * 86_400]) }
        XCTAssertEqual(try status(.marketingConsent), .ok)
        // Older than 90 days no longer counts either way.
        try fixture.write { try $0.execute(sql: "UPDATE marketing_consents SET withdrawn_at = ? WHERE channel = 'sms'",
                                           arguments: [Int64(now.timeIntervalSince1970) - 10 * 86_400]) }
        XCTAssertEqual(try status(.marketingConsent), .failing)
    }

    func testAutoSendOffIsNotInUseAndRequestsNoneRecordedUntilOneIsLate() throws {
        XCTAssertEqual(try status(.autoSend), .notInUse)
        XCTAssertEqual(try status(.dataSubjectRequests), .noneRecorded)
        let received = Int64(now.timeIntervalSince1970) - 40 * 86_400
        try fixture.write { try $0.execute(sql: """
            INSERT INTO data_subject_requests(type, received_at, due_at, status) VALUES ('access', ?, ?, 'completed')
            """, arguments: [received, received + 30 * 86_400]) }
        XCTAssertEqual(try status(.dataSubjectRequests), .ok)
        try fixture.write { try $0.execute(sql: """
            INSERT INTO data_subject_requests(type, received_at, due_at, status) VALUES ('erasure', ?, ?, 'open')
            """, arguments: [received, received + 30 * 86_400]) }
        XCTAssertEqual(try status(.dataSubjectRequests), .failing)
        XCTAssertEqual(try report().line(.dataSubjectRequests)?.detail, "1 of 2 requests not answered within one month")
    }

    func testAccountAccessFlipsOnIdleUsersAndAThirdOwner() throws {
        XCTAssertEqual(try status(.accountAccess), .ok)
        // Added 100 days ago and never signed in.
        try owner.perform(.addUser(name: "Late Larry", email: "late@example.test", role: .viewer), at: now.addingTimeInterval(-100 * 86_400))
        XCTAssertEqual(try status(.accountAccess), .failing)
        XCTAssertEqual(try report().line(.accountAccess)?.detail, "1 enabled user not signed in for 90 days (late@example.test)")
        // A console session 91 days ago is still too long ago; one today puts it right.
        let late = try fixture.workspace.session(actingAs: "LATE@example.test", otherwise: .refuse)
        try late.perform(.consoleSessionStarted(session: "old", clientAddress: nil), at: now.addingTimeInterval(-91 * 86_400))
        XCTAssertEqual(try status(.accountAccess), .failing)
        try late.perform(.consoleSessionStarted(session: "new", clientAddress: "192.0.2.7"), at: now)
        XCTAssertEqual(try status(.accountAccess), .ok)
        // Disabling an idle user also puts it right.
        try owner.perform(.addUser(name: "Gone Gina", email: "gone@example.test", role: .agent), at: now.addingTimeInterval(-200 * 86_400))
        XCTAssertEqual(try status(.accountAccess), .failing)
        try owner.perform(.disableUser(try owner.read(.userID(email: "gone@example.test"))), at: now)
        XCTAssertEqual(try status(.accountAccess), .ok)
        for index in 1...2 {
            try owner.perform(.addUser(name: "Extra Owner \(index)", email: "owner\(index)@example.test", role: .owner), at: now)
        }
        XCTAssertEqual(try status(.accountAccess), .failing)
        XCTAssertEqual(try report().line(.accountAccess)?.detail, "3 owners (at most 2)")
    }

    func testSpecialCategoryCountsRecentMatchesThroughTheIndex() throws {
        let thread = try fixture.addThread(contact: nil, channel: .whatsapp)
        try fixture.addMessage(thread: thread, at: now.addingTimeInterval(-86_400), body: "Can you come before noon? We live on Church Lane.")
        XCTAssertEqual(try status(.specialCategory), .ok, "addresses are not special-category data")
        let message = try fixture.addMessage(thread: thread, at: now.addingTimeInterval(-86_400),
                                             body: "Please be quick, my mum is Diabetic and the house is cold.")
        try fixture.addMessage(thread: thread, at: now.addingTimeInterval(-200 * 86_400), body: "He is on probation, old news.")
        let call = try fixture.addCall(at: now.addingTimeInterval(-7_200), summary: "Caller mentioned a prison visit on Tuesday")
        XCTAssertEqual(try status(.specialCategory), .failing)
        XCTAssertEqual(try report().specialCategoryHits, SpecialCategory.Counts(messages: 1, calls: 1))
        let hits = try owner.read(.specialCategoryHits(now: now))
        XCTAssertEqual(hits.map(\.record), [.call(call), .message(message, thread: thread)])
        XCTAssertEqual(hits.last?.words, ["diabetic"])
        XCTAssertEqual(hits.first?.categories, [.criminalRecord])
        try fixture.write { try $0.execute(sql: "UPDATE messages SET body = 'Please be quick, the house is cold.' WHERE id = ?", arguments: [message]) }
        try fixture.write { try $0.execute(sql: "DELETE FROM calls WHERE id = ?", arguments: [call]) }
        XCTAssertEqual(try status(.specialCategory), .ok)
    }

    func testTheSpecialCategoryCountReadsTheFullTextIndexNotTheTables() throws {
        for (sql, index) in [("message_fts", "messages"), ("call_fts", "calls")] {
            let plan = try fixture.queryPlan("""
                WITH hits AS (SELECT rowid FROM \(sql) WHERE \(sql) MATCH ?)
                SELECT COUNT(*) FROM hits JOIN \(index) m ON m.id = hits.rowid WHERE 1
                """, [SpecialCategory.matchQuery])
            XCTAssertTrue(plan.contains("VIRTUAL TABLE INDEX"), plan)
            XCTAssertTrue(plan.contains("SEARCH m USING INTEGER PRIMARY KEY"), plan)
        }
    }

    func testBrokenProcessorPromisesFailTheReport() throws {
        XCTAssertTrue(try report().lines.contains { $0.status.isFailing })
        for purpose in ProcessingPurpose.allCases { try owner.perform(.setLawfulBasis(.contract, for: purpose)) }
        try owner.perform(.setCallerNotice("AI assistant; calls recorded."))
        XCTAssertFalse(try report().anyFailing)
        let late = NoticeTests.file(id: "late-sub", published: "2026-03-01", effective: "2026-03-20")
        _ = try owner.importNotices([(name: "late.md", data: late)], now: now)
        XCTAssertTrue(try report().anyFailing)
        XCTAssertEqual(try report().promises.map(\.kept), [false])
    }
}
