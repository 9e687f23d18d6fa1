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
        let unanswered = try insertReviews(db)
        try insertDrafts(db, candidates: draftCandidates, unansweredReviews: unanswered)
        try insertNotices(db)
        try insertRequests(db)
        try AuditLog.append(db, actor: .system, action: .demoGenerated, target: "workspace",
                            details: ["seed": .string(String(options.seed)),
                                      "calls": .int(Int64(options.calls)), "messages": .int(Int64(options.messages))],
                            // At the anchor, not the wall clock: the same seed and anchor give the same database, byte for byte.
                            at: options.anchor)
    }

    // MARK: Reviews

    static let reviewStars = Weights([5, 3, 6, 18, 68])

    /// Returns recent reviews still without a reply: (id, stars, first name, posted).
    private func insertReviews(_ db: Database) throws -> [(Int64, Int, String, Int64)] {
        var random = DemoRandom(seed: options.seed, stream: .extras, index: 1)
        let count = min(4_000, max(12, options.calls / 250))
        var unanswered: [(Int64, Int, String, Int64)] = []
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
            }
        }
        return unanswered
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

    private func insertDrafts(_ db: Database, candidates: [MessageComposer.DraftCandidate],
                              unansweredReviews: [(Int64, Int, String, Int64)]) throws {
        var random = DemoRandom(seed: options.seed, stream: .extras, index: 2)
        let stride = max(1, (candidates.count + DemoExtras.maximumMessageDrafts - 1) / DemoExtras.maximumMessageDrafts)
        var serial = 0
        func correlation() -> String {
            serial += 1
            return "draft-" + FastHex.string(DemoRandom.mix(options.seed &+ 0xD4AF7 &+ UInt64(serial)))
        }
        for (position, candidate) in candidates.enumerated() where position % stride == 0 {
            let job = DemoJobs.all[candidate.jobIndex]
            let intent: DraftIntent
            var severity: ComplaintSeverity?
            let body: String
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
                intent = .generalEnquiry
                body = greeting + "yes, we cover Leeds, Bradford, Wakefield and Harrogate, Monday to Saturday."
            case .complaint:
                intent = .complaint
                severity = random.pick([.low, .medium, .medium, .high])
                body = greeting + "I'm sorry about this. I'll ring you today to put it right."
            }
            let createdAt = candidate.sentAt + Int64(random.between(20, 240))
            var state = DraftState.waiting
            var validation: DraftValidation?
            var validatedBy: Int64?
            var validatedAt: Int64?
            var correlationId = correlation()
            if let (_, sentCorrelation) = candidate.autoSentReply {
                state = .autoSent
                correlationId = sentCorrelation
            } else if candidate.contactSuppressed {
                state = .blocked
            } else if calendar.anchor - createdAt > 3 * day {
                state = random.pick([.approved, .approved, .edited, .discarded])
            }
            if state != .waiting && state != .blocked && random.perMille(600) {
                validation = random.pick([.correct, .correct, .correct, .incorrect, .notNow])
                validatedBy = random.pick([DemoBusiness.adminUserId, DemoBusiness.agentUserId, DemoBusiness.ownerUserId])
                validatedAt = min(calendar.anchor - 60, createdAt + Int64(random.between(300, 36 * 3600)))
            }
            try insertDraft(db, targetKind: "message", targetId: candidate.inboundMessageId, contactId: candidate.contactId,
                            channel: candidate.channel.rawValue, intent: intent,
                            confidence: Double(55 + random.below(44)) / 100, body: body,
                            firmPrice: candidate.kind == .job && !job.quoteFirst,
                            bookingComplete: candidate.kind == .job && random.perMille(550), severity: severity,
                            reviewStars: nil, state: state, validation: validation, validatedBy: validatedBy,
                            validatedAt: validatedAt, correlationId: correlationId, createdAt: createdAt)
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

    private func insertNotices(_ db: Database) throws {
        let anchor = calendar.anchor
        let start = calendar.historyStart
        let notices: [(key: String, kind: NoticeKind, title: String, version: String, effective: Int64,
                       needsAck: Bool, objectionDeadline: Int64?, body: String, acknowledged: Bool)] = [
            ("handlet-dpa", .dpa, "Data processing agreement", "1.0", start - 30 * day, true, nil,
             "How Handlet processes call and message data on the business's behalf: only on its instructions, "
                + "under confidentiality, with recordings kept 30 days unless the business sets another period "
                + "or turns recording off.", true),
            ("handlet-dpa", .dpa, "Data processing agreement", "1.1", anchor + 21 * day, true, nil,
             "Version 1.1 adds web chat to the services covered and states that transcripts follow their own "
                + "retention setting, separate from audio.", false),
            ("subprocessors", .subprocessorChange, "New speech-to-text subprocessor", "2", anchor + 30 * day, true,
             anchor + 23 * day,
             "Handlet intends to add a speech-to-text provider hosted in the EU for call transcription. "
                + "The business may object before the deadline.", false),
            ("incident-0419", .breachNotification, "Delayed deletion of expired recordings", "1", anchor - 12 * day,
             true, nil,
             "For about 36 hours the nightly deletion job did not run, so some expired recordings were kept past "
                + "their date. No recording was accessed. The job has run since and caught up.", false),
            ("retention-table", .policyUpdate, "Retention periods by data type", "3", anchor - 60 * day, false, nil,
             "Recordings: per the workspace setting (default 30 days). Transcripts and summaries: until deleted "
                + "unless a period is set. Audit events: six years.", true),
        ]
        for notice in notices {
            let hash = FastHex.string(SHA256.hash(data: Data(notice.body.utf8)))
            let published = min(anchor - day, notice.effective - 14 * day)
            try db.execute(sql: """
                INSERT INTO notices (notice_key, kind, title, version, effective_at, body, sha256,
                    needs_acknowledgement, objection_deadline, published_at, read_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [notice.key, notice.kind, notice.title, notice.version, notice.effective, notice.body,
                                 hash, notice.needsAck, notice.objectionDeadline, published,
                                 notice.acknowledged ? published + 2 * day : nil])
            if notice.acknowledged {
                try db.execute(sql: """
                    INSERT INTO notice_responses (notice_id, user_id, response, version, sha256, responded_at)
                    VALUES (?, ?, 'acknowledged', ?, ?, ?)
                    """, arguments: [db.lastInsertedRowID, DemoBusiness.ownerUserId, notice.version, hash,
                                     published + 2 * day])
            }
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
