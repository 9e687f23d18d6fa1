import HandletDomain

/// Composes message threads: a customer and the business going back and forth over one channel
/// about one job, enquiry or complaint, in the register of that channel.
struct MessageComposer: Sendable {
    let seed: UInt64
    let totalMessages: Int
    let calendar: DemoCalendar
    let people: DemoPeople

    enum Kind: Int { case job, followUp, enquiry, complaint }

    static let channelWeights = Weights([40, 28, 20, 12])
    static let channels: [Channel] = [.sms, .whatsapp, .email, .webchat]
    static let lengthWeights = Weights([8, 20, 12, 18, 10, 14, 6, 6, 3, 2, 1])
    static let kindWeights = Weights([78, 10, 8, 4])
    /// Drafts answer conversations this recent (older ones predate drafting).
    static let draftWindowDays: Int64 = 120
    /// Special-category data that crept into two recent customer messages (DESIGN §7): the
    /// compliance centre's check finds them.
    static let specialCategoryMentions = [
        "My dad is diabetic and can't be without heating for long, so the earlier the better.",
        "I'm pregnant so I'd rather not be around the fumes. Could the painting wait until Friday?",
    ]
    static let reviewLink = "https://g.page/r/kestrel-home-services/review"

    /// What the draft generator needs to know about a recent conversation.
    struct DraftCandidate: Sendable {
        let kind: Kind
        let jobIndex: Int
        let inboundMessageId: Int64
        let contactId: Int64?
        let channel: Channel
        let firstName: String
        let sentAt: Int64
        let contactSuppressed: Bool
    }

    struct Composed {
        var thread: BulkThread
        var messages: [BulkMessage]
        var candidate: DraftCandidate?
    }

    /// The thread whose first message is message `index` (0-based; its id is `index + 1`),
    /// holding at most `remaining` messages, written as thread `threadSlot` of its chunk.
    func compose(index: Int, threadSlot: Int, remaining: Int) -> Composed {
        let firstMessageId = Int64(index + 1)
        var random = DemoRandom(seed: seed, stream: .thread, index: index)
        let messageIndex = Int(firstMessageId - 1)
        let day = calendar.day(forIndex: messageIndex, of: totalMessages)
        var start = calendar.moment(onDay: day, random: &random)
        let position = Double(messageIndex) / Double(max(1, totalMessages))
        var person = people.person(people.contactIndex(atPosition: position, random: &random))
        var channel = MessageComposer.channels[random.pick(MessageComposer.channelWeights)]
        if channel == .email && person.email == nil { channel = .sms }
        var kind = Kind(rawValue: random.pick(MessageComposer.kindWeights)) ?? .job
        let month = calendar.month(of: start)
        let jobIndex = random.pick(DemoJobs.weightsByMonth[month - 1])
        let job = DemoJobs.all[jobIndex]
        // A few WhatsApp threads are mostly emoji, as some people write.
        let emojiHeavy = channel == .whatsapp && random.perMille(60)
        let count = min(remaining, 1 + random.pick(MessageComposer.lengthWeights))
        let engineer = job.trade == "cleaning" ? "the cleaning team" : random.pick(DemoBusiness.engineers)
        let messageIds = firstMessageId..<(firstMessageId + Int64(count))
        // One recent marketing text went out whether or not its customer had consented (what the
        // compliance centre is there to catch): to a customer who had not, and who can be texted.
        let marketingRegardless = totalMessages > 150 && messageIds.contains(marketingThreadMessage)
        if marketingRegardless {
            var candidate = person.index
            for _ in 0..<people.count {
                let other = people.person(candidate)
                let consented = people.rows(candidate, calendar: calendar).1.contains { $0.channel == "sms" }
                if !other.optedOut && !other.restricted && !other.isOrganisation && !consented { person = other; break }
                candidate = (candidate + 1) % people.count
            }
            kind = .followUp
            channel = .sms
        }
        let suppressed = person.optedOut || person.restricted
        var mentionPending = specialCategoryMention(messageIds: messageIds)

        // Who speaks first, then alternate; gaps: the business answers within minutes to hours,
        // customers within minutes to a day. People in the office answer in office hours; outside
        // them the assistant answers most messages at once and the rest wait for the morning.
        let businessFirst = kind == .followUp
        var gaps: [Int64] = [0]
        var assistantAnswers: [Bool] = [false]
        for step in 1..<max(1, count) {
            let fromBusiness = (step % 2 == 1) != businessFirst
            gaps.append(fromBusiness ? Int64(random.between(180, 4 * 3600)) : Int64(random.between(120, 20 * 3600)))
            assistantAnswers.append(random.perMille(700))
        }
        let timingSeed = random.next()
        var schedule = self.schedule(start: start, gaps: gaps, businessFirst: businessFirst, assistant: assistantAnswers,
                                     seed: timingSeed, strict: false)
        if let last = schedule.last?.time, last > calendar.anchor - 60 {
            start -= last - (calendar.anchor - 60)
            schedule = self.schedule(start: start, gaps: gaps, businessFirst: businessFirst, assistant: assistantAnswers,
                                     seed: timingSeed, strict: false)
            if let again = schedule.last?.time, again > calendar.anchor - 60 {
                // Recent threads: no waiting for the office, so the times are the gaps alone.
                start = calendar.anchor - 60 - gaps.reduce(0, +)
                schedule = self.schedule(start: start, gaps: gaps, businessFirst: businessFirst, assistant: assistantAnswers,
                                         seed: timingSeed, strict: true)
            }
        }

        let businessAddress: String
        let customerAddress: String
        switch channel {
        case .sms: businessAddress = DemoBusiness.phone; customerAddress = person.phone
        case .whatsapp: businessAddress = DemoBusiness.whatsappNumber; customerAddress = person.phone
        case .email: businessAddress = DemoBusiness.email; customerAddress = person.email ?? person.phone
        case .webchat:
            businessAddress = "webchat:" + DemoBusiness.domain
            customerAddress = "webchat:visitor-" + FastHex.string(DemoRandom.mix(seed ^ UInt64(person.index)) & 0xFFFFFF, width: 6)
        }
        // Visits are offered from the day after the conversation ends, never on a Sunday.
        var visit = (schedule.last?.time ?? start) + Int64(random.between(1, 5)) * DemoCalendar.secondsPerDay
        if CivilDate.weekday(daysSinceEpoch: visit / DemoCalendar.secondsPerDay) == 0 { visit += DemoCalendar.secondsPerDay }
        let slot = CivilDate.spokenDay(unix: visit)
            + (random.perMille(500) ? " morning" : " afternoon")

        var messages: [BulkMessage] = []
        messages.reserveCapacity(count)
        var time = start
        var candidate: DraftCandidate?
        for step in 0..<count {
            time = schedule[step].time
            let fromBusiness = (step % 2 == 1) != businessFirst
            let messageId = firstMessageId + Int64(step)
            var body = fromBusiness
                ? businessLine(kind: kind, step: step, job: job, person: person, engineer: engineer, slot: slot,
                               channel: channel, random: &random)
                : customerLine(kind: kind, step: step, job: job, person: person, engineer: engineer, slot: slot,
                               channel: channel, month: month, emojiHeavy: emojiHeavy, random: &random)
            if emojiHeavy && !fromBusiness && step > 0 {
                body += " " + random.pick(["👍👍", "🙏🙏😊", "😂😂", "🔥🔥🔥", "💯", "😊👌", "🤞🤞", "🙌🙌"])
            }
            if fromBusiness && schedule[step].byAssistant {
                body = (channel == .email ? "This is Kestrel Home Services' assistant; the office is closed, so I'm replying for the team.\n\n"
                            : "Kestrel's assistant here (the office is closed): ") + body
            }
            var attachments: String?
            if !fromBusiness && step == 2 && channel != .sms && random.perMille(420) {
                attachments = attachment(channel: channel, time: time, random: &random)
                body += channel == .email ? "\n\nI've attached a photo so you can see." : " (photo attached)"
            }
            if !fromBusiness, let mention = mentionPending, calendar.anchor - time < 30 * DemoCalendar.secondsPerDay {
                body += " " + mention
                mentionPending = nil
            }
            let isMarketing = fromBusiness && step == 0 && kind == .followUp && channel == .sms
                && (marketingRegardless || isMarketingRecipient(person, at: time))
            if isMarketing {
                body = "Kestrel Home Services: boiler services are £10 off until the end of the month, book by replying to this text. Reply STOP to opt out."
            }
            let status: DeliveryStatus
            if !fromBusiness { status = .received }
            else if calendar.anchor - time < 300 { status = .queued }
            else {
                let roll = random.below(1000)
                switch channel {
                case .sms: status = roll < 15 ? .failed : roll < 30 ? .sent : .delivered
                case .whatsapp: status = roll < 10 ? .failed : roll < 300 ? .delivered : .read
                case .email: status = roll < 5 ? .failed : .sent
                case .webchat: status = roll < 400 ? .delivered : .read
                }
            }
            messages.append(BulkMessage(id: messageId, threadSlot: threadSlot, channel: channel.rawValue,
                                       direction: fromBusiness ? "outbound" : "inbound",
                                       fromAddress: fromBusiness ? businessAddress : customerAddress,
                                       toAddress: fromBusiness ? customerAddress : businessAddress,
                                       contactId: person.id, body: body, sentAt: time,
                                       deliveryStatus: status.rawValue, attachments: attachments,
                                       isMarketing: isMarketing))
        }

        // Recent conversations ending (or starting) with the customer are what drafts answer.
        if calendar.anchor - time < MessageComposer.draftWindowDays * DemoCalendar.secondsPerDay {
            let inboundIndex = businessFirst ? min(1, count - 1) : 0
            let inbound = messages[inboundIndex]
            if inbound.direction == "inbound" {
                candidate = DraftCandidate(kind: kind, jobIndex: jobIndex, inboundMessageId: inbound.id,
                                           contactId: person.id, channel: channel, firstName: person.firstName,
                                           sentAt: inbound.sentAt, contactSuppressed: suppressed)
            }
        }

        var unread = 0
        if calendar.anchor - time < 4 * DemoCalendar.secondsPerDay {
            for message in messages.reversed() {
                if message.direction == "inbound" { unread += 1 } else { break }
            }
        }
        let subject: String? = channel == .email ? emailSubject(kind: kind, job: job) : nil
        let thread = BulkThread(contactId: person.id, channel: channel.rawValue, subject: subject,
                               lastActivityAt: time, unreadCount: unread, messageCount: count)
        return Composed(thread: thread, messages: messages, candidate: candidate)
    }

    /// When each message of a thread was sent, and whether the assistant sent it (out of hours).
    /// Staff send only in office hours (never between midnight and 7); customers rarely write at
    /// night. `strict`: the times are the gaps alone, out-of-hours replies all by the assistant.
    private func schedule(start: Int64, gaps: [Int64], businessFirst: Bool, assistant: [Bool], seed timingSeed: UInt64,
                          strict: Bool) -> [(time: Int64, byAssistant: Bool)] {
        var random = DemoRandom(seed: timingSeed, stream: .thread, index: 0)
        var result: [(time: Int64, byAssistant: Bool)] = []
        var time = start
        for step in gaps.indices {
            time += gaps[step]
            let fromBusiness = (step % 2 == 1) != businessFirst
            var byAssistant = false
            if fromBusiness && !calendar.isOfficeOpen(time) {
                if strict || (assistant[step] && step > 0) {
                    byAssistant = true
                    // The assistant answers within a few minutes of the customer.
                    if step > 0 { time = result[step - 1].time + Int64(30 + random.below(150)) }
                } else if let open = calendar.officeOpen(atOrAfter: time, random: &random) {
                    time = open
                } else {
                    byAssistant = true
                }
            } else if !fromBusiness && !strict {
                let local = calendar.localSecond(of: time)
                if local < 7 * 3600 && random.perMille(850) { time += 7 * 3600 - local + Int64(random.below(3 * 3600)) }
            }
            result.append((time, byAssistant))
        }
        return result
    }

    /// The mention for the customer message that is one of two chosen near the newest end of
    /// the demo's messages, if it was sent in the last 30 days.
    private func specialCategoryMention(messageIds: Range<Int64>) -> String? {
        for (offset, mention) in zip([40, 140], MessageComposer.specialCategoryMentions) where totalMessages > offset {
            if messageIds.contains(Int64(totalMessages - offset)) { return mention }
        }
        return nil
    }

    /// The thread holding this message is a marketing text, whoever it went to.
    private var marketingThreadMessage: Int64 { Int64(totalMessages - 150) }

    /// A recent follow-up text that went out as marketing: to customers who consented to SMS
    /// marketing, and now and then (what the compliance centre is there to catch) to one who had not.
    private func isMarketingRecipient(_ person: DemoPerson, at time: Int64) -> Bool {
        guard calendar.anchor - time < 60 * DemoCalendar.secondsPerDay else { return false }
        let consented = people.rows(person.index, calendar: calendar).1.contains {
            $0.channel == "sms" && $0.givenAt <= time && ($0.withdrawnAt ?? .max) > time
        }
        return consented
    }

    private func emailSubject(kind: Kind, job: DemoJob) -> String {
        switch kind {
        case .job: return job.title
        case .followUp: return "Your " + job.lowercaseTitle + " with Kestrel Home Services"
        case .enquiry: return "Quick question"
        case .complaint: return "Missed appointment"
        }
    }

    private func attachment(channel: Channel, time: Int64, random: inout DemoRandom) -> String {
        let name: String
        let bytes: Int
        if channel == .whatsapp && random.perMille(150) {
            name = "VID-" + CivilDate.isoDay(unix: time).filter { $0 != "-" } + "-WA" + DemoPeople.digits(UInt64(random.below(10000)), count: 4) + ".mp4"
            bytes = random.between(2_000_000, 24_000_000)
        } else if channel == .email && random.perMille(200) {
            name = random.pick(["floor-plan.pdf", "tenancy-inventory.pdf", "previous-certificate.pdf"])
            bytes = random.between(90_000, 1_800_000)
        } else {
            name = "IMG_" + DemoPeople.digits(UInt64(random.below(10000)), count: 4) + ".jpg"
            bytes = random.between(350_000, 4_500_000)
        }
        return "[{\"name\":\"" + name + "\",\"bytes\":" + String(bytes) + "}]"
    }

    /// How a customer signs off a first message, if at all: "Thanks, Sarah".
    private func signature(_ person: DemoPerson, random: inout DemoRandom) -> String {
        switch random.below(4) {
        case 0: return " Thanks, " + person.firstName
        case 1: return " Cheers, " + person.firstName
        case 2: return " Many thanks."
        default: return ""
        }
    }

    private func customerLine(kind: Kind, step: Int, job: DemoJob, person: DemoPerson, engineer: String,
                              slot: String, channel: Channel, month: Int, emojiHeavy: Bool, random: inout DemoRandom) -> String {
        let problem = job.problem(month: month, random: &random).text
        let native = DemoVocabulary.communities[person.community].greetings
        // Some write the greeting in their own language (Polish, Arabic, Chinese, Romanian...).
        let hello = !native.isEmpty && channel != .email && random.perMille(450) ? random.pick(native) : nil
        let more = job.fault ? random.pick(DemoPhrases.faultSince) : random.pick(DemoPhrases.requestTiming)
        let extra = random.perMille(500) ? " " + (job.fault ? random.pick(DemoPhrases.faultContext) : random.pick(DemoPhrases.requestContext)) : ""
        // The problem after the greeting: capitalised after one that ends a sentence.
        func opened(_ fallback: String) -> String {
            guard let hello else { return fallback + problem }
            let continues = hello.hasSuffix(", ") || hello.hasSuffix("، ") || hello.hasSuffix("，")
            return hello + (continues ? problem : problem.sentenceCased)
        }
        switch (kind, step) {
        case (.job, 0):
            switch channel {
            case .sms: return opened("Hi, ") + ". " + more + extra + " Can someone come out? I'm in " + String(person.postcodeDistrict) + "."
                + signature(person, random: &random)
            case .whatsapp:
                if emojiHeavy {
                    return opened("Hiyaaa 👋👋 ") + " 😩😩😩 " + more + " 🙈 any chance someone can look at it this week?? 🙏🙏🙏"
                }
                return opened(random.pick(["Hiya, ", "Hi, ", "Hello 👋 "])) + " 😩 " + more + extra + " Any chance someone can look at it this week? "
                    + DemoPhrases.whereabouts(person, random: &random)
            case .email: return "Hello,\n\n" + problem.sentenceCased + ". " + more + extra + " Could you let me know when someone could come and have a look? The address is " + person.addressLine + ".\n\nThanks,\n" + person.firstName
            case .webchat: return opened("Hi there, ") + ". " + more + extra + " Do you have anyone free? "
                + DemoPhrases.whereabouts(person, random: &random)
            }
        case (.complaint, 0):
            let complaint = random.pick([
                "I'm not happy. " + engineer.sentenceCased + " was meant to come " + random.pick(["yesterday", "this morning", "on Saturday", "on Monday"])
                    + " between " + random.pick(["8 and 12", "12 and 4"]) + " and nobody turned up or rang.",
                "The " + job.lowercaseTitle + " you " + random.pick(["fixed", "looked at", "sorted"]) + " " + random.pick(["last week", "a fortnight ago", "on Tuesday", "the other day"])
                    + " has gone again and I've been charged for the visit.",
                "I've been waiting " + random.pick(["three days", "a week", "since Monday", "over a week"]) + " for the quote for the "
                    + job.lowercaseTitle + ". Is anyone actually dealing with this?",
            ])
            return complaint + " " + random.pick(["Please ring me back.", "I'd like a call today.", "Not good enough.",
                                                  "Can someone sort this out?", "Very disappointed."]) + signature(person, random: &random)
        case (.enquiry, 0):
            let question = random.pick([
                "do you cover " + person.town + "?",
                "are you open on Saturdays?",
                "do you do boiler replacements, and do you offer finance?",
                "are you Gas Safe registered? I need someone for a landlord certificate.",
                "how much do you charge for a call-out?",
                "do you do emergency call-outs at weekends?",
                "can you give me a rough idea what a " + job.lowercaseTitle + " costs?",
            ])
            return random.pick(["Hi, ", "Hello, ", "Quick question: ", "Hiya, ", "Morning, ", "Hi there, "]) + question + " "
                + DemoPhrases.whereabouts(person, random: &random) + signature(person, random: &random)
        case (.followUp, 1):
            return random.pick(["All good thanks, working perfectly now.", "Yes thanks, much better.",
                                "Actually it's started again this morning, can someone come back?", "Will do 👍"])
        case (.job, 2), (.complaint, 2):
            return kind == .job ? random.pick(job.details) : random.pick(["Fine, but I'd like it sorted this week please.", "OK. I'll wait to hear from you.", "That would be appreciated, thanks."])
        case (.job, 4):
            return random.pick(["Yes please, book it in.", "That's great, thank you.", "Perfect, see you then 👍",
                                "Could it be the afternoon instead? If not the morning's fine."])
        case (_, let n) where n % 2 == 0 && n >= 6:
            return random.pick(["Brilliant, thank you!", "Thanks, all sorted now.", "Is " + engineer + " still coming today?",
                                "What time roughly?", "Ok thanks", "Will do, thanks again."])
        default:
            return random.pick(["Thanks, that's helpful.", "Great, thank you.", "Ok, speak soon.", "Thanks 🙏"])
        }
    }

    private func businessLine(kind: Kind, step: Int, job: DemoJob, person: DemoPerson, engineer: String,
                              slot: String, channel: Channel, random: inout DemoRandom) -> String {
        let greeting = channel == .email ? "Hi " + person.firstName + ",\n\n" : "Hi " + person.firstName + ", "
        let signOff = channel == .email ? "\n\nKind regards,\nPriya\nKestrel Home Services" : channel == .sms ? " - Kestrel Home Services" : ""
        let text: String
        switch (kind, step) {
        case (.followUp, 0):
            text = greeting + "it's Kestrel Home Services. Just checking the " + job.lowercaseTitle + " is all sorted after "
                + engineer + "'s visit. Reply here if anything's not right."
        case (.job, 1):
            text = greeting + "thanks for getting in touch. " + job.question
        case (.job, 3):
            text = job.quoteFirst
                ? "Thanks, that's really helpful. As a rough guide that kind of job comes to between £" + DemoPhrases.pounds(job.priceLow)
                    + " and £" + DemoPhrases.pounds(job.priceHigh) + ". " + engineer.sentenceCased + " can come round " + slot + " to give you a fixed price. Does that suit?"
                : "We can send " + engineer + " " + slot + ". The call-out is £" + String(DemoBusiness.callOutPounds) + " including the first hour. Shall we book that in?"
        case (.job, 5):
            text = "Lovely, you're booked in for " + slot + ". " + engineer.sentenceCased + " will call about 30 minutes before arriving."
        case (.job, 7), (.followUp, 2):
            text = "Glad to help! If you have a moment, a quick review means a lot to a small firm like ours: " + MessageComposer.reviewLink
        case (.complaint, 1):
            text = greeting + "I'm really sorry about this. I've looked into it and I'll call you within the hour to put it right."
        case (.complaint, 3):
            text = "Thanks for bearing with us. Gareth will come out himself " + slot + " at no charge."
        case (.enquiry, 1):
            text = random.pick([
                "Yes, we cover Leeds, Bradford, Wakefield and Harrogate and the villages in between.",
                "We're open 8 till 6 Monday to Friday and 9 till 1 on Saturdays, with emergency cover outside those hours.",
                "Yes, all our heating engineers are Gas Safe registered. Happy to book a landlord certificate for you.",
                "Our call-out is £" + String(DemoBusiness.callOutPounds) + " including the first hour, then it's charged in half hours.",
            ])
        default:
            text = random.pick(["No problem at all.", "Yes, " + engineer + " is on the way and should be with you in about 20 minutes.",
                                "Invoice sent over by email, thanks again.", "You're welcome, any time."])
        }
        return text + signOff
    }
}
