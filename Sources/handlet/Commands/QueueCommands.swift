import ArgumentParser
import Foundation
import HandletDomain
import TerminalUI

/// `handlet queue …`: Auto-Send's action queue (DESIGN §6) for scripts: what waits for a person,
/// what was blocked and why, what is held until a time; and a person's decision on a draft. The
/// domain decides who may (owner, admin, agent act on drafts; everyone may look) and refuses a
/// draft already decided, so nothing is approved or sent twice.
struct QueueCommand: ParsableCommand {
    /// One line per subcommand, so others' subcommands (trace, add, deliver) join the group with one line each.
    static let configuration = CommandConfiguration(
        commandName: "queue", abstract: "Auto-Send's action queue: drafts waiting, blocked and held; traces; arrivals; delivery.",
        subcommands: [
            List.self,
            Show.self,
            Approve.self,
            Edit.self,
            Discard.self,
            Rate.self,
            QueueTraceCommand.self,
            QueueAddCommand.self,
            QueueDeliverCommand.self,
        ],
        defaultSubcommand: List.self)

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List the queue, newest first.")
        @Option(name: .long, help: "Only these: waiting, blocked, held or failed (repeatable).") var state: [String] = []
        @Option(name: .long, help: "At most this many entries (default 100).") var limit: Int = ActionQueue.pageSize
        @OptionGroup var workspace: WorkspaceOptions
        @OptionGroup var reader: ReadingUserOptions
        @Flag(name: .long, help: "Print JSON (fields in docs/json.md).") var json = false

        func validate() throws {
            guard limit >= 1 else { throw outOfRange("--limit \(limit): expected at least 1.") }
        }

        func run() throws {
            let kinds = try failing { Set(try state.map(ActionQueueEntry.Kind.init(parsing:))) }
            let session = try reader.session(in: workspace.openForReading())
            let page = try failing { try session.read(.actionQueue(kinds: kinds, limit: limit)) }
            if json { return try JSONOutput.print(page.entries.map(QueueEntryJSON.init)) }
            let clock = try failing { try session.read(.browseClock()) }
            let counts = try failing { try session.read(.actionQueueCounts) }
            print("\(counts.waiting) waiting, \(counts.blocked) blocked, \(counts.held) held, \(counts.failed) failed")
            for entry in page.entries {
                let why = QueueText.why(entry, clock: clock)
                print(TerminalText.safeLines("\(entry.id)  \(entry.kind.rawValue)  \(entry.intent.rawValue)  \(entry.channel ?? "-")  "
                                             + "\(DisplayText.shortTime(entry.createdAt, clock: clock))  \(why)  "
                                             + entry.body.replacingOccurrences(of: "\n", with: " ").prefix(60)))
            }
            if page.next != nil { print("… more: raise --limit") }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "show", abstract: "One draft: what it answers, its text as it would go out, its state.")
        @Argument(help: "The draft's id.") var draft: Int64
        @OptionGroup var workspace: WorkspaceOptions
        @OptionGroup var reader: ReadingUserOptions
        @Flag(name: .long, help: "Print JSON (fields in docs/json.md).") var json = false

        func run() throws {
            let session = try reader.session(in: workspace.openForReading())
            let detail = try failing { try session.read(.draftDetail(draft)) }
            if json { return try JSONOutput.print(DraftDetailJSON(detail)) }
            let clock = try failing { try session.read(.browseClock()) }
            let entry = detail.entry
            var lines = [
                "Draft \(entry.id): \(entry.intent.rawValue) on \(entry.channel ?? "no channel"), confidence \(Int((entry.confidence * 100).rounded()))%",
                "State: \(entry.state.rawValue)" + (detail.queued ? " (in the queue: \(QueueText.why(entry, clock: clock)))" : ""),
                "Drafted: \(DisplayText.zonedTimestamp(entry.createdAt, clock: clock))",
                "Answers: \(entry.answersKind) \(entry.answersId)" + (entry.contactName.map { " from \($0)" } ?? ""),
            ]
            if let text = entry.answersText { lines.append("  > " + text) }
            if let validation = entry.validation { lines.append("Rated: \(validation.rawValue)") }
            lines.append("Correlation id: \(entry.correlationId)")
            lines.append("Reply:")
            lines += entry.body.components(separatedBy: "\n").map { "  " + $0 }
            if let outgoing = detail.outgoing {
                let measure = SMSSegments.measure(outgoing)
                lines.append("As it would go out (\(measure.encoding.rawValue), \(measure.segments) SMS segment\(measure.segments == 1 ? "" : "s")):")
                lines += outgoing.components(separatedBy: "\n").map { "  " + $0 }
            }
            for line in lines { print(TerminalText.safeLines(line)) }
        }
    }

    struct Approve: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "approve", abstract: "Approve waiting drafts as they are (owner, admin or agent).")
        @Argument(help: "The drafts' ids.") var drafts: [Int64]
        @OptionGroup var workspace: WorkspaceOptions
        @OptionGroup var acting: ActingUserOptions

        func run() throws { try decide(drafts, .approve, workspace: workspace, acting: acting) }
    }

    struct Edit: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "edit",
            abstract: "Replace a waiting draft's text, then approve it (owner, admin or agent).",
            discussion: "The new text comes from --text, or from standard input with --text -.")
        @Argument(help: "The draft's id.") var draft: Int64
        @Option(name: .long, help: "The reply to send instead (\"-\" reads standard input).") var text: String
        @OptionGroup var workspace: WorkspaceOptions
        @OptionGroup var acting: ActingUserOptions

        func run() throws {
            let body = text == "-" ? String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self) : text
            try decide([draft], .editAndApprove(body: body), workspace: workspace, acting: acting)
        }
    }

    struct Discard: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "discard", abstract: "Discard waiting or blocked drafts (owner, admin or agent).")
        @Argument(help: "The drafts' ids.") var drafts: [Int64]
        @OptionGroup var workspace: WorkspaceOptions
        @OptionGroup var acting: ActingUserOptions

        func run() throws { try decide(drafts, .discard, workspace: workspace, acting: acting) }
    }

    struct Rate: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "rate",
            abstract: "Answer \"was this correct?\" for a draft: yes, no or not-now (owner, admin or agent).",
            discussion: "Yes and no count towards the intent's training; not-now does not.")
        @Argument(help: "The draft's id.") var draft: Int64
        @Argument(help: "yes, no or not-now.") var answer: String
        @OptionGroup var workspace: WorkspaceOptions
        @OptionGroup var acting: ActingUserOptions

        func validate() throws { _ = try Self.validation(answer) }

        static func validation(_ text: String) throws -> DraftValidation {
            switch text.lowercased() {
            case "yes", "correct": return .correct
            case "no", "incorrect": return .incorrect
            case "not-now", "not_now", "notnow": return .notNow
            default: throw ValidationError("\"\(text)\" is not an answer: give yes, no or not-now.")
            }
        }

        func run() throws { try decide([draft], .rate(try Self.validation(answer)), workspace: workspace, acting: acting) }
    }

    /// Each draft through the domain's plan, in order: the first refusal stops the rest (what was
    /// decided before it stays decided, and is printed).
    static func decide(_ ids: [Int64], _ decision: DraftDecision, workspace: WorkspaceOptions, acting: ActingUserOptions) throws {
        guard !ids.isEmpty else { throw CommandFailure("Give at least one draft id.", .usage) }
        let session = try acting.session(in: workspace.open())
        for id in ids {
            let result = try session.carryOut(.decideDraft(id, decision))
            print(QueueText.decided(result))
        }
    }
}

/// The queue's words, shared by `list` and `show`.
enum QueueText {
    static func why(_ entry: ActionQueueEntry, clock: BrowseClock) -> String {
        switch entry.kind {
        case .waiting: entry.gate.map { "held by \($0.rawValue)" } ?? "waiting for a person"
        case .blocked: entry.gate.map { "blocked by \($0.rawValue)" } ?? "blocked"
        case .held: entry.dueAt.map { "due \(DisplayText.shortTime($0, clock: clock))" } ?? "due"
        case .failed: "failed: \(entry.lastError ?? "gateway")"
        }
    }

    static func decided(_ result: DraftDecisionResult) -> String {
        switch result.state {
        case .approved, .edited, .discarded: "Draft \(result.draftId) \(result.state.rawValue)."
        default: "Draft \(result.draftId) rated \(result.validation?.rawValue.replacingOccurrences(of: "_", with: " ") ?? "?")."
        }
    }
}

/// One entry of `queue list --json` (and `draft` in `queue show --json`).
struct QueueEntryJSON: Encodable {
    let id: Int64
    let queueState: String
    let draftState: String
    let intent: String
    let channel: String?
    let confidence: Double
    let body: String
    let createdAt: Date
    let correlationId: String
    let validation: String?
    let contactId: Int64?
    let contactName: String?
    let answersKind: String
    let answersId: Int64
    let answersText: String?
    let gate: String?
    let dueAt: Date?
    let lastError: String?

    init(_ entry: ActionQueueEntry) {
        id = entry.id; queueState = entry.kind.rawValue; draftState = entry.state.rawValue; intent = entry.intent.rawValue
        channel = entry.channel; confidence = entry.confidence; body = entry.body; createdAt = entry.createdAt
        correlationId = entry.correlationId; validation = entry.validation?.rawValue; contactId = entry.contactId
        contactName = entry.contactName; answersKind = entry.answersKind; answersId = entry.answersId
        answersText = entry.answersText; gate = entry.gate?.rawValue; dueAt = entry.dueAt; lastError = entry.lastError
    }
}

/// `queue show --json`.
struct DraftDetailJSON: Encodable {
    let draft: QueueEntryJSON
    let queued: Bool
    let outgoing: String?
    let smsEncoding: String?
    let smsSegments: Int?

    init(_ detail: DraftDetail) {
        draft = QueueEntryJSON(detail.entry)
        queued = detail.queued
        outgoing = detail.outgoing
        let measure = detail.outgoing.map(SMSSegments.measure)
        smsEncoding = measure?.encoding.rawValue
        smsSegments = measure?.segments
    }
}
