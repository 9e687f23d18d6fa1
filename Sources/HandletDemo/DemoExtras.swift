import Crypto
import Foundation
import GRDB
import HandletDomain

/// The smaller records of the demo: public reviews and their replies, AI-drafted replies waiting
/// for review (and older ones approved, edited, discarded, auto-sent or blocked), the processor's
/// notices, data-subject requests, and an audit event saying what was generated.
struct DemoExtras {
    let options: DemoOptions
    let calendar: DemoCalendar
    let people: DemoPeople

    private var day: Int64 { DemoCalendar.secondsPerDay }

    func insert(_ db: Database, draftCandidates: [MessageComposer.DraftCandidate]) throws {
        let (unanswered, reviewIds) = try insertReviews(db)
        try insertDrafts(db, candidates: draftCandidates, unansweredReviews: unanswered, reviewIds: reviewIds)
        try insertNotices(db)
        try insertRequests(db)
        try insertCompliance(db)
        try AuditLog.append(db, actor: .system, action: .demoGenerated, target: "workspace",
                            details: ["seed": .string(String(options.seed)),
                                      "calls": .int(Int64(options.calls)), "messages": .int(Int64(options.messages))],
                            // At the anchor, not the wall clock: the same seed and anchor give the same database, byte for byte.
                            at: options.anchor)
    }

    // MARK: Reviews

    static let reviewStars = Weights([5, 3, 6, 18, 68])

    /// Returns recent reviews still without a reply: (id, stars, first name, posted).
    private func insertReviews(_ db: Database) throws -> ([(Int64, Int, String, Int64)], [Int64]) {
        var random = DemoRandom(seed: options.seed, stream: .extras, index: 1)
        let count = min(4_000, max(12, options.calls / 250))
        var unanswered: [(Int64, Int, String, Int64)] = []
        var replied: [Int64] = []
        for index in 0..<count {
            let person = people.person(random.below(people.count))
            let stars = 1 + random.pick(DemoExtras.reviewStars)
            let job = DemoJobs.all[random.pick(DemoJobs.weights)]
            let dayIndex = calendar.day(forIndex: index, of: count)
            let posted = calendar.moment(onDay: dayIndex, random: &random)
            let engineer = job.trade == "cleaning" ? "the cleaning team" : random.pick(DemoBusiness.engineers)
            let text = reviewText(stars: stars, job: job, engineer: engineer, random: &random)
            let author = person.isOrganisation ? person.displayName : person.firstName + " " + String(person.lastName.prefix(1)) + "."
            var reply: String?
            var repliedAt: Int64?
            if calendar.anchor - posted > 5 * day && random.perMille(800) {
                reply = stars >= 4
                    ? "Thank you " + person.firstName + ", we're glad the " + job.lowercaseTitle + " went well. — Gareth"
                    : "Sorry to read this, " + person.firstName + ". Please ring the office so we can put it right. — Gareth"
                repliedAt = min(calendar.anchor - 3600, posted + Int64(random.between(2, 72)) * 3600)
            }
            try db.execute(sql: """
                INSERT INTO reviews (source, author, stars, text, posted_at, reply_text, replied_at) VALUES (?, ?, ?, ?, ?, ?, ?)
                """, arguments: [random.pick(DemoVocabulary.reviewSources), author, stars, text, posted, reply, repliedAt])
            if reply == nil && calendar.anchor - posted < 30 * day {
                unanswered.append((db.lastInsertedRowID, stars, person.firstName, posted))
            } else if reply != nil && stars >= 3 {
                replied.append(db.lastInsertedRowID)
            }
        }
        return (unanswered, replied)
    }

    private func reviewText(stars: Int, job: DemoJob, engineer: String, random: inout DemoRandom) -> String {
        let who = engineer.sentenceCased
        switch stars {
        case 5: return random.pick([
            who + " came out the same day for our " + job.lowercaseTitle + ". Tidy, friendly and explained everything. Highly recommend.",
            "Booked through their phone line in a couple of minutes. " + who + " turned up on time and fixed it first visit.",
            "Fair price, no mess, and they sent a reminder the day before. Will use again.",
        ])
        case 4: return random.pick([
            "Good job on the " + job.lowercaseTitle + ", slightly later than the booked slot but " + engineer + " rang ahead.",
            "Quote was clear and the work was done well. Took a while to get a date.",
        ])
        case 3: return "Work was fine but I had to chase the quote twice."
        case 2: return "The " + job.lowercaseTitle + " was sorted in the end but it took two visits and a second call-out charge."
        default: return random.pick([
            "Nobody turned up for the morning slot and no one rang. Had to take another day off work.",
            "Charged for a call-out when the problem came back the next day.",
        ])
        }
    }

    // MARK: Drafts

    /// At most this many drafts from recent conversations: enough to fill the review queue.
    static let maximumMessageDrafts = 400

    /// Validated drafts per intent the demo ends with, at any size: follow-ups and general
    /// enquiries are training-ready (and Auto-Send is on for them), the rest part-trained.
    static let validatedTargets: [AutoSendIntent: Int] = [
        .followUp: 36, .generalEnquiry: 33, .quoteRequest: 24, .bookingRequest: 19, .newLead: 11,
        .reviewReply: 14, .complaint: 27,
    ]
    static let automatedIntents: Set<AutoSendIntent> = [.followUp, .generalEnquiry]
    /// Auto-Send was switched on (and the transparency acknowledgement given) this long before the anchor.
    static var autoSendSinceDays: Int64 { MessageComposer.autoSendSinceDays }

    /// The Auto-Send settings the demo runs under: on, for the two training-ready intents.
    var autoSendSettings: AutoSendSettings {
        var settings = AutoSendSettings.standard
        settings.masterEnabled = true
        settings.enabledIntents = DemoExtras.automatedIntents
        settings.transparency = AutoSendAcknowledgement(
            by: DemoBusiness.users[0].email,
            at: Date(timeIntervalSince1970: TimeInterval(calendar.anchor - DemoExtras.autoSendSinceDays * day - 3 * 3600)))
        return settings
    }

    private func insertDrafts(_ db: Database, candidates: [MessageComposer.DraftCandidate],
                              unansweredReviews: [(Int64, Int, String, Int64)], reviewIds: [Int64]) throws {
        var random = DemoRandom(seed: options.seed, stream: .extras, index: 2)
        let stride = max(1, (candidates.count + DemoExtras.maximumMessageDrafts - 1) / DemoExtras.maximumMessageDrafts)
        var serial = 0
        func correlation() -> String {
            serial += 1
            return "draft-" + FastHex.string(DemoRandom.mix(options.seed &+ 0xD4AF7 &+ UInt64(serial)))
        }
        let settings = autoSendSettings
        let policy = AutoSendPolicy(settings: settings, training: TrainingCounts(validated: DemoExtras.validatedTargets),
                                    businessName: DemoBusiness.name)
        var validated: [AutoSendIntent: Int] = [:]
        /// Counts a person's validation, unless the intent already has its demo total: then the
        /// person discarded the draft instead (which trains nothing).
        func settle(_ intent: DraftIntent, _ state: inout DraftState, _ validation: inout DraftValidation?) {
            guard let key = intent.autoSendIntent else { return }
            let counts = state == .approved || state == .edited || validation == .correct || validation == .incorrect
            guard counts else { return }
            if validated[key, default: 0] >= DemoExtras.validatedTargets[key]! {
                state = .discarded
                if validation != nil { validation = .notNow }
            } else {
                validated[key, default: 0] += 1
            }
        }
        for (position, candidate) in candidates.enumerated() where position % stride == 0 {
            let job = DemoJobs.all[candidate.jobIndex]
            var intent: DraftIntent
            var severity: ComplaintSeverity?
            var body: String
            let greeting = "Hi " + candidate.firstName + ", "
            switch candidate.kind {
            case .job:
                intent = job.quoteFirst ? .quoteRequest : .bookingRequest
                body = greeting + (job.quoteFirst
                    ? "thanks for your message. Jobs like this usually come to £" + String(job.priceLow) + "–£" + String(job.priceHigh) + "; we can visit to give a fixed price. Which day suits?"
                    : "thanks for getting in touch. We can send someone out; the call-out is £" + String(DemoBusiness.callOutPounds) + " including the first hour. Shall we book you in?")
            case .followUp:
                intent = .followUp
                body = greeting + "glad to hear it. If anything changes, just reply here."
            case .enquiry:
                if random.perMille(350) {
                    intent = .newLead
                    body = greeting + "thanks for thinking of us. Tell us a little about the job and your postcode and we'll come back with a time to look at it."
                } else {
                    intent = .generalEnquiry
                    body = greeting + "yes, we cover Leeds, Bradford, Wakefield and Harrogate, Monday to Saturday."
                }
            case .complaint:
                intent = .complaint
                severity = random.pick([.low, .medium, .medium, .high])
                body = greeting + "I'm sorry about this. I'll ring you today to put it right."
            }
            // Now and then the agent cannot tell what the customer wants: never sent automatically.
            let unclear = random.below(1000)
            if candidate.autoSentReply == nil && unclear < 50 {
                intent = unclear < 30 ? .unknown : unclear < 42 ? .unsupported : .noise
                severity = nil
                body = greeting + "thanks for your message; someone from the office will reply shortly."
            }
            let createdAt = candidate.sentAt + Int64(random.between(20, 240))
            var confidence = Double(55 + random.below(44)) / 100
            var state = DraftState.waiting
            var validation: DraftValidation?
            var validatedBy: Int64?
            var validatedAt: Int64?
            var correlationId = correlation()
            // Pricing guardrails give a firm price for a fixed-price job, and for some quoted ones.
            let firmPrice = candidate.kind == .job && (!job.quoteFirst || random.perMille(450))
            let bookingComplete = candidate.kind == .job && random.perMille(550)
            var autoSent: (messageId: Int64, decision: AutoSendDecision)?
            if let (messageId, sentCorrelation) = candidate.autoSentReply {
                // The reply that went out: a first answer the agent was sure of, on a trained intent.
                intent = candidate.kind == .followUp ? .followUp : .generalEnquiry
                severity = nil
                confidence = Double(86 + random.below(13)) / 100
                let sentAt = try Int64.fetchOne(db, sql: "SELECT sent_at FROM messages WHERE id = ?", arguments: [messageId]) ?? createdAt
                let evaluatedAt = Date(timeIntervalSince1970: TimeInterval(sentAt - 20))
                let decision = AutoSendDecider.decide(
                    AutoSendDraftFacts(intent: intent, confidence: confidence, channel: candidate.channel),
                    policy: policy, contact: AutoSendContactFacts(), recentSends: [], now: evaluatedAt)
                if decision.outcome == .send(at: evaluatedAt) {
                    state = .autoSent
                    correlationId = sentCorrelation
                    autoSent = (messageId, decision)
                } else {
                    // Went out in quiet hours before they were set: a person sent it, as the queue shows.
                    state = .approved
                }
            } else if candidate.contactSuppressed {
                state = .blocked
            } else if calendar.anchor - createdAt > 3 * day {
                state = random.pick([.approved, .approved, .edited, .discarded])
            }
            if state != .waiting && state != .blocked && state != .autoSent && random.perMille(600) {
                validation = random.pick([.correct, .correct, .correct, .incorrect, .notNow])
                validatedBy = random.pick([DemoBusiness.adminUserId, DemoBusiness.agentUserId, DemoBusiness.ownerUserId])
                validatedAt = min(calendar.anchor - 60, createdAt + Int64(random.between(300, 36 * 3600)))
            }
            settle(intent, &state, &validation)
            if validation == nil { validatedBy = nil; validatedAt = nil }
            try insertDraft(db, targetKind: "message", targetId: candidate.inboundMessageId, contactId: candidate.contactId,
                            channel: candidate.channel.rawValue, intent: intent, confidence: confidence, body: body,
                            firmPrice: firmPrice, bookingComplete: bookingComplete, severity: severity,
                            reviewStars: nil, state: state, validation: validation, validatedBy: validatedBy,
                            validatedAt: validatedAt, correlationId: correlationId, createdAt: createdAt)
            let draftId = db.lastInsertedRowID
            if let autoSent {
                try recordSent(db, draftId: draftId, correlationId: correlationId, messageId: autoSent.messageId,
                               decision: autoSent.decision, settings: settings)
            } else if state == .waiting || state == .blocked {
                // What Auto-Send decided when the draft came in: why it waits for a person.
                let decision = AutoSendDecider.decide(
                    AutoSendDraftFacts(intent: intent, confidence: confidence, channel: candidate.channel,
                                       firmPriceAvailable: firmPrice, bookingFieldsComplete: bookingComplete,
                                       complaintSeverity: severity),
                    policy: policy, contact: AutoSendContactFacts(optedOut: candidate.contactSuppressed), recentSends: [],
                    now: Date(timeIntervalSince1970: TimeInterval(min(createdAt, calendar.anchor - 30))))
                if decision.sendAt == nil {
                    try recordEvaluation(db, draftId: draftId, correlationId: correlationId, decision: decision,
                                         settings: settings, at: min(createdAt, calendar.anchor - 30))
                }
            }
        }
        for (reviewId, stars, firstName, posted) in unansweredReviews {
            let body = stars >= 4
                ? "Thank you " + firstName + ", that's kind of you to say. We're glad we could help."
                : "We're sorry to read this, " + firstName + ". Please call the office so we can look into it."
            try insertDraft(db, targetKind: "review", targetId: reviewId, contactId: nil, channel: "review",
                            intent: .reviewReply, confidence: Double(70 + random.below(29)) / 100, body: body,
                            firmPrice: false, bookingComplete: false, severity: stars <= 2 ? .medium : nil,
                            reviewStars: stars, state: .waiting, validation: nil, validatedBy: nil, validatedAt: nil,
                            correlationId: correlation(), createdAt: posted + Int64(random.between(60, 3600)))
        }
        // Older drafts people already went through, so each intent's training stands where the demo says.
        let messageTargets = candidates.enumerated().filter { $0.offset % stride == 0 }.map(\.element)
        for intent in AutoSendIntent.allCases {
            let missing = DemoExtras.validatedTargets[intent]! - validated[intent, default: 0]
            guard missing > 0 else { continue }
            for index in 0..<(missing + 4) {
                // The four extra were answered "not now": they stay out of the count.
                let notNow = index >= missing
                let state: DraftState = notNow ? .discarded : [.approved, .approved, .edited, .approved][index % 4]
                let validation: DraftValidation? = notNow ? .notNow : index % 3 == 0 ? .correct : index % 7 == 0 ? .incorrect : nil
                let by = [DemoBusiness.adminUserId, DemoBusiness.agentUserId, DemoBusiness.ownerUserId][index % 3]
                if intent == .reviewReply {
                    guard !reviewIds.isEmpty else { break }
                    let reviewId = reviewIds[index % reviewIds.count]
                    let stars = 3 + index % 3
                    let created = calendar.anchor - Int64(40 + index) * day
                    try insertDraft(db, targetKind: "review", targetId: reviewId, contactId: nil, channel: "review",
                                    intent: .reviewReply, confidence: Double(75 + random.below(24)) / 100,
                                    body: "Thank you for the review; we're glad the job went well.",
                                    firmPrice: false, bookingComplete: false, severity: nil, reviewStars: stars,
                                    state: state, validation: validation, validatedBy: validation == nil ? nil : by,
                                    validatedAt: validation == nil ? nil : created + 3600, correlationId: correlation(),
                                    createdAt: created)
                } else {
                    guard !messageTargets.isEmpty else { break }
                    let target = messageTargets[(index * 7 + serial) % messageTargets.count]
                    let created = max(calendar.historyStart, target.sentAt - Int64(20 + index) * day)
                    try insertDraft(db, targetKind: "message", targetId: target.inboundMessageId, contactId: target.contactId,
                                    channel: target.channel.rawValue, intent: intent.draftIntent,
                                    confidence: Double(60 + random.below(39)) / 100,
                                    body: "Hi " + target.firstName + ", thanks for your message; we'll be in touch today.",
                                    firmPrice: intent == .quoteRequest && index % 2 == 0,
                                    bookingComplete: intent == .bookingRequest && index % 3 != 0,
                                    severity: intent == .complaint ? [.low, .medium, .high][index % 3] : nil, reviewStars: nil,
                                    state: state, validation: validation, validatedBy: validation == nil ? nil : by,
                                    validatedAt: validation == nil ? nil : created + 1800, correlationId: correlation(),
                                    createdAt: created)
                }
            }
        }
        try storeAutoSendSettings(db, settings)
    }

    /// The evaluation that allowed an automatic reply, and its outbox row, sent: the message that
    /// went out carries the same correlation id.
    private func recordSent(_ db: Database, draftId: Int64, correlationId: String, messageId: Int64,
                            decision: AutoSendDecision, settings: AutoSendSettings) throws {
        guard let row = try Row.fetchOne(db, sql: "SELECT channel, to_address, body, sent_at FROM messages WHERE id = ?",
                                         arguments: [messageId]) else { return }
        let sentAt: Int64 = row["sent_at"]
        let evaluationId = try recordEvaluation(db, draftId: draftId, correlationId: correlationId, decision: decision,
                                                settings: settings, at: sentAt - 20)
        try db.execute(sql: """
            INSERT INTO autosend_outbox (evaluation_id, draft_id, correlation_id, idempotency_key, channel, to_address, body,
                state, due_at, attempts, sent_at, message_id)
            VALUES (?, ?, ?, ?, ?, ?, ?, 'sent', ?, 1, ?, ?)
            """, arguments: [evaluationId, draftId, correlationId, "idem-" + correlationId, row["channel"] as String,
                             row["to_address"] as String, row["body"] as String, sentAt - 20, sentAt, messageId])
    }

    @discardableResult
    private func recordEvaluation(_ db: Database, draftId: Int64, correlationId: String, decision: AutoSendDecision,
                                  settings: AutoSendSettings, at: Int64) throws -> Int64 {
        try db.execute(sql: """
            INSERT INTO autosend_evaluations (draft_id, correlation_id, evaluated_at, outcome, send_at, deciding_gate,
                verdicts, settings)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [draftId, correlationId, at, decision.outcome.name,
                             decision.sendAt.map { Int64($0.timeIntervalSince1970) }, decision.decidingGate?.rawValue,
                             decision.verdictsJSON, settings.traceJSON])
        return db.lastInsertedRowID
    }

    private func storeAutoSendSettings(_ db: Database, _ settings: AutoSendSettings) throws {
        try db.execute(sql: """
            UPDATE autosend_settings SET master_enabled = 1, transparency_ack_by = ?, transparency_ack_at = ? WHERE id = 1
            """, arguments: [settings.transparency?.by, settings.transparency.map { Int64($0.at.timeIntervalSince1970) }])
        for intent in settings.enabledIntents {
            try db.execute(sql: "UPDATE autosend_intents SET enabled = 1 WHERE intent = ?", arguments: [intent.rawValue])
        }
    }

    private func insertDraft(_ db: Database, targetKind: String, targetId: Int64, contactId: Int64?, channel: String,
                             intent: DraftIntent, confidence: Double, body: String, firmPrice: Bool,
                             bookingComplete: Bool, severity: ComplaintSeverity?, reviewStars: Int?, state: DraftState,
                             validation: DraftValidation?, validatedBy: Int64?, validatedAt: Int64?,
                             correlationId: String, createdAt: Int64) throws {
        try db.execute(sql: """
            INSERT INTO drafts (target_kind, target_id, contact_id, channel, intent, confidence, body,
                firm_price_available, booking_fields_complete, complaint_severity, review_stars, is_marketing,
                state, validation, validated_by, validated_at, correlation_id, created_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?, ?, ?)
            """, arguments: [targetKind, targetId, contactId, channel, intent, confidence, body, firmPrice,
                             bookingComplete, severity, reviewStars, state, validation, validatedBy, validatedAt,
                             correlationId, min(createdAt, calendar.anchor - 30)])
    }

    // MARK: Notices

    /// The shipped notices (the DPA in two versions, the subprocessor list, the retention table,
    /// the caller privacy template) plus the demo's own: a subprocessor change inside its 30-day
    /// objection window, one past it (deemed accepted, and announced with less than 30 days'
    /// notice), and a breach notification that arrived more than 72 hours after awareness.
    private func insertNotices(_ db: Database) throws {
        let anchor = calendar.anchor
        func stamp(_ seconds: Int64) -> String { DemoNoticeText.instant(seconds) }
        let demo: [(String, String)] = [
            ("subprocessor-change-speech.md", DemoNoticeText.speechChange(published: stamp(anchor - 10 * day),
                                                                         effective: stamp(anchor + 25 * day))),
            ("subprocessor-change-email.md", DemoNoticeText.emailChange(published: stamp(anchor - 50 * day),
                                                                       effective: stamp(anchor - 30 * day))),
            ("breach-2026-deletion-job.md", DemoNoticeText.breach(aware: stamp(anchor - 15 * day - 6 * 3600),
                                                                 notified: stamp(anchor - 15 * day + 74 * 3600),
                                                                 published: stamp(anchor - 15 * day + 74 * 3600))),
        ]
        let files = ShippedNotices.all.map { ($0.name, $0.text) } + demo
        for (name, text) in files {
            let file = try NoticeFile.parse(Data(text.utf8), name: name)
            let published = Int64((file.publishedAt ?? Date(timeIntervalSince1970: TimeInterval(anchor - day))).timeIntervalSince1970)
            // The shipped notices' dates are fixed; a demo anchored before one was published has not received it yet.
            guard published < anchor else { continue }
            let deadline = file.kind == .subprocessorChange
                ? Int64((file.objectionDeadline?.timeIntervalSince1970 ?? TimeInterval(published + 30 * day))) : nil
            let breach = try file.breach.map { breach -> String in
                let encoder = JSONEncoder()
                encoder.dateEncodingStrategy = .secondsSince1970
                encoder.outputFormatting = [.sortedKeys]
                return String(decoding: try encoder.encode(breach), as: UTF8.self)
            }
            // The office read and acknowledged the older ones; the newest DPA, the open change and
            // the breach still wait for an answer.
            let answered = ["handlet-dpa-v1.md", "subprocessors.md", "retention-table.md"].contains(name)
            let read = answered || name == "caller-privacy-template.md" || name == "subprocessor-change-email.md"
            let readAt = read ? min(anchor - 3600, published + 2 * day) : nil
            try db.execute(sql: """
                INSERT INTO notices (notice_key, kind, title, version, effective_at, body, sha256,
                    needs_acknowledgement, objection_deadline, published_at, read_at, source, breach)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [file.key, file.kind, file.title, file.version, Int64(file.effectiveAt.timeIntervalSince1970),
                                 file.body, file.sha256, file.needsAcknowledgement, deadline, published, readAt, name, breach])
            if answered && file.needsAcknowledgement, let readAt {
                try db.execute(sql: """
                    INSERT INTO notice_responses (notice_id, user_id, response, version, sha256, responded_at)
                    VALUES (?, ?, 'acknowledged', ?, ?, ?)
                    """, arguments: [db.lastInsertedRowID, DemoBusiness.ownerUserId, file.version, file.sha256, readAt])
            }
        }
    }

    // MARK: Compliance

    /// What the compliance centre reads: lawful bases for three of the four purposes (marketing is
    /// still to decide), the caller notice the greetings already follow, console sessions (the
    /// external bookkeeper has never signed in), a few marketing texts (one to a contact without
    /// consent), and two messages that mention health.
    private func insertCompliance(_ db: Database) throws {
        let anchor = calendar.anchor
        for (purpose, basis) in [("call_handling", "contract"), ("call_recording", "legitimate_interests"), ("messaging", "contract")] {
            try db.execute(sql: "INSERT INTO lawful_bases(purpose, basis, recorded_by, recorded_at) VALUES (?, ?, ?, ?)",
                           arguments: [purpose, basis, DemoBusiness.ownerUserId, calendar.historyStart + 2 * day])
        }
        try db.execute(sql: "UPDATE workspace SET caller_notice = ?, caller_notice_at = ? WHERE id = 1", arguments: [
            "Calls to Kestrel Home Services are answered by an AI assistant and recorded for quality and training; "
                + "recordings are kept 30 days. Full notice: kestrelhomeservices.co.uk/privacy",
            calendar.historyStart + 2 * day])
        // Console sessions (sign-ins) in the audit log: the office is in daily; the bookkeeper never signed in.
        for (id, daysAgo) in [(DemoBusiness.ownerUserId, 0), (DemoBusiness.adminUserId, 1), (DemoBusiness.agentUserId, 3)] as [(Int64, Int64)] {
            guard let user = try User.fetchOne(db, key: id) else { continue }
            try AuditLog.append(db, actor: .user(user), action: .consoleSessionStarted, target: "console:demo\(id)",
                                details: ["transport": "local"],
                                at: Date(timeIntervalSince1970: TimeInterval(anchor - daysAgo * day - 3600)))
        }
        // Marketing: the newest outbound SMS to contacts with SMS consent, and one without.
        try db.execute(sql: """
            UPDATE messages SET is_marketing = 1 WHERE id IN (
                SELECT m.id FROM messages m JOIN marketing_consents k ON k.contact_id = m.contact_id AND k.channel = m.channel
                WHERE m.direction = 'outbound' AND m.sent_at >= ? AND k.given_at <= m.sent_at AND k.withdrawn_at IS NULL
                ORDER BY m.sent_at DESC LIMIT 6)
            """, arguments: [anchor - 60 * day])
        try db.execute(sql: """
            UPDATE messages SET is_marketing = 1 WHERE id = (
                SELECT m.id FROM messages m WHERE m.direction = 'outbound' AND m.channel = 'sms' AND m.sent_at >= ?
                  AND m.contact_id IS NOT NULL
                  AND NOT EXISTS (SELECT 1 FROM marketing_consents k WHERE k.contact_id = m.contact_id AND k.channel = 'sms')
                ORDER BY m.sent_at DESC LIMIT 1)
            """, arguments: [anchor - 20 * day])
        // Special-category data that crept in: the FTS triggers index the change.
        let mentions = ["My dad is diabetic and can't be without heating for long, so the earlier the better.",
                        "I'm pregnant so I'd rather not be around the fumes. Could the painting wait until Friday?"]
        let recent = try Int64.fetchAll(db, sql: """
            SELECT id FROM messages WHERE direction = 'inbound' AND sent_at >= ? ORDER BY sent_at DESC, id DESC LIMIT 2
            """, arguments: [anchor - 30 * day])
        for (id, text) in zip(recent, mentions) {
            try db.execute(sql: "UPDATE messages SET body = body || ' ' || ? WHERE id = ?", arguments: [text, id])
        }
    }

    // MARK: Data-subject requests

    private func insertRequests(_ db: Database) throws {
        var random = DemoRandom(seed: options.seed, stream: .extras, index: 3)
        let anchor = calendar.anchor
        // Restricted contacts asked for it: those requests are done. A few others are open.
        var requests: [(Int64, DataSubjectRequestType, Int64, DataSubjectRequestStatus, String?)] = []
        for index in 0..<min(people.count, 5_000) where people.person(index).restricted && requests.count < 6 {
            let received = anchor - Int64(random.between(20, 200)) * day
            requests.append((Int64(index + 1), .restriction, received, .completed, "Restriction applied to the contact."))
        }
        let open: [(DataSubjectRequestType, Int64, DataSubjectRequestStatus, String?)] = [
            (.access, 6, .open, nil),
            (.erasure, 19, .inProgress, "Identity confirmed by email; waiting on the owner."),
            (.rectification, 40, .completed, "Corrected the email address."),
            (.portability, 2, .open, nil),
            (.objection, 75, .refused, "Objected to recording of a call still needed for an open insurance claim."),
        ]
        for (type, daysAgo, status, notes) in open {
            let contact = Int64(random.below(people.count) + 1)
            requests.append((contact, type, anchor - daysAgo * day - Int64(random.below(36_000)), status, notes))
        }
        var calendarLondon = Calendar(identifier: .gregorian)
        calendarLondon.timeZone = TimeZone(identifier: "Europe/London") ?? TimeZone(secondsFromGMT: 0)!
        for (contact, type, received, status, notes) in requests {
            let receivedDate = Date(timeIntervalSince1970: TimeInterval(received))
            // UK GDPR: one calendar month from receipt.
            let due = Int64((calendarLondon.date(byAdding: .month, value: 1, to: receivedDate) ?? receivedDate)
                .timeIntervalSince1970)
            let done = status == .completed || status == .refused
            try db.execute(sql: """
                INSERT INTO data_subject_requests (contact_id, type, received_at, due_at, status, completed_by,
                    completed_at, notes) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [contact, type, received, due, status, done ? DemoBusiness.ownerUserId : nil,
                                 done ? min(anchor - 3600, received + Int64(random.between(2, 20)) * day) : nil, notes])
        }
    }
}
