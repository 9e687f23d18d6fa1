import Foundation
import GRDB

/// One contact that matches what was typed to find a person.
public struct PersonMatch: Sendable, Equatable, Codable, Identifiable {
    public let id: Contact.ID
    public let name: String
    public let phone: String?
    public let email: String?
    public let restricted: Bool
    public let objected: Bool
    public let calls: Int
    public let messages: Int
    /// How it matched: "phone", "email" or "name".
    public let matchedBy: String
}

/// Finding a person: by phone (any UK format, compared in E.164), by email (case-insensitive), or
/// by the start of their name or of any word in it (case- and accent-insensitive: "zoe" finds Zoë).
/// Several contacts may be one person (a second number, an old email): the front end lists them,
/// and the person is the contacts the user picks (`PersonHoldings` merges them).
public enum PersonFinder {
    public static let limit = 50

    /// What the typed text is, decided once: a number, an email address or a name.
    public enum Key: Sendable, Equatable {
        case phone(String)
        case email(String)
        case name(String)

        public init(_ typed: String) throws {
            let text = typed.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !text.isEmpty else { throw DataSubjectError.nothingToFind }
            if let number = PhoneNumber.e164(text) { self = .phone(number) }
            else if text.contains("@") { self = .email(text) }
            else { self = .name(text) }
        }
    }

    /// Case- and accent-folded, for comparing names.
    static func fold(_ text: String) -> String {
        text.folding(options: [.caseInsensitive, .diacriticInsensitive, .widthInsensitive], locale: nil)
    }

    static func find(_ typed: String, in db: Database) throws -> [PersonMatch] {
        let key = try Key(typed)
        let ids: [(Int64, String)]
        switch key {
        case .phone(let number):
            ids = try Int64.fetchAll(db, sql: "SELECT id FROM contacts WHERE phone = ? ORDER BY id LIMIT ?",
                                     arguments: [number, limit]).map { ($0, "phone") }
        case .email(let email):
            ids = try Int64.fetchAll(db, sql: "SELECT id FROM contacts WHERE email = ? COLLATE NOCASE ORDER BY id LIMIT ?",
                                     arguments: [email, limit]).map { ($0, "email") }
        case .name(let name):
            // Folding happens here, not in SQL (SQLite has no accent folding): one pass over the
            // names, read as bytes. The words of the query must each start a word of the name, in order.
            let wanted = fold(name).split(whereSeparator: \.isWhitespace).map(String.init)
            var found: [(Int64, String)] = []
            let rows = try Row.fetchCursor(db, sql: "SELECT id, \(TextWithNUL.select("name")) FROM contacts ORDER BY id")
            while let row = try rows.next(), found.count < limit {
                let words = fold(row.storedText("name")).split(whereSeparator: { $0.isWhitespace || $0 == "-" }).map(String.init)
                if matches(words: words, wanted: wanted) { found.append((row["id"], "name")) }
            }
            ids = found
        }
        return try ids.map { id, how in try match(Contact.ID(id), matchedBy: how, in: db) }
    }

    /// Every wanted word starts a name word, in order ("jo sm" finds Joanna Smith; "smith" finds her too).
    static func matches(words: [String], wanted: [String]) -> Bool {
        guard !wanted.isEmpty else { return false }
        var index = 0
        for word in wanted {
            while index < words.count && !words[index].hasPrefix(word) { index += 1 }
            guard index < words.count else { return false }
            index += 1
        }
        return true
    }

    static func match(_ id: Contact.ID, matchedBy: String, in db: Database) throws -> PersonMatch {
        guard let contact = try Contact.fetchOne(db, key: id) else { throw DataSubjectError.noSuchContact(id.rawValue) }
        let calls = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM calls WHERE contact_id = ?", arguments: [id]) ?? 0
        let messages = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM messages WHERE contact_id = ?", arguments: [id]) ?? 0
        return PersonMatch(id: id, name: contact.name, phone: contact.phone, email: contact.email,
                           restricted: contact.restrictedAt != nil, objected: contact.objectedAt != nil,
                           calls: calls, messages: messages, matchedBy: matchedBy)
    }
}

extension WorkspaceQuery where Value == [PersonMatch] {
    /// The contacts matching a phone number, an email address or the start of a name (at most
    /// `PersonFinder.limit`). Reading what is held about people is the data-subject permission's.
    public static func findPerson(_ typed: String) -> Self {
        .reading(.dataSubjectExportRectifyRestrict) { db in try PersonFinder.find(typed, in: db) }
    }

    /// The named contacts as matches (a person view opened by contact id).
    public static func people(_ ids: [Contact.ID]) -> Self {
        .reading(.dataSubjectExportRectifyRestrict) { db in try ids.map { try PersonFinder.match($0, matchedBy: "id", in: db) } }
    }
}

extension PersonFinder {
    /// The contacts a person names on the command line: contact ids (from `dsr find`), or a phone
    /// number or email address standing for every contact that has it.
    static func resolve(_ references: [String], in db: Database) throws -> [Contact.ID] {
        guard !references.isEmpty else { throw DataSubjectError.nothingToFind }
        var ids: [Contact.ID] = []
        for reference in references {
            let text = reference.trimmingCharacters(in: .whitespaces)
            if text.count <= 9, !text.isEmpty, text.allSatisfy({ $0.isASCII && $0.isNumber }), let id = Int64(text) {
                guard try Contact.exists(db, key: Contact.ID(id)) else { throw DataSubjectError.noSuchContact(id) }
                ids.append(Contact.ID(id))
                continue
            }
            let key = try Key(text)
            guard case .name = key else {
                let found = try find(text, in: db).map(\.id)
                guard !found.isEmpty else { throw DataSubjectError.noMatch(text) }
                ids += found
                continue
            }
            throw DataSubjectError.notAReference(text)
        }
        var seen = Set<Contact.ID>()
        return ids.filter { seen.insert($0).inserted }
    }
}

extension WorkspaceQuery where Value == [Contact.ID] {
    /// The contacts named by ids, a phone number or an email (`PersonFinder.resolve`).
    public static func personContacts(_ references: [String]) -> Self {
        .reading(.dataSubjectExportRectifyRestrict) { db in try PersonFinder.resolve(references, in: db) }
    }
}
