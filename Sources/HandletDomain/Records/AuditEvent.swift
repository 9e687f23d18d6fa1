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

extension AuditEvent {
    /// The details as values (identifiers, counts, flags); empty if the stored JSON is not an object.
    public var detailValues: [String: AuditValue] {
        (try? JSONDecoder().decode([String: AuditValue].self, from: Data(details.utf8))) ?? [:]
    }

    /// "new_role=admin old_role=agent user_id=7": the details on one line, keys in order.
    public var detailsSummary: String {
        let values = detailValues
        guard !values.isEmpty || details == "{}" else { return details }
        return values.keys.sorted().map { key in
            switch values[key]! {
            case .string(let text): "\(key)=\(text)"
            case .int(let number): "\(key)=\(number)"
            case .bool(let flag): "\(key)=\(flag)"
            }
        }.joined(separator: " ")
    }
}
