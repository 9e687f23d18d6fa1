import Foundation
import GRDB

/// The register of data-subject requests (DESIGN §3): each with its type, when it was received,
/// when it is due (one calendar month, Art. 12(3)), its status, and who completed it and when.
public enum DataSubjectDue {
    /// One calendar month after `received`, in `timeZone`: 31 January is due on 28 February (29 in
    /// a leap year), 15 March on 15 April; the time of day is kept.
    public static func due(received: Date, timeZone: TimeZone = london) -> Date {
        months(1, after: received, timeZone: timeZone)
    }

    /// `count` calendar months after `date`, clamped to the month's last day.
    public static func months(_ count: Int, after date: Date, timeZone: TimeZone = london) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        return calendar.date(byAdding: .month, value: count, to: date) ?? date
    }

    /// The extended due date: the first due date plus `months` (one or two) more calendar months.
    public static func extended(firstDue: Date, received: Date, months: Int, timeZone: TimeZone = london) -> Date {
        // Counted from receipt, so 31 Jan + 1 + 2 months is 30 April, not 28 April.
        Self.months(1 + months, after: received, timeZone: timeZone)
    }

    public static let london = TimeZone(identifier: "Europe/London") ?? TimeZone(secondsFromGMT: 0)!
    public static let extensionMonths = 1...2
    public static let noteLimit = 1_000

    static func timeZone(_ db: Database) throws -> TimeZone {
        let name = try String.fetchOne(db, sql: "SELECT time_zone FROM workspace WHERE id = 1")
        return name.flatMap(TimeZone.init(identifier:)) ?? london
    }
}

/// One line of the register, as `handlet dsr list` and the Requests tab show it.
public struct DataSubjectRequestEntry: Sendable, Equatable, Codable, Identifiable {
    public let id: Int64
    public let type: DataSubjectRequestType
    public let contactId: Contact.ID?
    /// The contact's name now; nil once the contact was erased (the register keeps the request).
    public let contactName: String?
    public let receivedAt: Date
    public let dueAt: Date
    /// The one-month due date when the request was extended.
    public let firstDueAt: Date?
    public let extensionReason: String?
    public let status: DataSubjectRequestStatus
    public let completedByEmail: String?
    public let completedAt: Date?
    public let notes: String?
    /// Open and past its due date at the moment of reading.
    public let overdue: Bool
    /// Open and due within the next seven days (not yet overdue).
    public let dueThisWeek: Bool

    public var isOpen: Bool { status == .open || status == .inProgress }
    public var isExtended: Bool { firstDueAt != nil }
}

extension DataSubjectRequestType {
    public var label: String {
        switch self {
        case .access: "access"
        case .rectification: "rectification"
        case .erasure: "erasure"
        case .restriction: "restriction"
        case .portability: "portability"
        case .objection: "objection"
        }
    }
}

extension DataSubjectRequestStatus {
    public var label: String {
        switch self {
        case .open: "open"
        case .inProgress: "in progress"
        case .completed: "completed"
        case .refused: "refused"
        }
    }
}

/// Which requests a register read lists.
public enum DataSubjectRequestFilter: String, Sendable, CaseIterable, Codable {
    case all, open, overdue
    /// Open and due within seven days, overdue ones included.
    case dueSoon = "due_soon"
}

/// Counts for the Overview and the compliance centre.
public struct DataSubjectRequestCounts: Sendable, Equatable, Codable {
    public let open: Int
    public let overdue: Int
    /// Open, not overdue, due within seven days.
    public let dueThisWeek: Int
}

enum DataSubjectRegister {
    static let week: Int64 = 7 * 86_400

    static func entries(_ db: Database, filter: DataSubjectRequestFilter, contacts: [Contact.ID]? = nil,
                        now: Date) -> SQLRequest<Row> {
        let nowSeconds = Int64(now.timeIntervalSince1970.rounded(.down))
        var conditions: [String] = []
        var arguments: [any DatabaseValueConvertible] = []
        switch filter {
        case .all: break
        case .open: conditions.append("r.status IN ('open', 'in_progress')")
        case .overdue:
            conditions.append("r.status IN ('open', 'in_progress') AND r.due_at < ?")
            arguments.append(nowSeconds)
        case .dueSoon:
            conditions.append("r.status IN ('open', 'in_progress') AND r.due_at < ?")
            arguments.append(nowSeconds + week)
        }
        if let contacts {
            conditions.append("r.contact_id IN (SELECT value FROM json_each(?))")
            arguments.append("[" + contacts.map { String($0.rawValue) }.joined(separator: ",") + "]")
        }
        let whereClause = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        return SQLRequest(sql: """
            SELECT r.id, r.type, r.contact_id, \(TextWithNUL.select("c.name", as: "contact_name")), r.received_at, r.due_at,
                   r.first_due_at, \(TextWithNUL.select("r.extension_reason")), r.status, u.email AS completed_by_email,
                   r.completed_at, \(TextWithNUL.select("r.notes"))
            FROM data_subject_requests r
            LEFT JOIN contacts c ON c.id = r.contact_id
            LEFT JOIN users u ON u.id = r.completed_by
            \(whereClause)
            ORDER BY CASE WHEN r.status IN ('open', 'in_progress') THEN 0 ELSE 1 END, r.due_at, r.id
            """, arguments: StatementArguments(arguments))
    }

    static func list(_ db: Database, filter: DataSubjectRequestFilter, contacts: [Contact.ID]? = nil,
                     now: Date) throws -> [DataSubjectRequestEntry] {
        try entries(db, filter: filter, contacts: contacts, now: now).fetchAll(db).map { entry($0, now: now) }
    }

    static func entry(_ row: Row, now: Date) -> DataSubjectRequestEntry {
        func date(_ column: String) -> Date? { (row[column] as Int64?).map { Date(timeIntervalSince1970: TimeInterval($0)) } }
        let status = DataSubjectRequestStatus(rawValue: row["status"]) ?? .open
        let due = date("due_at")!
        let open = status == .open || status == .inProgress
        return DataSubjectRequestEntry(
            id: row["id"], type: DataSubjectRequestType(rawValue: row["type"]) ?? .access,
            contactId: (row["contact_id"] as Int64?).map { Contact.ID($0) }, contactName: row.storedTextIfPresent("contact_name"),
            receivedAt: date("received_at")!, dueAt: due, firstDueAt: date("first_due_at"),
            extensionReason: row.storedTextIfPresent("extension_reason"), status: status,
            completedByEmail: row["completed_by_email"], completedAt: date("completed_at"),
            notes: row.storedTextIfPresent("notes"),
            overdue: open && due < now,
            dueThisWeek: open && due >= now && due < now.addingTimeInterval(TimeInterval(week)))
    }

    static func entry(id: Int64, _ db: Database, now: Date) throws -> DataSubjectRequestEntry {
        guard let row = try SQLRequest<Row>(sql: """
            SELECT r.id, r.type, r.contact_id, \(TextWithNUL.select("c.name", as: "contact_name")), r.received_at, r.due_at,
                   r.first_due_at, \(TextWithNUL.select("r.extension_reason")), r.status, u.email AS completed_by_email,
                   r.completed_at, \(TextWithNUL.select("r.notes"))
            FROM data_subject_requests r LEFT JOIN contacts c ON c.id = r.contact_id LEFT JOIN users u ON u.id = r.completed_by
            WHERE r.id = ?
            """, arguments: [id]).fetchOne(db) else { throw DataSubjectError.noSuchRequest(id) }
        return entry(row, now: now)
    }

    static func counts(_ db: Database, now: Date) throws -> DataSubjectRequestCounts {
        let nowSeconds = Int64(now.timeIntervalSince1970.rounded(.down))
        let row = try Row.fetchOne(db, sql: """
            SELECT COUNT(*), TOTAL(due_at < ?), TOTAL(due_at >= ? AND due_at < ?)
            FROM data_subject_requests WHERE status IN ('open', 'in_progress')
            """, arguments: [nowSeconds, nowSeconds, nowSeconds + week])!
        return DataSubjectRequestCounts(open: row[0], overdue: Int(row[1] as Double), dueThisWeek: Int(row[2] as Double))
    }

    static func request(_ id: Int64, _ db: Database) throws -> DataSubjectRequest {
        guard let request = try DataSubjectRequest.fetchOne(db, key: id) else { throw DataSubjectError.noSuchRequest(id) }
        return request
    }

    static func validatedNote(_ text: String?, field: String = "note") throws -> String? {
        guard let text else { return nil }
        let note = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard note.count <= DataSubjectDue.noteLimit else { throw DataSubjectError.textTooLong(field: field, limit: DataSubjectDue.noteLimit) }
        return note.isEmpty ? nil : note
    }
}

// MARK: Reads

extension WorkspaceQuery where Value == [DataSubjectRequestEntry] {
    /// The register, open requests first (soonest due first), then closed ones.
    public static func dataSubjectRequests(_ filter: DataSubjectRequestFilter = .all, now: Date? = nil) -> Self {
        .reading(.browse, at: now) { db, now in try DataSubjectRegister.list(db, filter: filter, now: now) }
    }
}

extension WorkspaceQuery where Value == DataSubjectRequestEntry {
    public static func dataSubjectRequest(_ id: Int64, now: Date? = nil) -> Self {
        .reading(.browse, at: now) { db, now in try DataSubjectRegister.entry(id: id, db, now: now) }
    }
}

extension WorkspaceQuery where Value == DataSubjectRequestCounts {
    /// Open, overdue and due-this-week requests (the Overview's and the compliance centre's figures).
    public static func dataSubjectRequestCounts(now: Date? = nil) -> Self {
        .reading(.browse, at: now) { db, now in try DataSubjectRegister.counts(db, now: now) }
    }
}

// MARK: Commands

extension WorkspaceCommand where Result == DataSubjectRequestEntry {
    /// Records a request received at `received` (by default now), due one calendar month later.
    /// Notes may name people: they stay in the register, never in the audit log.
    public static func openDataSubjectRequest(type: DataSubjectRequestType, contact: Contact.ID?,
                                              received: Date? = nil, notes: String? = nil) -> Self {
        WorkspaceCommand(.dataSubjectExportRectifyRestrict, audit: .dataSubjectRequestOpened, rules: { db, _ in
            if let contact, try !Contact.exists(db, key: contact) { throw DataSubjectError.noSuchContact(contact.rawValue) }
        }, outline: { db, environment in
            // When it falls due, for the front end to show as it asks the type (nothing to confirm:
            // recording a request deletes nothing and can be closed).
            let receivedAt = Date(timeIntervalSince1970: (received ?? environment.now).timeIntervalSince1970.rounded(.down))
            let name = try contact.flatMap { try String.fetchOne(db, sql: "SELECT name FROM contacts WHERE id = ?", arguments: [$0]) }
            let zone = try DataSubjectDue.timeZone(db)
            return ChangeOutline(preview: .dataSubjectRequest(DataSubjectRequestPreview(
                type: type, contactName: name, receivedAt: receivedAt,
                dueAt: DataSubjectDue.due(received: receivedAt, timeZone: zone), timeZone: zone)))
        }) { db, environment in
            let notes = try DataSubjectRegister.validatedNote(notes)
            let receivedAt = Date(timeIntervalSince1970: (received ?? environment.now).timeIntervalSince1970.rounded(.down))
            let due = DataSubjectDue.due(received: receivedAt, timeZone: try DataSubjectDue.timeZone(db))
            var request = DataSubjectRequest(contactId: contact?.rawValue, type: type, receivedAt: receivedAt, dueAt: due,
                                             notes: notes)
            try request.insert(db)
            let entry = try DataSubjectRegister.entry(id: request.id!, db, now: environment.now)
            var details: [String: AuditValue] = ["type": .string(type.rawValue)]
            if let contact { details["contact_id"] = .int(contact.rawValue) }
            return .changed(entry, target: "dsr:\(request.id!)", details: details)
        }
    }

    /// Closes a request as completed or refused, recording who and when.
    public static func closeDataSubjectRequest(_ id: Int64, refused: Bool = false, note: String? = nil) -> Self {
        WorkspaceCommand(.dataSubjectExportRectifyRestrict, audit: .dataSubjectRequestClosed, rules: { db, _ in
            let request = try DataSubjectRegister.request(id, db)
            guard request.status == .open || request.status == .inProgress else { throw DataSubjectError.requestClosed(id) }
        }) { db, environment in
            var request = try DataSubjectRegister.request(id, db)
            let note = try DataSubjectRegister.validatedNote(note)
            let now = Date(timeIntervalSince1970: environment.now.timeIntervalSince1970.rounded(.down))
            request.status = refused ? .refused : .completed
            request.completedBy = environment.actor.userId?.rawValue
            request.completedAt = now
            if let note { request.notes = [request.notes, note].compactMap { $0 }.joined(separator: "\n") }
            try request.update(db, columns: ["status", "completed_by", "completed_at", "notes"])
            return .changed(try DataSubjectRegister.entry(id: id, db, now: environment.now), target: "dsr:\(id)",
                            details: ["status": .string(request.status.rawValue),
                                      "late": .bool(now > request.dueAt)])
        }
    }

    /// Extends an open request once by one or two more months (Art. 12(3)); the reason is required
    /// (the person must be told it) and stays in the register, out of the audit log.
    public static func extendDataSubjectRequest(_ id: Int64, months: Int, reason: String) -> Self {
        WorkspaceCommand(.dataSubjectExportRectifyRestrict, audit: .dataSubjectRequestExtended, rules: { db, _ in
            guard DataSubjectDue.extensionMonths.contains(months) else { throw DataSubjectError.extensionMonths(months) }
            let request = try DataSubjectRegister.request(id, db)
            guard request.status == .open || request.status == .inProgress else { throw DataSubjectError.requestClosed(id) }
            guard request.firstDueAt == nil else { throw DataSubjectError.alreadyExtended(id) }
        }) { db, environment in
            guard let reason = try DataSubjectRegister.validatedNote(reason, field: "reason") else {
                throw DataSubjectError.reasonRequired
            }
            var request = try DataSubjectRegister.request(id, db)
            request.firstDueAt = request.dueAt
            request.dueAt = DataSubjectDue.extended(firstDue: request.dueAt, received: request.receivedAt, months: months,
                                                    timeZone: try DataSubjectDue.timeZone(db))
            request.extensionReason = reason
            request.extendedBy = environment.actor.userId?.rawValue
            request.extendedAt = Date(timeIntervalSince1970: environment.now.timeIntervalSince1970.rounded(.down))
            try request.update(db, columns: ["first_due_at", "due_at", "extension_reason", "extended_by", "extended_at"])
            return .changed(try DataSubjectRegister.entry(id: id, db, now: environment.now), target: "dsr:\(id)",
                            details: ["months": .int(Int64(months))])
        }
    }
}

extension DataSubjectDue {
    /// The start of `day` in London: when a request received on that day (typed as a date) counts as received.
    public static func startOf(_ day: LocalDate, timeZone: TimeZone = london) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        return calendar.date(from: DateComponents(year: day.year, month: day.month, day: day.day)) ?? Date(timeIntervalSince1970: 0)
    }
}

/// A request about to be recorded: who, and when it falls due.
public struct DataSubjectRequestPreview: Sendable, Equatable, Codable {
    public let type: DataSubjectRequestType
    public let contactName: String?
    public let receivedAt: Date
    public let dueAt: Date
    /// The workspace's zone: the days the summary names are its days.
    public let timeZone: TimeZone

    /// "Received 7 December 2026 from Jane Smith: due 7 January 2027 (one calendar month; extendable once, Art. 12(3))."
    public var summary: String {
        let day = { [timeZone] (date: Date) in DisplayText.date(LocalDate(containing: date, in: timeZone)) }
        return "Received \(day(receivedAt))" + (contactName.map { " from \($0)" } ?? "")
            + ": due \(day(dueAt)) (one calendar month; extendable once, Art. 12(3))."
    }
}
