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
        let person = people.person(people.contactIndex(atPosition: position, random: &random))
        var channel = MessageComposer.channels[random.pick(MessageComposer.channelWeights)]
        if channel == .email && person.email == nil { channel = .sms }
        var kind = Kind(rawValue: random.pick(MessageComposer.kindWeights)) ?? .job
        let jobIndex = random.pick(DemoJobs.weights)
        let job = DemoJobs.all[jobIndex]
        let count = min(remaining, 1 + random.pick(MessageComposer.lengthWeights))
        let engineer = job.trade == "cleaning" ? "the cleaning team" : random.pick(DemoBusiness.engineers)
        let suppressed = person.optedOut || person.restricted
        let messageIds = firstMessageId..<(firstMessageId + Int64(count))
        var mentionPending = specialCategoryMention(messageIds: messageIds)
        // One recent marketing text went out whether or not its customer had consented (what the
        // compliance centre is there to catch); the rest only to customers who had.
        let marketingRegardless = totalMessages > 150 && messageIds.contains(marketingThreadMessage) && !suppressed
        if marketingRegardless { kind = .followUp; channel = .sms }

        // Who speaks first, then alternate; gaps: the business answers within minutes to hours,
        // customers within minutes to a day.
        let businessFirst = kind == .followUp
        var gaps: [Int64] = []
        var totalGap: Int64 = 0
        for step in 0..<count {
            if step == 0 { gaps.append(0); continue }
            let fromBusiness = (step % 2 == 1) != businessFirst
            let gap: Int64
            if fromBusiness { gap = Int64(random.between(180, 4 * 3600)) }
            else { gap = Int64(random.between(120, 20 * 3600)) }
            gaps.append(gap)
            totalGap += gap
        }
        if start + totalGap > calendar.anchor - 60 { start = calendar.anchor - 60 - totalGap }

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
        let slot = CivilDate.spokenDay(unix: start + Int64(random.between(1, 6)) * DemoCalendar.secondsPerDay)
            + (random.perMille(500) ? " morning" : " afternoon")

        var messages: [BulkMessage] = []
        messages.reserveCapacity(count)
        var time = start
        var candidate: DraftCandidate?
        for step in 0..<count {
            time += gaps[step]
            let fromBusiness = (step % 2 == 1) != businessFirst
            let messageId = firstMessageId + Int64(step)
            var body = fromBusiness
                ? businessLine(kind: kind, step: step, job: job, person: person, engineer: engineer, slot: slot,
                               channel: channel, random: &random)
                : customerLine(kind: kind, step: step, job: job, person: person, engineer: engineer, slot: slot,
                               channel: channel, random: &random)
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

    private func customerLine(kind: Kind, step: Int, job: DemoJob, person: DemoPerson, engineer: String,
                              slot: String, channel: Channel, random: inout DemoRandom) -> String {
        let problem = random.pick(job.problems)
        switch (kind, step) {
        case (.job, 0):
            switch channel {
            case .sms: return "Hi, " + problem + ". Can someone come out? I'm in " + String(person.postcodeDistrict) + "."
            case .whatsapp: return random.pick(["Hiya, ", "Hi, ", "Hello 👋 "]) + problem + " 😩 any chance someone can look at it this week?"
            case .email: return "Hello,\n\n" + problem.sentenceCased + ". Could you let me know when someone could come and have a look? The address is " + person.addressLine + ".\n\nThanks,\n" + person.firstName
            case .webchat: return "Hi there, " + problem + ". Do you have anyone free?"
            }
        case (.complaint, 0):
            return random.pick([
                "I'm not happy. " + engineer.sentenceCased + " was meant to come yesterday between 8 and 12 and nobody turned up or rang.",
                "The " + job.lowercaseTitle + " you fixed last week has gone again and I've been charged for the visit.",
                "I've been waiting three days for the quote I was promised. Is anyone actually dealing with this?",
            ])
        case (.enquiry, 0):
            return random.pick([
                "Hi, do you cover " + person.town + "?",
                "Are you open on Saturdays?",
                "Do you do boiler replacements, and do you offer finance?",
                "Hi, are you Gas Safe registered? Need someone for a landlord certificate.",
                "How much do you charge for a call-out?",
            ])
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
                ? "Thanks, that's really helpful. As a rough guide that kind of job comes to between £" + String(job.priceLow)
                    + " and £" + String(job.priceHigh) + ". " + engineer.sentenceCased + " can come round " + slot + " to give you a fixed price. Does that suit?"
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
