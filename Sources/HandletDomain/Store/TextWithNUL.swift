import Foundation
import GRDB

/// Stored text that may hold a NUL byte (a message body, a caller's name or a call summary from a
/// stranger, issue 11): the one way the domain writes and reads such text whole.
///
/// SQLite keeps TEXT with a NUL whole, but GRDB binds a `String` and reads a column through C
/// strings, so both stop at the NUL: the rest was hidden from every screen and output while search
/// (fed by the FTS triggers) still matched it. So:
/// - **Reading**: every column of stored text is selected as its bytes (`select`, `prefix`) and
///   read with `Row.storedText(_:)`; a record with stored text (`Call`, `Contact` …) selects its
///   text columns a second time that way (`StoredTextColumns.selection`) and takes them from there.
///   Bytes survive both a live row and a copied one (`Row.fetchAll`), where a TEXT value is already
///   cut when GRDB copies it.
/// - **Writing**: a record's text holding a NUL is written again as UTF-8 bytes cast to TEXT
///   (`StoredTextColumns.rewrite`), right after GRDB's insert or update.
/// - **Search**: FTS5's `snippet()`/`highlight()` build C strings, so they never see a NUL: the
///   full-text tables read their text through views showing each NUL as ␀ (`Schema`, search-text-nul-visible), which
///   tokenizes exactly as the NUL did (both separate words).
enum TextWithNUL {
    /// The SQL for a bound parameter that stores `argument(_:)` as TEXT.
    static let bind = "CAST(? AS TEXT)"

    static func needsFullWrite(_ text: String) -> Bool { text.utf8.contains(0) }

    static func argument(_ text: String) -> Data { Data(text.utf8) }

    /// A column read as its bytes, so nothing after a NUL is lost: `CAST(column AS BLOB) AS alias`
    /// (the alias defaults to the column's name without its table).
    static func select(_ column: String, as alias: String? = nil) -> String {
        "CAST(\(column) AS BLOB) AS \(alias ?? String(column.split(separator: ".").last ?? Substring(column)))"
    }

    /// The first `characters` characters of a column (a list's snippet), as bytes: at most four
    /// per character are read, and `Row.storedText(_:prefix:)` cuts them back to whole characters.
    static func prefix(_ column: String, characters: Int, as alias: String) -> String {
        "substr(CAST(\(column) AS BLOB), 1, \(characters * 4)) AS \(alias)"
    }

    static func decode(_ bytes: Data?) -> String { bytes.map { String(decoding: $0, as: UTF8.self) } ?? "" }

    /// The SQL expression showing `column` with each NUL as ␀ (U+2400), for FTS5's content views.
    /// SQLite's `replace()` cannot match a NUL (it takes an empty-looking pattern as "no change"),
    /// but `json_quote` escapes it as `\u0000`, which is swapped for `\u2400` and decoded back by
    /// `json_extract`. Escaped backslashes (`\\`) are parked on U+0001 meanwhile (which `json_quote`
    /// always escapes, so the quoted text never holds it raw): a stored `\u0000` in words stays.
    static func visibleNUL(_ column: String) -> String {
        """
        CASE WHEN instr(CAST(\(column) AS BLOB), X'00') > 0 THEN json_extract(replace(replace(replace(
            json_quote(\(column)), '\\\\', char(1)), '\\u0000', '\\u2400'), char(1), '\\\\'), '$')
        ELSE \(column) END
        """
    }
}

extension GRDB.Row {
    /// Stored text selected through `TextWithNUL.select` (or any column of a live row), whole;
    /// "" when NULL.
    func storedText(_ column: String) -> String { TextWithNUL.decode(self[column]) }

    /// The same, nil when NULL.
    func storedTextIfPresent(_ column: String) -> String? {
        (self[column] as Data?).map { String(decoding: $0, as: UTF8.self) }
    }

    /// A column read with `TextWithNUL.prefix`, cut to whole characters and at most `characters`.
    func storedText(_ column: String, prefix characters: Int) -> String? {
        guard var bytes = self[column] as Data? else { return nil }
        // The byte limit may have cut a character: drop its leading and continuation bytes.
        if bytes.count >= characters * 4, let last = bytes.lastIndex(where: { $0 & 0xC0 != 0x80 }),
           bytes[last] >= 0xC0 {
            let expected = bytes[last] >= 0xF0 ? 4 : bytes[last] >= 0xE0 ? 3 : 2
            if bytes.endIndex - last < expected { bytes.removeSubrange(last...) }
        }
        return String(String(decoding: bytes, as: UTF8.self).prefix(characters))
    }
}

/// The stored-text columns of a record, read and written whole (see `TextWithNUL`). A record lists
/// them once and forwards GRDB's `databaseSelection`, `init(row:)`, `aroundInsert` and
/// `aroundUpdate` here.
struct StoredTextColumns<Record: HandletRecord> {
    struct Column {
        let name: String
        let read: (inout Record, GRDB.Row) -> Void
        let value: (Record) -> String?

        static func text(_ name: String, _ keyPath: WritableKeyPath<Record, String>) -> Column {
            Column(name: name, read: { record, row in record[keyPath: keyPath] = row.storedText(StoredTextColumns.alias(name)) },
                   value: { $0[keyPath: keyPath] })
        }

        static func optional(_ name: String, _ keyPath: WritableKeyPath<Record, String?>) -> Column {
            Column(name: name, read: { record, row in record[keyPath: keyPath] = row.storedTextIfPresent(StoredTextColumns.alias(name)) },
                   value: { $0[keyPath: keyPath] })
        }
    }

    let columns: [Column]

    init(_ columns: [Column]) { self.columns = columns }

    /// The name the bytes of `column` are selected under, beside GRDB's own `*`.
    static func alias(_ column: String) -> String { "\(column)__whole" }

    /// Every column, then each text column again as its bytes.
    var selection: [any SQLSelectable] {
        [AllColumns()] + columns.map { SQL(sql: "CAST(\($0.name) AS BLOB)").forKey(Self.alias($0.name)) }
    }

    /// `selection` as SQL, for a plain `SELECT … FROM table`: every column, then each text column
    /// again as its bytes, so a record read by plain SQL keeps what follows a NUL.
    var selectionSQL: String {
        (["*"] + columns.map { "CAST(\($0.name) AS BLOB) AS \(Self.alias($0.name))" }).joined(separator: ", ")
    }

    /// The record as Codable decodes it, with its text columns taken whole. A row without the
    /// whole-text aliases (a raw `SELECT *`) keeps what Codable read.
    func decode(_ row: GRDB.Row) throws -> Record where Record: Decodable {
        var record = try FetchableRecordDecoder().decode(Record.self, from: row)
        for column in columns where row.hasColumn(Self.alias(column.name)) { column.read(&record, row) }
        return record
    }

    /// Writes again, as bytes cast to TEXT, any text column of `record` that holds a NUL.
    func rewrite(_ record: Record, rowID: Int64?, in db: Database) throws {
        let cut = columns.compactMap { column in column.value(record).flatMap { TextWithNUL.needsFullWrite($0) ? (column.name, $0) : nil } }
        guard !cut.isEmpty, let rowID else { return }
        let assignments = cut.map { "\($0.0.quotedDatabaseIdentifier) = \(TextWithNUL.bind)" }.joined(separator: ", ")
        var arguments = StatementArguments(cut.map { TextWithNUL.argument($0.1) })
        arguments += [rowID]
        try db.execute(sql: "UPDATE \(Record.databaseTableName.quotedDatabaseIdentifier) SET \(assignments) WHERE rowid = ?",
                       arguments: arguments)
    }
}
