import GRDB

/// Migration `v2-browse-indexes`: an index so "has recording" lists (whose calls are all recent,
/// because audio expires) read a range instead of skipping every older call.
enum BrowseIndexes {
    static func create(_ db: Database) throws {
        try db.execute(sql: """
            CREATE INDEX calls_by_recording_state ON calls(recording_state, started_at, id);
            """)
    }
}
