import Foundation
@testable import HandletDomain
import XCTest

/// The decision function, table-driven: every gate and veto, in order (issue 14, "Must show").
final class AutoSendDecisionTests: XCTestCase {
    static let london = TimeZone(identifier: "Europe/London")!

    /// A UTC instant.
    static func utc(_ year: Int, _ month: Int, _ day: Int, _ hour: Int, _ minute: Int = 0) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar.date(from: DateComponents(year: year, month: month, day: day, hour: hour, minute: minute))!
    }

    /// Wednesday 10 June 2026, 12:00 BST: outside the standard quiet hours.
    static let noon = utc(2026, 6, 10, 11)

    /// Everything on, acknowledged and trained: a plain enquiry goes straight out.
    static var allOn: AutoSendSettings {
        var settings = AutoSendSettings.standard
        settings.masterEnabled = true
        settings.enabledIntents = Set(AutoSendIntent.allCases)
        settings.transparency = AutoSendAcknowledgement(by: "owner@example.test", at: utc(2026, 1, 1, 9))
        settings.complaints = AutoSendAcknowledgement(by: "owner@example.test", at: utc(2026, 1, 1, 9))
        return settings
    }

    static let trained = TrainingCounts(validated: Dictionary(uniqueKeysWithValues: AutoSendIntent.allCases.map { ($0, 60) }))

    struct Case {
        let name: String
        var draft = AutoSendDraftFacts(intent: .generalEnquiry, confidence: 0.95, channel: .sms)
        var settings = AutoSendDecisionTests.allOn
        var training = AutoSendDecisionTests.trained
        var businessName = "Kestrel Home Services"
        var contact = AutoSendContactFacts()
        var recentSends: [Date] = []
        var now = AutoSendDecisionTests.noon
        let outcome: AutoSendOutcome
        let gate: AutoSendGate?

        init(_ name: String, outcome: AutoSendOutcome, gate: AutoSendGate?, _ setUp: (inout Case) -> Void = { _ in }) {
            self.name = name
            self.outcome = outcome
            self.gate = gate
            setUp(&self)
        }
    }

    static let sendNow = AutoSendOutcome.send(at: noon)

    static var cases: [Case] {
        var cases: [Case] = [
            Case("everything passes", outcome: sendNow, gate: nil),
            // 1. intents that are never sent automatically
            Case("opted-out contact", outcome: .blocked, gate: .contactSuppressed) { $0.contact.optedOut = true },
            Case("restricted contact", outcome: .blocked, gate: .contactSuppressed) { $0.contact.restricted = true },
            Case("restricted even with everything else fine and consent", outcome: .blocked, gate: .contactSuppressed) {
                $0.contact = AutoSendContactFacts(restricted: true, marketingConsent: Set(Channel.allCases))
            },
            Case("marketing without consent", outcome: .blocked, gate: .marketingConsent) { $0.draft.isMarketing = true },
            Case("marketing with consent for another channel only", outcome: .blocked, gate: .marketingConsent) {
                $0.draft.isMarketing = true
                $0.contact.marketingConsent = [.email]
            },
            Case("marketing with consent for its channel", outcome: sendNow, gate: nil) {
                $0.draft.isMarketing = true
                $0.contact.marketingConsent = [.sms]
            },
            Case("a disclosure that would fail: no business name", outcome: .blocked, gate: .disclosure) { $0.businessName = " " },
            Case("a disclosure that would fail: stored wording without STOP", outcome: .blocked, gate: .disclosure) {
                $0.settings.update(.sms) { $0.wording = ChannelWording(unchecked: "Automated reply from {business}.", optOut: "") }
            },
            Case("a disclosure that would fail on WhatsApp: not saying automated", outcome: .blocked, gate: .disclosure) {
                $0.draft.channel = .whatsapp
                $0.settings.update(.whatsapp) { $0.wording = ChannelWording(unchecked: "Reply from {business}.", optOut: "Reply STOP") }
            },
            Case("web chat needs no opt-out line", outcome: sendNow, gate: nil) { $0.draft.channel = .webchat },
            // 5–8. each intent's own gate
            Case("review reply to 1 star", outcome: .hold, gate: .reviewStars) {
                $0.draft = AutoSendDraftFacts(intent: .reviewReply, confidence: 0.97, channel: nil, reviewStars: 1)
            },
            Case("review reply to 2 stars", outcome: .hold, gate: .reviewStars) {
                $0.draft = AutoSendDraftFacts(intent: .reviewReply, confidence: 0.97, channel: nil, reviewStars: 2)
            },
            Case("review reply with stars unknown", outcome: .hold, gate: .reviewStars) {
                $0.draft = AutoSendDraftFacts(intent: .reviewReply, confidence: 0.97, channel: nil)
            },
            Case("review reply to 3 stars", outcome: sendNow, gate: nil) {
                $0.draft = AutoSendDraftFacts(intent: .reviewReply, confidence: 0.97, channel: nil, reviewStars: 3)
            },
            Case("review reply to 5 stars", outcome: sendNow, gate: nil) {
                $0.draft = AutoSendDraftFacts(intent: .reviewReply, confidence: 0.97, channel: nil, reviewStars: 5)
            },
            Case("high-severity complaint", outcome: .hold, gate: .complaintSeverity) {
                $0.draft = AutoSendDraftFacts(intent: .complaint, confidence: 0.99, channel: .email, complaintSeverity: .high)
            },
            Case("medium-severity complaint", outcome: .hold, gate: .complaintSeverity) {
                $0.draft = AutoSendDraftFacts(intent: .complaint, confidence: 0.99, channel: .email, complaintSeverity: .medium)
            },
            Case("complaint of unknown severity", outcome: .hold, gate: .complaintSeverity) {
                $0.draft = AutoSendDraftFacts(intent: .complaint, confidence: 0.99, channel: .email)
            },
            Case("low-severity complaint", outcome: sendNow, gate: nil) {
                $0.draft = AutoSendDraftFacts(intent: .complaint, confidence: 0.99, channel: .email, complaintSeverity: .low)
            },
            Case("quote without a firm price", outcome: .hold, gate: .firmPrice) {
                $0.draft = AutoSendDraftFacts(intent: .quoteRequest, confidence: 0.93, channel: .sms)
            },
            Case("quote with a firm price", outcome: sendNow, gate: nil) {
                $0.draft = AutoSendDraftFacts(intent: .quoteRequest, confidence: 0.93, channel: .sms, firmPriceAvailable: true)
            },
            Case("booking with incomplete fields", outcome: .hold, gate: .bookingFields) {
                $0.draft = AutoSendDraftFacts(intent: .bookingRequest, confidence: 0.93, channel: .whatsapp)
            },
            Case("booking with every field", outcome: sendNow, gate: nil) {
                $0.draft = AutoSendDraftFacts(intent: .bookingRequest, confidence: 0.93, channel: .whatsapp, bookingFieldsComplete: true)
            },
            Case("follow-up", outcome: sendNow, gate: nil) { $0.draft.intent = .followUp },
            Case("new lead", outcome: sendNow, gate: nil) { $0.draft.intent = .newLead },
            // 9–14. settings and acknowledgements
            Case("master switch off", outcome: .hold, gate: .masterSwitch) { $0.settings.masterEnabled = false },
            Case("channel off", outcome: .hold, gate: .channel) { $0.settings.update(.sms) { $0.enabled = false } },
            Case("intent off", outcome: .hold, gate: .intentToggle) { $0.settings.enabledIntents.remove(.generalEnquiry) },
            Case("no transparency acknowledgement", outcome: .hold, gate: .transparency) { $0.settings.transparency = nil },
            Case("complaint without its acknowledgement", outcome: .hold, gate: .complaintAcknowledgement) {
                $0.draft = AutoSendDraftFacts(intent: .complaint, confidence: 0.99, channel: .email, complaintSeverity: .low)
                $0.settings.complaints = nil
            },
            Case("no complaints acknowledgement is no matter for an enquiry", outcome: sendNow, gate: nil) {
                $0.settings.complaints = nil
            },
            // 15. the threshold
            Case("confidence 84.99%", outcome: .hold, gate: .confidence) { $0.draft.confidence = 0.8499 },
            Case("confidence 85%", outcome: sendNow, gate: nil) { $0.draft.confidence = 0.85 },
            Case("confidence 85.01%", outcome: sendNow, gate: nil) { $0.draft.confidence = 0.8501 },
            Case("confidence 89.99% under a 90% threshold", outcome: .hold, gate: .confidence) {
                $0.draft.confidence = 0.8999
                $0.settings.threshold = try! ConfidenceThreshold(parsing: "90")
            },
            Case("confidence 90% under a 90% threshold", outcome: sendNow, gate: nil) {
                $0.draft.confidence = 0.9
                $0.settings.threshold = try! ConfidenceThreshold(parsing: "90")
            },
            // 16. the per-contact cap
            Case("one under the cap", outcome: sendNow, gate: nil) {
                $0.recentSends = [noon.addingTimeInterval(-3600), noon.addingTimeInterval(-7200)]
            },
            Case("at the cap", outcome: .hold, gate: .contactCap) {
                $0.recentSends = [noon.addingTimeInterval(-60), noon.addingTimeInterval(-3600), noon.addingTimeInterval(-86_399)]
            },
            Case("at the cap but the oldest is exactly 24 hours ago", outcome: sendNow, gate: nil) {
                $0.recentSends = [noon.addingTimeInterval(-60), noon.addingTimeInterval(-3600), noon.addingTimeInterval(-86_400)]
            },
            Case("a cap of 1 with one send today", outcome: .hold, gate: .contactCap) {
                $0.settings.perContactCap = try! PerContactCap(messages: 1)
                $0.recentSends = [noon.addingTimeInterval(-600)]
            },
            // 17. quiet hours (21:00-08:00 London), crossing midnight
            Case("22:00 BST waits for 08:00 BST", outcome: .send(at: utc(2026, 6, 11, 7)), gate: .quietHours) {
                $0.now = utc(2026, 6, 10, 21)
            },
            Case("00:30 BST waits for 08:00 BST the same day", outcome: .send(at: utc(2026, 6, 11, 7)), gate: .quietHours) {
                $0.now = utc(2026, 6, 10, 23, 30)
            },
            Case("07:59 BST waits a minute", outcome: .send(at: utc(2026, 6, 11, 7)), gate: .quietHours) {
                $0.now = utc(2026, 6, 11, 6, 59)
            },
            Case("08:00 BST goes at once", outcome: .send(at: utc(2026, 6, 11, 7)), gate: nil) { $0.now = utc(2026, 6, 11, 7) },
            Case("20:59 BST goes at once", outcome: .send(at: utc(2026, 6, 10, 19, 59)), gate: nil) { $0.now = utc(2026, 6, 10, 19, 59) },
            Case("21:00 BST waits", outcome: .send(at: utc(2026, 6, 11, 7)), gate: .quietHours) { $0.now = utc(2026, 6, 10, 20) },
            Case("22:00 GMT in winter waits for 08:00 GMT", outcome: .send(at: utc(2026, 12, 3, 8)), gate: .quietHours) {
                $0.now = utc(2026, 12, 2, 22)
            },
            Case("quiet hours within a day (12:00-14:00)", outcome: .send(at: utc(2026, 6, 10, 13)), gate: .quietHours) {
                $0.settings.quietHours = try! QuietHours(parsing: "12:00-14:00")
                $0.now = utc(2026, 6, 10, 11, 30)
            },
            Case("quiet hours in another zone (New York, 21:00-08:00)", outcome: .send(at: utc(2026, 6, 10, 12)), gate: .quietHours) {
                $0.settings.timeZone = try! BusinessTimeZone(identifier: "America/New_York")
                $0.now = utc(2026, 6, 10, 11)
            },
            // Clocks go forward: 29 March 2026, 01:00 GMT becomes 02:00 BST.
            Case("spring forward: 23:00 GMT waits for 08:00 BST (07:00 UTC)", outcome: .send(at: utc(2026, 3, 29, 7)),
                 gate: .quietHours) { $0.now = utc(2026, 3, 28, 23) },
            Case("spring forward: due at 01:30, a time that never happens, goes at 02:00 BST", outcome: .send(at: utc(2026, 3, 29, 1)),
                 gate: .quietHours) {
                $0.settings.quietHours = try! QuietHours(parsing: "22:00-01:30")
                $0.now = utc(2026, 3, 28, 23)
            },
            Case("spring forward: due at 02:00, the first time after the gap", outcome: .send(at: utc(2026, 3, 29, 1)),
                 gate: .quietHours) {
                $0.settings.quietHours = try! QuietHours(parsing: "22:00-02:00")
                $0.now = utc(2026, 3, 28, 23)
            },
            Case("spring forward: 02:30 BST is outside 22:00-02:00", outcome: .send(at: utc(2026, 3, 29, 1, 30)), gate: nil) {
                $0.settings.quietHours = try! QuietHours(parsing: "22:00-02:00")
                $0.now = utc(2026, 3, 29, 1, 30)
            },
            // Clocks go back: 25 October 2026, 02:00 BST becomes 01:00 GMT; 01:00-02:00 happens twice.
            Case("fall back: 22:00 BST waits for 08:00 GMT", outcome: .send(at: utc(2026, 10, 25, 8)), gate: .quietHours) {
                $0.now = utc(2026, 10, 24, 21)
            },
            Case("fall back: due at 01:30, its first occurrence (BST)", outcome: .send(at: utc(2026, 10, 25, 0, 30)),
                 gate: .quietHours) {
                $0.settings.quietHours = try! QuietHours(parsing: "23:00-01:30")
                $0.now = utc(2026, 10, 24, 22, 30)
            },
            Case("fall back: 01:45 BST, in the first pass of the repeated hour, is outside", outcome: .send(at: utc(2026, 10, 25, 0, 45)),
                 gate: nil) {
                $0.settings.quietHours = try! QuietHours(parsing: "23:00-01:30")
                $0.now = utc(2026, 10, 25, 0, 45)
            },
            Case("fall back: 01:15 GMT, the repeated hour, waits for 01:30 GMT", outcome: .send(at: utc(2026, 10, 25, 1, 30)),
                 gate: .quietHours) {
                $0.settings.quietHours = try! QuietHours(parsing: "23:00-01:30")
                $0.now = utc(2026, 10, 25, 1, 15)
            },
            Case("no quiet hours at all holds (the checks refuse saving that)", outcome: .hold, gate: .quietHours) {
                $0.settings.quietHours = nil
            },
            // Order: the first failing gate decides.
            Case("opted out, marketing, master off: the contact decides", outcome: .blocked, gate: .contactSuppressed) {
                $0.contact.optedOut = true
                $0.draft.isMarketing = true
                $0.settings.masterEnabled = false
            },
            Case("low confidence in quiet hours: held, not deferred", outcome: .hold, gate: .confidence) {
                $0.draft.confidence = 0.5
                $0.now = utc(2026, 6, 10, 22)
            },
        ]
        for intent in [DraftIntent.unknown, .noise, .risk, .unsupported] {
            cases.append(Case("\(intent.rawValue) intent, whatever the settings", outcome: .hold, gate: .intent) {
                $0.draft.intent = intent
                $0.draft.confidence = 1
            })
        }
        for intent in AutoSendIntent.allCases {
            let draft: AutoSendDraftFacts = switch intent {
            case .reviewReply: AutoSendDraftFacts(intent: .reviewReply, confidence: 0.95, channel: nil, reviewStars: 4)
            case .complaint: AutoSendDraftFacts(intent: .complaint, confidence: 0.95, channel: .sms, complaintSeverity: .low)
            default: AutoSendDraftFacts(intent: intent.draftIntent, confidence: 0.95, channel: .sms, firmPriceAvailable: true,
                                        bookingFieldsComplete: true)
            }
            let needed = intent.validatedDraftsNeeded
            cases.append(Case("\(intent.rawValue) locked at \(needed - 1)", outcome: .hold, gate: .training) {
                $0.draft = draft
                $0.training = TrainingCounts(validated: [intent: needed - 1])
            })
            cases.append(Case("\(intent.rawValue) unlocked at exactly \(needed)", outcome: sendNow, gate: nil) {
                $0.draft = draft
                $0.training = TrainingCounts(validated: [intent: needed])
            })
        }
        return cases
    }

    func testEveryGateAndVetoDecidesAsTheTableSays() {
        var gatesSeen = Set<AutoSendGate>()
        for row in Self.cases {
            let decision = AutoSendDecider.decide(row.draft, settings: row.settings, training: row.training,
                                                  businessName: row.businessName, contact: row.contact,
                                                  recentSends: row.recentSends, now: row.now)
            XCTAssertEqual(decision.outcome, row.outcome, row.name)
            XCTAssertEqual(decision.decidingGate, row.gate, row.name)
            XCTAssertEqual(decision.verdicts.count, AutoSendGate.allCases.count, row.name)
            if let gate = row.gate { gatesSeen.insert(gate) }
        }
        XCTAssertEqual(gatesSeen, Set(AutoSendGate.allCases), "every gate decides at least one row")
    }

    func testEveryGatesVerdictIsKeptForTheTrace() {
        var draft = AutoSendDraftFacts(intent: .quoteRequest, confidence: 0.80, channel: .sms, isMarketing: true)
        draft.firmPriceAvailable = false
        var settings = Self.allOn
        settings.masterEnabled = false
        let decision = AutoSendDecider.decide(draft, settings: settings, training: Self.trained, businessName: "Kestrel",
                                              contact: AutoSendContactFacts(optedOut: true), recentSends: [],
                                              now: Self.utc(2026, 6, 10, 22))
        XCTAssertEqual(decision.outcome, .blocked)
        XCTAssertEqual(decision.decidingGate, .contactSuppressed)
        XCTAssertEqual(decision.verdict(.intent), .pass)
        XCTAssertEqual(decision.verdict(.contactSuppressed), .block)
        XCTAssertEqual(decision.verdict(.marketingConsent), .block)
        XCTAssertEqual(decision.verdict(.reviewStars), .notApplicable)
        XCTAssertEqual(decision.verdict(.firmPrice), .hold)
        XCTAssertEqual(decision.verdict(.masterSwitch), .hold)
        XCTAssertEqual(decision.verdict(.confidence), .hold)
        XCTAssertEqual(decision.verdict(.quietHours), .deferred(until: Self.utc(2026, 6, 11, 7)))
    }

    func testTheSameInputsGiveTheSameDecision() {
        for row in Self.cases {
            let decide = {
                AutoSendDecider.decide(row.draft, settings: row.settings, training: row.training, businessName: row.businessName,
                                       contact: row.contact, recentSends: row.recentSends, now: row.now)
            }
            XCTAssertEqual(decide(), decide(), row.name)
        }
    }
}
