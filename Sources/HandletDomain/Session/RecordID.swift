import GRDB

/// A record's id in this workspace, typed by the kind of record it names: a call's id cannot be
/// passed where a thread's is expected, and nobody formats an id as text to parse it back.
///
/// Stored as the table's integer primary key; encoded in JSON as that bare number.
public struct RecordID<Record>: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    public let rawValue: Int64

    public init(_ rawValue: Int64) { self.rawValue = rawValue }

    public static func < (lhs: RecordID, rhs: RecordID) -> Bool { lhs.rawValue < rhs.rawValue }

    public var description: String { String(rawValue) }

    public init(from decoder: Decoder) throws {
        rawValue = try decoder.singleValueContainer().decode(Int64.self)
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}

extension RecordID: DatabaseValueConvertible {
    public var databaseValue: DatabaseValue { rawValue.databaseValue }

    public static func fromDatabaseValue(_ dbValue: DatabaseValue) -> RecordID? {
        Int64.fromDatabaseValue(dbValue).map { RecordID($0) }
    }
}

/// What a record's primary key is built from when SQLite assigns it.
public protocol RowIDRepresentable: Sendable, Codable, Hashable {
    init(rowID: Int64)
}

extension Int64: RowIDRepresentable {
    public init(rowID: Int64) { self = rowID }
}

extension RecordID: RowIDRepresentable {
    public init(rowID: Int64) { self.init(rowID) }
}

extension Call { public typealias ID = RecordID<Call> }
extension Contact { public typealias ID = RecordID<Contact> }
extension MessageThread { public typealias ID = RecordID<MessageThread> }
extension Message { public typealias ID = RecordID<Message> }
extension Recording { public typealias ID = RecordID<Recording> }
extension User { public typealias ID = RecordID<User> }
