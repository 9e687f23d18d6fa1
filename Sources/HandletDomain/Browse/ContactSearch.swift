import Foundation
import GRDB

/// How contacts are ordered and found (issue 25): by family name, and by any word of the name or
/// email as typed, accents ignored, or by a phone number in any form.
enum ContactSearch {
    /// The family name a contact sorts by, in SQL over `name` (unqualified: an index expression may not name its table): the last word ("Dean King"
    /// sorts as King; "Ludwig van Beethoven" as Beethoven, the particle not counting, as a
    /// directory does), the part before a comma when the name is written "King, Dean", and the whole
    /// name when it is a single word ("Madonna", "Kestrel Plumbing").
    ///
    /// Plain SQL on purpose: the index `contacts_by_surname` is over this very expression, so any
    /// connection (the sqlite3 shell included) keeps it up to date without a custom function.
    static let surnameSQL: String = {
        let name = "trim(name)"
        // rtrim with every non-space character of the name strips its last word.
        let lastWord = "substr(\(name), length(rtrim(\(name), replace(\(name), ' ', ''))) + 1)"
        let beforeComma = "trim(substr(\(name), 1, instr(\(name), ',') - 1))"
        return "(CASE WHEN instr(\(name), ',') > 1 THEN \(beforeComma) ELSE \(lastWord) END)"
    }()

    /// The keys of the contacts list, A to Z by family name, then whole name, then id.
    static let orderKeys = ["\(surnameSQL) COLLATE NOCASE", "name COLLATE NOCASE", "id"]

    /// Migration `contact-search`: a full-text index over contacts' names and emails (accents
    /// ignored, prefixes of one to three letters indexed so a first keystroke is cheap), kept by
    /// triggers, and the family-name index the list walks. Builds the index once from the rows.
    static func migrate(_ db: Database) throws {
        try db.execute(sql: """
            CREATE VIRTUAL TABLE contact_fts USING fts5(
                name, email, content='contacts', content_rowid='id',
                tokenize = 'unicode61 remove_diacritics 2', prefix = '1 2 3');
            CREATE TRIGGER contacts_fts_insert AFTER INSERT ON contacts BEGIN
                INSERT INTO contact_fts(rowid, name, email) VALUES (new.id, new.name, new.email);
            END;
            CREATE TRIGGER contacts_fts_delete AFTER DELETE ON contacts BEGIN
                INSERT INTO contact_fts(contact_fts, rowid, name, email) VALUES ('delete', old.id, old.name, old.email);
            END;
            CREATE TRIGGER contacts_fts_update AFTER UPDATE OF name, email ON contacts BEGIN
                INSERT INTO contact_fts(contact_fts, rowid, name, email) VALUES ('delete', old.id, old.name, old.email);
                INSERT INTO contact_fts(rowid, name, email) VALUES (new.id, new.name, new.email);
            END;
            INSERT INTO contact_fts(contact_fts) VALUES ('rebuild');
            CREATE INDEX contacts_by_surname ON contacts(\(orderKeys.joined(separator: ", ")));
            """)
    }

    /// Migration `call-number-indexes`: every call by its other party's number, newest first, so a
    /// number no contact has (or a call a contact holds under another number) leads to its calls.
    /// `calls_unlinked_from/to` (migration `unlinked-number-indexes`) covered only calls no contact
    /// holds, unordered by time; these cover every call and are ordered, so they replace them.
    static func callNumberIndexes(_ db: Database) throws {
        try db.execute(sql: """
            CREATE INDEX calls_by_from_number ON calls(from_number, started_at, id);
            CREATE INDEX calls_by_to_number ON calls(to_number, started_at, id);
            DROP INDEX IF EXISTS calls_unlinked_from;
            DROP INDEX IF EXISTS calls_unlinked_to;
            """)
    }

    /// The FTS5 expression for typed text: every word matches words it begins (so "de ki" finds
    /// Dean King as it is typed), all words must match; nil when there is no word.
    static func matchExpression(_ text: String) -> String? {
        var phrases: [String] = []
        for word in text.split(whereSeparator: { $0.isWhitespace }).prefix(SearchQuery.maximumTerms) {
            var tokens: [String] = []
            var token = String.UnicodeScalarView()
            for scalar in word.unicodeScalars {
                if SearchQuery.isTokenScalar(scalar) {
                    if token.count < SearchQuery.maximumTokenLength { token.append(scalar) }
                } else if !token.isEmpty {
                    tokens.append(String(token)); token = String.UnicodeScalarView()
                }
            }
            if !token.isEmpty { tokens.append(String(token)) }
            if !tokens.isEmpty { phrases.append("\"\(tokens.joined(separator: " "))\"*") }
        }
        return phrases.isEmpty ? nil : phrases.joined(separator: " ")
    }

    /// Below this many full-text matches, the page is read from the matches and sorted; above, the
    /// family-name index is walked and each contact checked, which finds a page early.
    static let sortedMatchLimit = 2_000
}
