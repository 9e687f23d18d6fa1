import Foundation

/// The domain's answer, for one actor, to "what if I made this change?", asked before any prompt
/// opens or anything is written: the permission it needs and, when this actor may not, the
/// one-line reason (the role, or a rule of what it acts on); what it will change; and whether to
/// ask first, with the exact question. The console and the CLI render the same plan, so they
/// refuse, preview and ask alike; `WorkspaceSession.perform(_:confirmed:)` carries it out, and
/// the transaction checks the permission and the rules once more.
public struct ChangePlan<Result: Sendable>: Sendable {
    public let command: WorkspaceCommand<Result>
    /// The refusal as the command itself would throw it (`PermissionDenied`, `UserRuleError`,
    /// `NoticeError` …), so a front end maps it to the same exit status as a refused change.
    public let refusalError: (any Error)?
    /// What the change will do, when there is something to show before it is made.
    public let preview: ChangePreview?
    /// The question to ask before performing it; nil when it needs none.
    public let confirmation: Confirmation?

    public var permission: Permission { command.permission }
    /// Why this actor may not make this change, in one line; nil when they may.
    public var refusal: String? { refusalError.map { String(describing: $0) } }
    public var isRefused: Bool { refusalError != nil }

    /// The command to run, once the person answered the plan's question: throws the refusal, or
    /// `ChangeNotConfirmed` when the plan asks and `confirmed` is false.
    public func approved(confirmed: Bool) throws -> WorkspaceCommand<Result> {
        if let refusalError { throw refusalError }
        if let confirmation, !confirmed { throw ChangeNotConfirmed(confirmation: confirmation) }
        return command.confirming(confirmed)
    }

    static func refused(_ command: WorkspaceCommand<Result>, _ error: any Error) -> ChangePlan {
        ChangePlan(command: command, refusalError: error, preview: nil, confirmation: nil)
    }

    /// The errors that refuse a change for who acts or what it acts on (the role, a rule such as
    /// the last enabled owner, a recording already held, a draft no longer waiting, Auto-Send's
    /// checks), as opposed to bad input (an unknown user, a
    /// malformed email), which `plan` throws instead.
    static func isRefusal(_ error: any Error) -> Bool {
        // One answer for both: a refusal is what exits 77 (each error type declares its class).
        (error as? any SysexitsError)?.exitClass == .refused
    }
}

/// The question a change asks before it is made.
public struct Confirmation: Sendable, Equatable {
    /// "Shorten retention to 7 days": a dialog's title.
    public let title: String
    /// "Shorten the retention period to 7 days?": what the CLI asks, and a dialog's question.
    public let question: String
    /// "Shorten": the confirming button.
    public let confirmLabel: String
    /// "Not confirmed; the retention period stays 30 days.": said when the answer is no.
    public let declined: String
    /// True when saying yes deletes or loses something.
    public let isDestructive: Bool
    /// When not empty, "yes" is not enough: the person types one of these (an erasure: the
    /// person's name or number), and `accepts` decides whether what they typed is one.
    public var answers: [String] = []

    /// Whether `typed` answers the question: one of `answers`, ignoring case, accents and spacing,
    /// and a phone number in any UK format.
    public func accepts(_ typed: String) -> Bool {
        guard !answers.isEmpty else { return true }
        func fold(_ text: String) -> String {
            text.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil)
                .split(whereSeparator: \.isWhitespace).joined(separator: " ")
        }
        let text = fold(typed)
        guard !text.isEmpty else { return false }
        let number = PhoneNumber.e164(typed)
        return answers.contains { answer in fold(answer) == text || (number != nil && PhoneNumber.e164(answer) == number) }
    }
}

/// Asked to perform a plan whose question was not answered yes.
public struct ChangeNotConfirmed: SysexitsError, Equatable, CustomStringConvertible {
    public let confirmation: Confirmation
    /// The question needs its answer (`--yes`, or yes at the prompt): a usage matter, nothing changed.
    public var exitClass: ExitClass { .usage }
    public var description: String { confirmation.declined }
}

/// What a change will do, shown before it is made.
public enum ChangePreview: Sendable, Equatable {
    /// A new retention period: what it makes due (nothing when lengthening).
    case retentionPeriod(ImpactPreview)
    /// Recording off and every stored recording not on legal hold deleted now.
    case recordingsDeletedNow(RetentionOverview.Amount, keptOnHold: Int)
    /// Auto-Send settings before and after.
    case autoSendSettings(AutoSendSettingsChange)
    /// Everything held about a person, deleted or anonymised.
    case erasure(ErasurePreview)
    /// A new text retention period: what it makes due (nothing when lengthening or turning off).
    case textRetention(TextImpactPreview)
    /// One call's summary and transcript, or one message's text, deleted now.
    case textDeletion(TextDeletionPreview)
    /// A data-subject request recorded: when it falls due.
    case dataSubjectRequest(DataSubjectRequestPreview)

    /// One paragraph: a dialog's message.
    public var summary: String {
        switch self {
        case .retentionPeriod(let impact): RetentionText.impact(impact)
        case .recordingsDeletedNow(let stored, let held):
            "Calls from now on keep no audio, and \(RetentionText.recordings(stored.recordings, bytes: stored.bytes)) "
                + "not on legal hold \(stored.recordings == 1 ? "is" : "are") deleted now"
                + (held > 0 ? " (\(DisplayText.count(held, "recording")) on legal hold stay)." : ".")
        case .autoSendSettings(let change): change.lines.joined(separator: "; ")
        case .erasure(let erasure): erasure.lines.joined(separator: " ")
        case .textRetention(let impact): RetentionText.textImpact(impact)
        case .textDeletion(let preview): preview.summary
        case .dataSubjectRequest(let preview): preview.summary
        }
    }

    /// The lines a command prints before it asks.
    public var lines: [String] {
        switch self {
        case .retentionPeriod(let impact): [RetentionText.change(impact) + ":", "  " + RetentionText.impact(impact)]
        case .recordingsDeletedNow(let stored, _):
            ["Deleting now: \(DisplayText.count(stored.recordings, "stored recording")) (\(DisplayText.size(stored.bytes))) not on legal hold."]
        case .autoSendSettings(let change): change.lines
        case .erasure(let erasure): erasure.lines
        case .textRetention(let impact): [RetentionText.textChange(impact) + ":", "  " + RetentionText.textImpact(impact)]
        case .textDeletion(let preview): preview.lines
        case .dataSubjectRequest(let preview): [preview.summary]
        }
    }
}

extension WorkspaceSession {
    /// The plan of `command` for this session's actor at `instant` (by default the session's clock): read in one snapshot, writing
    /// nothing and never waiting for another process's writer. A refusal is part of the plan;
    /// bad input (an unknown user or notice) throws, as the change itself would.
    public func plan<Result>(_ command: WorkspaceCommand<Result>, at instant: Date? = nil) throws -> ChangePlan<Result> {
        let now = instant ?? clock.now
        // The role first, before reading anything: a refused actor learns what they may not do.
        do { try actor.require(command.permission) } catch { return .refused(command, error) }
        return try read(WorkspaceQuery(.browse) { context in
            let environment: CommandEnvironment
            do {
                let current = try self.actor.current(in: context.db)
                try current.require(command.permission)
                environment = CommandEnvironment(actor: current, now: now)
            } catch let error where ChangePlan<Result>.isRefusal(error) {
                return .refused(command, error)
            }
            // A rule's refusal keeps the preview (an allowed actor may see why the change would
            // be refused: the Auto-Send settings that fail their checks), but asks nothing.
            var ruleRefusal: (any Error)?
            do { try command.rules(context.db, environment) } catch let error where ChangePlan<Result>.isRefusal(error) {
                ruleRefusal = error
            }
            let outline = try command.outline(context.db, environment)
            return ChangePlan(command: command, refusalError: ruleRefusal, preview: outline.preview,
                              confirmation: ruleRefusal == nil ? outline.confirmation : nil)
        })
    }

    /// Carries out a plan once its question was answered: refused plans throw their refusal, and
    /// a plan that asks throws `ChangeNotConfirmed` unless `confirmed`. The transaction checks the
    /// permission and the rules again, as for any command.
    @discardableResult
    public func perform<Result>(_ plan: ChangePlan<Result>, confirmed: Bool, at instant: Date? = nil) throws -> Result {
        try perform(plan.approved(confirmed: confirmed), at: instant)
    }
}
