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

/// The record an audit event's target names ("call:12", "user:3", "notice:5", "contact:9"), for
/// opening it from the log; nil for a target that names no single record ("workspace", "autosend").
public enum AuditTarget: Sendable, Equatable {
    case call(Call.ID)
    case user(User.ID)
    case notice(Int64)
    case contact(Contact.ID)

    /// What the target names, in words ("call 12"), for a hint.
    public var label: String {
        switch self {
        case .call(let id): "call \(id)"
        case .user(let id): "user \(id)"
        case .notice(let id): "notice \(id)"
        case .contact(let id): "contact \(id)"
        }
    }
}

extension AuditEvent {
    /// The record the target names, when it names one.
    public var targetRecord: AuditTarget? {
        let parts = target.split(separator: ":", maxSplits: 1)
        guard parts.count == 2, let id = Int64(parts[1]) else { return nil }
        switch parts[0] {
        case "call": return .call(Call.ID(id))
        case "user": return .user(User.ID(id))
        case "notice": return .notice(id)
        case "contact": return .contact(Contact.ID(id))
        default: return nil
        }
    }
}
