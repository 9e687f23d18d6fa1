import Foundation
import GRDB

/// Special-category and criminal-offence data (UK GDPR Art. 9 and 10) that may have crept into
/// messages and transcripts: a documented word list (docs/notices.md) looked up in the full-text
/// indexes, never by scanning the text. Words common in addresses ("Church Lane", "Chapel
/// Allerton") or trades talk ("stroke", "race") are left out on purpose.
public enum SpecialCategory {
    public enum Category: String, CaseIterable, Sendable, Codable {
        case health, religion, ethnicity
        case criminalRecord = "criminal_record"
    }

    /// The words, by category. Each is one FTS5 token (the index folds case and diacritics).
    public static let words: [Category: [String]] = [
        .health: ["diabetic", "diabetes", "insulin", "pregnant", "pregnancy", "cancer", "chemotherapy", "dementia",
                  "alzheimer", "epilepsy", "epileptic", "asthma", "asthmatic", "hiv", "dialysis", "wheelchair",
                  "disability", "disabled", "depression", "medication", "prescription", "oncology"],
        .religion: ["mosque", "synagogue", "gurdwara", "mandir", "ramadan", "muslim", "christian", "jewish", "hindu",
                    "sikh", "buddhist", "worship"],
        .ethnicity: ["ethnicity", "ethnic", "racial", "nationality", "immigrant", "asylum"],
        .criminalRecord: ["conviction", "convicted", "prison", "probation", "parole", "criminal", "tagged", "offender"],
    ]

    public static var allWords: [String] { Category.allCases.flatMap { words[$0] ?? [] } }

    /// The FTS5 query: every word, OR'd (each quoted, so none is read as an operator).
    static var matchQuery: String { allWords.map { "\"\($0)\"" }.joined(separator: " OR ") }

    public struct Counts: Sendable, Equatable, Codable {
        public var messages: Int
        public var calls: Int
        public var total: Int { messages + calls }
    }

    /// One match, newest first, for the console to open.
    public struct Hit: Sendable, Equatable {
        public enum Record: Sendable, Equatable {
            case call(Call.ID)
            case message(Message.ID, thread: MessageThread.ID)
        }
        public let record: Record
        public let at: Date
        /// The listed words it contains, with their categories.
        public let words: [String]
        public let categories: [Category]
        /// The contact the message or call belongs to, when it has one (untrusted text).
        public var contactName: String? = nil
        /// The text around the first listed word, on one line (untrusted text).
        public var snippet: String = ""
    }

    /// Matching messages (sent since) and calls (started since). The MATCH runs first in a CTE,
    /// then each hit is looked up by its primary key for its date.
    static func counts(since: Int64, in db: Database) throws -> Counts {
        let messages = try Int.fetchOne(db, sql: """
            WITH hits AS (SELECT rowid FROM message_fts WHERE message_fts MATCH ?)
            SELECT COUNT(*) FROM hits JOIN messages m ON m.id = hits.rowid WHERE m.sent_at >= ?
            """, arguments: [matchQuery, since]) ?? 0
        let calls = try Int.fetchOne(db, sql: """
            WITH hits AS (SELECT rowid FROM call_fts WHERE call_fts MATCH ?)
            SELECT COUNT(*) FROM hits JOIN calls c ON c.id = hits.rowid WHERE c.started_at >= ?
            """, arguments: [matchQuery, since]) ?? 0
        return Counts(messages: messages, calls: calls)
    }

    static func hits(since: Int64, limit: Int, in db: Database) throws -> [Hit] {
        var found: [(Hit, Int64)] = []
        for row in try Row.fetchAll(db, sql: """
            WITH hits AS (SELECT rowid FROM message_fts WHERE message_fts MATCH ?)
            SELECT m.id, m.thread_id, m.sent_at, m.body, ct.name FROM hits JOIN messages m ON m.id = hits.rowid
            LEFT JOIN contacts ct ON ct.id = m.contact_id
            WHERE m.sent_at >= ? ORDER BY m.sent_at DESC, m.id DESC LIMIT ?
            """, arguments: [matchQuery, since, limit]) {
            let at: Int64 = row[2]
            found.append((hit(.message(row[0], thread: row[1]), at: at, text: row[3], contact: row[4]), at))
        }
        for row in try Row.fetchAll(db, sql: """
            WITH hits AS (SELECT rowid FROM call_fts WHERE call_fts MATCH ?)
            SELECT c.id, c.started_at, c.summary || ' ' || c.transcript, ct.name FROM hits JOIN calls c ON c.id = hits.rowid
            LEFT JOIN contacts ct ON ct.id = c.contact_id
            WHERE c.started_at >= ? ORDER BY c.started_at DESC, c.id DESC LIMIT ?
            """, arguments: [matchQuery, since, limit]) {
            let at: Int64 = row[1]
            found.append((hit(.call(row[0]), at: at, text: row[2], contact: row[3]), at))
        }
        return Array(found.sorted { $0.1 > $1.1 }.prefix(limit).map(\.0))
    }

    private static func hit(_ record: Hit.Record, at: Int64, text: String, contact: String?) -> Hit {
        let present = CallerDisclosure.words(text.folding(options: [.diacriticInsensitive, .caseInsensitive], locale: nil))
        var matched: [String] = []
        var categories: [Category] = []
        for category in Category.allCases {
            let inCategory = (words[category] ?? []).filter { present.contains($0) }
            if !inCategory.isEmpty { matched += inCategory; categories.append(category) }
        }
        var found = Hit(record: record, at: Date(timeIntervalSince1970: TimeInterval(at)), words: matched, categories: categories)
        found.contactName = contact
        found.snippet = snippet(of: text, around: matched)
        return found
    }

    /// About `width` characters of `text` on one line, starting a little before the first listed
    /// word it contains (matched as the index does: case and diacritics folded, whole words).
    static func snippet(of text: String, around matched: [String], width: Int = 70) -> String {
        let flat = text.split(whereSeparator: { $0.isNewline || $0 == "\t" }).joined(separator: " ")
        let options: String.CompareOptions = [.caseInsensitive, .diacriticInsensitive]
        var first: String.Index?
        for word in matched {
            var searchFrom = flat.startIndex
            while let range = flat.range(of: word, options: options, range: searchFrom..<flat.endIndex) {
                let before = range.lowerBound == flat.startIndex ? nil : flat[flat.index(before: range.lowerBound)]
                let after = range.upperBound == flat.endIndex ? nil : flat[range.upperBound]
                if !(before?.isLetter ?? false) && !(after?.isLetter ?? false) {
                    if first.map({ range.lowerBound < $0 }) ?? true { first = range.lowerBound }
                    break
                }
                searchFrom = range.upperBound
            }
        }
        let anchor = first ?? flat.startIndex
        let start = flat.index(anchor, offsetBy: -12, limitedBy: flat.startIndex) ?? flat.startIndex
        let end = flat.index(start, offsetBy: width, limitedBy: flat.endIndex) ?? flat.endIndex
        return (start > flat.startIndex ? "…" : "") + flat[start..<end] + (end < flat.endIndex ? "…" : "")
    }
}

extension WorkspaceQuery where Value == [SpecialCategory.Hit] {
    /// The newest matches of the last 90 days, for the compliance centre to open.
    public static func specialCategoryHits(now: Date? = nil, limit: Int = 100) -> Self {
        .reading(.browse, at: now) { db, now in
            try SpecialCategory.hits(since: Int64(now.timeIntervalSince1970) - Int64(ComplianceReport.lookBack), limit: limit, in: db)
        }
    }
}
