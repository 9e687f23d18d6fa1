import GRDB

/// Migration v6: per UTC day, the lowest and highest id of the calls started (messages sent)
/// that day, so a search with a date filter can bound its full-text walk by rowid.
///
/// Search walks hits newest id first and checks the filter on each; a range far back (say,
/// everything before last summer) used to pass every newer hit first: 11 s for "boiler" at a
/// million calls. Scanning the time index for the range's MIN/MAX id instead costs as much as
/// the range is wide (0.5 s for most of a million calls plus three million messages). These
/// tables answer in a few hundred rows at most. Deletes leave them as they were: a span that is
/// too wide costs time, never results.
package enum SearchIdSpans {
    static func create(_ db: Database) throws {
        for (table, spans, time) in sources {
            try db.execute(sql: """
                CREATE TABLE \(spans) (
                    day INTEGER PRIMARY KEY,
                    min_id INTEGER NOT NULL,
                    max_id INTEGER NOT NULL
                );
                CREATE TRIGGER \(table)_id_span_insert AFTER INSERT ON \(table) BEGIN
                    \(upsert(spans, time))
                END;
                CREATE TRIGGER \(table)_id_span_move AFTER UPDATE OF \(time) ON \(table) BEGIN
                    \(upsert(spans, time))
                END;
                """)
        }
        try rebuild(db)
    }

    /// Recomputes every span from the tables (after a bulk load that suspended the triggers).
    static func rebuild(_ db: Database) throws {
        for (table, spans, time) in sources {
            try db.execute(sql: """
                DELETE FROM \(spans);
                INSERT INTO \(spans)(day, min_id, max_id) SELECT \(time) / 86400, MIN(id), MAX(id) FROM \(table) GROUP BY 1;
                """)
        }
    }

    /// `hits.id` bounds for rows whose time falls in `from ..< until` (seconds; nil is open).
    /// An empty range gives NULL bounds, and no hit compares true against NULL: nothing matches.
    static func bounds(forTable table: String, from: Int64?, until: Int64?) -> SQLConditions {
        guard from != nil || until != nil, let spans = sources.first(where: { $0.table == table })?.spans else {
            return SQLConditions()
        }
        var days = SQLConditions()
        if let from { days.add("day >= ?", [from / 86_400]) }
        if let until { days.add("day <= ?", [(until - 1) / 86_400]) }
        var bounds = SQLConditions()
        bounds.add("hits.id >= (SELECT MIN(min_id) FROM \(spans) \(days.whereClause))", arguments: days.arguments)
        bounds.add("hits.id <= (SELECT MAX(max_id) FROM \(spans) \(days.whereClause))", arguments: days.arguments)
        return bounds
    }

    private static let sources = [
        (table: "calls", spans: "call_id_span_by_day", time: "started_at"),
        (table: "messages", spans: "message_id_span_by_day", time: "sent_at"),
    ]

    private static func upsert(_ spans: String, _ time: String) -> String {
        """
        INSERT INTO \(spans)(day, min_id, max_id) VALUES (new.\(time) / 86400, new.id, new.id)
            ON CONFLICT(day) DO UPDATE SET min_id = min(min_id, excluded.min_id), max_id = max(max_id, excluded.max_id);
        """
    }
}
