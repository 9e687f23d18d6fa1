import Foundation
import GRDB

/// What importing one notice file did.
public enum NoticeImportOutcome: Sendable, Equatable {
    case imported(id: Int64)
    /// The same id, version and bytes were already there: nothing changed.
    case alreadyPresent(id: Int64)

    public var id: Int64 {
        switch self {
        case .imported(let id), .alreadyPresent(let id): id
        }
    }
}

/// What importing a folder did: each file in its own transaction, so one bad file stops only itself.
public struct NoticeImportSummary: Sendable, Equatable {
    public struct Entry: Sendable, Equatable {
        public let file: String
        public let key: String
        public let version: String
        public let outcome: NoticeImportOutcome
    }
    public var imported: [Entry] = []
    public var unchanged: [Entry] = []
    /// Each refused file with its reason (`file:line: message`).
    public var failed: [(file: String, reason: String)] = []

    public static func == (lhs: NoticeImportSummary, rhs: NoticeImportSummary) -> Bool {
        lhs.imported == rhs.imported && lhs.unchanged == rhs.unchanged
            && lhs.failed.map(\.file) == rhs.failed.map(\.file) && lhs.failed.map(\.reason) == rhs.failed.map(\.reason)
    }
}

extension WorkspaceCommand where Result == NoticeImportOutcome {
    /// Stores one parsed notice file. The same id and version with other bytes is refused (an
    /// answer is bound to the bytes answered: a changed notice needs a new version). Needs
    /// `.importNotices`; audited as `notice.imported` with identifiers and the hash.
    public static func importNotice(_ file: NoticeFile, source: String) -> Self {
        WorkspaceCommand(.importNotices, audit: .noticeImported) { db, environment in
            if let existing = try Notice.filter(Column("notice_key") == file.key && Column("version") == file.version).fetchOne(db) {
                guard existing.sha256 == file.sha256 else {
                    throw NoticeError.changedText(NoticeFileError(
                        file: source, line: file.versionLine,
                        message: "notice \(file.key) version \(file.version) is already imported with other text "
                            + "(SHA-256 \(existing.sha256.prefix(12))…, this file \(file.sha256.prefix(12))…); "
                            + "a changed notice needs a new version"))
                }
                return .unchanged(.alreadyPresent(id: existing.id!))
            }
            let published = file.publishedAt ?? Date(timeIntervalSince1970: environment.now.timeIntervalSince1970.rounded(.down))
            let deadline = file.kind == .subprocessorChange
                ? (file.objectionDeadline ?? published.addingTimeInterval(NoticeCatalogue.objectionWindow)) : nil
            let breach = try file.breach.map { String(decoding: try JSONEncoder.notices.encode($0), as: UTF8.self) }
            var notice = Notice(noticeKey: file.key, kind: file.kind, title: file.title, version: file.version,
                                effectiveAt: file.effectiveAt, body: file.body, sha256: file.sha256,
                                needsAcknowledgement: file.needsAcknowledgement, objectionDeadline: deadline,
                                publishedAt: published, source: source, breach: breach)
            try notice.insert(db)
            return .changed(.imported(id: notice.id!), target: "notice:\(notice.id!)",
                            details: ["key": .string(file.key), "version": .string(file.version),
                                      "kind": .string(file.kind.rawValue), "sha256": .string(file.sha256)])
        }
    }
}

extension WorkspaceSession {
    /// Imports every `*.md` file of `folder`, in name order, each in its own transaction. A file
    /// refused (a header problem, a changed text) imports nothing and is listed with its reason;
    /// the others still import. A refused role stops before anything is read.
    public func importNotices(from folder: URL, now: Date? = nil) throws -> NoticeImportSummary {
        try require(.importNotices)
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw NoticeError.noFolder(folder.path)
        }
        // One file read at a time, each looked at before it is read (`NoticeFolder`).
        return try importNotices(names: try NoticeFolder.names(in: folder), now: now) { NoticeFolder.read($0, in: folder) }
    }

    /// The same over named contents (nil: the file could not be read).
    public func importNotices(_ files: [(name: String, data: Data?)], now instant: Date? = nil) throws -> NoticeImportSummary {
        let contents = Dictionary(files.map { ($0.name, $0.data) }, uniquingKeysWith: { first, _ in first })
        return try importNotices(names: files.map(\.name), now: instant) { name in
            guard let data = contents[name] ?? nil else {
                return .failure(NoticeFileError(file: name, line: 1, message: "the file cannot be read"))
            }
            return .success(data)
        }
    }

    private func importNotices(names: [String], now instant: Date?,
                               load: (String) -> Result<Data, NoticeFileError>) throws -> NoticeImportSummary {
        try require(.importNotices)
        // One instant for the whole import, as for any other change of this session.
        let now = instant ?? self.now
        var summary = NoticeImportSummary()
        for name in names {
            do {
                let data = try load(name).get()
                let file = try NoticeFile.parse(data, name: name)
                let outcome = try perform(.importNotice(file, source: name), at: now)
                let entry = NoticeImportSummary.Entry(file: name, key: file.key, version: file.version, outcome: outcome)
                if case .imported = outcome { summary.imported.append(entry) } else { summary.unchanged.append(entry) }
            } catch let error as NoticeFileError {
                summary.failed.append((name, error.description))
            } catch let error as NoticeError {
                summary.failed.append((name, error.description))
            }
        }
        return summary
    }

    /// Imports the notices the product ships (`ShippedNotices`).
    public func importShippedNotices(now: Date? = nil) throws -> NoticeImportSummary {
        try importNotices(ShippedNotices.all.map { (name: $0.name, data: Data($0.text.utf8)) }, now: now)
    }
}

/// An answer recorded.
public struct NoticeAnswerRecord: Sendable, Equatable {
    public let noticeId: Int64
    public let key: String
    public let entry: NoticeResponseEntry
}

extension WorkspaceCommand where Result == NoticeAnswerRecord {
    public static let reasonLimit = 1_000

    /// Acknowledges the latest version of a notice, bound to its version and SHA-256, with the user
    /// and time. Needs `.acknowledgeNotice` (owners and admins). For a subprocessor change it
    /// accepts the change. Its plan asks first, in the console and the CLI alike.
    /// The same for the notice a person named (its key or number), looked up after the role check.
    public static func acknowledgeNotice(named reference: String) -> Self {
        naming(.acknowledgeNotice, audit: .noticeAcknowledged, { try NoticeCatalogue.resolve(reference, in: $0) }) { acknowledgeNotice($0) }
    }

    public static func acknowledgeNotice(_ id: Int64) -> Self {
        WorkspaceCommand(.acknowledgeNotice, audit: .noticeAcknowledged, rules: { db, environment in
            _ = try answerable(id, .acknowledged, db: db, now: environment.now)
        }, outline: { db, environment in
            // An acknowledgement binds the business to this exact text: asked first, naming the
            // version, the hash and who answers (and, for a subprocessor change, that it accepts it).
            guard let notice = try Notice.fetchOne(db, key: id) else { throw NoticeError.noSuchNotice(String(id)) }
            let accepts = notice.kind == .subprocessorChange ? " This accepts the change." : ""
            return ChangeOutline(confirmation: Confirmation(
                title: "Acknowledge \(notice.title)",
                question: "Acknowledge \(notice.noticeKey) version \(notice.version) (SHA-256 \(notice.sha256.prefix(16))…) "
                    + "as \(environment.actor.auditName)?\(accepts)",
                confirmLabel: "Acknowledge", declined: "Not acknowledged.", isDestructive: false))
        }) { db, environment in
            try answer(id, .acknowledged, reason: nil, db: db, environment: environment)
        }
    }

    /// Objects to a subprocessor change, with a reason, inside its window. Needs
    /// `.objectToSubprocessor` (owners only). The reason stays with the answer, never in the audit log.
    /// The same for the notice a person named (its key or number), looked up after the role check.
    public static func objectToNotice(named reference: String, reason: String) -> Self {
        naming(.objectToSubprocessor, audit: .noticeObjected, { try NoticeCatalogue.resolve(reference, in: $0) }) {
            objectToNotice($0, reason: reason)
        }
    }

    public static func objectToNotice(_ id: Int64, reason: String) -> Self {
        WorkspaceCommand(.objectToSubprocessor, audit: .noticeObjected, rules: { db, environment in
            _ = try answerable(id, .objected, db: db, now: environment.now)
        }) { db, environment in
            let trimmed = reason.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !trimmed.isEmpty else { throw NoticeError.reasonRequired }
            guard trimmed.count <= reasonLimit else { throw NoticeError.reasonTooLong(limit: reasonLimit) }
            return try answer(id, .objected, reason: trimmed, db: db, environment: environment)
        }
    }

    /// The notice, unless answering it this way is refused now: not the latest version, already
    /// answered, not objectable, or its objection window closed (the command's rules).
    private static func answerable(_ id: Int64, _ response: NoticeResponseKind, db: Database, now: Date) throws -> Notice {
        let all = try NoticeCatalogue.stored(db)
        guard let stored = all.first(where: { $0.notice.id == id }) else { throw NoticeError.noSuchNotice(String(id)) }
        let notice = stored.notice
        if notice.isTampered { throw NoticeError.tampered(key: notice.noticeKey, version: notice.version) }
        let summary = NoticeCatalogue.summary(stored, among: all, now: now)
        if summary.superseded { throw NoticeError.notLatest(key: notice.noticeKey, version: notice.version, latest: summary.latestVersion) }
        if let earlier = stored.responses.first(where: { $0.version == notice.version && $0.sha256 == notice.sha256 }) {
            throw NoticeError.alreadyAnswered(version: notice.version, response: earlier.response, by: earlier.userEmail)
        }
        if let refusal = summary.refusal(for: response, now: now) { throw refusal }
        return notice
    }

    private static func answer(_ id: Int64, _ response: NoticeResponseKind, reason: String?, db: Database,
                               environment: CommandEnvironment) throws -> CommandOutcome<NoticeAnswerRecord> {
        // The rules ran just before, in this transaction (`answerable`); the notice is read for its version and hash.
        guard let notice = try Notice.fetchOne(db, key: id) else { throw NoticeError.noSuchNotice(String(id)) }
        guard case .user(let user) = environment.actor, let userId = user.id else {
            throw PermissionDenied(permission: response == .objected ? .objectToSubprocessor : .acknowledgeNotice, role: nil)
        }
        let at = Date(timeIntervalSince1970: environment.now.timeIntervalSince1970.rounded(.down))
        var row = NoticeResponse(noticeId: id, userId: userId.rawValue, response: response, version: notice.version,
                                 sha256: notice.sha256, reason: reason, respondedAt: at)
        try row.insert(db)
        let entry = NoticeResponseEntry(response: response, userEmail: user.email, version: notice.version,
                                        sha256: notice.sha256, reason: reason, respondedAt: at)
        return .changed(NoticeAnswerRecord(noticeId: id, key: notice.noticeKey, entry: entry), target: "notice:\(id)",
                        details: ["key": .string(notice.noticeKey), "version": .string(notice.version),
                                  "sha256": .string(notice.sha256), "with_reason": .bool(reason != nil)])
    }
}

extension WorkspaceCommand where Result == Bool {
    /// Marks a notice as opened (the workspace's "read", once): true when this was the first time.
    /// Any role that may browse; audited as `notice.read` the first time only.
    public static func markNoticeRead(_ id: Int64) -> Self {
        WorkspaceCommand(.browse, audit: .noticeRead) { db, environment in
            guard var notice = try Notice.fetchOne(db, key: id) else { throw NoticeError.noSuchNotice(String(id)) }
            guard notice.readAt == nil else { return .unchanged(false) }
            notice.readAt = Date(timeIntervalSince1970: environment.now.timeIntervalSince1970.rounded(.down))
            try notice.update(db, columns: ["read_at"])
            return .changed(true, target: "notice:\(id)", details: ["key": .string(notice.noticeKey),
                                                                 "version": .string(notice.version)])
        }
    }
}

extension WorkspaceQuery where Value == [NoticeSummary] {
    /// Every notice version with its state and the answer it needs, newest publication first.
    public static func notices(now: Date? = nil) -> Self {
        .reading(.browse, at: now) { db, now in try NoticeCatalogue.summaries(now: now, in: db) }
    }
}

extension WorkspaceQuery where Value == NoticeDetail? {
    public static func notice(_ id: Int64, now: Date? = nil) -> Self {
        .reading(.browse, at: now) { db, now in try NoticeCatalogue.detail(id, now: now, in: db) }
    }
}

extension WorkspaceQuery where Value == Int64 {
    /// A notice's id from what a person typed: an id, `NAME` (the latest version) or `NAME@VERSION`.
    public static func noticeID(named reference: String) -> Self {
        .reading(.browse) { try NoticeCatalogue.resolve(reference, in: $0) }
    }
}
