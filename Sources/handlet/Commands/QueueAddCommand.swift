import ArgumentParser
import Foundation
import HandletDomain

/// `handlet queue add`: a drafted reply from an outside system enters through the arrival step,
/// evaluated at once and queued (send at a time, hold for a person, or blocked with its gate).
struct QueueAddCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add",
        abstract: "Add a drafted reply from an outside system; it is evaluated at once and queued.",
        discussion: """
            Give what it answers (--thread, --message, --call or --review), --intent, --confidence and --body, \
            or --stdin with one JSON object: {"thread": 7, "intent": "follow_up", "confidence": 0.92, "body": "…", \
            "channel": "sms", "marketing": false, "firm_price_available": false, "booking_fields_complete": false, \
            "complaint_severity": "low"} (exactly one of thread, message, call, review). Without --user the \
            system records it.
            """)

    @OptionGroup var workspace: WorkspaceOptions
    @OptionGroup var acting: ActingUserOptions
    @Flag(name: .long, help: "Read the draft as one JSON object on standard input (fields in docs/json.md).") var stdin = false
    @Option(name: .long, help: "The thread it answers (its latest customer message).") var thread: Int64?
    @Option(name: .long, help: "The message it answers.") var message: Int64?
    @Option(name: .long, help: "The call it answers.") var call: Int64?
    @Option(name: .long, help: "The review it replies to.") var review: Int64?
    @Option(name: .long, help: "follow_up, quote_request, booking_request, new_lead, general_enquiry, review_reply, complaint, unknown, noise, risk or unsupported.")
    var intent: String?
    @Option(name: .long, help: "The drafting model's confidence: 0 to 1, or a percentage (92%).") var confidence: String?
    @Option(name: .long, help: "The reply's text.") var body: String?
    @Option(name: .long, help: "The channel it goes out on (default: that of what it answers).") var channel: String?
    @Flag(name: .long, help: "The reply is marketing (needs the contact's consent for the channel).") var marketing = false
    @Flag(name: .long, help: "Pricing guardrails allow a firm price (quote replies).") var firmPrice = false
    @Flag(name: .long, help: "Every required booking field is complete (booking replies).") var bookingComplete = false
    @Option(name: .long, help: "A complaint's severity: low, medium or high.") var severity: String?
    @Option(name: .customLong("correlation-id"), help: "Your system's id for the draft (a retry with the same id is refused, not queued twice).")
    var correlationId: String?
    @Flag(name: .long, help: "Print the result as JSON.") var json = false

    func run() throws {
        let draft = try stdin ? Self.parse(json: FileHandle.standardInput.readDataToEndOfFile()) : fromFlags()
        let session = try acting.session(in: workspace.open(), otherwise: .system)
        let arrival = try session.carryOut(.receiveDraft(draft), json: json)
        if json { return try JSONOutput.print(QueueAddJSON(arrival)) }
        print(Self.describe(arrival, clock: try failing { try session.read(.browseClock()) }))
    }

    static func describe(_ arrival: DraftArrival, clock: BrowseClock) -> String {
        let evaluation = arrival.evaluation
        let head = "Draft \(arrival.draftId) (correlation \(arrival.correlationId)): "
        switch evaluation.outcome {
        case .send(let at):
            let when = evaluation.decidingGate == .quietHours ? "when quiet hours end, \(DisplayText.zonedTimestamp(at, clock: clock))" : "now"
            return head + "queued to send \(when) (outbox \(evaluation.outboxId.map(String.init) ?? "-"))."
        case .hold:
            let gate = evaluation.decidingGate!
            return head + "waiting for a person: \(gate.rawValue): \(gate.failureReason)."
        case .blocked:
            let gate = evaluation.decidingGate!
            return head + "blocked \(gate.rawValue): \(gate.failureReason)."
        }
    }

    private func fromFlags() throws -> ArrivingDraft {
        let targets = [thread.map { DraftTarget.thread(MessageThread.ID($0)) }, message.map { .message(Message.ID($0)) },
                       call.map { .call(Call.ID($0)) }, review.map { .review($0) }].compactMap { $0 }
        guard targets.count == 1 else {
            throw CommandFailure("Give exactly one of --thread, --message, --call or --review: what the draft answers.", .usage)
        }
        guard let intent, let confidence, let body else {
            throw CommandFailure("Give --intent, --confidence and --body (or --stdin with a JSON object).", .usage)
        }
        return try Self.draft(target: targets[0], intent: intent, confidence: Self.confidence(confidence), body: body,
                              channel: channel, marketing: marketing, firmPrice: firmPrice, bookingComplete: bookingComplete,
                              severity: severity, correlationId: correlationId)
    }

    static func confidence(_ text: String) throws -> Double {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed.hasSuffix("%"), let percent = Double(trimmed.dropLast()), percent.isFinite { return percent / 100 }
        guard let value = Double(trimmed), value.isFinite else {
            throw CommandFailure("\"\(text)\" is not a confidence: give 0 to 1 (0.92) or a percentage (92%).", .usage)
        }
        return value
    }

    static func draft(target: DraftTarget, intent: String, confidence: Double, body: String, channel: String?,
                      marketing: Bool, firmPrice: Bool, bookingComplete: Bool, severity: String?,
                      correlationId: String?) throws -> ArrivingDraft {
        guard let parsedIntent = DraftIntent(rawValue: intent.lowercased()) else {
            throw CommandFailure("\"\(intent)\" is not an intent: give one of "
                                 + DraftIntent.allCases.map(\.rawValue).joined(separator: ", ") + ".", .usage)
        }
        let parsedChannel = try channel.map { text in
            guard let value = Channel(rawValue: text.lowercased()) else {
                throw CommandFailure("\"\(text)\" is not a channel: give sms, whatsapp, email or webchat.", .usage)
            }
            return value
        }
        let parsedSeverity = try severity.map { text in
            guard let value = ComplaintSeverity(rawValue: text.lowercased()) else {
                throw CommandFailure("\"\(text)\" is not a severity: give low, medium or high.", .usage)
            }
            return value
        }
        return ArrivingDraft(answers: target, intent: parsedIntent, confidence: confidence, body: body, channel: parsedChannel,
                             isMarketing: marketing, firmPriceAvailable: firmPrice, bookingFieldsComplete: bookingComplete,
                             complaintSeverity: parsedSeverity, correlationId: correlationId)
    }

    /// One JSON object, as documented in docs/json.md.
    struct Input: Decodable {
        var thread: Int64?
        var message: Int64?
        var call: Int64?
        var review: Int64?
        var intent: String
        var confidence: Double
        var body: String
        var channel: String?
        var marketing: Bool?
        var firmPriceAvailable: Bool?
        var bookingFieldsComplete: Bool?
        var complaintSeverity: String?
        var correlationId: String?
    }

    static func parse(json data: Data) throws -> ArrivingDraft {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        let input: Input
        do { input = try decoder.decode(Input.self, from: data) } catch {
            throw CommandFailure("Standard input is not a draft: one JSON object with intent, confidence, body and one of "
                                 + "thread, message, call or review (see docs/json.md).", .dataError)
        }
        let targets = [input.thread.map { DraftTarget.thread(MessageThread.ID($0)) }, input.message.map { .message(Message.ID($0)) },
                       input.call.map { .call(Call.ID($0)) }, input.review.map { .review($0) }].compactMap { $0 }
        guard targets.count == 1 else {
            throw CommandFailure("The draft must name exactly one of thread, message, call or review.", .dataError)
        }
        return try draft(target: targets[0], intent: input.intent, confidence: input.confidence, body: input.body,
                         channel: input.channel, marketing: input.marketing ?? false, firmPrice: input.firmPriceAvailable ?? false,
                         bookingComplete: input.bookingFieldsComplete ?? false, severity: input.complaintSeverity,
                         correlationId: input.correlationId)
    }
}

/// `queue add --json`.
struct QueueAddJSON: Encodable {
    let draftId: Int64
    let correlationId: String
    let evaluationId: Int64
    let outcome: String
    let sendAt: Date?
    let gate: String?
    let outboxId: Int64?
    let state: String

    init(_ arrival: DraftArrival) {
        let evaluation = arrival.evaluation
        draftId = arrival.draftId; correlationId = arrival.correlationId; evaluationId = evaluation.evaluationId
        outcome = evaluation.outcome.name
        if case .send(let at) = evaluation.outcome { sendAt = at } else { sendAt = nil }
        gate = evaluation.decidingGate?.rawValue; outboxId = evaluation.outboxId; state = evaluation.draftState.rawValue
    }
}
