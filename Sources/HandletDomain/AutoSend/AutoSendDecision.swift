import Foundation

/// The gates of the decision function, in the order it evaluates them (DESIGN §6). The first
/// gate that does not pass decides; every gate's verdict is kept for the trace.
///
/// 1–4 are vetoes: whatever the settings, a draft stopped here is never sent automatically.
/// `intent` holds (a person reads it); `contactSuppressed`, `marketingConsent` and `disclosure`
/// block (sending it as it stands would be unlawful, so it is not offered to a person either).
/// 5–8 are the per-intent extra gates that always need a person. 9–14 are the settings and
/// acknowledgements. 15–16 are per-draft limits. 17, quiet hours, never refuses: it only moves
/// the send to the next allowed time.
public enum AutoSendGate: String, CaseIterable, Sendable, Codable {
    case intent
    case contactSuppressed = "contact_suppressed"
    case marketingConsent = "marketing_consent"
    case disclosure
    case reviewStars = "review_stars"
    case complaintSeverity = "complaint_severity"
    case firmPrice = "firm_price"
    case bookingFields = "booking_fields"
    case masterSwitch = "master_switch"
    case channel
    case intentToggle = "intent_toggle"
    case training
    case transparency
    case complaintAcknowledgement = "complaint_acknowledgement"
    case confidence
    case contactCap = "contact_cap"
    case quietHours = "quiet_hours"

    public var summary: String {
        switch self {
        case .intent: "intent is one Auto-Send may send (not unknown, noise, risk or unsupported)"
        case .contactSuppressed: "contact has not opted out and is not restricted"
        case .marketingConsent: "marketing goes only to contacts with consent for the channel"
        case .disclosure: "the channel's wording says it is automated, names the business and how to opt out"
        case .reviewStars: "review replies only to reviews of 3 stars or more"
        case .complaintSeverity: "complaints only when low severity (medium and high always need a person)"
        case .firmPrice: "quote replies only with a firm price"
        case .bookingFields: "booking replies only with every booking field complete"
        case .masterSwitch: "Auto-Send is on"
        case .channel: "the channel is on"
        case .intentToggle: "the intent is on"
        case .training: "the intent has its validated drafts (30, or 50 for complaints)"
        case .transparency: "the transparency acknowledgement is given"
        case .complaintAcknowledgement: "the complaints acknowledgement is given"
        case .confidence: "confidence is at or over the threshold"
        case .contactCap: "the contact is under the cap of automatic messages in 24 hours"
        case .quietHours: "outside quiet hours (else sent when they end)"
        }
    }

    /// Why the gate stopped a draft: what `autosend preview`, a refusal and the trace say when it
    /// did not pass (the summary is the condition it checks).
    public var failureReason: String {
        switch self {
        case .intent: "the intent is unknown, noise, risk or unsupported: a person reads it"
        case .contactSuppressed: "the contact opted out or is restricted"
        case .marketingConsent: "marketing without the contact's consent for the channel"
        case .disclosure: "the channel's wording does not say it is automated, name the business or say how to opt out"
        case .reviewStars: "a reply to a review of 2 stars or fewer always needs a person"
        case .complaintSeverity: "a medium or high severity complaint always needs a person"
        case .firmPrice: "no firm price for this quote"
        case .bookingFields: "the booking's required fields are not all complete"
        case .masterSwitch: "Auto-Send is off"
        case .channel: "the channel is off"
        case .intentToggle: "the intent is off"
        case .training: "the intent does not yet have its validated drafts (30, or 50 for complaints)"
        case .transparency: "the transparency acknowledgement is not given"
        case .complaintAcknowledgement: "the complaints acknowledgement is not given"
        case .confidence: "confidence is under the threshold"
        case .contactCap: "the contact has reached the cap of automatic messages in 24 hours"
        case .quietHours: "inside quiet hours: sent when they end"
        }
    }
}

/// One gate's verdict on one draft.
public enum AutoSendVerdict: Hashable, Sendable, Codable {
    case pass
    /// The gate does not concern this draft (the firm price of a booking).
    case notApplicable
    case hold
    case block
    /// Quiet hours: allowed, at this later time.
    case deferred(until: Date)

    public var stops: Bool { self == .hold || self == .block }

    public var label: String {
        switch self {
        case .pass: "pass"
        case .notApplicable: "n/a"
        case .hold: "hold"
        case .block: "block"
        case .deferred: "wait"
        }
    }
}

/// What the decision function decided.
public enum AutoSendOutcome: Hashable, Sendable, Codable {
    /// Send automatically at this time (now, or when quiet hours end).
    case send(at: Date)
    /// A person must decide: it waits in the action queue.
    case hold
    /// It may not be sent as it stands.
    case blocked

    public var name: String {
        switch self {
        case .send: "send"
        case .hold: "hold"
        case .blocked: "blocked"
        }
    }
}

/// One evaluation: the outcome, the gate that decided it (nil when every gate passed and the
/// send is immediate), and every gate's verdict in gate order.
public struct AutoSendDecision: Hashable, Sendable {
    public let outcome: AutoSendOutcome
    public let decidingGate: AutoSendGate?
    public let verdicts: [AutoSendVerdict]

    public func verdict(_ gate: AutoSendGate) -> AutoSendVerdict { verdicts[AutoSendGate.index[gate]!] }
}

extension AutoSendGate {
    static let index: [AutoSendGate: Int] = Dictionary(uniqueKeysWithValues: allCases.enumerated().map { ($1, $0) })
}

/// The draft's facts the gates need.
public struct AutoSendDraftFacts: Hashable, Sendable {
    public var intent: DraftIntent
    public var confidence: Double
    /// The channel the reply goes out on; nil for a public review reply.
    public var channel: Channel?
    public var isMarketing: Bool
    public var firmPriceAvailable: Bool
    public var bookingFieldsComplete: Bool
    public var complaintSeverity: ComplaintSeverity?
    public var reviewStars: Int?

    public init(intent: DraftIntent, confidence: Double, channel: Channel?, isMarketing: Bool = false,
                firmPriceAvailable: Bool = false, bookingFieldsComplete: Bool = false,
                complaintSeverity: ComplaintSeverity? = nil, reviewStars: Int? = nil) {
        self.intent = intent; self.confidence = confidence; self.channel = channel; self.isMarketing = isMarketing
        self.firmPriceAvailable = firmPriceAvailable; self.bookingFieldsComplete = bookingFieldsComplete
        self.complaintSeverity = complaintSeverity; self.reviewStars = reviewStars
    }

    public init(_ draft: Draft) {
        self.init(intent: draft.intent, confidence: draft.confidence, channel: draft.channel.flatMap(Channel.init(rawValue:)),
                  isMarketing: draft.isMarketing, firmPriceAvailable: draft.firmPriceAvailable,
                  bookingFieldsComplete: draft.bookingFieldsComplete, complaintSeverity: draft.complaintSeverity,
                  reviewStars: draft.reviewStars)
    }
}

/// The contact's facts the gates need (a review's author is nobody we hold: `.anonymous`).
public struct AutoSendContactFacts: Hashable, Sendable {
    public var optedOut: Bool
    public var restricted: Bool
    /// Channels with recorded, not withdrawn, marketing consent.
    public var marketingConsent: Set<Channel>

    public init(optedOut: Bool = false, restricted: Bool = false, marketingConsent: Set<Channel> = []) {
        self.optedOut = optedOut; self.restricted = restricted; self.marketingConsent = marketingConsent
    }

    public static let anonymous = AutoSendContactFacts()
}

/// Settings, training and business name prepared once for many decisions (the preview decides
/// thousands of drafts under one set of settings).
public struct AutoSendPolicy: Sendable {
    public let settings: AutoSendSettings
    public let training: TrainingCounts
    public let businessName: String
    let channelOn: [Bool]
    let wordingLawful: [Bool]
    let unlocked: [Bool]
    let enabled: [Bool]
    let clock: QuietHoursClock?

    public init(settings: AutoSendSettings, training: TrainingCounts, businessName: String) {
        self.settings = settings
        self.training = training
        self.businessName = businessName
        channelOn = Channel.allCases.map { settings.isEnabled($0) }
        wordingLawful = Channel.allCases.map {
            AutoSendChecks.wordingProblems($0, settings.channel($0).wording, businessName: businessName).isEmpty
        }
        unlocked = AutoSendIntent.allCases.map { training.isUnlocked($0) }
        enabled = AutoSendIntent.allCases.map { settings.enabledIntents.contains($0) }
        clock = settings.quietHours.map { QuietHoursClock(hours: $0, timeZone: settings.timeZone.timeZone) }
    }
}

/// The decision function: pure and deterministic. Same inputs, same decision.
public enum AutoSendDecider {
    static let day: TimeInterval = 86_400
    static let channelIndex: [Channel: Int] = Dictionary(uniqueKeysWithValues: Channel.allCases.enumerated().map { ($1, $0) })
    static let intentIndex: [AutoSendIntent: Int] = Dictionary(uniqueKeysWithValues: AutoSendIntent.allCases.enumerated().map { ($1, $0) })

    /// The same, preparing the policy for one decision.
    public static func decide(_ draft: AutoSendDraftFacts, settings: AutoSendSettings, training: TrainingCounts,
                              businessName: String, contact: AutoSendContactFacts, recentSends: [Date],
                              now: Date) -> AutoSendDecision {
        decide(draft, policy: AutoSendPolicy(settings: settings, training: training, businessName: businessName),
               contact: contact, recentSends: recentSends, now: now)
    }

    /// Evaluates every gate in `AutoSendGate` order. `recentSends`: when automatic messages went to
    /// this contact (any order); those in the 24 hours up to `now` count against the cap.
    public static func decide(_ draft: AutoSendDraftFacts, policy: AutoSendPolicy, contact: AutoSendContactFacts,
                              recentSends: [Date], now: Date) -> AutoSendDecision {
        let settings = policy.settings
        let intent = draft.intent.autoSendIntent
        let intentAt = intent.map { intentIndex[$0]! }
        let channelAt = draft.channel.map { channelIndex[$0]! }
        var verdicts = [AutoSendVerdict](repeating: .pass, count: 17)

        // 1. intent
        if intent == nil { verdicts[0] = .hold }
        // 2. contact suppressed
        if contact.optedOut || contact.restricted { verdicts[1] = .block }
        // 3. marketing consent
        if !draft.isMarketing { verdicts[2] = .notApplicable } else if draft.channel.map({ !contact.marketingConsent.contains($0) }) ?? true {
            verdicts[2] = .block
        }
        // 4. disclosure
        if let channelAt { if !policy.wordingLawful[channelAt] { verdicts[3] = .block } } else { verdicts[3] = .notApplicable }
        // 5–8. the intents' own gates
        if intent == .reviewReply { if (draft.reviewStars ?? 0) <= 2 { verdicts[4] = .hold } } else { verdicts[4] = .notApplicable }
        if intent == .complaint { if draft.complaintSeverity != .low { verdicts[5] = .hold } }
        else { verdicts[5] = .notApplicable }
        if intent == .quoteRequest { if !draft.firmPriceAvailable { verdicts[6] = .hold } } else { verdicts[6] = .notApplicable }
        if intent == .bookingRequest { if !draft.bookingFieldsComplete { verdicts[7] = .hold } } else { verdicts[7] = .notApplicable }
        // 9–14. settings and acknowledgements
        if !settings.masterEnabled { verdicts[8] = .hold }
        if let channelAt { if !policy.channelOn[channelAt] { verdicts[9] = .hold } } else if intent != .reviewReply { verdicts[9] = .hold }
        else { verdicts[9] = .notApplicable }
        if let intentAt {
            if !policy.enabled[intentAt] { verdicts[10] = .hold }
            if !policy.unlocked[intentAt] { verdicts[11] = .hold }
        } else {
            verdicts[10] = .hold
            verdicts[11] = .hold
        }
        if settings.transparency == nil { verdicts[12] = .hold }
        if intent == .complaint { if settings.complaints == nil { verdicts[13] = .hold } } else { verdicts[13] = .notApplicable }
        // 15–16. this draft's confidence, this contact's recent automatic messages
        if !settings.threshold.admits(draft.confidence) { verdicts[14] = .hold }
        let windowStart = now.timeIntervalSince1970 - day
        var inWindow = 0
        for sent in recentSends {
            let at = sent.timeIntervalSince1970
            if at > windowStart && at <= now.timeIntervalSince1970 { inWindow += 1 }
        }
        if inWindow >= settings.perContactCap.messages { verdicts[15] = .hold }
        // 17. quiet hours (no quiet hours at all is refused by the checks; here it holds)
        if let clock = policy.clock {
            if let until = clock.nextAllowed(after: now) { verdicts[16] = .deferred(until: until) }
        } else {
            verdicts[16] = .hold
        }

        for (index, verdict) in verdicts.enumerated() {
            switch verdict {
            case .block: return AutoSendDecision(outcome: .blocked, decidingGate: AutoSendGate.allCases[index], verdicts: verdicts)
            case .hold: return AutoSendDecision(outcome: .hold, decidingGate: AutoSendGate.allCases[index], verdicts: verdicts)
            case .deferred(let until):
                return AutoSendDecision(outcome: .send(at: until), decidingGate: .quietHours, verdicts: verdicts)
            case .pass, .notApplicable: continue
            }
        }
        return AutoSendDecision(outcome: .send(at: now), decidingGate: nil, verdicts: verdicts)
    }
}

/// A time zone's UTC offsets as a table of transitions, read once from the system's zone data:
/// an offset is then a binary search, with no Foundation call per decision.
struct ZoneOffsets: Sendable {
    /// Instants (seconds since 1970) at which the offset changes, ascending.
    let transitions: [Double]
    /// offsets[i] is in force from transitions[i-1] (or forever before) up to transitions[i].
    let offsets: [Int]

    init(_ timeZone: TimeZone, from: Double = 0, until: Double = 4_102_444_800) {
        var transitions: [Double] = []
        var offsets = [timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: from))]
        var cursor = Date(timeIntervalSince1970: from)
        while let next = timeZone.nextDaylightSavingTimeTransition(after: cursor), next.timeIntervalSince1970 < until,
              transitions.count < 1000 {
            transitions.append(next.timeIntervalSince1970)
            offsets.append(timeZone.secondsFromGMT(for: next))
            cursor = next
        }
        self.transitions = transitions
        self.offsets = offsets
    }

    /// Each zone's table, built once per process: building one takes a few hundred ICU look-ups,
    /// and every Auto-Send evaluation needs it (the demo's replayed history evaluates thousands).
    static func cached(_ timeZone: TimeZone) -> ZoneOffsets {
        if let table = cacheLock.withLock({ cache[timeZone.identifier] }) { return table }
        let table = ZoneOffsets(timeZone)
        cacheLock.withLock { cache[timeZone.identifier] = table }
        return table
    }

    private static let cacheLock = NSLock()
    nonisolated(unsafe) private static var cache: [String: ZoneOffsets] = [:]

    /// The offset in force at `t`.
    @inline(__always)
    func offset(at t: Double) -> Double {
        var low = 0, high = transitions.count
        while low < high {
            let middle = (low + high) >> 1
            if transitions[middle] <= t { low = middle + 1 } else { high = middle }
        }
        return Double(offsets[low])
    }

    /// The first transition after `t`, if any.
    func transition(after t: Double) -> Double? {
        transitions.first { $0 > t }
    }
}

/// Quiet hours on the business's wall clock, across the clock changes: a send due in a local time
/// that does not exist (spring forward) goes at the first instant after the gap; a local time that
/// happens twice (fall back) counts at its first occurrence still ahead.
struct QuietHoursClock: Sendable {
    let hours: QuietHours
    let zone: ZoneOffsets

    init(hours: QuietHours, timeZone: TimeZone) {
        self.hours = hours
        zone = ZoneOffsets.cached(timeZone)
    }

    /// Nil when `now` is outside the quiet hours; else the instant they end.
    func nextAllowed(after now: Date) -> Date? {
        let t = now.timeIntervalSince1970.rounded(.down)
        let wall = t + zone.offset(at: t)
        let dayStart = (wall / 86_400).rounded(.down) * 86_400
        let minute = Int((wall - dayStart) / 60)
        guard hours.contains(minuteOfDay: minute) else { return nil }
        let endToday = dayStart + TimeInterval(hours.end.minutes * 60)
        let target = minute < hours.end.minutes ? endToday : endToday + 86_400
        return Date(timeIntervalSince1970: instant(atWall: target, notBefore: t))
    }

    /// The earliest instant at or after `notBefore` whose wall-clock time is `wall`, or the end of
    /// the gap when that wall-clock time is skipped.
    private func instant(atWall wall: Double, notBefore: Double) -> Double {
        let before = zone.offset(at: wall - 43_200), after = zone.offset(at: wall + 43_200)
        let first = min(wall - before, wall - after), second = max(wall - before, wall - after)
        for candidate in [first, second] where candidate >= notBefore && candidate + zone.offset(at: candidate) == wall {
            return candidate
        }
        // Skipped: the wall time falls in a spring-forward gap; the clock change itself is the answer.
        return zone.transition(after: wall - max(before, after) - 1) ?? (wall - after)
    }
}
