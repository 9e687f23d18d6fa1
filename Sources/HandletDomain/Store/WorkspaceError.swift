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
    /// A FIFO, socket, device or folder where the workspace file should be: never opened (issue 28).
    case notAFile(path: String, kind: String)
    /// A symbolic link whose target is missing: never replaced by a new workspace.
    case danglingLink(path: String, target: String)
    /// Symbolic links that lead back to themselves.
    case linkLoop(String)
    /// An SQLite database with tables and none of handlet's migrations: another application's file,
    /// refused before anything is written to it.
    case foreignDatabase(path: String, tables: Int)
    /// A changing command on a workspace that can only be read (the file, its folder or the volume).
    case readOnlyWorkspace(path: String, reason: String)
    /// The disk (or the file system's quota) is full: the change was rolled back whole.
    case diskFull(String)

    public var exitClass: ExitClass {
        switch self {
        case .missingFolder, .noWorkspace, .notAFile, .danglingLink, .linkLoop: .noInput
        case .alreadyExists, .readOnly, .readOnlyWorkspace, .diskFull: .cannotCreate
        case .notADatabase, .newerSchema, .damaged, .foreignDatabase: .dataError
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
            "\(path) is damaged (SQLite reports corruption); nothing more is written to it until `handlet check` passes. "
                + "Check it with `sqlite3 \(path) 'PRAGMA integrity_check'`; recover with the sqlite3 CLI's "
                + "`.recover` (`sqlite3 \(path) .recover | sqlite3 recovered.sqlite`) or restore a backup."
        case .needsUpgrade(let path, let found, let supported):
            "\(path) has schema version \(found), older than this handlet's (\(supported)); a read-only command "
                + "does not upgrade it: run a changing command or open the console to upgrade it first."
        case .openedForReading(let path):
            "\(path) was opened for reading only; nothing was changed."
        case .notAFile(let path, let kind):
            "\(path) is \(kind), not a workspace file; handlet opens only regular files. Choose another --db path."
        case .danglingLink(let path, let target):
            "\(path) is a symbolic link to \(target), which does not exist (a drive not mounted?); "
                + "nothing was created or replaced. Mount it, or choose another --db path."
        case .linkLoop(let path):
            "\(path) is a loop of symbolic links; nothing was created or replaced. Fix the link or choose another --db path."
        case .foreignDatabase(let path, let tables):
            "\(path) is another application's SQLite database (\(tables) table\(tables == 1 ? "" : "s"), none of handlet's); "
                + "handlet leaves it unchanged. Choose another --db path."
        case .readOnlyWorkspace(let path, let reason):
            "Not changed: \(path) can only be read (\(reason)); read commands work, changes need write access to the file and its folder."
        case .diskFull(let path):
            "Not changed: the disk holding \(path) is full; nothing was half-written. Free some space "
                + "(on a workspace's disk, `handlet purge` deletes expired recordings and works when it is full) and try again."
        }
    }
}
