import Foundation
import GRDB
@testable import HandletDomain
import XCTest
import HandletTestSupport

/// Issue 22: the one arrival step. Inbound opt-out keywords act at once; each new draft is
/// evaluated at once, the evaluation recorded before its outbox row under the same correlation
/// id; a person's approval takes the same path and still cannot overrule a veto.
final class ArrivalTests: XCTestCase {
    /// 2026-01-01 12:00 UTC (12:00 in London, outside the standard quiet hours 21:00–08:00).
    private static let noon = RetentionFixture.at(days: 0.5)

    private struct Conversation {
        let fixture: RetentionFixture
        let contact: Contact.ID
        let thread: MessageThread.ID
        let message: Message.ID
    }

    /// A contact with an SMS thread holding one customer message.
    private func conversation(_ fixture: RetentionFixture = try! RetentionFixture()) throws -> Conversation {
        try fixture.workspace.dbPool.write { db in
            var contact = Contact(name: "Priya Shah", phone: "+447700900123", createdAt: RetentionFixture.start)
            try contact.insert(db)
            var thread = MessageThread(contactId: contact.id, channel: .sms, lastActivityAt: RetentionFixture.start)
            try thread.insert(db)
            var message = Message(threadId: thread.id!, channel: .sms, direction: .inbound, fromAddress: "+447700900123",
                                  toAddress: "+441632960000", contactId: contact.id, body: "Can you come Tuesday?",
                                  sentAt: RetentionFixture.start, deliveryStatus: .received)
            try message.insert(db)
            return Conversation(fixture: fixture, contact: contact.id!, thread: thread.id!, message: message.id!)
        }
    }

    /// Auto-Send on for follow-ups, as an owner would turn it on: 30 validated drafts first.
    private func switchOn(_ fixture: RetentionFixture) throws {
        try fixture.workspace.dbPool.write { db in
            for index in 0..<30 {
                var draft = Draft(targetKind: "message", targetId: 1, contactId: nil, channel: "sms", intent: .followUp,
                                  confidence: 0.9, body: "Thanks, we will be in touch.", state: .approved,
                                  correlationId: "trained-\(index)", createdAt: RetentionFixture.start)
                try draft.insert(db)
            }
        }
        let owner = fixture.workspace.session(as: fixture.owner)
        try owner.perform(.acknowledgeAutoSend(.transparency))
        var change = AutoSendChange()
        change.master = true
        change.enableIntents = [.followUp]
        try owner.perform(.changeAutoSend(change))
    }

    private func followUp(_ conversation: Conversation) -> ArrivingDraft {
        ArrivingDraft(answers: .thread(conversation.thread), intent: .followUp, confidence: 0.95,
                      body: "Thanks Priya, Tuesday at 10 works.")
    }

    private func contact(_ conversation: Conversation) throws -> Contact {
        try conversation.fixture.workspace.dbPool.read { try Contact.fetchOne($0, key: conversation.contact)! }
    }

    private func count(_ fixture: RetentionFixture, _ sql: String, _ arguments: StatementArguments = []) throws -> Int {
        try fixture.workspace.dbPool.read { try Int.fetchOne($0, sql: sql, arguments: arguments) ?? 0 }
    }

    func testAnInboundStopSuppressesTheContactAtOnceAndALaterDraftIsBlockedAtTheSuppressionGateUntilStart() throws {
        let conversation = try conversation()
        let fixture = conversation.fixture
        try switchOn(fixture)
        let system = fixture.workspace.session(as: .system)

        let stop = try system.perform(.receiveInboundMessage(ArrivingMessage(thread: conversation.thread, body: " Stop! ")),
                                      at: Self.noon)
        XCTAssertEqual(stop.optOut.signal, .optOut(keyword: "STOP"))
        XCTAssertTrue(stop.optOut.changed)
        XCTAssertEqual(try contact(conversation).optOutKeyword, "STOP")
        XCTAssertNotNil(try contact(conversation).optedOutAt)
        let events = try fixture.auditEvents(AuditAction.contactOptOutChanged.rawValue)
        XCTAssertEqual(events.count, 1)
        XCTAssertEqual(events.first?.target, "contact:\(conversation.contact)")
        XCTAssertEqual(events.first?.detailValues["message_id"], .int(stop.messageId.rawValue))
        XCTAssertEqual(events.first?.actor, "system")

        let blocked = try system.perform(.receiveDraft(followUp(conversation)), at: Self.noon.addingTimeInterval(60))
        XCTAssertEqual(blocked.evaluation.outcome, .blocked)
        XCTAssertEqual(blocked.evaluation.decidingGate, .contactSuppressed)
        XCTAssertEqual(blocked.evaluation.draftState, .blocked)
        XCTAssertNil(blocked.evaluation.outboxId)
        XCTAssertEqual(try count(fixture, "SELECT COUNT(*) FROM autosend_outbox"), 0)
        XCTAssertEqual(try count(fixture, "SELECT COUNT(*) FROM autosend_evaluations WHERE correlation_id = ? AND outcome = 'blocked'",
                                 [blocked.correlationId]), 1)

        // A plain message changes nothing and writes no event; START lifts the opt-out.
        let chat = try system.perform(.receiveInboundMessage(ArrivingMessage(thread: conversation.thread, body: "please don't stop")),
                                      at: Self.noon.addingTimeInterval(120))
        XCTAssertFalse(chat.optOut.changed)
        XCTAssertNotNil(try contact(conversation).optedOutAt)
        try system.perform(.receiveInboundMessage(ArrivingMessage(thread: conversation.thread, body: "start")),
                           at: Self.noon.addingTimeInterval(180))
        XCTAssertNil(try contact(conversation).optedOutAt)
        XCTAssertEqual(try fixture.auditEvents(AuditAction.contactOptOutChanged.rawValue).count, 2)
        XCTAssertEqual(try fixture.auditEvents(AuditAction.contactOptOutChanged.rawValue).last?.detailValues["state"], .string("opted_in"))

        let sent = try system.perform(.receiveDraft(followUp(conversation)), at: Self.noon.addingTimeInterval(240))
        XCTAssertEqual(sent.evaluation.outcome, .send(at: Self.noon.addingTimeInterval(240)))
    }

    func testTheEvaluationIsRecordedBeforeItsOutboxRowUnderTheSameCorrelationId() throws {
        let conversation = try conversation()
        let fixture = conversation.fixture
        try switchOn(fixture)
        let arrival = try fixture.workspace.session(as: .system).perform(.receiveDraft(followUp(conversation)), at: Self.noon)
        XCTAssertEqual(arrival.evaluation.outcome, .send(at: Self.noon))
        XCTAssertNil(arrival.evaluation.decidingGate)
        XCTAssertEqual(arrival.evaluation.draftState, .autoSent)
        let rows = try fixture.workspace.dbPool.read { db in
            (try Row.fetchOne(db, sql: "SELECT * FROM autosend_evaluations WHERE draft_id = ?", arguments: [arrival.draftId])!,
             try Row.fetchOne(db, sql: "SELECT * FROM autosend_outbox WHERE draft_id = ?", arguments: [arrival.draftId])!,
             try Draft.fetchOne(db, key: arrival.draftId)!)
        }
        let (evaluation, outbox, draft) = rows
        XCTAssertEqual(evaluation["correlation_id"] as String, draft.correlationId)
        XCTAssertEqual(outbox["correlation_id"] as String, draft.correlationId)
        XCTAssertEqual(outbox["evaluation_id"] as Int64, evaluation["id"] as Int64, "the send names the evaluation that allowed it")
        XCTAssertEqual(outbox["state"] as String, "due")
        XCTAssertEqual(outbox["due_at"] as Int64, Int64(Self.noon.timeIntervalSince1970))
        XCTAssertEqual(outbox["to_address"] as String, "+447700900123")
        XCTAssertEqual(outbox["body"] as String,
                       "Thanks Priya, Tuesday at 10 works.\nAutomated reply from Test Plumbing Ltd. Reply STOP to opt out.")
        XCTAssertTrue((evaluation["settings"] as String).contains("\"master\":true"))
        XCTAssertTrue((evaluation["verdicts"] as String).hasPrefix("{\"intent\":\"pass\",\"contact_suppressed\":\"pass\""))
        XCTAssertNil(evaluation["approved_by"] as Int64?)
        // Audited with identifiers only.
        let event = try XCTUnwrap(try fixture.auditEvents(AuditAction.draftArrived.rawValue).first)
        XCTAssertEqual(event.detailValues["correlation_id"], .string(draft.correlationId))
        XCTAssertEqual(event.detailValues["outcome"], .string("send"))
        XCTAssertFalse(event.details.contains("Priya"))
    }

    func testInsideQuietHoursTheSendIsDueWhenTheyEnd() throws {
        let conversation = try conversation()
        let fixture = conversation.fixture
        try switchOn(fixture)
        let lateEvening = RetentionFixture.at(days: 0).addingTimeInterval(23 * 3600) // 23:00 in London (winter)
        let arrival = try fixture.workspace.session(as: .system).perform(.receiveDraft(followUp(conversation)), at: lateEvening)
        let eightNextMorning = RetentionFixture.at(days: 1).addingTimeInterval(8 * 3600)
        XCTAssertEqual(arrival.evaluation.outcome, .send(at: eightNextMorning))
        XCTAssertEqual(arrival.evaluation.decidingGate, .quietHours)
        XCTAssertEqual(try count(fixture, "SELECT due_at FROM autosend_outbox WHERE draft_id = ?", [arrival.draftId]),
                       Int(eightNextMorning.timeIntervalSince1970))
    }

    func testAHeldDraftWaitsAndApprovingItGoesThroughTheEvaluationAndTheOutboxOnce() throws {
        let conversation = try conversation()
        let fixture = conversation.fixture
        // A new workspace: Auto-Send off, so the draft waits for a person.
        let arrival = try fixture.workspace.session(as: .system).perform(.receiveDraft(followUp(conversation)), at: Self.noon)
        XCTAssertEqual(arrival.evaluation.outcome, .hold)
        XCTAssertEqual(arrival.evaluation.decidingGate, .masterSwitch)
        XCTAssertEqual(arrival.evaluation.draftState, .waiting)
        XCTAssertEqual(try count(fixture, "SELECT COUNT(*) FROM autosend_outbox"), 0)

        let agent = fixture.workspace.session(as: fixture.agent)
        let approved = try agent.perform(.decideDraft(arrival.draftId, .approve), at: Self.noon.addingTimeInterval(600))
        XCTAssertEqual(approved.state, .approved)
        let evaluation = try XCTUnwrap(approved.evaluation)
        XCTAssertEqual(evaluation.outcome, .send(at: Self.noon.addingTimeInterval(600)))
        XCTAssertEqual(evaluation.correlationId, arrival.correlationId)
        let outbox = try fixture.workspace.dbPool.read { db in
            try Row.fetchOne(db, sql: "SELECT evaluation_id, correlation_id FROM autosend_outbox WHERE draft_id = ?", arguments: [arrival.draftId])!
        }
        XCTAssertEqual(outbox["evaluation_id"] as Int64, evaluation.evaluationId)
        XCTAssertEqual(outbox["correlation_id"] as String, arrival.correlationId)
        XCTAssertEqual(try count(fixture, "SELECT approved_by FROM autosend_evaluations WHERE id = ?", [evaluation.evaluationId]),
                       Int(fixture.agent.userId!.rawValue))
        XCTAssertEqual(try fixture.auditEvents(AuditAction.draftApproved.rawValue).first?.detailValues["evaluation_id"],
                       .int(evaluation.evaluationId))

        // Twice: refused, nothing sent twice, no second evaluation.
        XCTAssertThrowsError(try agent.perform(.decideDraft(arrival.draftId, .approve))) {
            XCTAssertEqual($0 as? DraftDecisionError, .notWaiting(arrival.draftId, .approved))
        }
        XCTAssertThrowsError(try fixture.workspace.session(as: fixture.admin)
            .perform(.decideDraft(arrival.draftId, .editAndApprove(body: "Tuesday at 11 instead."))))
        XCTAssertEqual(try count(fixture, "SELECT COUNT(*) FROM autosend_outbox WHERE draft_id = ?", [arrival.draftId]), 1)
        XCTAssertEqual(try count(fixture, "SELECT COUNT(*) FROM autosend_evaluations WHERE draft_id = ?", [arrival.draftId]), 2)
    }

    func testAnEditedApprovalSendsTheEditedTextAndWaitsForQuietHoursToEnd() throws {
        let conversation = try conversation()
        let fixture = conversation.fixture
        let arrival = try fixture.workspace.session(as: .system).perform(.receiveDraft(followUp(conversation)), at: Self.noon)
        let lateEvening = RetentionFixture.at(days: 0).addingTimeInterval(22 * 3600)
        let edited = try fixture.workspace.session(as: fixture.admin)
            .perform(.decideDraft(arrival.draftId, .editAndApprove(body: "Tuesday at 11 instead.")), at: lateEvening)
        XCTAssertEqual(edited.state, .edited)
        XCTAssertEqual(edited.evaluation?.outcome, .send(at: RetentionFixture.at(days: 1).addingTimeInterval(8 * 3600)))
        let body = try fixture.workspace.dbPool.read { try String.fetchOne($0, sql: "SELECT body FROM autosend_outbox")! }
        XCTAssertTrue(body.hasPrefix("Tuesday at 11 instead.\nAutomated reply from Test Plumbing Ltd."), body)
    }

    func testAPersonsApprovalCannotSendToASuppressedContactOrWithoutTheDisclosure() throws {
        let conversation = try conversation()
        let fixture = conversation.fixture
        let system = fixture.workspace.session(as: .system)
        let first = try system.perform(.receiveDraft(followUp(conversation)), at: Self.noon)
        let second = try system.perform(.receiveDraft(followUp(conversation)), at: Self.noon)
        XCTAssertEqual(first.evaluation.outcome, .hold)
        try system.perform(.receiveInboundMessage(ArrivingMessage(thread: conversation.thread, body: "UNSUBSCRIBE")), at: Self.noon)
        let agent = fixture.workspace.session(as: fixture.agent)
        XCTAssertThrowsError(try agent.perform(.decideDraft(first.draftId, .approve))) {
            XCTAssertEqual($0 as? DraftDecisionError, .approvalBlocked(first.draftId, .contactSuppressed))
            XCTAssertEqual(($0 as? DraftDecisionError)?.exitClass, .refused)
            XCTAssertTrue("\($0)".contains("the contact opted out or is restricted"), "\($0)")
        }
        XCTAssertEqual(try count(fixture, "SELECT COUNT(*) FROM autosend_evaluations WHERE draft_id = ?", [first.draftId]), 1)
        XCTAssertEqual(try count(fixture, "SELECT COUNT(*) FROM autosend_outbox"), 0)
        XCTAssertTrue(try fixture.auditEvents(AuditAction.draftApproved.rawValue).isEmpty)

        // Lifted, but the SMS wording no longer says how to opt out: still refused, at the disclosure gate.
        try system.perform(.receiveInboundMessage(ArrivingMessage(thread: conversation.thread, body: "UNSTOP")), at: Self.noon)
        try fixture.workspace.dbPool.write { db in
            try db.execute(sql: "UPDATE autosend_channels SET opt_out_wording = 'We never stop working for you' WHERE channel = 'sms'")
        }
        XCTAssertThrowsError(try agent.perform(.decideDraft(second.draftId, .approve))) {
            XCTAssertEqual($0 as? DraftDecisionError, .approvalBlocked(second.draftId, .disclosure))
        }
    }

    func testTheTraceOfASentMessageShowsTheSettingsEveryGateTheDraftAndWhoTrainedTheIntent() throws {
        let conversation = try conversation()
        let fixture = conversation.fixture
        try switchOn(fixture)
        let arrival = try fixture.workspace.session(as: .system).perform(.receiveDraft(followUp(conversation)), at: Self.noon)
        // What delivery writes when the gateway took it: the message carrying the correlation id.
        let sent = try fixture.workspace.dbPool.write { db in
            var message = Message(threadId: conversation.thread, channel: .sms, direction: .outbound, fromAddress: "+441632960000",
                                  toAddress: "+447700900123", contactId: conversation.contact, body: "Thanks Priya",
                                  sentAt: Self.noon, deliveryStatus: .sent, autoSent: true, correlationId: arrival.correlationId)
            try message.insert(db)
            return message.id!
        }
        let viewer = fixture.workspace.session(as: fixture.viewer)
        let trace = try viewer.read(.autoSendTrace(.message(sent)))
        XCTAssertEqual(trace.correlationId, arrival.correlationId)
        XCTAssertEqual(trace.message?.id, sent)
        XCTAssertEqual(trace.draft.id, arrival.draftId)
        XCTAssertEqual(trace.draft.body, "Thanks Priya, Tuesday at 10 works.")
        XCTAssertEqual(trace.evaluations.count, 1)
        XCTAssertEqual(trace.evaluations[0].gates.map(\.gate), AutoSendGate.allCases.map(\.rawValue))
        XCTAssertEqual(trace.evaluations[0].gates[1].verdict, "pass")
        XCTAssertEqual(trace.evaluations[0].settings["master"], "true")
        XCTAssertEqual(trace.evaluations[0].settings["intents"], "follow_up")
        XCTAssertEqual(trace.evaluations[0].settings["transparency_by"], "owner@example.test")
        XCTAssertEqual(trace.outbox?.evaluationId, arrival.evaluation.evaluationId)
        XCTAssertEqual(trace.training?.validated, 30)
        XCTAssertEqual(trace.training?.validatedBy.first?.user, "not recorded")
        XCTAssertEqual(try viewer.read(.autoSendTrace(.correlation(arrival.correlationId))), trace, "a correlation id finds the message too")
        XCTAssertThrowsError(try viewer.read(.autoSendTrace(.message(conversation.message)))) {
            XCTAssertEqual($0 as? AutoSendTraceError, .notFromAutoSend(conversation.message))
        }
        XCTAssertEqual(try AutoSendTraceReference(parsing: "draft:7"), .draft(7))
        XCTAssertEqual(try AutoSendTraceReference(parsing: "42"), .message(Message.ID(42)))
        XCTAssertThrowsError(try AutoSendTraceReference(parsing: "two words"))
    }

    func testOptOutWordingMustBeAnInstructionWithAKeywordNotAnyWordStop() throws {
        for refused in ["We never stop working for you", "Stop by our shop any time", "STOP", "Opt out any time"] {
            XCTAssertThrowsError(try ChannelWording(channel: .sms, disclosure: "Automated reply from {business}.", optOut: refused), refused) {
                XCTAssertEqual($0 as? AutoSendSettingError, .wordingDropsOptOut(.sms))
            }
            XCTAssertFalse(ChannelWording.givesOptOutInstruction(refused), refused)
        }
        for accepted in ["Reply STOP to opt out.", "Text STOPALL to 60123 to stop messages", "To opt out, reply with the word END",
                         "reply unsubscribe"] {
            XCTAssertNoThrow(try ChannelWording(channel: .whatsapp, disclosure: "Automated reply from {business}.", optOut: accepted), accepted)
        }
        // The checks say the same of stored wording.
        var settings = AutoSendSettings.standard
        settings.update(.sms) { $0.wording = ChannelWording(unchecked: "Automated reply from {business}.", optOut: "We never stop working for you") }
        XCTAssertTrue(AutoSendChecks.problems(settings, training: TrainingCounts(), businessName: "Test Plumbing Ltd")
            .contains(.optOutWordingMissing(.sms)))
    }

    func testEachGateHasAFailingReasonThatIsNotItsPassingCondition() {
        XCTAssertEqual(AutoSendGate.contactSuppressed.failureReason, "the contact opted out or is restricted")
        XCTAssertEqual(AutoSendGate.masterSwitch.failureReason, "Auto-Send is off")
        for gate in AutoSendGate.allCases { XCTAssertNotEqual(gate.failureReason, gate.summary, gate.rawValue) }
    }

    func testANewWorkspaceHasAutoSendOffAndEveryIntentOff() throws {
        let fixture = try RetentionFixture()
        let settings = try fixture.workspace.session(as: fixture.viewer).read(.autoSendOverview).settings
        XCTAssertFalse(settings.masterEnabled)
        XCTAssertTrue(settings.enabledIntents.isEmpty)
    }

    func testBadDraftsAreRefusedAndNothingIsStored() throws {
        let conversation = try conversation()
        let fixture = conversation.fixture
        let system = fixture.workspace.session(as: .system)
        var draft = followUp(conversation)
        draft.confidence = 1.5
        XCTAssertThrowsError(try system.perform(.receiveDraft(draft))) { XCTAssertEqual($0 as? ArrivalError, .confidenceOutOfRange) }
        draft = followUp(conversation)
        draft.body = "  \n"
        XCTAssertThrowsError(try system.perform(.receiveDraft(draft))) { XCTAssertEqual($0 as? ArrivalError, .emptyBody) }
        draft = followUp(conversation)
        draft.answers = .thread(MessageThread.ID(999))
        XCTAssertThrowsError(try system.perform(.receiveDraft(draft))) { XCTAssertEqual($0 as? ArrivalError, .noSuchThread(999)) }
        draft = followUp(conversation)
        draft.intent = .complaint
        XCTAssertThrowsError(try system.perform(.receiveDraft(draft))) { XCTAssertEqual($0 as? ArrivalError, .complaintWithoutSeverity) }
        XCTAssertEqual(try count(fixture, "SELECT COUNT(*) FROM drafts"), 0)
        XCTAssertThrowsError(try fixture.workspace.session(as: fixture.viewer).perform(.receiveDraft(followUp(conversation)))) {
            XCTAssertEqual(($0 as? PermissionDenied)?.permission, .recordInboundMessages)
        }
    }

    /// A drafting system's own correlation id follows its draft; sending the same draft again
    /// (a retry after a timeout) is refused rather than queued twice, and an id that is not an id
    /// is refused before anything is stored.
    func testADraftKeepsItsSystemsCorrelationIdAndARetryIsNotQueuedTwice() throws {
        let conversation = try conversation()
        let fixture = conversation.fixture
        let system = fixture.workspace.session(as: .system)
        var draft = followUp(conversation)
        draft.correlationId = "crm-7f3a:001"
        let arrival = try system.perform(.receiveDraft(draft))
        XCTAssertEqual(arrival.correlationId, "crm-7f3a:001")
        XCTAssertEqual(arrival.evaluation.correlationId, "crm-7f3a:001")
        XCTAssertThrowsError(try system.perform(.receiveDraft(draft))) {
            XCTAssertEqual($0 as? ArrivalError, .duplicateCorrelationId("crm-7f3a:001"))
            XCTAssertEqual(($0 as? ArrivalError)?.exitClass, .dataError)
        }
        for bad in ["", "has space", "bell\u{07}", String(repeating: "x", count: 101), "émoji"] {
            draft.correlationId = bad
            XCTAssertThrowsError(try system.perform(.receiveDraft(draft)), bad) {
                XCTAssertEqual($0 as? ArrivalError, .malformedCorrelationId)
            }
        }
        XCTAssertEqual(try count(fixture, "SELECT COUNT(*) FROM drafts"), 1)
    }
}
