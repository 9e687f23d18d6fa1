import Foundation
import GRDB

/// One user's own console preferences (issue 25: the Calls list's hidden columns, kept across
/// runs), by name. Each user sees and changes only their own; a name is the screen's
/// (`calls.hidden_columns`), a value a short text the screen reads back.
public struct UserPreferences: Hashable, Sendable {
    public var values: [String: String]

    public init(_ values: [String: String] = [:]) { self.values = values }

    public subscript(name: String) -> String? { values[name] }

    /// The Calls list's hidden columns, by header, comma-separated.
    public static let callsHiddenColumns = "calls.hidden_columns"

    /// A name: 1–64 of a–z, 0–9, `.` and `_`.
    static func isValidName(_ name: String) -> Bool {
        (1...64).contains(name.count) && name.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "." || $0 == "_" }
    }

    public static let maximumValueLength = 1_000

    /// Migration `user-preferences`: one row per user and name, gone with the user.
    static func migrate(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE user_preferences (
                user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
                name TEXT NOT NULL,
                value TEXT NOT NULL,
                updated_at INTEGER NOT NULL,
                PRIMARY KEY (user_id, name)
            ) WITHOUT ROWID;
            """)
    }
}

/// A preference that cannot be stored: a malformed name or an overlong value (64), or an actor
/// that is no user (the system has no preferences).
public enum UserPreferenceError: Error, Equatable, CustomStringConvertible, SysexitsError {
    case invalidName(String)
    case valueTooLong(Int)
    case notAUser

    public var description: String {
        switch self {
        case .invalidName(let name):
            "\(PlainText.echo(name)) is not a preference name: use 1–64 of a–z, 0–9, '.' and '_'."
        case .valueTooLong(let length):
            "A preference's value is at most \(UserPreferences.maximumValueLength) characters (this one has \(length))."
        case .notAUser: "Only a user has preferences."
        }
    }

    public var exitClass: ExitClass { .usage }
}

extension WorkspaceQuery where Value == UserPreferences {
    /// The acting user's own preferences (none for the system).
    public static var myPreferences: WorkspaceQuery {
        WorkspaceQuery(.browse) { context in
            guard let user = context.actor.userId else { return UserPreferences() }
            let rows = try Row.fetchAll(context.db, sql: "SELECT name, value FROM user_preferences WHERE user_id = ?", arguments: [user])
            return UserPreferences(Dictionary(rows.map { ($0["name"] as String, $0["value"] as String) }, uniquingKeysWith: { $1 }))
        }
    }
}

extension WorkspaceCommand where Result == Bool {
    /// Sets (or, with nil, removes) one of the acting user's own preferences; the result is
    /// whether anything changed. Any role that may browse: it changes only how their own console
    /// looks.
    ///
    /// Audited as `preference.changed` (name and value), and only when the value changed. It is a
    /// write to the workspace like any other, and the one door keeps "no change without its event"
    /// without an exception: a table any role may write free text into, unrecorded, would be a
    /// way to store what the audit log never shows. A preference changes rarely (a column hidden or
    /// shown again), so the events are few; pressing `c` on an already hidden layout writes none.
    public static func setPreference(_ name: String, to value: String?) -> Self {
        WorkspaceCommand(.browse, audit: .preferenceChanged, rules: { _, environment in
            guard UserPreferences.isValidName(name) else { throw UserPreferenceError.invalidName(name) }
            if let value, value.count > UserPreferences.maximumValueLength { throw UserPreferenceError.valueTooLong(value.count) }
            guard environment.actor.userId != nil else { throw UserPreferenceError.notAUser }
        }) { db, environment in
            guard let user = environment.actor.userId else { throw UserPreferenceError.notAUser }
            let current = try String.fetchOne(db, sql: "SELECT value FROM user_preferences WHERE user_id = ? AND name = ?",
                                              arguments: [user, name])
            guard current != value else { return .unchanged(false) }
            if let value {
                try db.execute(sql: """
                    INSERT INTO user_preferences (user_id, name, value, updated_at) VALUES (?, ?, ?, ?)
                    ON CONFLICT (user_id, name) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at
                    """, arguments: [user, name, value, Int64(environment.now.timeIntervalSince1970)])
            } else {
                try db.execute(sql: "DELETE FROM user_preferences WHERE user_id = ? AND name = ?", arguments: [user, name])
            }
            return .changed(true, target: "user:\(user)", details: ["name": .string(name), "value": .string(value ?? ""), "removed": .bool(value == nil)])
        }
    }
}
