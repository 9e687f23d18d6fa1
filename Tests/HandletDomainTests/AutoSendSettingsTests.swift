import Foundation
import GRDB
@testable import HandletDomain
import XCTest
import HandletTestSupport

final class AutoSendSettingsTests: XCTestCase {
    private var draftNumber = 0

    /// `count` drafts of `intent` in `state`, answered `validation`.
    private func addDrafts(_ fixture: RetentionFixture, _ intent: DraftIntent, _ count: Int,
                           state: DraftState = .approved, validation: DraftValidation? = nil) throws {
        try fixture.workspace.dbPool.write { db in
            for _ in 0..<count {
                draftNumber += 1
                var draft = Draft(targetKind: "message", targetId: Int64(draftNumber), contactId: nil, channel: "sms",
                                  intent: intent, confidence: 0.9, body: "Thanks, we will be in touch.", state: state,
                                  validation: validation, correlationId: "test-\(draftNumber)", createdAt: RetentionFixture.start)
                try draft.insert(db)
            }
        }
    }

    private func overview(_ fixture: RetentionFixture) throws -> AutoSendOverview {
        try fixture.workspace.session(as: fixture.viewer).read(.autoSendOverview)
    }

    private func change(_ build: (inout AutoSendChange) throws -> Void) rethrows -> AutoSendChange {
        var change = AutoSendChange()
        try build(&change)
        return change
    }

    private func assertRefused(_ fixture: RetentionFixture, _ change: AutoSendChange, as actor: Actor? = nil,
                               _ check: (Error) -> Void, file: StaticString = #filePath, line: UInt = #line) throws {
        let before = try overview(fixture).settings
        let events = try fixture.auditEvents(AuditAction.autoSendSettingsChanged.rawValue).count
        XCTAssertThrowsError(try fixture.workspace.session(as: actor ?? fixture.owner).perform(.changeAutoSend(change)),
                             file: file, line: line) { check($0) }
        XCTAssertEqual(try overview(fixture).settings, before, "nothing saved", file: file, line: line)
        XCTAssertEqual(try fixture.auditEvents(AuditAction.autoSendSettingsChanged.rawValue).count, events,
                       "nothing audited", file: file, line: line)
    }

    func testANewWorkspaceStartsOffWithTheStandardSettingsAndPassesEveryCheck() throws {
        let fixture = try RetentionFixture()
        let overview = try overview(fixture)
        XCTAssertEqual(overview.settings, .standard)
        XCTAssertFalse(overview.settings.masterEnabled)
        XCTAssertEqual(overview.settings.enabledIntents, [])
        XCTAssertEqual(overview.settings.threshold.description, "85%")
        XCTAssertEqual(overview.settings.quietHours?.description, "21:00-08:00")
        XCTAssertEqual(overview.settings.timeZone.identifier, "Europe/London")
        XCTAssertEqual(overview.settings.perContactCap.messages, 3)
        XCTAssertNil(overview.settings.transparency)
        XCTAssertEqual(overview.problems, [])
        XCTAssertEqual(overview.businessName, "Test Plumbing Ltd")
        XCTAssertEqual(overview.training.lockReason(.quoteRequest), "0 of 30 validated drafts; 30 more to unlock")
        XCTAssertEqual(overview.training.lockReason(.complaint), "0 of 50 validated drafts; 50 more to unlock")
    }

    func testThresholdParsingRefusesUnderTheFloorOverAHundredAndWords() throws {
        XCTAssertEqual(try ConfidenceThreshold(parsing: "85").hundredths, 8500)
        XCTAssertEqual(try ConfidenceThreshold(parsing: "85.01").hundredths, 8501)
        XCTAssertEqual(try ConfidenceThreshold(parsing: "92.5%").hundredths, 9250)
        XCTAssertEqual(try ConfidenceThreshold(parsing: "100").description, "100%")
        XCTAssertEqual(try ConfidenceThreshold(parsing: "92.5").description, "92.5%")
        let refusals: [(String, AutoSendSettingError)] = [
            ("84", .thresholdBelowFloor("84%")), ("84.99", .thresholdBelowFloor("84.99%")),
            ("101", .thresholdAboveMaximum("101%")), ("100.01", .thresholdAboveMaximum("100.01%")),
            ("high", .thresholdNotANumber("high")), ("", .thresholdNotANumber("")), ("-90", .thresholdNotANumber("-90")),
            ("85.123", .thresholdNotANumber("85.123")), ("9e1", .thresholdNotANumber("9e1")),
            ("99999999999999999999", .thresholdNotANumber("99999999999999999999")),
        ]
        for (text, expected) in refusals {
            XCTAssertThrowsError(try ConfidenceThreshold(parsing: text), text) { XCTAssertEqual($0 as? AutoSendSettingError, expected, text) }
        }
        XCTAssertEqual(String(describing: AutoSendSettingError.thresholdBelowFloor("84%")),
                       "A confidence threshold of 84% is under the platform floor: give 85 to 100.")
    }

    func testOtherValuesAreValidatedAsTyped() throws {
        let folder = try StoreTestFolder.make()
        defer { try? FileManager.default.removeItem(at: folder) }
        let plain = folder.appendingPathComponent("gateway.txt").path
        let script = folder.appendingPathComponent("gateway.sh").path
        XCTAssertTrue(FileManager.default.createFile(atPath: plain, contents: Data("x".utf8), attributes: [.posixPermissions: 0o644]))
        XCTAssertTrue(FileManager.default.createFile(atPath: script, contents: Data("#!/bin/sh\n".utf8), attributes: [.posixPermissions: 0o755]))
        XCTAssertEqual(try QuietHours(parsing: "22:30-07:00").description, "22:30-07:00")
        XCTAssertTrue(try QuietHours(parsing: "21:00-08:00").crossesMidnight)
        XCTAssertEqual(try PerContactCap(parsing: "100").messages, 100)
        XCTAssertEqual(try AutoSendIntent(parsing: "Quote-Request"), .quoteRequest)
        XCTAssertEqual(try Channel(parsing: "WhatsApp"), .whatsapp)
        let refusals: [(() throws -> Any, AutoSendSettingError)] = [
            ({ try QuietHours(parsing: "21:00-21:00") }, .quietHoursEmpty("21:00-21:00")),
            ({ try QuietHours(parsing: "25:00-08:00") }, .notATime("25:00")),
            ({ try QuietHours(parsing: "evening") }, .notATime("evening")),
            ({ try QuietHours(parsing: "21:00-8") }, .notATime("8")),
            ({ try PerContactCap(parsing: "0") }, .capOutOfRange("0")),
            ({ try PerContactCap(parsing: "101") }, .capOutOfRange("101")),
            ({ try PerContactCap(parsing: "three") }, .capNotANumber("three")),
            ({ try AutoSendIntent(parsing: "marketing") }, .unknownIntent("marketing")),
            ({ try AutoSendIntent(parsing: "unknown") }, .unknownIntent("unknown")),
            ({ try Channel(parsing: "fax") }, .unknownChannel("fax")),
            ({ try BusinessTimeZone(identifier: "Mars/Olympus") }, .unknownTimeZone("Mars/Olympus")),
            ({ try ChannelWording(channel: .sms, disclosure: "Automated reply from {business}.", optOut: "Thanks!") },
             .wordingDropsOptOut(.sms)),
            ({ try ChannelWording(channel: .whatsapp, disclosure: "Automated reply from {business}.", optOut: "") },
             .wordingDropsOptOut(.whatsapp)),
            ({ try ChannelWording(channel: .email, disclosure: "A reply from {business}.", optOut: "") },
             .disclosureNotAutomated(.email)),
            ({ try ChannelWording(channel: .sms, disclosure: "Automated\nreply", optOut: "Reply STOP") },
             .wordingNotPlainText(channel: .sms, part: "disclosure")),
            ({ try AutoSendGateway.validatedPath("/nonexistent/gateway") }, .gatewayMissing("/nonexistent/gateway")),
            ({ try AutoSendGateway.validatedPath(plain) }, .gatewayNotExecutable(plain)),
            ({ try AutoSendGateway.validatedPath(folder.path) }, .gatewayNotExecutable(folder.path)),
        ]
        for (index, (make, expected)) in refusals.enumerated() {
            XCTAssertThrowsError(try make(), "#\(index)") { XCTAssertEqual($0 as? AutoSendSettingError, expected, "#\(index)") }
        }
        XCTAssertEqual(try AutoSendGateway.validatedPath(script), script)
        // Opt-out wording naming the keyword in any case passes.
        XCTAssertEqual(try ChannelWording(channel: .sms, disclosure: "Automated text from {business}", optOut: "Text stop to opt out").optOut,
                       "Text stop to opt out")
    }

    func testTrainingCountsApprovedEditedAndYesOrNoButNotNotNowAndUnlocksAtExactlyThirty() throws {
        let fixture = try RetentionFixture()
        try addDrafts(fixture, .quoteRequest, 10, state: .approved)
        try addDrafts(fixture, .quoteRequest, 10, state: .edited)
        try addDrafts(fixture, .quoteRequest, 4, state: .waiting, validation: .correct)
        try addDrafts(fixture, .quoteRequest, 3, state: .discarded, validation: .incorrect)
        // Approved and rated: one draft, counted once.
        try addDrafts(fixture, .quoteRequest, 2, state: .approved, validation: .correct)
        try addDrafts(fixture, .quoteRequest, 7, state: .waiting, validation: .notNow)
        try addDrafts(fixture, .quoteRequest, 6, state: .discarded)
        try addDrafts(fixture, .quoteRequest, 6, state: .autoSent)
        try addDrafts(fixture, .unknown, 40)
        var training = try overview(fixture).training
        XCTAssertEqual(training.count(.quoteRequest), 10 + 10 + 4 + 3 + 2)
        XCTAssertFalse(training.isUnlocked(.quoteRequest))
        XCTAssertEqual(training.lockReason(.quoteRequest), "29 of 30 validated drafts; 1 more to unlock")

        let enableQuotes = change { $0.enableIntents = [.quoteRequest] }
        try assertRefused(fixture, enableQuotes) {
            XCTAssertEqual($0 as? AutoSendSettingError, .checksFailed([.intentLocked(.quoteRequest, validated: 29, needed: 30)]))
            XCTAssertTrue(String(describing: $0).contains("Quote requests is still locked: 29 of 30 drafts validated."), "\($0)")
            XCTAssertTrue(String(describing: $0).contains("Validate 1 more quote_request draft "), "\($0)")
        }
        try addDrafts(fixture, .quoteRequest, 1, state: .waiting, validation: .incorrect)
        training = try overview(fixture).training
        XCTAssertEqual(training.count(.quoteRequest), 30)
        XCTAssertTrue(training.isUnlocked(.quoteRequest))
        XCTAssertNil(training.lockReason(.quoteRequest))
        let saved = try fixture.workspace.session(as: fixture.admin).perform(.changeAutoSend(enableQuotes))
        XCTAssertEqual(saved.after.enabledIntents, [.quoteRequest])
        XCTAssertEqual(try overview(fixture).settings.enabledIntents, [.quoteRequest])
    }

    func testComplaintsUnlockAtFiftyAndNeedTheirOwnAcknowledgement() throws {
        let fixture = try RetentionFixture()
        try addDrafts(fixture, .complaint, 49)
        let enable = change { $0.enableIntents = [.complaint] }
        try assertRefused(fixture, enable) {
            XCTAssertEqual($0 as? AutoSendSettingError, .checksFailed([.intentLocked(.complaint, validated: 49, needed: 50),
                                                                       .complaintsNotAcknowledged]))
        }
        try addDrafts(fixture, .complaint, 1)
        try assertRefused(fixture, enable) {
            XCTAssertEqual($0 as? AutoSendSettingError, .checksFailed([.complaintsNotAcknowledged]))
        }
        let at = RetentionFixture.at(days: 3)
        let ack = try fixture.workspace.session(as: fixture.admin).perform(.acknowledgeAutoSend(.complaints), at: at)
        XCTAssertEqual(ack.after.complaints, AutoSendAcknowledgement(by: "admin@example.test", at: at))
        // Given once: acknowledging again keeps who and when, and writes nothing.
        _ = try fixture.workspace.session(as: fixture.owner).perform(.acknowledgeAutoSend(.complaints), at: at.addingTimeInterval(60))
        XCTAssertEqual(try overview(fixture).settings.complaints, AutoSendAcknowledgement(by: "admin@example.test", at: at))
        let events = try fixture.auditEvents(AuditAction.autoSendAcknowledged.rawValue)
        XCTAssertEqual(events.count, 1)
        XCTAssertEqual(events.first?.actor, "admin@example.test")
        XCTAssertEqual(events.first?.detailValues["acknowledgement"], .string("complaints"))
        XCTAssertEqual(try fixture.workspace.session(as: fixture.owner).perform(.changeAutoSend(enable)).after.enabledIntents, [.complaint])
    }

    func testTheMasterSwitchNeedsTheTransparencyAcknowledgementAndQuietHours() throws {
        let fixture = try RetentionFixture()
        let on = change { $0.master = true }
        try assertRefused(fixture, on) {
            XCTAssertEqual($0 as? AutoSendSettingError, .checksFailed([.transparencyNotAcknowledged]))
            XCTAssertTrue(String(describing: $0).contains("handlet autosend acknowledge transparency"), "\($0)")
        }
        let at = RetentionFixture.at(days: 1)
        try fixture.workspace.session(as: fixture.owner).perform(.acknowledgeAutoSend(.transparency), at: at)
        XCTAssertEqual(try overview(fixture).settings.transparency, AutoSendAcknowledgement(by: "owner@example.test", at: at))
        let saved = try fixture.workspace.session(as: fixture.owner).perform(.changeAutoSend(on), at: at)
        XCTAssertTrue(saved.after.masterEnabled)
        let event = try XCTUnwrap(fixture.auditEvents(AuditAction.autoSendSettingsChanged.rawValue).last)
        XCTAssertEqual(event.detailValues["changed"], .string("master"))
        XCTAssertEqual(event.detailValues["master"], .bool(true))
        XCTAssertEqual(event.target, "autosend")

        try assertRefused(fixture, change { $0.quietHours = .clear }) {
            XCTAssertEqual($0 as? AutoSendSettingError, .checksFailed([.noQuietHours]))
        }
        // The same settings again change nothing and write no event.
        let again = try fixture.workspace.session(as: fixture.owner).perform(.changeAutoSend(on))
        XCTAssertFalse(again.changed)
        XCTAssertEqual(try fixture.auditEvents(AuditAction.autoSendSettingsChanged.rawValue).count, 1)
    }

    func testWordingMustKeepTheOptOutAndNameTheBusinessWhileItsChannelIsOn() throws {
        let fixture = try RetentionFixture()
        try assertRefused(fixture, change { $0.optOut[.sms] = "Thanks for your message." }) {
            XCTAssertEqual($0 as? AutoSendSettingError, .wordingDropsOptOut(.sms))
        }
        let noName = change { $0.disclosure[.whatsapp] = "This is an automated reply." }
        try assertRefused(fixture, noName) {
            XCTAssertEqual($0 as? AutoSendSettingError, .checksFailed([.businessNotNamed(.whatsapp)]))
        }
        // With WhatsApp off the same wording is allowed (nothing goes out on it); turning it back on is refused.
        var offAndNoName = noName
        offAndNoName.disableChannels = [.whatsapp]
        try fixture.workspace.session(as: fixture.owner).perform(.changeAutoSend(offAndNoName))
        try assertRefused(fixture, change { $0.enableChannels = [.whatsapp] }) {
            XCTAssertEqual($0 as? AutoSendSettingError, .checksFailed([.businessNotNamed(.whatsapp)]))
        }
        // The literal business name counts as naming it.
        let named = try fixture.workspace.session(as: fixture.owner).perform(.changeAutoSend(change {
            $0.disclosure[.whatsapp] = "Automated reply from Test Plumbing Ltd."
            $0.enableChannels = [.whatsapp]
        }))
        XCTAssertTrue(named.after.isEnabled(.whatsapp))
        let event = try XCTUnwrap(fixture.auditEvents(AuditAction.autoSendSettingsChanged.rawValue).last)
        XCTAssertEqual(event.detailValues["wording_channels"], .string("whatsapp"))
        XCTAssertFalse(event.details.contains("Plumbing"), "wording is not logged: \(event.details)")
        XCTAssertEqual(named.after.channel(.whatsapp).wording.compose(body: "We can come on Tuesday.", businessName: "Test Plumbing Ltd"),
                       "We can come on Tuesday.\nAutomated reply from Test Plumbing Ltd. Reply STOP to opt out.")
    }

    func testOnlyOwnersAndAdminsMayChangeSettingsNamingTheRoleNeeded() throws {
        let fixture = try RetentionFixture()
        for actor in [fixture.agent, fixture.viewer] {
            try assertRefused(fixture, change { $0.threshold = try! ConfidenceThreshold(parsing: "90") }, as: actor) {
                XCTAssertTrue($0 is PermissionDenied)
                XCTAssertTrue(String(describing: $0).hasPrefix("Only owner or admin may change Auto-Send settings"), "\($0)")
            }
            XCTAssertThrowsError(try fixture.workspace.session(as: actor).perform(.acknowledgeAutoSend(.transparency)))
        }
        XCTAssertNil(try overview(fixture).settings.transparency)
        let saved = try fixture.workspace.session(as: fixture.admin).perform(.changeAutoSend(change {
            $0.threshold = try ConfidenceThreshold(parsing: "90")
            $0.perContactCap = try PerContactCap(parsing: "5")
            $0.quietHours = .set(try QuietHours(parsing: "20:00-09:00"))
            $0.timeZone = try BusinessTimeZone(identifier: "Europe/Dublin")
        }))
        XCTAssertEqual(saved.changedFields, ["threshold", "quiet_hours", "time_zone", "per_contact_cap"])
        let stored = try overview(fixture).settings
        XCTAssertEqual(stored.threshold.hundredths, 9000)
        XCTAssertEqual(stored.perContactCap.messages, 5)
        XCTAssertEqual(stored.quietHours?.description, "20:00-09:00")
        XCTAssertEqual(stored.timeZone.identifier, "Europe/Dublin")
        let details = try XCTUnwrap(fixture.auditEvents(AuditAction.autoSendSettingsChanged.rawValue).last).detailValues
        XCTAssertEqual(details["threshold_from"], .int(8500))
        XCTAssertEqual(details["threshold_to"], .int(9000))
        XCTAssertEqual(details["per_contact_cap"], .int(5))
    }

    func testBulkActionsTouchOnlyTrainingReadyIntentsAndShowTheirPlanFirst() throws {
        let fixture = try RetentionFixture()
        try addDrafts(fixture, .followUp, 30)
        try addDrafts(fixture, .generalEnquiry, 31)
        try addDrafts(fixture, .newLead, 12)
        try addDrafts(fixture, .complaint, 50)
        let overview = try overview(fixture)
        let plan = AutoSendBulkAction.automateReadyReplies.plan(overview.settings, training: overview.training)
        XCTAssertEqual(plan.master, true)
        XCTAssertEqual(plan.enableIntents, [.followUp, .generalEnquiry], "complaints wait for their acknowledgement")

        let owner = fixture.workspace.session(as: fixture.owner)
        XCTAssertThrowsError(try owner.perform(.applyAutoSendBulk(.automateReadyReplies))) {
            XCTAssertEqual($0 as? AutoSendSettingError, .checksFailed([.transparencyNotAcknowledged]))
        }
        let eligible = try owner.perform(.applyAutoSendBulk(.enableAllEligible))
        XCTAssertEqual(eligible.after.enabledIntents, [.followUp, .generalEnquiry])
        XCTAssertFalse(eligible.after.masterEnabled)
        try owner.perform(.acknowledgeAutoSend(.transparency))
        try owner.perform(.acknowledgeAutoSend(.complaints))
        let ready = try owner.perform(.applyAutoSendBulk(.automateReadyReplies))
        XCTAssertTrue(ready.after.masterEnabled)
        XCTAssertEqual(ready.after.enabledIntents, [.followUp, .generalEnquiry, .complaint])
        let disabled = try owner.perform(.applyAutoSendBulk(.disableAll))
        XCTAssertEqual(disabled.after.enabledIntents, [])
        XCTAssertTrue(disabled.after.masterEnabled, "disable all leaves the master switch alone")
        let bulk = try fixture.auditEvents(AuditAction.autoSendBulkApplied.rawValue)
        XCTAssertEqual(bulk.map { $0.detailValues["bulk"] }, [.string("enable-eligible"), .string("automate-ready"), .string("disable-all")])
        XCTAssertEqual(bulk[2].detailValues["intents_off"], .string("follow_up,general_enquiry,complaint"))
        XCTAssertNil(try fixture.workspace.dbPool.read { try AuditLog.verify($0) })
    }
}
