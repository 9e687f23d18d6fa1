import Foundation
import HandletDomain

/// The smaller records of the demo and its history. Reviews and data-subject requests are rows of
/// the bulk load (`reviewRows`, `requestRows`); everything that happened in the console is then
/// replayed through the workspace's sessions, in time order, as the people of the business did it
/// (`record(into:)`): drafted replies arriving through the arrival step (evaluated at once, sent,
/// held or blocked by the real gates), staff approving, editing, discarding and rating them, the
/// owner switching Auto-Send on once two intents are trained, sends delivered at their due time,
/// notices imported, read and acknowledged, the lawful bases and caller notice recorded, and
/// sign-ins. So every auto-sent message has its evaluation and its correlation id, none went in
/// quiet hours or to a suppressed contact, and every count agrees, because nothing was written as
/// an outcome.
struct DemoExtras {
    let options: DemoOptions
    let calendar: DemoCalendar
    let people: DemoPeople

    private var day: Int64 { DemoCalendar.secondsPerDay }

    // MARK: Reviews (rows)

    static let reviewStars = Weights([5, 3, 6, 18, 68])

    var reviewCount: Int { min(4_000, max(12, options.calls / 250)) }

    /// One public review, and the reply the owner gave it (nil: none yet).
    struct DemoReview {
        var row: BulkReview
        var firstName: String
        var reply: (text: String, at: Int64)?
    }

    func review(_ index: Int) -> DemoReview {
        var random = DemoRandom(seed: options.seed, stream: .extras, index: 1 &+ index &* 7_919)
        let person = people.person(random.below(people.count))
        let stars = 1 + random.pick(DemoExtras.reviewStars)
        let job = DemoJobs.all[random.pick(DemoJobs.weights)]
        let dayIndex = calendar.day(forIndex: index, of: reviewCount)
        let posted = calendar.moment(onDay: dayIndex, random: &random)
        let engineer = job.trade == "cleaning" ? "the cleaning team" : random.pick(DemoBusiness.engineers)
        let text = reviewText(stars: stars, job: job, engineer: engineer, random: &random)
        let author = person.isOrganisation ? person.displayName : person.firstName + " " + String(person.lastName.prefix(1)) + "."
        var reply: (String, Int64)?
        if calendar.anchor - posted > 5 * day && random.perMille(800),
           let at = calendar.officeOpen(atOrAfter: posted + Int64(random.between(2, 72)) * 3600, random: &random) {
            reply = (stars >= 4
                ? "Thank you " + person.firstName + ", we're glad the " + job.lowercaseTitle + " went well. — Gareth"
                : "Sorry to read this, " + person.firstName + ". Please ring the office so we can put it right. — Gareth",
                at)
        }
        let row = BulkReview(id: Int64(index + 1), source: random.pick(DemoVocabulary.reviewSources), author: author,
                             stars: stars, text: text, postedAt: posted)
        return DemoReview(row: row, firstName: person.firstName, reply: reply)
    }

    /// Replies older than drafting were typed on the review site and arrive with the review; newer
    /// ones go through a drafted reply a person approved (`record(into:)`).
    func reviewRows() -> [BulkReview] {
        (0..<reviewCount).map { index in
            var review = review(index)
            if let reply = review.reply, !isDrafted(review.row.postedAt) {
                review.row.replyText = reply.text
                review.row.repliedAt = reply.at
            }
            return review.row
        }
    }

    private func isDrafted(_ time: Int64) -> Bool { calendar.anchor - time < MessageComposer.draftWindowDays * day }

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

    // MARK: History (through sessions)

    /// At most this many drafts answer messages: enough to train two intents and fill the queue.
    static let maximumMessageDrafts = 700
    /// Where each locked intent's training stops: the office replies by hand once an intent has
    /// this many validated drafts, so the demo shows every stage of training. Follow-ups and
    /// general enquiries are trained without limit: the owner switches them on at 30.
    static let trainingStops: [AutoSendIntent: Int] = [
        .quoteRequest: 24, .bookingRequest: 19, .newLead: 11, .complaint: 27, .reviewReply: 14,
    ]
    static let automatedIntents: Set<AutoSendIntent> = [.followUp, .generalEnquiry]

    /// One thing that happened, at its moment.
    private enum Event {
        case draftArrives(DemoDraft)
        case personHandles(draft: Int, plan: HandlingPlan, by: Int)
        case ownerSwitchesOnIfTrained
        case noticeArrives(NoticeFile, name: String)
        case noticeRead(key: String)
        case noticeAcknowledged(key: String)
        case lawfulBasis(LawfulBasis, ProcessingPurpose)
        case callerNotice(String)
        case signIn(user: Int)
        case holdPlaced(DemoHold)
        case recordingSwitched(on: Bool)
        case promoteOfficeManager
    }

    private struct Scheduled {
        let at: Int64
        let order: Int
        let event: Event
    }

    struct DemoDraft {
        let serial: Int
        let arriving: ArrivingDraft
        let createdAt: Int64
    }

    enum HandlingPlan {
        case approve, edit, discard
        /// A reply to a review the owner published: approved, unless it was edited first.
        case publishReview
        /// Not handled: only rated, if at all.
        case rateOnly
    }

    /// Users by index into `DemoBusiness.users`: owner, admin, agent.
    private static let handlers = [0, 1, 2]

    func record(into workspace: Workspace, draftCandidates: [MessageComposer.DraftCandidate],
                holds: [DemoHold] = []) throws {
        var schedule: [Scheduled] = []
        func add(_ at: Int64, _ event: Event) {
            schedule.append(Scheduled(at: min(at, calendar.anchor - 1), order: schedule.count, event: event))
        }
        var random = DemoRandom(seed: options.seed, stream: .extras, index: 2)
        var drafts: [DemoDraft] = []
        func draft(_ arriving: ArrivingDraft, at: Int64) -> DemoDraft {
            var arriving = arriving
            arriving.correlationId = "draft-" + FastHex.string(DemoRandom.mix(options.seed &+ 0xD4AF7 &+ UInt64(drafts.count + 1)))
            let made = DemoDraft(serial: drafts.count, arriving: arriving, createdAt: at)
            drafts.append(made)
            return made
        }

        for candidate in selectedCandidates(draftCandidates) {
            let (arriving, handling) = messageDraft(candidate, random: &random)
            let created = draft(arriving, at: candidate.sentAt + Int64(random.between(20, 240)))
            add(created.createdAt, .draftArrives(created))
            if calendar.anchor - created.createdAt > 3 * day,
               let handled = calendar.officeOpen(atOrAfter: created.createdAt + Int64(random.between(300, 30 * 3600)),
                                                 random: &random) {
                add(handled, .personHandles(draft: created.serial, plan: handling, by: random.pick(DemoExtras.handlers)))
            }
        }
        for index in 0..<reviewCount {
            let review = review(index)
            // Drafting answers reviews since it began; one left unanswered for a month is let go.
            guard isDrafted(review.row.postedAt),
                  review.reply != nil || calendar.anchor - review.row.postedAt < 30 * day else { continue }
            let stars = review.row.stars
            let body = review.reply?.text ?? (stars >= 4
                ? "Thank you " + review.firstName + ", that's kind of you to say. We're glad we could help."
                : "We're sorry to read this, " + review.firstName + ". Please call the office so we can look into it.")
            let arriving = ArrivingDraft(answers: .review(review.row.id), intent: .reviewReply,
                                         confidence: Double(70 + random.below(29)) / 100, body: body,
                                         complaintSeverity: stars <= 2 ? .medium : nil)
            let created = draft(arriving, at: review.row.postedAt + Int64(random.between(60, 3600)))
            add(created.createdAt, .draftArrives(created))
            if let reply = review.reply {
                add(max(reply.at, created.createdAt + 60), .personHandles(draft: created.serial, plan: .publishReview, by: 0))
            }
        }
        scheduleOffice(add)
        // Every legal hold on a seeded recording was placed by the owner, through the session.
        for hold in holds { add(hold.at, .holdPlaced(hold)) }
        // Recording switched off and back on (the week in `DemoHistory`), or off for good.
        for span in DemoHistory(options: options, calendar: calendar).recordingOff {
            add(span.lowerBound - 1, .recordingSwitched(on: false))
            if span.upperBound <= calendar.anchor { add(span.upperBound - 1, .recordingSwitched(on: true)) }
        }
        // Priya started as an agent and became office manager (admin) three weeks in.
        add(calendar.historyStart - 8 * day + 10 * 3600, .promoteOfficeManager)

        let accounts = try DemoBusiness.users.map { try workspace.actor(email: $0.email) }
        var history = DemoReplay(workspace: workspace, accounts: accounts)
        for item in schedule.sorted(by: { ($0.at, $0.order) < ($1.at, $1.order) }) {
            try history.deliverDue(by: item.at)
            switch item.event {
            case .draftArrives(let draft): try history.arrive(draft, at: item.at)
            case .personHandles(let serial, let plan, let by):
                try history.handle(drafts[serial], plan: plan, by: by, at: item.at, random: &random)
                try history.switchOnIfTrained(at: item.at)
            case .ownerSwitchesOnIfTrained: try history.switchOnIfTrained(at: item.at)
            case .noticeArrives(let file, let name): try history.importNotice(file, name: name, at: item.at)
            case .noticeRead(let key): try history.readNotice(key, at: item.at)
            case .noticeAcknowledged(let key): try history.acknowledgeNotice(key, at: item.at)
            case .lawfulBasis(let basis, let purpose):
                try history.owner(at: item.at).perform(.setLawfulBasis(basis, for: purpose))
            case .callerNotice(let text): try history.owner(at: item.at).perform(.setCallerNotice(text))
            case .holdPlaced(let hold):
                _ = try history.owner(at: item.at).perform(.placeLegalHold(onCall: Call.ID(hold.callId), reason: hold.reason))
            case .recordingSwitched(let on):
                if on { _ = try history.owner(at: item.at).perform(.enableRecording) }
                else { _ = try history.owner(at: item.at).perform(.disableRecording(existing: .keepUntilExpiry)) }
            case .promoteOfficeManager:
                _ = try history.owner(at: item.at).perform(.changeRole(of: accounts[1].userId!, to: .admin))
            case .signIn(let user):
                try history.session(user, at: item.at)
                    .perform(.consoleSessionStarted(session: "demo-\(user + 1)", clientAddress: nil))
            }
        }
        try history.deliverDue(by: calendar.anchor)
        // At the anchor, not the wall clock: the same seed and anchor give the same database, byte for byte.
        try workspace.session(as: .system, clock: .fixed(Date(timeIntervalSince1970: TimeInterval(calendar.anchor))))
            .perform(.recordDemoGenerated(seed: options.seed, calls: options.calls, messages: options.messages))
    }

    /// Every follow-up, enquiry and complaint up to a share of the drafts, and jobs spread evenly
    /// over the rest, in time order.
    private func selectedCandidates(_ candidates: [MessageComposer.DraftCandidate]) -> [MessageComposer.DraftCandidate] {
        let limit = DemoExtras.maximumMessageDrafts
        let shares: [MessageComposer.Kind: Int] = [.followUp: limit / 5, .enquiry: limit / 4, .complaint: limit / 10]
        var chosen: [MessageComposer.DraftCandidate] = []
        for kind in [MessageComposer.Kind.followUp, .enquiry, .complaint] {
            let ofKind = candidates.filter { $0.kind == kind }
            let stride = max(1, (ofKind.count + shares[kind]! - 1) / shares[kind]!)
            chosen += ofKind.enumerated().filter { $0.offset % stride == 0 }.map(\.element)
        }
        let jobs = candidates.filter { $0.kind == .job }
        let room = max(1, limit - chosen.count)
        let stride = max(1, (jobs.count + room - 1) / room)
        chosen += jobs.enumerated().filter { $0.offset % stride == 0 }.map(\.element)
        return chosen.sorted { ($0.sentAt, $0.inboundMessageId) < ($1.sentAt, $1.inboundMessageId) }
    }

    /// The reply an agent drafted for a customer's message, and what a person would do with it.
    private func messageDraft(_ candidate: MessageComposer.DraftCandidate, random: inout DemoRandom)
        -> (ArrivingDraft, HandlingPlan) {
        let job = DemoJobs.all[candidate.jobIndex]
        var intent: DraftIntent
        var severity: ComplaintSeverity?
        var body: String
        let greeting = "Hi " + candidate.firstName + ", "
        switch candidate.kind {
        case .job:
            intent = job.quoteFirst ? .quoteRequest : .bookingRequest
            body = greeting + (job.quoteFirst
                ? "thanks for your message. Jobs like this usually come to £" + DemoPhrases.pounds(job.priceLow) + "–£" + DemoPhrases.pounds(job.priceHigh) + "; we can visit to give a fixed price. Which day suits?"
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
        if unclear < 50 {
            intent = unclear < 30 ? .unknown : unclear < 42 ? .unsupported : .noise
            severity = nil
            body = greeting + "thanks for your message; someone from the office will reply shortly."
        }
        // The agent is usually sure of the simple replies, less often of the rest.
        let sure = intent == .followUp || intent == .generalEnquiry ? 720 : 400
        let confidence = random.perMille(sure) ? Double(86 + random.below(13)) / 100 : Double(55 + random.below(30)) / 100
        // Pricing guardrails give a firm price for a fixed-price job, and for some quoted ones.
        let firmPrice = candidate.kind == .job && (!job.quoteFirst || random.perMille(450))
        let bookingComplete = candidate.kind == .job && random.perMille(550)
        let plan: HandlingPlan = random.pick([.approve, .approve, .approve, .edit, .discard, .rateOnly])
        return (ArrivingDraft(answers: .message(Message.ID(candidate.inboundMessageId)), intent: intent,
                              confidence: confidence, body: body, channel: candidate.channel,
                              firmPriceAvailable: firmPrice, bookingFieldsComplete: bookingComplete,
                              complaintSeverity: severity), plan)
    }

    /// The office's own history: notices as they were published, read and answered; the lawful
    /// bases and the caller notice set up in the first days; recent sign-ins (the external
    /// bookkeeper has never signed in).
    private func scheduleOffice(_ add: (Int64, Event) -> Void) {
        let anchor = calendar.anchor
        let setUp = calendar.historyStart - 29 * day
        for (purpose, basis) in [(ProcessingPurpose.callHandling, LawfulBasis.contract),
                                 (.callRecording, .legitimateInterests), (.messaging, .contract)] {
            add(setUp + 2 * day, .lawfulBasis(basis, purpose))
        }
        add(setUp + 2 * day + 600, .callerNotice(
            "Calls to Kestrel Home Services are answered by an AI assistant and recorded for quality and training; "
                + "recordings are kept 30 days. Full notice: kestrelhomeservices.co.uk/privacy"))
        for (user, daysAgo) in [(0, 0), (1, 1), (2, 3)] as [(Int, Int64)] {
            add(anchor - daysAgo * day - 3600, .signIn(user: user))
        }
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
        for (name, text) in ShippedNotices.all.map({ ($0.name, $0.text) }) + demo {
            guard let file = try? NoticeFile.parse(Data(text.utf8), name: name) else { continue }
            let published = Int64((file.publishedAt ?? Date(timeIntervalSince1970: TimeInterval(anchor - day))).timeIntervalSince1970)
            // The shipped notices' dates are fixed; a demo anchored before one was published has not received it yet.
            guard published < anchor else { continue }
            // A notice older than the workspace arrived when the workspace was set up.
            let arrived = max(published, setUp + 3600)
            add(arrived, .noticeArrives(file, name: name))
            // The office read and acknowledged the older ones; the newest DPA, the open change and
            // the breach still wait for an answer.
            let answered = ["handlet-dpa-v1.md", "subprocessors.md", "retention-table.md"].contains(name)
            let read = answered || name == "caller-privacy-template.md" || name == "subprocessor-change-email.md"
            guard read else { continue }
            let readAt = min(anchor - 3600, arrived + 2 * day)
            add(readAt, .noticeRead(key: file.key))
            if answered && file.needsAcknowledgement { add(readAt + 300, .noticeAcknowledged(key: file.key)) }
        }
    }

    // MARK: Data-subject requests (rows)

    func requestRows() -> [BulkDataSubjectRequest] {
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
        return requests.map { contact, type, received, status, notes in
            let receivedDate = Date(timeIntervalSince1970: TimeInterval(received))
            // UK GDPR: one calendar month from receipt.
            let due = Int64((calendarLondon.date(byAdding: .month, value: 1, to: receivedDate) ?? receivedDate)
                .timeIntervalSince1970)
            let done = status == .completed || status == .refused
            return BulkDataSubjectRequest(contactId: contact, type: type, receivedAt: received, dueAt: due, status: status,
                                          completedBy: done ? DemoBusiness.ownerUserId : nil,
                                          completedAt: done ? min(anchor - 3600, received + Int64(random.between(2, 20)) * day) : nil,
                                          notes: notes)
        }
    }
}

/// The demo's history as it is replayed: who is who, what each draft became, and what training
/// each intent has had, all read from what the sessions answered.
private struct DemoReplay {
    let workspace: Workspace
    let accounts: [Actor]
    private var draftIds: [Int: Int64] = [:]
    private var states: [Int: DraftState] = [:]
    /// Drafts (by serial) counting towards each intent's training: approved, edited or rated.
    private var trained: [AutoSendIntent: Set<Int>] = [:]
    private var pendingDue: [Int64] = []
    private var noticeIds: [String: Int64] = [:]
    private var switchedOn = false

    init(workspace: Workspace, accounts: [Actor]) {
        self.workspace = workspace
        self.accounts = accounts
    }

    func session(_ user: Int, at: Int64) -> WorkspaceSession {
        workspace.session(as: accounts[user], clock: .fixed(Date(timeIntervalSince1970: TimeInterval(at))))
    }

    func owner(at: Int64) -> WorkspaceSession { session(0, at: at) }

    private func systemSession(at: Int64) -> WorkspaceSession {
        workspace.session(as: .system, clock: .fixed(Date(timeIntervalSince1970: TimeInterval(at))))
    }

    /// Everything queued to go by `time` goes, each at its own due time.
    mutating func deliverDue(by time: Int64) throws {
        guard let first = pendingDue.min(), first <= time else { return }
        try systemSession(at: time).deliverPastSends()
        pendingDue.removeAll { $0 <= time }
    }

    mutating func arrive(_ draft: DemoExtras.DemoDraft, at: Int64) throws {
        let arrival = try systemSession(at: at).perform(.receiveDraft(draft.arriving))
        draftIds[draft.serial] = arrival.draftId
        states[draft.serial] = arrival.evaluation.draftState
        note(arrival.evaluation)
    }

    private mutating func note(_ evaluation: RecordedEvaluation?) {
        if let evaluation, case .send(let at) = evaluation.outcome { pendingDue.append(Int64(at.timeIntervalSince1970)) }
    }

    private func stillTraining(_ intent: AutoSendIntent?) -> Bool {
        guard let intent, let stop = DemoExtras.trainingStops[intent] else { return true }
        return trained[intent, default: []].count < stop
    }

    mutating func handle(_ draft: DemoExtras.DemoDraft, plan: DemoExtras.HandlingPlan, by user: Int, at: Int64,
                         random: inout DemoRandom) throws {
        guard let id = draftIds[draft.serial], let state = states[draft.serial] else { return }
        let intent = draft.arriving.intent.autoSendIntent
        let session = session(user, at: at)
        var now = state
        // A blocked draft can only be discarded: the office clears it from the queue.
        if state == .blocked { now = try session.perform(.decideDraft(id, .discard)).state }
        if state == .waiting {
            var decision: DraftDecision = switch plan {
            case .approve, .rateOnly, .publishReview: .approve
            case .edit: .editAndApprove(body: draft.arriving.body + " Thanks, " + DemoBusiness.users[user].name.split(separator: " ")[0])
            case .discard: .discard
            }
            // Past where the demo stops an intent's training, the office answers by hand.
            if plan != .publishReview && !stillTraining(intent) { decision = .discard }
            do {
                let result = try session.perform(.decideDraft(id, decision))
                now = result.state
                note(result.evaluation)
            } catch DraftDecisionError.approvalBlocked {
                now = try session.perform(.decideDraft(id, .discard)).state
            }
            if let intent, now == .approved || now == .edited { trained[intent, default: []].insert(draft.serial) }
        }
        states[draft.serial] = now
        // "Was this correct?": asked now and then, of sent and discarded drafts alike.
        guard state != .blocked, now != .waiting, random.perMille(550) else { return }
        var answer: DraftValidation = random.pick([.correct, .correct, .correct, .incorrect, .notNow])
        if answer != .notNow && !stillTraining(intent) && !(trained[intent!]?.contains(draft.serial) ?? false) { answer = .notNow }
        _ = try session.perform(.decideDraft(id, .rate(answer)))
        if let intent, answer != .notNow { trained[intent, default: []].insert(draft.serial) }
    }

    /// The owner switches Auto-Send on for follow-ups and general enquiries as soon as both are
    /// trained, acknowledging the transparency duties first; never before (the checks refuse it).
    mutating func switchOnIfTrained(at: Int64) throws {
        guard !switchedOn, DemoExtras.automatedIntents.allSatisfy({ trained[$0, default: []].count >= $0.validatedDraftsNeeded })
        else { return }
        let owner = owner(at: at)
        _ = try owner.perform(.acknowledgeAutoSend(.transparency))
        var change = AutoSendChange()
        change.master = true
        change.enableIntents = DemoExtras.automatedIntents
        _ = try owner.perform(.changeAutoSend(change))
        switchedOn = true
    }

    mutating func importNotice(_ file: NoticeFile, name: String, at: Int64) throws {
        switch try owner(at: at).perform(.importNotice(file, source: name)) {
        case .imported(let id), .alreadyPresent(let id): noticeIds[file.key] = id
        }
    }

    func readNotice(_ key: String, at: Int64) throws {
        guard let id = noticeIds[key] else { return }
        _ = try owner(at: at).perform(.markNoticeRead(id))
    }

    func acknowledgeNotice(_ key: String, at: Int64) throws {
        guard let id = noticeIds[key] else { return }
        _ = try owner(at: at).perform(.acknowledgeNotice(id))
    }
}
