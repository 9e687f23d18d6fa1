import Foundation
import GRDB

/// Exactly what one line of the calls list shows.
public struct CallRow: Hashable, Sendable, Identifiable {
    public var id: Call.ID
    public var externalId: String
    public var startedAt: Date
    /// The contact's name, or nil when the number is unknown.
    public var contactName: String?
    /// The other party's number: the caller for inbound calls, the number dialled for outbound.
    public var otherNumber: String
    public var direction: Direction
    public var durationSeconds: Int
    public var handledBy: HandledBy
    public var outcome: CallOutcome
    public var recording: RecordingStatus
    /// The stored recording state (`recorded`, `purged` …): what sorting by the Recording column orders by.
    public var recordingState: String
    /// The call's summary, for the list's Summary column at wide sizes.
    public var summary: String

    /// What the contact column shows.
    public var party: String { contactName ?? otherNumber }

    public var cursor: CallCursor { CallCursor(startedAt: Int64(startedAt.timeIntervalSince1970), id: id.rawValue) }

    /// The row's position in a list sorted by `sort`: its time and id, and the sorted column's value.
    public func cursor(for sort: CallSort) -> CallCursor {
        var cursor = self.cursor
        cursor.sortValue = sort.column.value(of: self)
        return cursor
    }

    static let selectColumns = """
        calls.id, \(TextWithNUL.select("calls.external_id")), calls.started_at, \(TextWithNUL.select("contacts.name", as: "contact_name")),
        \(TextWithNUL.select("CASE calls.direction WHEN 'inbound' THEN calls.from_number ELSE calls.to_number END", as: "other_number")),
        calls.direction, calls.duration_seconds, calls.handled_by, calls.outcome, calls.recording_state,
        calls.recording_purged_at, recordings.expires_at, recordings.legal_hold, recordings.purged_at AS recording_row_purged_at,
        \(TextWithNUL.select("calls.summary", as: "summary"))
        """
    static let joins = """
        LEFT JOIN contacts ON contacts.id = calls.contact_id
        LEFT JOIN recordings ON recordings.call_id = calls.id
        """

    init(row: GRDB.Row, now: Int64) throws {
        id = row["id"]
        externalId = row.storedText("external_id")
        startedAt = Date(timeIntervalSince1970: TimeInterval(row["started_at"] as Int64))
        contactName = row.storedTextIfPresent("contact_name")
        otherNumber = row.storedText("other_number")
        direction = try Self.decode(row["direction"])
        durationSeconds = row["duration_seconds"]
        handledBy = try Self.decode(row["handled_by"])
        outcome = try Self.decode(row["outcome"])
        let state: RecordingState = try Self.decode(row["recording_state"])
        recordingState = state.rawValue
        summary = row.storedText("summary")
        let purgedAt: Int64? = row["recording_purged_at"] ?? row["recording_row_purged_at"]
        recording = RecordingStatus.make(state: state, expiresAt: row["expires_at"],
                                         legalHold: (row["legal_hold"] as Bool?) ?? false,
                                         purgedAt: purgedAt, now: now)
    }

    static func decode<T: RawRepresentable>(_ raw: String) throws -> T where T.RawValue == String {
        guard let value = T(rawValue: raw) else {
            throw DatabaseError(resultCode: .SQLITE_MISMATCH, message: "unexpected value \(raw) for \(T.self)")
        }
        return value
    }
}

/// A call list position: the sort key of a row, newest first. Its text form (`1763900000.42`) is
/// what `handlet calls list --after` takes; in a list sorted by another column the column's value
/// comes first, before a `~` (`95~1763900000.42`, `missed~1763900000.42`).
public struct CallCursor: Hashable, Sendable, Codable, LosslessStringConvertible {
    /// The sorted column's value: a number (length) or stored text (outcome, a name…).
    public enum SortValue: Hashable, Sendable, Codable {
        case integer(Int64), text(String)

        var databaseValue: any DatabaseValueConvertible {
            switch self { case .integer(let n): n; case .text(let text): text }
        }
    }

    public var startedAt: Int64
    public var id: Int64
    /// nil in the newest-first list.
    public var sortValue: SortValue?

    public init(startedAt: Int64, id: Int64, sortValue: SortValue? = nil) {
        self.startedAt = startedAt; self.id = id; self.sortValue = sortValue
    }

    public init?(_ description: String) {
        var rest = Substring(description)
        var value: SortValue?
        if let tilde = description.lastIndex(of: "~") {
            let text = String(description[..<tilde])
            value = Int64(text).map(SortValue.integer) ?? .text(text)
            rest = description[description.index(after: tilde)...]
        }
        let parts = rest.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, let startedAt = Int64(parts[0]), let id = Int64(parts[1]) else { return nil }
        self.init(startedAt: startedAt, id: id, sortValue: value)
    }

    public var description: String {
        let position = "\(startedAt).\(id)"
        switch sortValue {
        case nil: return position
        case .integer(let n)?: return "\(n)~" + position
        case .text(let text)?: return text + "~" + position
        }
    }
}
