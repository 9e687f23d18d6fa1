import Foundation
import GRDB

/// One read a session may make: the permission it needs and what it reads, in one snapshot.
///
/// Every read the console and the CLI make has a constructor here or beside the records it reads
/// (`.overview(clock:)`, `.call(_:clock:)`, `.retentionOverview(now:)`, `.auditLog` …); the SQL
/// stays in the domain.
public struct WorkspaceQuery<Value: Sendable>: Sendable {
    public let permission: Permission
    let body: @Sendable (QueryContext) throws -> Value

    init(_ permission: Permission, _ body: @escaping @Sendable (QueryContext) throws -> Value) {
        self.permission = permission
        self.body = body
    }

    /// A read of the database alone, needing `permission`.
    static func reading(_ permission: Permission, _ body: @escaping @Sendable (Database) throws -> Value) -> WorkspaceQuery {
        WorkspaceQuery(permission) { try body($0.db) }
    }

    /// A read computed at an instant: `instant` when the caller names one, else the session's
    /// present (its clock, set when it was opened), so a command's reads agree with its changes.
    static func reading(_ permission: Permission, at instant: Date?,
                        _ body: @escaping @Sendable (Database, Date) throws -> Value) -> WorkspaceQuery {
        WorkspaceQuery(permission) { context in try body(context.db, instant ?? context.now) }
    }

    /// The same read, its value transformed (in the read, so it costs no second snapshot).
    public func map<T>(_ transform: @escaping @Sendable (Value) throws -> T) -> WorkspaceQuery<T> {
        let body = self.body
        return WorkspaceQuery<T>(permission) { try transform(body($0)) }
    }
}
