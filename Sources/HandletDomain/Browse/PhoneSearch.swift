import Foundation
import GRDB

/// Search by phone number: the calls from or to that number and those of the contacts with it, and
/// the messages of those contacts, newest first. Calls are read by the number indexes (migration
/// `call-number-indexes`, issue 25) and the contact index, so a number no contact has still leads
/// to its calls without a scan (a scan of the calls took 0.5 s at 1M).
enum PhoneSearch {
    static func calls(_ number: String, limit: Int, in db: Database) throws -> [SearchHit] {
        let rows = try Row.fetchAll(db, sql: """
            SELECT calls.id, calls.started_at, calls.direction, calls.outcome, \(TextWithNUL.select("contacts.name", as: "contact_name")),
                   \(TextWithNUL.select("CASE calls.direction WHEN 'inbound' THEN calls.from_number ELSE calls.to_number END", as: "other_party"))
            FROM calls LEFT JOIN contacts ON contacts.id = calls.contact_id
            WHERE calls.from_number = ?1 OR calls.to_number = ?1
               OR calls.contact_id IN (SELECT id FROM contacts WHERE phone = ?1)
            ORDER BY +calls.started_at DESC, +calls.id DESC LIMIT ?2
            """, arguments: [number, limit])
        return try rows.map { row in
            let party = row.storedTextIfPresent("contact_name") ?? row.storedText("other_party")
            return SearchHit(target: .call(row["id"]), at: Date(timeIntervalSince1970: TimeInterval(row["started_at"] as Int64)),
                             direction: try CallRow.decode(row["direction"]), party: party,
                             outcome: try CallRow.decode(row["outcome"]) as CallOutcome, channel: nil,
                             snippet: highlighted(number, in: row.storedTextIfPresent("other_party") ?? number))
        }
    }

    static func messages(_ number: String, limit: Int, in db: Database) throws -> [SearchHit] {
        let rows = try Row.fetchAll(db, sql: """
            SELECT messages.id, messages.thread_id, messages.sent_at, messages.direction, messages.channel,
                   \(TextWithNUL.select("contacts.name")), \(TextWithNUL.prefix("messages.body", characters: 81, as: "body"))
            FROM contacts CROSS JOIN messages ON messages.contact_id = contacts.id
            WHERE contacts.phone = ?
            ORDER BY messages.sent_at DESC, messages.id DESC LIMIT ?
            """, arguments: [number, limit])
        return try rows.map { row in
            let body = row.storedText("body", prefix: 81) ?? ""
            return SearchHit(target: .message(row["id"], thread: row["thread_id"]),
                             at: Date(timeIntervalSince1970: TimeInterval(row["sent_at"] as Int64)),
                             direction: try CallRow.decode(row["direction"]), party: row.storedTextIfPresent("name") ?? number,
                             outcome: nil, channel: try CallRow.decode(row["channel"]) as Channel,
                             snippet: HighlightedText(text: String(body.prefix(80)) + (body.count > 80 ? "…" : ""), highlights: []))
        }
    }

    /// How many calls and messages `calls` and `messages` would list without a limit.
    static func count(_ number: String, calls: Bool, messages: Bool, in db: Database) throws -> Int {
        let callCount = calls ? try Int.fetchOne(db, sql: """
            SELECT count(*) FROM calls WHERE calls.from_number = ?1 OR calls.to_number = ?1
               OR calls.contact_id IN (SELECT id FROM contacts WHERE phone = ?1)
            """, arguments: [number]) ?? 0 : 0
        let messageCount = messages ? try Int.fetchOne(db, sql: """
            SELECT count(*) FROM contacts CROSS JOIN messages ON messages.contact_id = contacts.id WHERE contacts.phone = ?
            """, arguments: [number]) ?? 0 : 0
        return callCount + messageCount
    }

    private static func highlighted(_ number: String, in text: String) -> HighlightedText {
        guard let range = text.range(of: number) else { return HighlightedText(text: text, highlights: []) }
        let start = text.distance(from: text.startIndex, to: range.lowerBound)
        return HighlightedText(text: text, highlights: [start..<(start + number.count)])
    }
}
