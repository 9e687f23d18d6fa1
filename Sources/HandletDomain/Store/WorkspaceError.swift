/// Why a workspace could not be opened or created. Each says what to do next; none leaves anything written.
public enum WorkspaceError: SysexitsError, Equatable, CustomStringConvertible {
    case missingFolder(String)
    case noWorkspace(String)
    case alreadyExists(String)
    case notADatabase(String)
    case newerSchema(path: String, found: Int, supported: Int)
    case readOnly(String)
    case locked(String)
    /// A change retried for `seconds` while another process kept the write lock (the console's).
    case stillLocked(path: String, seconds: Int)
    /// SQLite reported corruption (SQLITE_CORRUPT / SQLITE_NOTADB) in a file with a valid header.
    case damaged(String)
    /// The schema is older than this handlet's, and a read-only command does not migrate it.
    case needsUpgrade(path: String, found: Int, supported: Int)
    /// A change was asked of a workspace opened for reading only (a programming error, said plainly).
    case openedForReading(String)

    public var exitClass: ExitClass {
        switch self {
        case .missingFolder, .noWorkspace: .noInput
        case .alreadyExists, .readOnly: .cannotCreate
        case .notADatabase, .newerSchema, .damaged: .dataError
        case .locked, .stillLocked: .busy
        // A read-only command on an older schema: the workspace is fine, another command upgrades it.
        case .needsUpgrade: .failure
        // A programming error, said plainly.
        case .openedForReading: .failure
        }
    }

    public var description: String {
        switch self {
        case .missingFolder(let path):
            "The folder \(path) does not exist; create it first or choose another --db path."
        case .noWorkspace(let path):
            "No workspace at \(path); create one with `handlet demo --db \(path)`."
        case .alreadyExists(let path):
            "A workspace already exists at \(path); remove it or choose another --db path."
        case .notADatabase(let path):
            "\(path) is not a handlet workspace (not an SQLite database)."
        case .newerSchema(let path, let found, let supported):
            "\(path) has schema version \(found), newer than this handlet supports (\(supported)); upgrade handlet."
        case .readOnly(let path):
            "\(path) is read-only; handlet needs write access to the file and its folder."
        case .locked(let path):
            "\(path) is locked by another process; try again when it finishes."
        case .stillLocked(_, let seconds):
            "Not changed: another process kept the workspace busy for \(seconds) s; try again later"
        case .damaged(let path):
            "\(path) is damaged (SQLite reports corruption); nothing more was written to it. "
                + "Check it with `sqlite3 \(path) 'PRAGMA integrity_check'`; recover with the sqlite3 CLI's "
                + "`.recover` (`sqlite3 \(path) .recover | sqlite3 recovered.sqlite`) or restore a backup."
        case .needsUpgrade(let path, let found, let supported):
            "\(path) has schema version \(found), older than this handlet's (\(supported)); a read-only command "
                + "does not upgrade it: run a changing command or open the console to upgrade it first."
        case .openedForReading(let path):
            "\(path) was opened for reading only; nothing was changed."
        }
    }
}
