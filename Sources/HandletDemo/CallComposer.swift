import Foundation
import HandletDomain

/// A legal hold the owner placed on a call's recording, replayed through the session.
struct DemoHold: Sendable {
    let callId: Int64
    let reason: String
    let at: Int64
}

/// Composes one call: who, when, what was said, what the assistant concluded, and whether audio
/// exists. Everything about call `index` comes from its own random stream.
struct CallComposer: Sendable {
    let seed: UInt64
    let total: Int
    let calendar: DemoCalendar
    let people: DemoPeople
    let history: DemoHistory

    static let outcomeWeights = Weights([23, 17, 19, 11, 7, 14, 9])
    static let outcomes: [CallOutcome] = [.bookedJob, .quoteRequested, .messageTaken, .callbackRequested,
                                          .spam, .missed, .abandoned]

    struct Composed {
        var call: BulkCall
        /// Present when the call has (or had) a recording; its audio comes from the `.audio` stream.
        var recording: BulkRecording?
        var needsAudioFile: Bool
        /// Where each turn's speech falls in the audio (milliseconds from the start).
        var speech: [TranscriptBuilder.Span] = []
        var hold: DemoHold?
    }

    /// A slot in the calendar used for bookings and surveys.
    private struct Slot {
        let spoken: String
        let day: String
        let window: String
        /// "Tuesday 25 November, 8am to 12pm", as job details show it.
        let written: String
    }

    func compose(index: Int) -> Composed {
        var random = DemoRandom(seed: seed, stream: .call, index: index)
        let id = Int64(index + 1)
        let day = calendar.day(forIndex: index, of: total)
        let startedAt = calendar.moment(onDay: day, random: &random)
        let localHour = Int((startedAt - calendar.dayStart(day)) / 3600)
        let month = calendar.month(of: startedAt)
        let position = Double(index) / Double(max(1, total))
        let outcome = CallComposer.outcomes[random.pick(CallComposer.outcomeWeights)]
        let job = DemoJobs.all[random.pick(DemoJobs.weightsByMonth[month - 1])]
        let problem = job.problem(month: month, random: &random)

        var direction = "inbound"
        var handledBy = HandledBy.aiAgent
        switch outcome {
        case .missed: handledBy = .voicemail
        case .spam, .abandoned: handledBy = .aiAgent
        case .messageTaken, .callbackRequested:
            let roll = random.below(100)
            handledBy = roll < 78 ? .aiAgent : roll < 88 ? .staff : .voicemail
        case .bookedJob, .quoteRequested:
            let roll = random.below(100)
            if roll < 8 { direction = "outbound"; handledBy = .staff } else if roll < 18 { handledBy = .staff }
        }
        // People answer the phone and ring back only while the office is open; out of hours the
        // assistant takes the call.
        if handledBy == .staff && !calendar.isOfficeOpen(startedAt) {
            handledBy = .aiAgent
            direction = "inbound"
        }

        var person: DemoPerson?
        let callerNumber: String
        if outcome == .spam || ((outcome == .missed || outcome == .abandoned) && random.perMille(150)) {
            callerNumber = DemoPeople.strangerNumber(random: &random)
        } else {
            let contact = people.person(people.contactIndex(atPosition: position, random: &random))
            person = contact
            callerNumber = contact.phone
        }

        var staffFirstName = "Gareth"
        var staffUserId: Int64?
        if handledBy == .staff {
            let staff = DemoBusiness.staffOnPhones[random.below(DemoBusiness.staffOnPhones.count)]
            staffFirstName = staff.firstName
            staffUserId = staff.userId
        }
        let engineer = job.trade == "cleaning" ? "the cleaning team" : random.pick(DemoBusiness.engineers)
        let slot = makeSlot(job: job, startedAt: startedAt, localHour: localHour, random: &random)

        var builder = TranscriptBuilder()
        var summary = ""
        var jobDetails: String?
        let agent: Transcript.Speaker = handledBy == .staff ? .staff : .aiAgent
        let isStaff = agent == .staff
        // An organisation is one contact; whoever rings from it says who they are.
        let caller = person.map { people.caller(for: $0, random: &random) }
        let name = caller?.spokenName ?? "The caller"
        let first = caller?.firstName ?? "there"
        let summaryName = caller?.summaryName ?? "The caller"
        func line(_ ai: String, _ staff: String) -> String { isStaff ? staff : ai }
        // "14:05", London time, for summaries of calls that said little.
        let localSecond = startedAt - calendar.dayStart(day)
        let clock = DemoPeople.digits(UInt64(localSecond / 3600), count: 2) + ":" + DemoPeople.digits(UInt64(localSecond / 60 % 60), count: 2)

        func greet() {
            let partOfDay = localHour < 12 ? "Good morning" : localHour < 18 ? "Good afternoon" : "Good evening"
            if isStaff {
                builder.say(.staff, random.pick([
                    partOfDay + ", Kestrel Home Services, " + staffFirstName + " speaking.",
                    "Kestrel, " + staffFirstName + " speaking.",
                    "Hello, Kestrel Home Services, " + staffFirstName + " here.",
                ]), random: &random)
            } else {
                builder.say(.aiAgent, random.pick([
                    partOfDay + ", you're through to Kestrel Home Services. I'm the firm's AI assistant, and calls are recorded for training and quality. How can I help?",
                    partOfDay + ", Kestrel Home Services. You're speaking with an AI assistant and this call is recorded. What can I do for you today?",
                    "Thanks for calling Kestrel Home Services. I'm an automated assistant; this call may be recorded. How can I help?",
                ]), random: &random)
            }
        }

        switch (outcome, handledBy) {
        case (.missed, _):
            summary = (person == nil ? "Missed call from " + callerNumber : "Missed call from " + summaryName)
                + " at " + clock + "; the caller rang off before the voicemail message and left nothing."
        case (.abandoned, _):
            greet()
            if random.perMille(500) {
                builder.say(.caller, random.pick(["Oh, sorry, wrong number.", "Sorry, I was after someone else.", "Hello? Sorry, bad line, I'll try again."]), random: &random)
                summary = "Caller on " + callerNumber + " hung up just after the greeting at " + clock + " without giving a reason."
            } else {
                summary = "Caller on " + callerNumber + " hung up during the greeting at " + clock + "; no details taken."
            }
        case (.spam, _):
            greet()
            let pitch = random.below(4)
            builder.say(.caller, [
                "Hello, I'm calling about the business energy contract on your premises. It's due for renewal and we can save you up to forty percent.",
                "Hi, this is a courtesy call about your Google business listing, it's about to be marked as unverified unless we update it today.",
                "Hello, we're offering a free review of your card payment fees, most firms your size are overpaying.",
                "Hi there, have you or anyone at the business had an accident at work in the last three years that wasn't your fault?",
            ][pitch], random: &random)
            builder.say(agent, line("Thanks, but the business isn't interested. Please take this number off your calling list.",
                                    "No thanks, we're not interested. Take us off your list please."), random: &random)
            builder.say(.caller, random.pick(["Okay, no problem, thanks for your time.", "Right, I'll make a note of that.", "Can I just ask who deals with..."]), random: &random)
            summary = "Unsolicited sales call from " + callerNumber + " at " + clock + " ("
                + ["business energy", "online listings", "card payment fees", "accident claims"][pitch]
                + "). Declined and asked to be removed from their list."
        case (.messageTaken, .voicemail), (.callbackRequested, .voicemail):
            builder.say(.voicemail, "You've reached Kestrel Home Services. We can't take your call right now; please leave your name, number and a short message after the tone.", random: &random)
            builder.say(.caller, "Hi, it's " + name + ". " + problem.text.sentenceCased + ". " + random.pick(DemoPhrases.faultSince + DemoPhrases.requestTiming)
                        + " Could someone ring me back on this number please? Thanks.", random: &random)
            summary = "Voicemail from " + summaryName + " about " + problem.noun + "; asks for a call back."
        case (.messageTaken, _):
            greet()
            let reasons = ["it's about the invoice for the " + job.lowercaseTitle + " last week",
                           "he said he'd come back to finish off the " + job.lowercaseTitle,
                           "I wanted to ask about the quote for the " + job.lowercaseTitle]
            let reasonIndex = random.below(reasons.count)
            builder.say(.caller, "Hi, is Gareth about? " + reasons[reasonIndex].sentenceCased + ".", random: &random)
            builder.say(agent, line("Gareth's out on a job at the moment. I can take a message and make sure he gets it today. What would you like me to pass on?",
                                    "He's out on a job, sorry. Want me to get him to call you?"), random: &random)
            builder.say(.caller, "Could you ask him to give me a ring? My name's " + name + ", he'll know what it's about.", random: &random)
            builder.say(agent, line("Of course. Is this the best number to reach you on?", "No problem. This number alright?"), random: &random)
            builder.say(.caller, random.pick(["Yes, this one's fine.", "Yes, this mobile, any time today.", "This number, but not before two please."]), random: &random)
            builder.say(agent, line("Thanks " + first + ", I've passed that on. Have a good day.", "Lovely, I'll let him know. Cheers " + first + "."), random: &random)
            summary = summaryName + " left a message for Gareth about " + ["an invoice", "unfinished work", "a quote"][reasonIndex]
                + " (" + job.lowercaseTitle + "). Wants a call back on this number."
        case (.callbackRequested, _):
            greet()
            builder.say(.caller, DemoPhrases.spokenOpener(hour: localHour, random: &random) + problem.text + ". Could someone call me back to talk it through? I'm at work right now.", random: &random)
            builder.say(agent, line("No problem at all. When's a good time to call you?", "Yeah, course. When's best?"), random: &random)
            let whens = localHour < 12 ? ["after five today", "at lunchtime, between twelve and one", "any time this afternoon", "tomorrow morning before ten"]
                : localHour < 17 ? ["after five today", "tomorrow morning before ten", "tomorrow at lunchtime"]
                : ["tomorrow morning before ten", "tomorrow at lunchtime", "any time tomorrow afternoon"]
            let when = random.pick(whens)
            builder.say(.caller, "Ideally " + when + ".", random: &random)
            builder.say(agent, line("Got it, I've asked the team to call you back " + when + ". Can I take your name?",
                                    "Right, I'll get someone to ring you " + when + ". What's your name?"), random: &random)
            builder.say(.caller, "It's " + name + ".", random: &random)
            builder.say(agent, line("Thanks " + first + ". Someone will be in touch then. Bye for now.", "Cheers " + first + ", speak then. Bye."), random: &random)
            summary = summaryName + " asked for a call back " + when + " about " + problem.noun + "."
        case (.bookedJob, _), (.quoteRequested, _):
            // Bookings take two to six minutes, now and then far longer (a chatty caller, a hold).
            let targetMs = random.perMille(40) ? random.between(900, 1_500) * 1000
                : random.between(110, 230) * 1000 + random.below(90) * 1000
            if direction == "outbound" {
                builder.say(.staff, "Hi, is that " + first + "? It's " + staffFirstName + " from Kestrel Home Services, returning your call about the " + job.lowercaseTitle + ".", random: &random)
                builder.say(.caller, "Oh yes, thanks for getting back to me. " + problem.text.sentenceCased + ". " + random.pick(job.details), random: &random)
            } else {
                greet()
                builder.say(.caller, DemoPhrases.request(problem, job: job, person: person, hour: localHour, random: &random), random: &random)
                builder.say(agent, isStaff ? "Right, okay. " + job.question : job.question, random: &random)
                builder.say(.caller, random.pick(job.details), random: &random)
            }
            // The closing takes about forty seconds: fill the call up to its length before it.
            var talk = DemoPhrases.smallTalk
            var questions = DemoPhrases.callerQuestions
            // A few questions each way, not a questionnaire: a long call spends the rest on hold.
            var asked = 0
            let most = 3 + random.below(4)
            while builder.offsetMs + 45_000 < targetMs && asked < most && !(talk.isEmpty && questions.isEmpty) {
                asked += 1
                if !questions.isEmpty && (talk.isEmpty || random.perMille(300)) {
                    let asked = questions.remove(at: random.below(questions.count))
                    builder.say(.caller, asked.question, random: &random)
                    builder.say(agent, line(asked.ai, asked.staff), random: &random)
                } else {
                    let exchange = talk.remove(at: random.below(talk.count))
                    builder.say(agent, line(exchange.ai, exchange.staff), random: &random)
                    builder.say(.caller, random.pick(exchange.answers), random: &random)
                }
            }
            // Still short: the rest is spent on hold while the diary is checked.
            var holds = 0
            while builder.offsetMs + 45_000 + 20_000 < targetMs && holds < 3 {
                let hold = (isStaff ? DemoPhrases.holdStaff : DemoPhrases.holdAI)[holds]
                builder.say(agent, hold.0, random: &random)
                builder.pause(ms: min(420_000, targetMs - builder.offsetMs - 45_000))
                builder.say(agent, hold.1, random: &random)
                builder.say(.caller, random.pick(["No problem.", "That's fine.", "Yes, still here.", "Okay."]), random: &random)
                holds += 1
            }
            let address = person?.addressLine ?? "the address on the booking"
            let who = job.trade == "cleaning" ? "the cleaning team" : engineer
            let postcode = person?.postcode ?? ""
            if outcome == .bookedJob {
                builder.say(agent, line("Thanks, that helps. Can I take your name and the address where the work is?",
                                        "Okay, what's the name and address?"), random: &random)
                builder.say(.caller, "It's " + name + ", " + address + ".", random: &random)
                builder.say(agent, line("Thanks " + first + ". We can get " + who + " to you " + slot.spoken + ". The call-out is £"
                                        + String(DemoBusiness.callOutPounds) + ", which covers the first hour. Shall I book that in?",
                                        "Right, I can get " + who + " round " + slot.spoken + ". It's £" + String(DemoBusiness.callOutPounds)
                                        + " call-out, that covers the first hour. Want me to put you down?"), random: &random)
                builder.say(.caller, random.pick(["Yes please, that's perfect.", "That works, yes.", "Could it be any earlier? No? Fine, book it in.", "Brilliant, yes please."]), random: &random)
                builder.say(agent, line("Booked. You'll get a text to confirm, and " + who + " will ring when on the way. Anything else I can help with?",
                                        "Done, you'll get a text to confirm. Anything else?"), random: &random)
                builder.say(.caller, random.pick(["No, that's everything, thanks.", "No, that's great, cheers.", "That's all, thank you."]), random: &random)
                builder.say(agent, line("Thanks for calling, " + first + ". Bye for now.", "No worries, cheers " + first + ". Bye."), random: &random)
                summary = summaryName + " reported " + problem.noun + " at " + address + ". Booked " + who + " " + slot.spoken
                    + "; £" + String(DemoBusiness.callOutPounds) + " call-out agreed."
                jobDetails = "{\"type\":\"Booking\",\"title\":\"" + job.title + "\",\"trade\":\"" + job.trade.sentenceCased
                    + "\",\"postcode\":\"" + postcode + "\",\"visit\":\"" + slot.written + "\",\"engineer\":\"" + who.sentenceCased
                    + "\",\"call_out_gbp\":" + String(DemoBusiness.callOutPounds) + ",\"urgent\":\"" + (job.urgent ? "Yes" : "No") + "\"}"
            } else {
                let surveyor = job.trade == "cleaning" ? "Priya" : engineer
                builder.say(agent, line("Thanks. We'd normally price that after a quick look; as a guide it usually comes to between £"
                                        + DemoPhrases.pounds(job.priceLow) + " and £" + DemoPhrases.pounds(job.priceHigh) + ". Can I take your name, the address and an email for the written quote?",
                                        "We'd want to have a look first really, but you're looking at £" + DemoPhrases.pounds(job.priceLow) + " to £"
                                        + DemoPhrases.pounds(job.priceHigh) + " as a rough guide. What's your name and address, and an email for the quote?"), random: &random)
                let emailPart = person?.email.map { "and my email's " + $0 } ?? "and could you text it to this number, I don't really use email"
                builder.say(.caller, "Sure, it's " + name + ", " + address + ", " + emailPart + ".", random: &random)
                builder.say(agent, line("Lovely. " + surveyor + " will get in touch to arrange a visit " + slot.spoken + ", and the quote will follow within two working days. Anything else?",
                                        "Great. " + surveyor + " will pop round " + slot.spoken + " and we'll get the quote over within a couple of days."), random: &random)
                builder.say(.caller, random.pick(["No, that's great, thanks.", "No, thank you.", "That's all, cheers."]), random: &random)
                builder.say(agent, line("Thanks " + first + ", speak soon.", "Cheers " + first + ", bye now."), random: &random)
                summary = summaryName + " asked for a quote for " + problem.noun + " (" + (person.map { String($0.postcodeDistrict) } ?? "area not given")
                    + "). Guide price £" + DemoPhrases.pounds(job.priceLow) + "–£" + DemoPhrases.pounds(job.priceHigh) + " given; survey " + slot.spoken
                    + " with " + surveyor + ", written quote to follow."
                jobDetails = "{\"type\":\"Quote\",\"title\":\"" + job.title + "\",\"trade\":\"" + job.trade.sentenceCased
                    + "\",\"postcode\":\"" + postcode + "\",\"guide_price\":\"£" + DemoPhrases.pounds(job.priceLow) + " to £"
                    + DemoPhrases.pounds(job.priceHigh) + "\",\"survey\":\"" + slot.written + " with " + surveyor
                    + "\",\"quote_by\":\"" + (person?.email != nil ? "Email" : "Text message") + "\"}"
            }
        }
        let durationSeconds = outcome == .missed ? random.between(8, 30) : builder.durationSeconds
        let businessNumber = DemoBusiness.phone
        // Twilio's shape: CA and 32 hex digits. The first half is a bijection of the index (so
        // unique), the second a hash of it: nothing reads as a counter.
        let idHash = DemoRandom.mix(seed ^ UInt64(index))
        var call = BulkCall(id: id, externalId: "CA" + FastHex.string(idHash) + FastHex.string(DemoRandom.mix(idHash ^ 0x9E37_79B9_7F4A_7C15)),
                           direction: direction,
                           fromNumber: direction == "inbound" ? callerNumber : businessNumber,
                           toNumber: direction == "inbound" ? businessNumber : callerNumber,
                           contactId: person?.id, startedAt: startedAt, durationSeconds: durationSeconds,
                           handledBy: handledBy.rawValue, staffUserId: staffUserId, outcome: outcome.rawValue,
                           summary: summary, transcript: builder.text, transcriptTiming: builder.timing,
                           jobDetails: jobDetails, recordingState: RecordingState.notRecorded.rawValue,
                           recordingPurgedAt: nil)
        let (recording, needsFile, hold) = recordingFor(call: &call, outcome: outcome, random: &random)
        return Composed(call: call, recording: recording, needsAudioFile: needsFile, speech: builder.spans, hold: hold)
    }

    private func makeSlot(job: DemoJob, startedAt: Int64, localHour: Int, random: inout DemoRandom) -> Slot {
        let daysAhead: Int64 = job.urgent ? (localHour < 13 ? 0 : 1) : Int64(random.between(2, 9))
        let morning = job.urgent ? localHour >= 13 || random.perMille(500) : random.perMille(550)
        let window = morning ? "08:00-12:00" : "12:00-16:00"
        let spokenWindow = morning ? "between 8 and 12" : "between 12 and 4"
        let when = startedAt + daysAhead * DemoCalendar.secondsPerDay
        let spoken: String
        if daysAhead == 0 { spoken = "this afternoon " + spokenWindow }
        else if daysAhead == 1 { spoken = "tomorrow " + spokenWindow }
        else { spoken = "on " + CivilDate.spokenDay(unix: when) + " " + spokenWindow }
        return Slot(spoken: spoken, day: CivilDate.isoDay(unix: when), window: window,
                    written: CivilDate.spokenDay(unix: when) + (morning ? ", 8am to 12pm" : ", 12pm to 4pm"))
    }

    /// Decides the call's audio through the workspace's `RecordingPolicy` as it stood when the call
    /// was taken: live or expired-but-unpurged recordings get a file; older ones were purged by
    /// earlier nightly runs; missed calls and a few others captured nothing.
    private func recordingFor(call: inout BulkCall, outcome: CallOutcome, random: inout DemoRandom)
        -> (BulkRecording?, Bool, DemoHold?) {
        let captured = !(outcome == .missed || random.perMille(25))
        let createdAt = call.startedAt + Int64(call.durationSeconds)
        let decision = history.policy(at: call.startedAt)
            .decide(audioCaptured: captured, createdAt: Date(timeIntervalSince1970: TimeInterval(createdAt)))
        guard case .keep(let expiry) = decision else {
            call.recordingState = decision.recordingState.rawValue
            return (nil, false, nil)
        }
        let expiresAt = Int64(expiry.timeIntervalSince1970)
        // The audio is as long as the call.
        let clipMs = Int64(call.durationSeconds) * 1000
        var recording = BulkRecording(callId: call.id, filePath: nil, bytes: WAVClip.fileSize(durationMs: clipMs),
                                     durationMs: clipMs, sha256: nil, createdAt: createdAt, expiresAt: expiresAt,
                                     legalHold: false, holdReason: nil, heldBy: nil, heldAt: nil, purgedAt: nil)
        // A few recordings were put on legal hold by the owner: the hold itself is placed through
        // the session in the replayed history (`DemoExtras`), so it has its audit event.
        var hold: DemoHold?
        if (outcome == .bookedJob || outcome == .quoteRequested) && random.perMille(3) {
            let reason = random.pick(["Customer disputes the agreed price; keep until resolved.",
                                      "Insurance claim for water damage; insurer asked for the call.",
                                      "Complaint under review by the owner."])
            let at = min(createdAt + Int64(random.between(1, 20)) * DemoCalendar.secondsPerDay, calendar.anchor - 3600)
            if at > createdAt { hold = DemoHold(callId: call.id, reason: reason, at: at) }
        }
        let held = hold != nil
        if expiresAt < history.lastPurge && !held {
            // The nightly purge ran at 02:00 UTC after expiry.
            let purgedAt = (expiresAt / DemoCalendar.secondsPerDay + 1) * DemoCalendar.secondsPerDay + 7200
            recording.purgedAt = purgedAt
            call.recordingState = RecordingState.purged.rawValue
            call.recordingPurgedAt = purgedAt
            return (recording, false, nil)
        }
        recording.filePath = CivilDate.yearMonth(unix: createdAt) + "/call-" + String(call.id) + ".wav"
        call.recordingState = RecordingState.recorded.rawValue
        return (recording, true, hold)
    }
}
