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

    /// Migration `contact-search-email-words`: the contacts' full-text index reads an email as its
    /// local part and the first label of its domain (`dean.king@kestrel.co.uk` as `dean.king@kestrel`),
    /// through the view `contact_fts_text`. The suffixes every address shares (`co`, `uk`, `com`,
    /// `org`) matched nearly everyone: a first "c" typed into a filter line matched 358,844 of
    /// 500,000 contacts, 67,542 without them, and every list checked against them paid for it.
    /// A typed address is cut the same way (`matchExpression`), so a whole address still finds its
    /// contact. The index is rebuilt once from the rows (3 s at 500,000 contacts).
    static func indexEmailWithoutDomainSuffix(_ db: Database) throws {
        try db.execute(sql: """
            DROP TRIGGER contacts_fts_insert;
            DROP TRIGGER contacts_fts_delete;
            DROP TRIGGER contacts_fts_update;
            DROP TABLE contact_fts;
            CREATE VIEW contact_fts_text AS SELECT id, name, \(emailWordsSQL("email")) AS email FROM contacts;
            CREATE VIRTUAL TABLE contact_fts USING fts5(
                name, email, content='contact_fts_text', content_rowid='id',
                tokenize = 'unicode61 remove_diacritics 2', prefix = '1 2 3');
            CREATE TRIGGER contacts_fts_insert AFTER INSERT ON contacts BEGIN
                INSERT INTO contact_fts(rowid, name, email) VALUES (new.id, new.name, \(emailWordsSQL("new.email")));
            END;
            CREATE TRIGGER contacts_fts_delete AFTER DELETE ON contacts BEGIN
                INSERT INTO contact_fts(contact_fts, rowid, name, email) VALUES ('delete', old.id, old.name, \(emailWordsSQL("old.email")));
            END;
            CREATE TRIGGER contacts_fts_update AFTER UPDATE OF name, email ON contacts BEGIN
                INSERT INTO contact_fts(contact_fts, rowid, name, email) VALUES ('delete', old.id, old.name, \(emailWordsSQL("old.email")));
                INSERT INTO contact_fts(rowid, name, email) VALUES (new.id, new.name, \(emailWordsSQL("new.email")));
            END;
            INSERT INTO contact_fts(contact_fts) VALUES ('rebuild');
            """)
    }

    /// An email as the contacts' index reads it: up to the first dot after the `@`; NULL stays NULL.
    static func emailWordsSQL(_ email: String) -> String {
        let domain = "substr(\(email), instr(\(email), '@') + 1)"
        let firstLabel = "(CASE WHEN instr(\(domain), '.') > 0 THEN substr(\(domain), 1, instr(\(domain), '.') - 1) ELSE \(domain) END)"
        return "(CASE WHEN instr(\(email), '@') > 0 THEN substr(\(email), 1, instr(\(email), '@')) || \(firstLabel) ELSE \(email) END)"
    }

    /// A typed word cut as `emailWordsSQL` cuts an address: nothing after the first dot past an `@`;
    /// without an `@`, nothing after its first dot, so a bare domain (`kingroofing.co.uk`,
    /// `gmail.com`) still finds its addresses by the label the index holds.
    static func emailWords(_ word: Substring) -> Substring {
        let from = word.firstIndex(of: "@") ?? word.startIndex
        guard let dot = word[from...].firstIndex(of: "."), dot > word.startIndex else { return word }
        return word[..<dot]
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
            for scalar in emailWords(word).unicodeScalars {
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
