import Foundation
import GRDB

/// What was typed into a list's filter line (issue 25, like k9s `/`), read the way the Contacts
/// list reads it: every word matches the words of a contact's name or email it begins (accents
/// ignored, `ContactSearch.matchExpression`), and the whole text may be a phone number in any form
/// or an email address. The calls and threads lists narrow to the records of the matching
/// contacts, and to those from or to the typed number or address whether or not a contact has it.
///
/// Two ways to read a page, chosen per read by how many contacts match (counted up to
/// `ContactSearch.sortedMatchLimit`): few, and the list reads their records by the contact and
/// number indexes and sorts them; many, and it walks its own order's index and checks each
/// record against the matching contacts, stopping at a page.
struct TypedNarrowing: Hashable, Sendable {
    let text: String

    init(_ text: String) { self.text = text }

    var isActive: Bool { !text.trimmingCharacters(in: .whitespaces).isEmpty }
    var matchExpression: String? { ContactSearch.matchExpression(text) }
    var phone: String? { PhoneNumber.e164(text) }
    /// The whole text when it reads as an email address (one word with an `@`).
    var email: String? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        return trimmed.contains("@") && !trimmed.contains(where: \.isWhitespace) ? trimmed : nil
    }

    /// The contacts the words match, as a subquery of their ids (nil when no word).
    var contactIds: (sql: String, argument: String)? {
        matchExpression.map { ("SELECT rowid FROM contact_fts WHERE contact_fts MATCH ?", $0) }
    }

    /// True when the contacts the words match are few enough to read their records and sort them.
    func hasFewMatches(_ db: Database) throws -> Bool {
        guard isActive, let expression = matchExpression else { return true }
        let count = try Int.fetchOne(db, sql: """
            SELECT count(*) FROM (SELECT 1 FROM contact_fts WHERE contact_fts MATCH ? LIMIT \(ContactSearch.sortedMatchLimit))
            """, arguments: [expression]) ?? 0
        return count < ContactSearch.sortedMatchLimit
    }

    /// Conditions on `calls`: the matching contacts' calls, and the calls from or to the typed
    /// number, or the call with the typed external id. `few`: see the type's comment (`+` keeps
    /// the planner off the contact index when the matches are many).
    func callConditions(few: Bool) -> SQLConditions {
        var terms: [String] = []
        var arguments: [(any DatabaseValueConvertible)?] = []
        if let contacts = contactIds {
            terms.append("\(few ? "" : "+")calls.contact_id IN (\(contacts.sql))")
            arguments.append(contacts.argument)
        }
        if let phone {
            terms.append("calls.from_number = ? OR calls.to_number = ?")
            arguments += [phone, phone]
        }
        terms.append("calls.external_id = ?")
        arguments.append(text.trimmingCharacters(in: .whitespaces))
        var conditions = SQLConditions()
        conditions.add(terms.joined(separator: " OR "), arguments)
        return conditions
    }

    /// Conditions on `threads`: the matching contacts' threads, and the threads with a message
    /// from or to the typed number or address that no contact holds.
    func threadConditions(few: Bool) -> SQLConditions {
        var terms: [String] = []
        var arguments: [(any DatabaseValueConvertible)?] = []
        if let contacts = contactIds {
            terms.append("\(few ? "" : "+")threads.contact_id IN (\(contacts.sql))")
            arguments.append(contacts.argument)
        }
        if let address = phone ?? email {
            if phone != nil {
                terms.append("threads.contact_id IN (SELECT id FROM contacts WHERE phone = ?)")
                arguments.append(address)
            }
            // Unlinked messages: `messages_unlinked_from` / `_to` (NOCASE, contact_id IS NULL).
            terms.append("""
                threads.id IN (SELECT thread_id FROM messages WHERE contact_id IS NULL AND from_address = ? COLLATE NOCASE
                               UNION SELECT thread_id FROM messages WHERE contact_id IS NULL AND to_address = ? COLLATE NOCASE)
                """)
            arguments += [address, address]
        }
        if terms.isEmpty { terms.append("0") }
        var conditions = SQLConditions()
        conditions.add(terms.joined(separator: " OR "), arguments)
        return conditions
    }
}
