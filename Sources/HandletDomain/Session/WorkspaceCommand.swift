import Foundation
import GRDB

/// One change a session may perform: the permission it needs (DESIGN §4), the audit action it
/// records, the rules that may refuse it for the context it acts in, what it will change, and the
/// change itself. `WorkspaceSession.plan` answers, before anything is asked or written, whether
/// the actor may, what it will change and what to confirm (`ChangePlan`); `perform` checks the
/// permission and the rules again, then runs the change and appends its audit event in one
/// transaction.
///
/// Commands are built by the domain (`.setRetentionPeriod(_:)`, `.placeLegalHold(onCall:reason:)` …);
/// each owns its rules and refuses by throwing.
public struct WorkspaceCommand<Result: Sendable>: Sendable {
    public let permission: Permission
    public let auditAction: AuditAction
    /// The refusals that depend on what the command acts on (an owner, the last enabled owner, a
    /// notice that cannot be answered): read only, so a plan can run them in a snapshot, and run
    /// again inside the transaction just before the body. Each throws the refusal's own error.
    let rules: @Sendable (Database, CommandEnvironment) throws -> Void
    /// What the change will do and the question to ask first, read before anything is written.
    let outline: @Sendable (Database, CommandEnvironment) throws -> ChangeOutline
    let body: @Sendable (Database, CommandEnvironment) throws -> CommandOutcome<Result>
    /// Whether the person saw the plan's question and agreed (`ChangePlan.approved(confirmed:)`).
    var isConfirmed = false

    init(_ permission: Permission, audit action: AuditAction,
         rules: @escaping @Sendable (Database, CommandEnvironment) throws -> Void = { _, _ in },
         outline: @escaping @Sendable (Database, CommandEnvironment) throws -> ChangeOutline = { _, _ in ChangeOutline() },
         _ body: @escaping @Sendable (Database, CommandEnvironment) throws -> CommandOutcome<Result>) {
        self.permission = permission
        auditAction = action
        self.rules = rules
        self.outline = outline
        self.body = body
    }

    /// The same command, marked as confirmed (or not) by the person acting.
    func confirming(_ confirmed: Bool) -> Self {
        var copy = self
        copy.isConfirmed = confirmed
        return copy
    }
}

extension WorkspaceCommand {
    /// `command`'s change on the record a person named (a call's external id or number, a user's
    /// email, a notice key), looked up only inside its rules, outline and body: a plan checks the
    /// role before any of them, so a refused role is refused whatever it named and never learns
    /// which records exist. `permission` and `action` are `command`'s own, which never depend on the record.
    static func naming<Record: Sendable>(_ permission: Permission, audit action: AuditAction,
                                         _ lookUp: @escaping @Sendable (Database) throws -> Record,
                                         _ command: @escaping @Sendable (Record) -> Self) -> Self {
        WorkspaceCommand(permission, audit: action, rules: { db, environment in
            try command(lookUp(db)).rules(db, environment)
        }, outline: { db, environment in
            try command(lookUp(db)).outline(db, environment)
        }) { db, environment in
            try command(lookUp(db)).body(db, environment)
        }
    }
}

/// Who performs a command, the moment it counts as performed (expiries, the audit time), and
/// whether the person confirmed the plan's question.
struct CommandEnvironment: Sendable {
    let actor: Actor
    let now: Date
    var confirmed = false
}

/// A command's preview and question, before the actor's permission and rules are applied.
struct ChangeOutline: Sendable {
    var preview: ChangePreview?
    var confirmation: Confirmation?
}

/// What a command's body did: its result, and either the audit event's target and details or
/// "nothing changed" (then no event is written, since there is no change to record).
struct CommandOutcome<Result> {
    struct Audit {
        let target: String
        let details: [String: AuditValue]
    }

    let result: Result
    let audit: Audit?

    static func changed(_ result: Result, target: String, details: [String: AuditValue] = [:]) -> CommandOutcome {
        CommandOutcome(result: result, audit: Audit(target: target, details: details))
    }

    static func unchanged(_ result: Result) -> CommandOutcome { CommandOutcome(result: result, audit: nil) }
}
