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

    public var cursor: ContactCursor { ContactCursor(name: name, id: id.rawValue) }

    init(row: GRDB.Row) {
        id = row["id"]; name = row.storedText("name"); phone = row.storedTextIfPresent("phone"); email = row.storedTextIfPresent("email")
        optedOut = row["opted_out_at"] != nil
        restricted = row["restricted_at"] != nil
    }
}

/// Position in the contacts list: the name (compared case-insensitively) and id.
public struct ContactCursor: Hashable, Sendable, Codable {
    public var name: String
    public var id: Int64
    public init(name: String, id: Int64) { self.name = name; self.id = id }
}

/// Contacts by name, A to Z, case-insensitive, on `contacts_by_name`.
public struct ContactPage: KeysetList {
    public init() {}

    var query: KeysetQuery {
        KeysetQuery(selectFrom: """
                    SELECT id, \(TextWithNUL.select("name")), \(TextWithNUL.select("phone")), \(TextWithNUL.select("email")),
                           opted_out_at, restricted_at FROM contacts
                    """,
                    conditions: SQLConditions(), keys: ["contacts.name COLLATE NOCASE", "contacts.id"], order: .ascending)
    }

    public func cursor(of row: ContactRow) -> ContactCursor { row.cursor }

    private func fetch(_ cursor: ContactCursor?, _ comparison: KeysetQuery.Comparison, _ limit: Int, _ db: Database) throws -> [ContactRow] {
        try query.fetch(db, cursor: cursor.map { [$0.name, $0.id] }, comparison: comparison, limit: limit, decode: ContactRow.init)
    }

    public func rows(_ request: KeysetRequest<ContactCursor>, in store: StoreReader) throws -> [ContactRow] {
        try fetch(request.keyset.cursor, request.keyset.comparison, request.limit, store.db)
    }

    /// The page after the contact with this id, for a script paging by the ids it printed; nil
    /// when there is no such contact (deleted since, or a mistyped id).
    func after(contactId: Contact.ID, limit: Int, in db: Database) throws -> [ContactRow]? {
        guard let name = try GRDB.Row.fetchOne(db, sql: "SELECT \(TextWithNUL.select("name")) FROM contacts WHERE id = ?",
                                               arguments: [contactId])?.storedText("name") else {
            return nil
        }
        return try after(ContactCursor(name: name, id: contactId.rawValue), limit: limit, in: db)
    }

    public func count(in store: StoreReader) throws -> Int { try query.count(store.db, from: "contacts") }

    func firstPageSQL(limit: Int) -> (sql: String, arguments: StatementArguments) { query.firstPageSQL(limit: limit) }
}
