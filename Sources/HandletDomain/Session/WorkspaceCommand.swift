import Foundation
import GRDB

/// One change a session may perform: the permission it needs (DESIGN §4), the audit action it
/// records, and the change itself. `WorkspaceSession.perform` checks the permission, then runs the
/// change and appends its audit event in one transaction.
///
/// Commands are built by the domain (`.setRetentionPeriod(_:shorteningConfirmed:)`,
/// `.placeLegalHold(onCall:reason:)` …); each body owns its rules and refuses by throwing.
public struct WorkspaceCommand<Result: Sendable>: Sendable {
    public let permission: Permission
    public let auditAction: AuditAction
    let body: @Sendable (Database, CommandEnvironment) throws -> CommandOutcome<Result>

    init(_ permission: Permission, audit action: AuditAction,
         _ body: @escaping @Sendable (Database, CommandEnvironment) throws -> CommandOutcome<Result>) {
        self.permission = permission
        auditAction = action
        self.body = body
    }
}

/// Who performs a command, and the moment it counts as performed (expiries, the audit time).
struct CommandEnvironment: Sendable {
    let actor: Actor
    let now: Date
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
