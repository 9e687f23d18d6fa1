import GRDB

/// Migration `call-day-counts` (issue 26): how many calls started in each quarter of an hour (UTC,
/// `started_at / 900`), kept by triggers, so the Overview's 90 per-day counts are one statement
/// summing a few thousand rows of a small table instead of 90 range counts over the calls' time
/// index (~46M instructions at a million calls, all of them before the Overview is complete).
///
/// Every zone in use today is a whole number of quarter hours from UTC (Nepal +5:45, Chatham
/// +12:45), so any zone's local day is a whole number of quarters and its count is their sum. A day
/// whose bounds are not on a quarter (a zone's old local mean time, a made-up offset) is counted
/// from the calls themselves, so the result is exact in every zone.
///
/// The insert trigger is set aside with the search's for large imports and bulk loads, like the
/// row counts; `rebuild` recounts the table after them.
enum CallDayCounts {
    static let seconds: Int64 = 900

    static func create(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE call_quarter_counts (
                quarter INTEGER PRIMARY KEY,
                calls INTEGER NOT NULL
            );
            CREATE TRIGGER calls_quarter_count_insert AFTER INSERT ON calls BEGIN
                \(add("new"))
            END;
            CREATE TRIGGER calls_quarter_count_delete AFTER DELETE ON calls BEGIN
                \(remove("old"))
            END;
            CREATE TRIGGER calls_quarter_count_move AFTER UPDATE OF started_at ON calls BEGIN
                \(remove("old"))
                \(add("new"))
            END;
            """)
        try rebuild(db)
    }

    /// Recounts every quarter from the calls (after a bulk load or an import that set the insert
    /// trigger aside). Reads the time index once.
    static func rebuild(_ db: Database) throws {
        try db.execute(sql: """
            DELETE FROM call_quarter_counts;
            INSERT INTO call_quarter_counts(quarter, calls)
                SELECT \(quarter("started_at")), COUNT(*) FROM calls GROUP BY 1;
            """)
    }

    enum SQL {
        /// Each span's sum, in the order given: `?` is a JSON array of `[first quarter, end quarter]`
        /// pairs. SQLite sums each range of the primary key (about 96 rows a day), so 90 rows come
        /// back, not the 8,640 quarters they add up.
        static let spanSums = """
            SELECT (SELECT COALESCE(SUM(calls), 0) FROM call_quarter_counts
                    WHERE quarter >= json_extract(span.value, '$[0]') AND quarter < json_extract(span.value, '$[1]'))
            FROM json_each(?) AS span ORDER BY span.key
            """
    }

    /// Calls started in each span `boundaries[i] ..< boundaries[i + 1]` (unix seconds, ascending).
    static func count(between boundaries: [Int64], in db: Database) throws -> [Int] {
        guard boundaries.count > 1 else { return [] }
        // Quarter 0 also holds the calls of the quarter before 1970 (integer division truncates),
        // so only spans that start after it are summed.
        func onQuarter(_ time: Int64) -> Bool { time > 0 && time % seconds == 0 }
        var counts = Array(repeating: 0, count: boundaries.count - 1)
        let summed = counts.indices.filter { onQuarter(boundaries[$0]) && onQuarter(boundaries[$0 + 1]) }
        if !summed.isEmpty {
            let spans = summed.map { "[\(boundaries[$0] / seconds),\(boundaries[$0 + 1] / seconds)]" }.joined(separator: ",")
            let sums = try Int.fetchAll(db.cachedStatement(sql: SQL.spanSums), arguments: ["[\(spans)]"])
            for (index, sum) in zip(summed, sums) { counts[index] = sum }
        }
        let summedSet = Set(summed)
        let direct = try db.cachedStatement(sql: Overview.SQL.callsBetween)
        for index in counts.indices where !summedSet.contains(index) {
            counts[index] = try Int.fetchOne(direct, arguments: [boundaries[index], boundaries[index + 1]]) ?? 0
        }
        return counts
    }

    private static func quarter(_ time: String) -> String { "CAST(\(time) AS INTEGER) / \(seconds)" }

    private static func add(_ row: String) -> String {
        """
        INSERT INTO call_quarter_counts(quarter, calls) VALUES (\(quarter("\(row).started_at")), 1)
                    ON CONFLICT(quarter) DO UPDATE SET calls = calls + 1;
        """
    }

    private static func remove(_ row: String) -> String {
        "UPDATE call_quarter_counts SET calls = calls - 1 WHERE quarter = \(quarter("\(row).started_at"));"
    }
}
