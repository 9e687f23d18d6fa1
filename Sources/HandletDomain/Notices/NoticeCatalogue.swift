import Foundation
import GRDB

/// Where a notice stands for this workspace (DESIGN §7, issue 13).
public enum NoticeState: String, Sendable, Codable, CaseIterable {
    /// Nobody has opened it yet.
    case new
    /// Opened, not answered.
    case read
    case acknowledged
    case objected
    /// A subprocessor change whose objection window closed without an objection: the processor's
    /// agreements treat it as accepted.
    case deemedAccepted = "deemed_accepted"
    /// Needs acknowledging, is in effect, and nobody has acknowledged it.
    case overdue

    public var label: String {
        switch self {
        case .new: "new"
        case .read: "read"
        case .acknowledged: "acknowledged"
        case .objected: "objected"
        case .deemedAccepted: "deemed accepted"
        case .overdue: "overdue"
        }
    }
}

/// The answer a notice still needs, if any.
public enum NoticeAnswer: Sendable, Equatable, Codable {
    case none
    /// Acknowledge it (in effect from `effective`).
    case acknowledge(effective: Date)
    /// Object before `deadline`, or let it be accepted (acknowledging accepts it now).
    case objectOrAccept(deadline: Date)

    public var needsAnswer: Bool { self != .none }

    /// "acknowledge", "object by 2026-12-20" (or accept: acknowledging accepts it).
    public func label(formatDate: (Date) -> String) -> String {
        switch self {
        case .none: "—"
        case .acknowledge: "acknowledge"
        case .objectOrAccept(let deadline): "object by \(formatDate(deadline))"
        }
    }
}

/// One notice version as lists show it.
public struct NoticeSummary: Sendable, Equatable, Identifiable {
    public let id: Int64
    public let key: String
    public let kind: NoticeKind
    public let title: String
    public let version: String
    public let publishedAt: Date
    public let effectiveAt: Date
    public let needsAcknowledgement: Bool
    /// Subprocessor changes: when the window closes (the stated date, else 30 days from publication).
    public let objectionDeadline: Date?
    public let sha256: String
    public let readAt: Date?
    public let state: NoticeState
    public let answer: NoticeAnswer
    /// A newer version of the same notice exists.
    public let superseded: Bool
    /// The newest version of this notice (this one's when not superseded).
    public let latestVersion: String
    public let source: String?
    /// The stored title, version or body is not what was imported: changed in the database.
    public let tampered: Bool

    /// What the reader and `notices show` say above a tampered notice (and compliance about it).
    public static let tamperingWarning = "TAMPERED: the stored text of this notice does not match the SHA-256 recorded "
        + "when it was imported; it was changed in the database, so what follows is not the text imported or answered."

    /// Why answering this version this way would be refused now, before anyone is asked for a
    /// reason or a confirmation (the command checks the same, and whether it was answered already).
    public func refusal(for response: NoticeResponseKind, now: Date) -> NoticeError? {
        if superseded { return .notLatest(key: key, version: version, latest: latestVersion) }
        guard response == .objected else { return nil }
        guard kind == .subprocessorChange, let deadline = objectionDeadline else { return .notObjectable(kind: kind) }
        return now < deadline ? nil : .windowClosed(closedOn: deadline)
    }
}

/// An acknowledgement or objection, bound to the version and hash answered.
public struct NoticeResponseEntry: Sendable, Equatable, Codable {
    public let response: NoticeResponseKind
    public let userEmail: String
    public let version: String
    public let sha256: String
    public let reason: String?
    public let respondedAt: Date
}

/// One notice version whole: what the reader shows.
public struct NoticeDetail: Sendable, Equatable {
    public let summary: NoticeSummary
    public let body: String
    public let breach: NoticeFile.Breach?
    public let responses: [NoticeResponseEntry]
    /// Every version of this notice, oldest first (ids), and the one before this.
    public let versions: [(id: Int64, version: String)]
    public let previousVersionId: Int64?

    public static func == (lhs: NoticeDetail, rhs: NoticeDetail) -> Bool {
        lhs.summary == rhs.summary && lhs.body == rhs.body && lhs.responses == rhs.responses
            && lhs.versions.map(\.id) == rhs.versions.map(\.id)
    }
}

/// Reads notices and computes their state. The table holds tens of rows, so it is read whole.
enum NoticeCatalogue {
    static let objectionWindow: TimeInterval = 30 * 86_400

    struct Stored {
        var notice: Notice
        var source: String?
        var breachJSON: String?
        var responses: [NoticeResponseEntry]
    }

    static func stored(_ db: Database) throws -> [Stored] {
        var responses: [Int64: [NoticeResponseEntry]] = [:]
        for row in try Row.fetchAll(db, sql: """
            SELECT r.notice_id, r.response, u.email, r.version, r.sha256, r.reason, r.responded_at
            FROM notice_responses r JOIN users u ON u.id = r.user_id ORDER BY r.responded_at, r.id
            """) {
            let entry = NoticeResponseEntry(response: try CallRow.decode(row[1]), userEmail: row[2], version: row[3],
                                            sha256: row[4], reason: row[5],
                                            respondedAt: Date(timeIntervalSince1970: TimeInterval(row[6] as Int64)))
            responses[row[0], default: []].append(entry)
        }
        return try Notice.order(Column("id")).fetchAll(db).map { notice in
            Stored(notice: notice, source: notice.source, breachJSON: notice.breach, responses: responses[notice.id!] ?? [])
        }
    }

    /// Every notice version, newest publication first.
    static func summaries(now: Date, in db: Database) throws -> [NoticeSummary] {
        let all = try stored(db)
        return all.map { summary($0, among: all, now: now) }
            .sorted { ($0.publishedAt, $0.id) > ($1.publishedAt, $1.id) }
    }

    static func latestVersion(ofKey key: String, among all: [Stored]) -> Stored? {
        all.filter { $0.notice.noticeKey == key }.max { NoticeVersion.isOlder($0.notice.version, than: $1.notice.version) }
    }

    static func summary(_ stored: Stored, among all: [Stored], now: Date) -> NoticeSummary {
        let notice = stored.notice
        let latest = latestVersion(ofKey: notice.noticeKey, among: all)
        let superseded = latest?.notice.id != notice.id
        // An answer counts for the exact bytes it was given to (import refuses other bytes under the same version).
        let answers = stored.responses.filter { $0.version == notice.version && $0.sha256 == notice.sha256 }
        let deadline = notice.kind == .subprocessorChange
            ? (notice.objectionDeadline ?? notice.publishedAt.addingTimeInterval(objectionWindow)) : nil
        var state: NoticeState
        var answer = NoticeAnswer.none
        if answers.contains(where: { $0.response == .objected }) {
            state = .objected
        } else if answers.contains(where: { $0.response == .acknowledged }) {
            state = .acknowledged
        } else {
            state = notice.readAt == nil ? .new : .read
            if let deadline {
                if now >= deadline { state = .deemedAccepted } else if !superseded { answer = .objectOrAccept(deadline: deadline) }
            } else if notice.needsAcknowledgement && !superseded {
                answer = .acknowledge(effective: notice.effectiveAt)
                if now >= notice.effectiveAt { state = .overdue }
            }
        }
        return NoticeSummary(id: notice.id!, key: notice.noticeKey, kind: notice.kind, title: notice.title,
                             version: notice.version, publishedAt: notice.publishedAt, effectiveAt: notice.effectiveAt,
                             needsAcknowledgement: notice.needsAcknowledgement, objectionDeadline: deadline,
                             sha256: notice.sha256, readAt: notice.readAt, state: state, answer: answer,
                             superseded: superseded, latestVersion: latest?.notice.version ?? notice.version,
                             source: stored.source, tampered: notice.isTampered)
    }

    static func detail(_ id: Int64, now: Date, in db: Database) throws -> NoticeDetail? {
        let all = try stored(db)
        guard let stored = all.first(where: { $0.notice.id == id }) else { return nil }
        let versions = all.filter { $0.notice.noticeKey == stored.notice.noticeKey }
            .sorted { NoticeVersion.isOlder($0.notice.version, than: $1.notice.version) }
            .map { (id: $0.notice.id!, version: $0.notice.version) }
        let position = versions.firstIndex { $0.id == id }!
        let breach = stored.breachJSON.flatMap { try? JSONDecoder.notices.decode(NoticeFile.Breach.self, from: Data($0.utf8)) }
        return NoticeDetail(summary: summary(stored, among: all, now: now), body: stored.notice.body, breach: breach,
                            responses: stored.responses, versions: versions,
                            previousVersionId: position > 0 ? versions[position - 1].id : nil)
    }

    /// Resolves what a person typed: a row id, `KEY` (its latest version) or `KEY@VERSION`.
    static func resolve(_ reference: String, in db: Database) throws -> Int64 {
        let all = try stored(db)
        let text = reference.trimmingCharacters(in: .whitespaces)
        if let id = Int64(text), all.contains(where: { $0.notice.id == id }) { return id }
        let parts = text.split(separator: "@", maxSplits: 1).map(String.init)
        if parts.count == 2 {
            if let match = all.first(where: { $0.notice.noticeKey == parts[0] && $0.notice.version == parts[1] }) {
                return match.notice.id!
            }
        } else if let latest = latestVersion(ofKey: text, among: all) {
            return latest.notice.id!
        }
        throw NoticeError.noSuchNotice(reference)
    }
}

extension JSONDecoder {
    static var notices: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .secondsSince1970
        return decoder
    }
}

extension JSONEncoder {
    static var notices: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .secondsSince1970
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }
}

/// Why a notice request was refused. Each refusal changes nothing.
public enum NoticeError: SysexitsError, Equatable, CustomStringConvertible {
    case noSuchNotice(String)
    case notLatest(key: String, version: String, latest: String)
    case alreadyAnswered(version: String, response: NoticeResponseKind, by: String)
    case notObjectable(kind: NoticeKind)
    case windowClosed(closedOn: Date)
    case reasonRequired
    case reasonTooLong(limit: Int)
    case changedText(NoticeFileError)
    case noFolder(String)
    /// The stored text was changed in the database: nobody can be bound to it (issue 28).
    case tampered(key: String, version: String)

    public var exitClass: ExitClass {
        switch self {
        // Rules of the workspace: not the latest version, already answered, the window closed.
        case .notLatest, .alreadyAnswered, .notObjectable, .windowClosed: .refused
        case .reasonRequired: .usage
        case .noFolder: .noInput
        case .noSuchNotice, .reasonTooLong, .changedText, .tampered: .dataError
        }
    }

    public var description: String {
        switch self {
        case .noSuchNotice(let reference):
            "No notice \"\(reference)\" (give its id, its name, or NAME@VERSION; see `handlet notices list`)."
        case .notLatest(let key, let version, let latest):
            "Version \(version) of \(key) is not the latest (\(latest) is): answer the latest version."
        case .alreadyAnswered(let version, let response, let by):
            "Version \(version) was already \(response.rawValue) by \(by)."
        case .notObjectable(let kind):
            "Only a subprocessor change can be objected to; this is a \(kind.label.lowercased()) notice."
        case .windowClosed(let date):
            "The objection window closed on \(NoticeDateText.day(date)); the change is deemed accepted."
        case .reasonRequired:
            "An objection needs a reason (--reason TEXT)."
        case .reasonTooLong(let limit):
            "An objection reason may be at most \(limit) characters."
        case .changedText(let error):
            error.description
        case .tampered(let key, let version):
            "\(key) version \(version) cannot be answered: its stored text does not match the SHA-256 recorded at import "
                + "(it was changed in the database). Import the processor's file again into a restored workspace."
        case .noFolder(let path):
            "\(path) is not a folder of notice files."
        }
    }
}

/// Dates in notice messages: the UTC day, as headers write them.
public enum NoticeDateText {
    /// "27 Dec 2026": a notice's dates are whole days (stored at UTC midnight), written as `DisplayText` writes dates.
    public static func day(_ date: Date) -> String {
        DisplayText.date(LocalDate(containing: date, in: TimeZone(identifier: "UTC")!))
    }

    /// A notice's date as shown beside others: a whole day (UTC midnight, as a header's date is
    /// stored) as that day; a moment (a deadline counted from a publication time) in the
    /// workspace's zone, saying which: "27 Dec 2026 02:25 GMT", never the UTC day it falls in.
    public static func day(_ date: Date, in clock: BrowseClock) -> String {
        Int64(date.timeIntervalSince1970) % 86_400 == 0 ? day(date) : DisplayText.zonedTimestamp(date, clock: clock)
    }
}
