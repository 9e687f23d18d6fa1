import Foundation
import GRDB

/// The `/` search: both kinds of results at once, and finding the hit again once a result is opened.
public enum Search {
    /// The first page of each kind. A nil filter leaves that kind out (for example, an outcome
    /// filter applies to calls only, so messages are not searched).
    public struct Results: Sendable {
        public var query: SearchQuery
        public var calls: [SearchHit]
        public var messages: [SearchHit]
        /// Set when nothing was searched, saying why.
        public var problem: SearchQuery.Problem? { query.problem }
        public var isEmpty: Bool { calls.isEmpty && messages.isEmpty }
    }

    static func run(_ query: SearchQuery, callFilter: CallFilter?, messageFilter: MessageFilter?,
                    clock: BrowseClock, limit: Int, in db: Database) throws -> Results {
        var calls = try callFilter.map { try CallSearchPage(query: query, filter: $0, clock: clock).first(limit: limit, in: db) } ?? []
        var messages = try messageFilter.map {
            try MessageSearchPage(query: query, filter: $0, clock: clock).first(limit: limit, in: db)
        } ?? []
        // A phone number in any common form finds that person's calls and messages before the
        // words' hits (issue 16).
        if let number = PhoneNumber.e164(query.text) {
            if callFilter != nil { calls = merged(try PhoneSearch.calls(number, limit: limit, in: db), calls, limit: limit) }
            if messageFilter != nil { messages = merged(try PhoneSearch.messages(number, limit: limit, in: db), messages, limit: limit) }
        }
        return Results(query: query, calls: calls, messages: messages)
    }

    private static func merged(_ first: [SearchHit], _ second: [SearchHit], limit: Int) -> [SearchHit] {
        var seen = Set(first.map(\.target))
        return Array((first + second.filter { seen.insert($0.target).inserted }).prefix(limit))
    }

    /// Where the query's words occur in a call: the summary and/or which transcript turns.
    static func locate(_ query: SearchQuery, inCall callId: Call.ID, in db: Database) throws -> CallHitLocation {
        guard let expression = query.matchExpression else { return CallHitLocation(summary: nil, turns: []) }
        let row = try translatingErrors {
            try GRDB.Row.fetchOne(db, sql: """
                SELECT highlight(call_fts, 0, \(HighlightedText.markersSQL)) AS summary,
                       highlight(call_fts, 1, \(HighlightedText.markersSQL)) AS transcript
                FROM call_fts WHERE call_fts MATCH ? AND rowid = ?
                """, arguments: [expression, callId])
        }
        guard let row else { return CallHitLocation(summary: nil, turns: []) }
        let summary = HighlightedText(marked: row["summary"] ?? "")
        let transcript = HighlightedText(marked: row["transcript"] ?? "")
        let turns = transcript.lines().enumerated().filter { !$0.element.highlights.isEmpty }.map { (index: $0.offset, text: $0.element) }
        return CallHitLocation(summary: summary.highlights.isEmpty ? nil : summary, turns: turns)
    }

    /// A message body with the query's words marked; nil when the message does not match.
    static func highlight(_ query: SearchQuery, inMessage messageId: Message.ID, in db: Database) throws -> HighlightedText? {
        guard let expression = query.matchExpression else { return nil }
        let marked = try translatingErrors {
            try String.fetchOne(db, sql: """
                SELECT highlight(message_fts, 0, \(HighlightedText.markersSQL)) FROM message_fts
                WHERE message_fts MATCH ? AND rowid = ?
                """, arguments: [expression, messageId])
        }
        return marked.map(HighlightedText.init(marked:))
    }

    /// FTS5 rejects a query only if `SearchQuery` has a bug; say so in one line rather than crash.
    static func translatingErrors<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as DatabaseError where error.resultCode == .SQLITE_ERROR && (error.message ?? "").contains("fts5") {
            throw SearchError(description: "The search could not run (\(error.message ?? "FTS5 error")); try fewer or simpler words.")
        }
    }
}

extension Search.Results {
    /// Calls and messages together, newest first, at most `limit` (the console's one list).
    public func newestFirst(limit: Int) -> [SearchHit] {
        Array((calls + messages).sorted { $0.at > $1.at }.prefix(limit))
    }
}
