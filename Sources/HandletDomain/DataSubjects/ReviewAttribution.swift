import Foundation
import GRDB

/// Reviews a person wrote. A review site shows its author as the reviewer chose ("Jane S.", "Jane
/// Smith", a nickname), so a review cannot be tied to a contact by its name alone. The workspace
/// suggests the reviews whose author could be the person (their whole name, or their first name
/// and the initial of their family name), and the user picks those that are theirs: a picked review
/// is attributed to the contact (`review_authors`), and from then on it is held about the person,
/// shown, exported and erased with them. A review whose author is exactly one of the person's
/// names is theirs without picking, unless it was attributed to someone else.
public enum ReviewAttribution {
    /// What picking or unpicking did.
    public struct Change: Sendable, Equatable, Codable {
        public let contactId: Contact.ID
        public let reviewIds: [Int64]
    }

    /// Migration `dsr-review-authors` (issue 23): which contact wrote a review, when someone picked it.
    static func migrate(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE review_authors (
                review_id INTEGER PRIMARY KEY REFERENCES reviews(id) ON DELETE CASCADE,
                contact_id INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
                attributed_at INTEGER NOT NULL
            );
            CREATE INDEX review_authors_by_contact ON review_authors(contact_id);
            """)
    }

    /// The reviews held about the contacts `list` (a JSON array of ids) whose names are `names`
    /// (a JSON array): those attributed to one of them, and those whose author is one of the names
    /// and that no one attributed to another contact.
    static func heldSQL() -> String {
        """
        id IN (SELECT review_id FROM review_authors WHERE contact_id IN (SELECT value FROM json_each(?1)))
        OR (author COLLATE NOCASE IN (SELECT value FROM json_each(?2))
            AND NOT EXISTS (SELECT 1 FROM review_authors a WHERE a.review_id = reviews.id
                            AND a.contact_id NOT IN (SELECT value FROM json_each(?1))))
        """
    }

    /// Whether `author` could be the person named `name`: the whole name, or the first name and
    /// a word starting with the family name's initial ("Jane S.", "Jane Smith" for Jane Smith),
    /// ignoring case and accents.
    static func couldBe(author: String, name: String) -> Bool {
        func words(_ text: String) -> [String] {
            PersonFinder.fold(text).split(whereSeparator: { $0.isWhitespace }).map(String.init)
        }
        let written = words(author), named = words(name)
        guard let first = named.first, let family = named.last?.first, !written.isEmpty else { return false }
        if written == named { return true }
        guard named.count >= 2, written.count == 2, written[0] == first else { return false }
        return written[1].first == family
    }

    /// Reviews not held about the person whose author could be them, and that no other contact
    /// holds: what the user may pick. Newest first.
    static func suggestions(_ ids: [Contact.ID], in db: Database) throws -> [Review] {
        let names = try ids.compactMap { try String.fetchOne(db, sql: "SELECT name FROM contacts WHERE id = ?", arguments: [$0]) }
        guard !names.isEmpty else { return [] }
        let list = PersonHoldings.jsonIDs(ids.map(\.rawValue))
        // Reviews are few (hundreds in a business's life; thousands in the demo): their authors are
        // read whole and compared here, where accents fold.
        let candidates = try Row.fetchAll(db, sql: """
            SELECT id, author FROM reviews WHERE NOT (\(heldSQL()))
            AND NOT EXISTS (SELECT 1 FROM review_authors a WHERE a.review_id = reviews.id)
            """, arguments: [list, PersonHoldings.jsonStrings(names)])
            .filter { row in names.contains { couldBe(author: row["author"], name: $0) } }
            .map { $0["id"] as Int64 }
        return try Review.filter(sql: "id IN (SELECT value FROM json_each(?))", arguments: [PersonHoldings.jsonIDs(candidates)])
            .order(sql: "posted_at DESC, id DESC").fetchAll(db)
    }

    static func reviewExists(_ id: Int64, _ db: Database) throws {
        guard try Review.exists(db, key: id) else { throw DataSubjectError.noSuchReview(id) }
    }
}

extension WorkspaceCommand where Result == ReviewAttribution.Change {
    /// Attributes the reviews `reviewIds` to contact `contact`: the user picked them as written by
    /// the person, so they are held about them (shown, exported, erased). A review already
    /// attributed to another contact is refused (unpick it there first). Audited by ids only.
    public static func attributeReviews(_ reviewIds: [Int64], to contact: Contact.ID) -> Self {
        WorkspaceCommand(.dataSubjectExportRectifyRestrict, audit: .reviewsAttributed, rules: { db, _ in
            _ = try PersonRules.contact(contact, db)
            for id in reviewIds {
                try ReviewAttribution.reviewExists(id, db)
                if let other = try Int64.fetchOne(db, sql: "SELECT contact_id FROM review_authors WHERE review_id = ?", arguments: [id]),
                   other != contact.rawValue {
                    throw DataSubjectError.reviewOfAnother(review: id, contact: other)
                }
            }
        }) { db, environment in
            var added: [Int64] = []
            for id in Array(Set(reviewIds)).sorted() {
                try db.execute(sql: "INSERT OR IGNORE INTO review_authors (review_id, contact_id, attributed_at) VALUES (?, ?, ?)",
                               arguments: [id, contact, RecordingExpiry.epochSeconds(environment.now)])
                if db.changesCount > 0 { added.append(id) }
            }
            let change = ReviewAttribution.Change(contactId: contact, reviewIds: added)
            guard !added.isEmpty else { return .unchanged(change) }
            return .changed(change, target: "contact:\(contact.rawValue)",
                            details: ["review_ids": .string(added.map(String.init).joined(separator: ","))])
        }
    }

    /// Takes back attributions made to one of the person's contacts `contacts` (picked by mistake).
    public static func unattributeReviews(_ reviewIds: [Int64], from contacts: [Contact.ID]) -> Self {
        let first = contacts.first ?? Contact.ID(0)
        return WorkspaceCommand(.dataSubjectExportRectifyRestrict, audit: .reviewsUnattributed, rules: { db, _ in
            for contact in contacts { _ = try PersonRules.contact(contact, db) }
            for id in reviewIds {
                try ReviewAttribution.reviewExists(id, db)
                guard let holder = try Int64.fetchOne(db, sql: "SELECT contact_id FROM review_authors WHERE review_id = ?", arguments: [id]),
                      contacts.contains(Contact.ID(holder)) else {
                    throw DataSubjectError.reviewNotAttributed(review: id)
                }
            }
        }) { db, _ in
            let ids = Array(Set(reviewIds)).sorted()
            try db.execute(sql: """
                DELETE FROM review_authors WHERE review_id IN (SELECT value FROM json_each(?))
                AND contact_id IN (SELECT value FROM json_each(?))
                """, arguments: [PersonHoldings.jsonIDs(ids), PersonHoldings.jsonIDs(contacts.map(\.rawValue))])
            return .changed(ReviewAttribution.Change(contactId: first, reviewIds: ids), target: "contact:\(first.rawValue)",
                            details: ["review_ids": .string(ids.map(String.init).joined(separator: ","))])
        }
    }
}

extension WorkspaceQuery where Value == [Review] {
    /// Reviews the person whose contacts are `ids` may have written and that are not yet held
    /// about them (`ReviewAttribution.suggestions`): the user picks theirs.
    public static func reviewSuggestions(_ ids: [Contact.ID]) -> Self {
        .reading(.dataSubjectExportRectifyRestrict) { db in try ReviewAttribution.suggestions(ids, in: db) }
    }
}

extension Review {
    /// "12  3 Mar 2026  Google  5★  Jane S.  Great job …": a review as the person view, its pick
    /// dialogs and `dsr reviews` list it, dated in the clock's zone; the id is what `--pick` takes.
    public func line(clock: BrowseClock) -> String {
        "\(id ?? 0)  \(DisplayText.date(postedAt, clock: clock))  \(source)  \(stars)★  \(author)  \(text)"
    }
}
