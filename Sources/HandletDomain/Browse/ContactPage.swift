import Foundation
import GRDB

/// One line of the contacts list.
public struct ContactRow: Hashable, Sendable, Identifiable {
    public var id: Contact.ID
    public var name: String
    public var phone: String?
    public var email: String?
    public var optedOut: Bool
    public var restricted: Bool
    /// The family name the list sorts by (`ContactSearch.surnameSQL`).
    public var surname: String

    public var cursor: ContactCursor { ContactCursor(surname: surname, name: name, id: id.rawValue) }

    init(row: GRDB.Row) {
        id = row["id"]; name = row.storedText("contact_name"); phone = row.storedTextIfPresent("phone"); email = row.storedTextIfPresent("email")
        surname = row.storedText("surname")
        optedOut = row["opted_out_at"] != nil
        restricted = row["restricted_at"] != nil
    }
}

/// Position in the contacts list: the family name and the name (both compared case-insensitively)
/// and the id.
public struct ContactCursor: Hashable, Sendable, Codable {
    public var surname: String
    public var name: String
    public var id: Int64
    public init(surname: String, name: String, id: Int64) { self.surname = surname; self.name = name; self.id = id }
}

/// Contacts by family name, A to Z, case-insensitive, on `contacts_by_surname` (issue 25: a
/// directory is read by surname). With `search`, only the contacts whose name or email has words
/// beginning with every typed word (accents ignored), or whose phone is the typed number.
public struct ContactPage: KeysetList {
    /// What was typed into the filter; empty lists every contact.
    public var search: String

    public init(search: String = "") { self.search = search }

    /// The name is read as `contact_name`: an alias `name` would be what the keys' unqualified
    /// `name` (as the index expression has to be written) meant, bytes compared, not the column.
    static let selectColumns = """
        SELECT contacts.id, \(TextWithNUL.select("contacts.name", as: "contact_name")), \(TextWithNUL.select("contacts.phone")),
               \(TextWithNUL.select("contacts.email")), contacts.opted_out_at, contacts.restricted_at,
               \(TextWithNUL.select(ContactSearch.surnameSQL, as: "surname"))
        """

    /// Nil when the text holds neither a word nor a phone number (it matches nothing).
    var matchExpression: String? { ContactSearch.matchExpression(search) }
    var phone: String? { PhoneNumber.e164(search) }
    /// The start of a number still being typed: the contacts whose number begins with it.
    var phonePrefix: (from: String, until: String)? { PhoneNumber.e164Prefix(search).map(PhoneNumber.range(startingWith:)) }
    var isSearching: Bool { !search.trimmingCharacters(in: .whitespaces).isEmpty }

    /// `few`: the matches are few enough to read them all and sort (see `ContactSearch.sortedMatchLimit`).
    func query(few: Bool = false) -> KeysetQuery {
        guard isSearching else {
            return KeysetQuery(selectFrom: "\(Self.selectColumns) FROM contacts", conditions: SQLConditions(),
                               keys: ContactSearch.orderKeys, order: .ascending)
        }
        var conditions = SQLConditions()
        var terms: [String] = []
        var arguments: [(any DatabaseValueConvertible)?] = []
        if let phone { terms.append("contacts.phone = ?"); arguments.append(phone) }
        if let range = phonePrefix {
            terms.append("(\(few ? "" : "+")contacts.phone >= ? AND \(few ? "" : "+")contacts.phone < ?)")
            arguments += [range.from, range.until]
        }
        if let expression = matchExpression {
            // Many matches: `+` keeps the planner from reading (and sorting) every match by rowid,
            // so it walks the family-name index and stops at a page (5 ms for "d" at 500,000).
            terms.append("\(few ? "" : "+")contacts.id IN (SELECT rowid FROM contact_fts WHERE contact_fts MATCH ?)")
            arguments.append(expression)
        }
        if terms.isEmpty { terms.append("0") }
        conditions.add(terms.joined(separator: " OR "), arguments)
        // Few matches: `+` on the keys keeps the planner off the family-name index, so it reads the
        // matches by rowid and sorts them instead of walking 500,000 contacts for a rare name.
        let keys = few ? ["+(\(ContactSearch.surnameSQL)) COLLATE NOCASE", "+name COLLATE NOCASE", "+id"]
                       : ContactSearch.orderKeys
        return KeysetQuery(selectFrom: "\(Self.selectColumns) FROM contacts", conditions: conditions, keys: keys, order: .ascending)
    }

    var query: KeysetQuery { query() }

    /// True when the full-text matches are few (counted up to the limit, so a first letter that
    /// matches half the contacts costs no more than a rare name).
    private func hasFewMatches(_ db: Database) throws -> Bool {
        guard isSearching else { return true }
        let limit = ContactSearch.sortedMatchLimit
        var count = 0
        if let expression = matchExpression {
            count += try Int.fetchOne(db, sql: """
                SELECT count(*) FROM (SELECT 1 FROM contact_fts WHERE contact_fts MATCH ? LIMIT \(limit))
                """, arguments: [expression]) ?? 0
        }
        if count < limit, let range = phonePrefix {
            count += try Int.fetchOne(db, sql: "SELECT count(*) FROM (SELECT 1 FROM contacts WHERE phone >= ? AND phone < ? LIMIT \(limit))",
                                      arguments: [range.from, range.until]) ?? 0
        }
        return count < limit
    }

    public func cursor(of row: ContactRow) -> ContactCursor { row.cursor }

    private func fetch(_ cursor: ContactCursor?, _ comparison: KeysetQuery.Comparison, _ limit: Int, _ db: Database) throws -> [ContactRow] {
        let query = isSearching ? query(few: try hasFewMatches(db)) : query
        return try Search.translatingErrors {
            try query.fetch(db, cursor: cursor.map { [$0.surname, $0.name, $0.id] }, comparison: comparison, limit: limit,
                            decode: ContactRow.init)
        }
    }

    public func rows(_ request: KeysetRequest<ContactCursor>, in store: StoreReader) throws -> [ContactRow] {
        try fetch(request.keyset.cursor, request.keyset.comparison, request.limit, store.db)
    }

    /// The page after the contact with this id, for a script paging by the ids it printed; nil
    /// when there is no such contact (deleted since, or a mistyped id).
    func after(contactId: Contact.ID, limit: Int, in db: Database) throws -> [ContactRow]? {
        guard let row = try GRDB.Row.fetchOne(db, sql: "\(Self.selectColumns) FROM contacts WHERE id = ?", arguments: [contactId]) else {
            return nil
        }
        return try after(ContactRow(row: row).cursor, limit: limit, in: db)
    }

    public func count(in store: StoreReader) throws -> Int {
        try Search.translatingErrors { try query.count(store.db, from: "contacts") }
    }

    func firstPageSQL(limit: Int) -> (sql: String, arguments: StatementArguments) { query.firstPageSQL(limit: limit) }
}
