import Foundation
import GRDB

public struct AuditEvent: HandletRecord, PersistableRecord, Equatable {
    public static let databaseTableName = "audit_events"
    public var seq: Int64?
    public var at: Date
    /// A user's email, or `system`.
    public var actor: String
    public var action: String
    public var target: String
    /// JSON object of identifiers and counts; never personal content.
    public var details: String
    public var previousHash: String
    public var hash: String

    public mutating func didInsert(_ inserted: InsertionSuccess) { seq = inserted.rowID }
}
