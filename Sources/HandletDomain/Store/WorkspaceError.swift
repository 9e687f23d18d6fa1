/// Why a workspace could not be opened or created. Each says what to do next; none leaves anything written.
public enum WorkspaceError: Error, Equatable, CustomStringConvertible {
    case missingFolder(String)
    case noWorkspace(String)
    case alreadyExists(String)
    case notADatabase(String)
    case newerSchema(path: String, found: Int, supported: Int)
    case readOnly(String)
    case locked(String)

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
        }
    }
}
