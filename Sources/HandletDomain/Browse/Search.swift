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

    /// The `limit` newest hits of each kind by time (`SearchTimeWalk`): the console's first page
    /// and `handlet search` alike.
    static func run(_ query: SearchQuery, callFilter: CallFilter?, messageFilter: MessageFilter?,
                    clock: BrowseClock, limit: Int, in db: Database) throws -> Results {
        try run(query, callFilter: callFilter, messageFilter: messageFilter, clock: clock, limit: limit,
                matches: Matches(query, calls: callFilter != nil, messages: messageFilter != nil, in: db), in: db)
    }

    /// The query's words as each kind's index names them (`SearchTimeWalk.expandedMatch`: a
    /// prefix's words), learned on the first page and kept for the pages after it.
    struct Matches: Hashable, Sendable {
        var calls: String?
        var messages: String?

        init(_ query: SearchQuery, calls: Bool, messages: Bool, in db: Database) {
            self.calls = calls ? SearchTimeWalk.expandedMatch(query, fts: "call_fts", in: db) : nil
            self.messages = messages ? SearchTimeWalk.expandedMatch(query, fts: "message_fts", in: db) : nil
        }
    }

    private static func run(_ query: SearchQuery, callFilter: CallFilter?, messageFilter: MessageFilter?,
                            clock: BrowseClock, limit: Int, matches: Matches, in db: Database) throws -> Results {
        var calls = try callFilter.map {
            try CallSearchPage(query: query, filter: $0, clock: clock).newest(after: nil, match: matches.calls, limit: limit, in: db)
        } ?? []
        var messages = try messageFilter.map {
            try MessageSearchPage(query: query, filter: $0, clock: clock).newest(after: nil, match: matches.messages, limit: limit, in: db)
        } ?? []
        // A phone number in any common form finds that person's calls and messages before the
        // words' hits (issue 16).
        if let number = PhoneNumber.e164(query.text) {
            // In time order with the words' hits, so the page after continues strictly older.
            if callFilter != nil { calls = newestFirst(merged(try PhoneSearch.calls(number, limit: limit, in: db), calls, limit: .max), limit) }
            if messageFilter != nil {
                messages = newestFirst(merged(try PhoneSearch.messages(number, limit: limit, in: db), messages, limit: .max), limit)
            }
        }
        return Results(query: query, calls: calls, messages: messages)
    }

    private static func newestFirst(_ hits: [SearchHit], _ limit: Int) -> [SearchHit] {
        Array(hits.sorted { $0.at != $1.at ? $0.at > $1.at : $0.cursor > $1.cursor }.prefix(limit))
    }

    /// Where a page of the console's merged results ended: the last call and message shown, by
    /// time and id.
    public struct Position: Hashable, Sendable {
        var callsAfter: SearchTimeWalk.Position?
        var messagesAfter: SearchTimeWalk.Position?
        var callsDone: Bool
        var messagesDone: Bool
        /// What the first page learned of the words, so no later page matches a prefix.
        var matches: Matches
    }

    /// One page of calls and messages together, newest first (issue 25: results go beyond the
    /// first 40). Each kind is walked in time order from where the last page stopped
    /// (`SearchTimeWalk`) and the two walks are merged by time, so every hit on a page is older
    /// than every hit on the page before (a phone number's own hits are merged into the first page
    /// by time; those beyond it are not shown).
    public struct Page: Sendable {
        public var hits: [SearchHit]
        /// Nil when nothing follows.
        public var next: Position?
    }

    static func page(_ query: SearchQuery, callFilter: CallFilter?, messageFilter: MessageFilter?, clock: BrowseClock,
                     after position: Position?, limit: Int, in db: Database) throws -> Page {
        guard let position else {
            // The first page also holds the phone number's hits (`run`), in time order.
            let matches = Matches(query, calls: callFilter != nil, messages: messageFilter != nil, in: db)
            let first = try run(query, callFilter: callFilter, messageFilter: messageFilter, clock: clock, limit: limit,
                                matches: matches, in: db)
            return mergePage(calls: first.calls, messages: first.messages, limit: limit,
                             callsDone: callFilter == nil || first.calls.count < limit,
                             messagesDone: messageFilter == nil || first.messages.count < limit, previous: nil, matches: matches)
        }
        let matches = position.matches
        let calls: [SearchHit] = try position.callsDone ? [] : callFilter.map { filter -> [SearchHit] in
            try CallSearchPage(query: query, filter: filter, clock: clock)
                .newest(after: position.callsAfter, match: matches.calls, limit: limit, in: db)
        } ?? []
        let messages: [SearchHit] = try position.messagesDone ? [] : messageFilter.map { filter -> [SearchHit] in
            try MessageSearchPage(query: query, filter: filter, clock: clock)
                .newest(after: position.messagesAfter, match: matches.messages, limit: limit, in: db)
        } ?? []
        return mergePage(calls: calls, messages: messages, limit: limit, callsDone: position.callsDone || calls.count < limit,
                         messagesDone: position.messagesDone || messages.count < limit, previous: position, matches: matches)
    }

    /// Takes from the front of each walk the newer hit, so what is left of each stays a walk's tail.
    private static func mergePage(calls: [SearchHit], messages: [SearchHit], limit: Int, callsDone: Bool, messagesDone: Bool,
                                  previous: Position?, matches: Matches) -> Page {
        var hits: [SearchHit] = []
        var (c, m) = (0, 0)
        while hits.count < limit, c < calls.count || m < messages.count {
            if m >= messages.count || (c < calls.count && calls[c].at >= messages[m].at) {
                hits.append(calls[c]); c += 1
            } else {
                hits.append(messages[m]); m += 1
            }
        }
        // Each walk continues after the oldest of its hits shown.
        let callsAfter = calls.prefix(c).map(\.timePosition).min(by: Self.older) ?? previous?.callsAfter
        let messagesAfter = messages.prefix(m).map(\.timePosition).min(by: Self.older) ?? previous?.messagesAfter
        let next = Position(callsAfter: callsAfter, messagesAfter: messagesAfter,
                            callsDone: callsDone && c == calls.count, messagesDone: messagesDone && m == messages.count,
                            matches: matches)
        let byTime = hits.enumerated().sorted { $0.element.at != $1.element.at ? $0.element.at > $1.element.at : $0.offset < $1.offset }
        return Page(hits: byTime.map(\.element), next: next.callsDone && next.messagesDone ? nil : next)
    }

    private static func older(_ a: SearchTimeWalk.Position, _ b: SearchTimeWalk.Position) -> Bool {
        a.at != b.at ? a.at < b.at : a.id < b.id
    }

    /// How many calls and messages the words find with the filters, and a phone number's own hits
    /// (the calls from and to it, the messages of its contacts), for "1–40 of 19,782".
    static func total(_ query: SearchQuery, callFilter: CallFilter?, messageFilter: MessageFilter?, clock: BrowseClock,
                      in db: Database) throws -> Int {
        let reader = StoreReader(db: db)
        let calls = try callFilter.map { try CallSearchPage(query: query, filter: $0, clock: clock).count(in: reader) } ?? 0
        let messages = try messageFilter.map { try MessageSearchPage(query: query, filter: $0, clock: clock).count(in: reader) } ?? 0
        let phone = try PhoneNumber.e164(query.text).map {
            try PhoneSearch.count($0, calls: callFilter != nil, messages: messageFilter != nil, in: db)
        } ?? 0
        return calls + messages + phone
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
