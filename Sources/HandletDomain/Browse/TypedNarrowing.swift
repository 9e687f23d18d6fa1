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
    /// The start of a number still being typed (`0794`): the numbers beginning with it match.
    var phonePrefix: (from: String, until: String)? { PhoneNumber.e164Prefix(text).map(PhoneNumber.range(startingWith:)) }
    /// The whole text when it reads as an email address (one word with an `@`).
    var email: String? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        return trimmed.contains("@") && !trimmed.contains(where: \.isWhitespace) ? trimmed : nil
    }

    /// The contacts the words match, as a subquery of their ids (nil when no word).
    var contactIds: (sql: String, argument: String)? {
        matchExpression.map { ("SELECT rowid FROM contact_fts WHERE contact_fts MATCH ?", $0) }
    }

    /// True when the contacts the words match (and, for a number being typed, the records
    /// with such numbers: `numbered`, a query of the records in `?1 ..< ?2`) are few enough to
    /// read their records and sort them. Each is counted only up to the limit.
    func hasFewMatches(_ db: Database, numbered: String) throws -> Bool {
        guard isActive else { return true }
        let limit = ContactSearch.sortedMatchLimit
        var count = 0
        if let expression = matchExpression {
            count += try Int.fetchOne(db, sql: "SELECT count(*) FROM (SELECT 1 FROM contact_fts WHERE contact_fts MATCH ? LIMIT \(limit))",
                                      arguments: [expression]) ?? 0
        }
        if count < limit, let range = phonePrefix {
            count += try Int.fetchOne(db, sql: "SELECT count(*) FROM (\(numbered) LIMIT \(limit))", arguments: [range.from, range.until]) ?? 0
        }
        return count < limit
    }

    /// The calls from or to a number in `?1 ..< ?2`, for `hasFewMatches`.
    static let numberedCalls = """
        SELECT 1 FROM calls WHERE from_number >= ?1 AND from_number < ?2 UNION ALL SELECT 1 FROM calls WHERE to_number >= ?1 AND to_number < ?2
        """
    /// The contacts with a number in `?1 ..< ?2` and the messages from or to one that no contact holds.
    static let numberedThreads = """
        SELECT 1 FROM contacts WHERE phone >= ?1 AND phone < ?2
        UNION ALL SELECT 1 FROM messages WHERE contact_id IS NULL AND from_address >= ?1 COLLATE NOCASE AND from_address < ?2 COLLATE NOCASE
        """

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
        if let range = phonePrefix {
            // Many: checked on each call the walk reads (`+`), not read by the number indexes.
            let plus = few ? "" : "+"
            terms.append("(\(plus)calls.from_number >= ? AND \(plus)calls.from_number < ?) OR (\(plus)calls.to_number >= ? AND \(plus)calls.to_number < ?)")
            arguments += [range.from, range.until, range.from, range.until]
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
        if let range = phonePrefix {
            terms.append("\(few ? "" : "+")threads.contact_id IN (SELECT id FROM contacts WHERE phone >= ? AND phone < ?)")
            terms.append("""
                threads.id IN (SELECT thread_id FROM messages WHERE contact_id IS NULL
                                   AND from_address >= ? COLLATE NOCASE AND from_address < ? COLLATE NOCASE
                               UNION SELECT thread_id FROM messages WHERE contact_id IS NULL
                                   AND to_address >= ? COLLATE NOCASE AND to_address < ? COLLATE NOCASE)
                """)
            arguments += [range.from, range.until, range.from, range.until, range.from, range.until]
        }
        if terms.isEmpty { terms.append("0") }
        var conditions = SQLConditions()
        conditions.add(terms.joined(separator: " OR "), arguments)
        return conditions
    }
}
