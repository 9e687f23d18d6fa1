import Foundation
import GRDB

/// Stored text that may hold a NUL byte (a message body from a stranger, issue 11).
///
/// SQLite keeps such TEXT whole, but GRDB binds a `String` and reads a column through C strings,
/// so both would stop at the NUL: the rest hidden from `messages show` and its JSON while search
/// (fed by the FTS trigger) still matched it. So text that may carry NUL is written as UTF-8
/// bytes cast to TEXT and read back as bytes.
enum TextWithNUL {
    /// The SQL for a bound parameter that stores `argument(_:)` as TEXT.
    static let bind = "CAST(? AS TEXT)"

    static func needsFullWrite(_ text: String) -> Bool { text.utf8.contains(0) }

    static func argument(_ text: String) -> Data { Data(text.utf8) }

    /// A column read as its bytes, so nothing after a NUL is lost.
    static func select(_ column: String) -> String { "CAST(\(column) AS BLOB)" }

    static func decode(_ bytes: Data?) -> String { bytes.map { String(decoding: $0, as: UTF8.self) } ?? "" }
}
