import Foundation
import HandletDomain

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
    }

    /// A slot in the calendar used for bookings and surveys.
    private struct Slot {
        let spoken: String
        let day: String
        let window: String
    }

    func compose(index: Int) -> Composed {
        var random = DemoRandom(seed: seed, stream: .call, index: index)
        let id = Int64(index + 1)
        let day = calendar.day(forIndex: index, of: total)
        let startedAt = calendar.moment(onDay: day, random: &random)
        let localHour = Int((startedAt - calendar.dayStart(day)) / 3600)
        let position = Double(index) / Double(max(1, total))
        let outcome = CallComposer.outcomes[random.pick(CallComposer.outcomeWeights)]
        let job = DemoJobs.all[random.pick(DemoJobs.weights)]

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

        var person: DemoPerson?
        let callerNumber: String
        if outcome == .spam || ((outcome == .missed || outcome == .abandoned) && random.perMille(150)) {
            let code = random.pick(["20", "161", "121", "330"])
            callerNumber = "+44" + code + DemoPeople.digits(random.next() % 10_000_000_000, count: 10 - code.count)
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
        let name = person?.displayName ?? "The caller"
        let first = person?.firstName ?? "there"

        func greet() {
            let partOfDay = localHour < 12 ? "Good morning" : localHour < 18 ? "Good afternoon" : "Good evening"
            if agent == .staff {
                builder.say(.staff, partOfDay + ", Kestrel Home Services, " + staffFirstName + " speaking.", random: &random)
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
            summary = (person == nil ? "Missed call from " + callerNumber : "Missed call from " + name)
                + "; the caller rang off before the voicemail message and left nothing."
        case (.abandoned, _):
            greet()
            if random.perMille(500) {
                builder.say(.caller, random.pick(["Oh, sorry, wrong number.", "Sorry, I was after someone else.", "Hello? ... sorry, bad line, I'll try again."]), random: &random)
                summary = "Caller hung up just after the greeting without giving a reason."
            } else {
                summary = "Caller hung up during the greeting; no details taken."
            }
        case (.spam, _):
            greet()
            let pitch = random.below(4)
            builder.say(.caller, [
                "Hello, I'm calling about the business energy contract on your premises. It's due for renewal and we can save you up to forty percent.",
                "Hi, this is a courtesy call about your Google business listing, it's about to be marked as unverified unless we update it today.",
                "Good afternoon, we're offering a free review of your card payment fees, most firms your size are overpaying.",
                "Hi there, have you or anyone at the business had an accident at work in the last three years that wasn't your fault?",
            ][pitch], random: &random)
            builder.say(agent, "Thanks, but the business isn't interested. Please take this number off your calling list.", random: &random)
            builder.say(.caller, random.pick(["Okay, no problem, thanks for your time.", "Right, I'll make a note of that.", "Can I just ask who deals with..."]), random: &random)
            summary = "Unsolicited sales call (" + ["business energy", "online listings", "card payment fees", "accident claims"][pitch]
                + "). Declined and asked to be removed from their list."
        case (.messageTaken, .voicemail), (.callbackRequested, .voicemail):
            builder.say(.voicemail, "You've reached Kestrel Home Services. We can't take your call right now; please leave your name, number and a short message after the tone.", random: &random)
            builder.say(.caller, "Hi, it's " + name + ". " + random.pick(job.problems).sentenceCased + ". Could someone ring me back on this number please? Thanks.", random: &random)
            summary = "Voicemail from " + name + " about " + job.summaryNoun + "; asks for a call back."
        case (.messageTaken, _):
            greet()
            let reasons = ["it's about the invoice for the " + job.lowercaseTitle + " last week",
                           "he said he'd come back to finish off the " + job.lowercaseTitle,
                           "I wanted to ask about the quote you sent me"]
            let reasonIndex = random.below(reasons.count)
            builder.say(.caller, "Hi, is Gareth about? " + reasons[reasonIndex].sentenceCased + ".", random: &random)
            builder.say(agent, "Gareth's out on a job at the moment. I can take a message and make sure he gets it today. What would you like me to pass on?", random: &random)
            builder.say(.caller, "Could you ask him to give me a ring? My name's " + name + ", he'll know what it's about.", random: &random)
            builder.say(agent, "Of course. Is this the best number to reach you on?", random: &random)
            builder.say(.caller, random.pick(["Yes, this one's fine.", "Yes, this mobile, any time today.", "This number, but not before two please."]), random: &random)
            builder.say(agent, "Thanks " + first + ", I've passed that on. Have a good day.", random: &random)
            summary = name + " left a message for Gareth about " + ["an invoice", "unfinished work", "a quote"][reasonIndex]
                + " (" + job.lowercaseTitle + "). Wants a call back on this number."
        case (.callbackRequested, _):
            greet()
            builder.say(.caller, "Hi, " + random.pick(job.problems) + ". Could someone call me back to talk it through? I'm at work right now.", random: &random)
            builder.say(agent, "No problem at all. When's a good time to call you?", random: &random)
            let when = random.pick(["after five today", "tomorrow morning before ten", "at lunchtime, between twelve and one", "any time this afternoon"])
            builder.say(.caller, "Ideally " + when + ".", random: &random)
            builder.say(agent, "Got it, I've asked the team to call you back " + when + ". Can I take your name?", random: &random)
            builder.say(.caller, "It's " + name + ".", random: &random)
            builder.say(agent, "Thanks " + first + ". Someone will be in touch then. Bye for now.", random: &random)
            summary = name + " asked for a call back " + when + " about " + job.summaryNoun + "."
        case (.bookedJob, _), (.quoteRequested, _):
            if direction == "outbound" {
                builder.say(.staff, "Hi, is that " + first + "? It's " + staffFirstName + " from Kestrel Home Services, returning your call about the " + job.lowercaseTitle + ".", random: &random)
                builder.say(.caller, "Oh yes, thanks for getting back to me. " + random.pick(job.details), random: &random)
            } else {
                greet()
                builder.say(.caller, random.pick(["Hi, yes, ", "Hello, ", "Oh hi, ", "Morning, "]) + random.pick(job.problems) + ".", random: &random)
                builder.say(agent, job.question, random: &random)
                builder.say(.caller, random.pick(job.details), random: &random)
            }
            let address = person?.addressLine ?? "the address on the booking"
            if outcome == .bookedJob {
                builder.say(agent, "Thanks, that helps. Can I take your name and the address where the work is?", random: &random)
                builder.say(.caller, "It's " + name + ", " + address + ".", random: &random)
                let who = job.trade == "cleaning" ? "the cleaning team" : engineer
                builder.say(agent, "Thanks " + first + ". We can get " + who + " to you " + slot.spoken + ". The call-out is £"
                            + String(DemoBusiness.callOutPounds) + ", which covers the first hour. Shall I book that in?", random: &random)
                builder.say(.caller, random.pick(["Yes please, that's perfect.", "That works, yes.", "Could it be any earlier? No? Fine, book it in.", "Brilliant, yes please."]), random: &random)
                builder.say(agent, "Booked. You'll get a text to confirm, and " + who + " will ring when on the way. Anything else I can help with?", random: &random)
                builder.say(.caller, random.pick(["No, that's everything, thanks.", "No, that's great, cheers.", "That's all, thank you."]), random: &random)
                builder.say(agent, "Thanks for calling, " + first + ". Bye for now.", random: &random)
                summary = name + " reported " + job.summaryNoun + " at " + address + ". Booked " + who + " for " + slot.spoken
                    + "; £" + String(DemoBusiness.callOutPounds) + " call-out agreed."
                jobDetails = "{\"type\":\"booking\",\"trade\":\"" + job.trade + "\",\"title\":\""
                    + job.title + "\",\"postcode\":\"" + (person?.postcode ?? "") + "\",\"visit_date\":\"" + slot.day
                    + "\",\"visit_window\":\"" + slot.window + "\",\"engineer\":\"" + who + "\",\"call_out_gbp\":"
                    + String(DemoBusiness.callOutPounds) + ",\"urgent\":" + (job.urgent ? "true" : "false") + "}"
            } else {
                let surveyor = job.trade == "cleaning" ? "Priya" : engineer
                builder.say(agent, "Thanks. We'd normally price that after a quick look; as a guide it usually comes to between £"
                            + String(job.priceLow) + " and £" + String(job.priceHigh) + ". Can I take your name, the address and an email for the written quote?", random: &random)
                let emailPart = person?.email.map { "and my email's " + $0 } ?? "and could you text it to this number, I don't really use email"
                builder.say(.caller, "Sure, it's " + name + ", " + address + ", " + emailPart + ".", random: &random)
                builder.say(agent, "Lovely. " + surveyor + " will get in touch to arrange a visit " + slot.spoken + ", and the quote will follow within two working days. Anything else?", random: &random)
                builder.say(.caller, random.pick(["No, that's great, thanks.", "No, thank you.", "That's all, cheers."]), random: &random)
                builder.say(agent, "Thanks " + first + ", speak soon.", random: &random)
                summary = name + " asked for a quote for " + job.summaryNoun + " (" + (person.map { String($0.postcodeDistrict) } ?? "area not given")
                    + "). Guide price £" + String(job.priceLow) + "–£" + String(job.priceHigh) + " given; survey " + slot.spoken
                    + " with " + surveyor + ", written quote to follow."
                jobDetails = "{\"type\":\"quote\",\"trade\":\"" + job.trade + "\",\"title\":\""
                    + job.title + "\",\"postcode\":\"" + (person?.postcode ?? "") + "\",\"guide_low_gbp\":" + String(job.priceLow)
                    + ",\"guide_high_gbp\":" + String(job.priceHigh) + ",\"survey_date\":\"" + slot.day + "\",\"survey_by\":\""
                    + surveyor + "\",\"quote_by_email\":" + (person?.email != nil ? "true" : "false") + "}"
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
        let (recording, needsFile) = recordingFor(call: &call, outcome: outcome, random: &random)
        return Composed(call: call, recording: recording, needsAudioFile: needsFile)
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
        return Slot(spoken: spoken, day: CivilDate.isoDay(unix: when), window: window)
    }

    /// Decides the call's audio through the workspace's `RecordingPolicy` as it stood when the call
    /// was taken: live or expired-but-unpurged recordings get a file; older ones were purged by
    /// earlier nightly runs; missed calls and a few others captured nothing.
    private func recordingFor(call: inout BulkCall, outcome: CallOutcome, random: inout DemoRandom) -> (BulkRecording?, Bool) {
        let captured = !(outcome == .missed || random.perMille(25))
        let createdAt = call.startedAt + Int64(call.durationSeconds)
        let decision = history.policy(at: call.startedAt)
            .decide(audioCaptured: captured, createdAt: Date(timeIntervalSince1970: TimeInterval(createdAt)))
        guard case .keep(let expiry) = decision else {
            call.recordingState = decision.recordingState.rawValue
            return (nil, false)
        }
        let expiresAt = Int64(expiry.timeIntervalSince1970)
        let clipMs = Int64(600 + random.below(15) * 100)
        var recording = BulkRecording(callId: call.id, filePath: nil, bytes: WAVClip.fileSize(durationMs: clipMs),
                                     durationMs: clipMs, sha256: nil, createdAt: createdAt, expiresAt: expiresAt,
                                     legalHold: false, holdReason: nil, heldBy: nil, heldAt: nil, purgedAt: nil)
        let held = (outcome == .bookedJob || outcome == .quoteRequested) && random.perMille(3)
        if held {
            recording.legalHold = true
            recording.holdReason = random.pick(["Customer disputes the agreed price; keep until resolved.",
                                                "Insurance claim for water damage; insurer asked for the call.",
                                                "Complaint under review by the owner."])
            recording.heldBy = DemoBusiness.ownerUserId
            recording.heldAt = min(createdAt + Int64(random.between(1, 20)) * DemoCalendar.secondsPerDay, calendar.anchor - 3600)
        }
        if expiresAt < history.lastPurge && !held {
            // The nightly purge ran at 02:00 UTC after expiry.
            let purgedAt = (expiresAt / DemoCalendar.secondsPerDay + 1) * DemoCalendar.secondsPerDay + 7200
            recording.purgedAt = purgedAt
            call.recordingState = RecordingState.purged.rawValue
            call.recordingPurgedAt = purgedAt
            return (recording, false)
        }
        recording.filePath = CivilDate.yearMonth(unix: createdAt) + "/call-" + String(call.id) + ".wav"
        call.recordingState = RecordingState.recorded.rawValue
        return (recording, true)
    }
}
