import Foundation
import GRDB
#if canImport(Glibc)
import Glibc
#endif

/// One workspace: its SQLite database (WAL) and the folder of recording audio beside it.
public final class Workspace: Sendable {
    public let databaseURL: URL
    /// Recording files live here, referenced from `recordings.file_path` by relative path.
    public let audioDirectory: URL
    /// Read-only readers and one writer (see `WorkspaceDatabase`). Only the domain reads and
    /// writes through it: everyone else goes through `WorkspaceSession`.
    let dbPool: WorkspaceDatabase

    private init(databaseURL: URL, audioDirectory: URL, dbPool: WorkspaceDatabase) {
        self.databaseURL = databaseURL
        self.audioDirectory = audioDirectory
        self.dbPool = dbPool
    }

    /// What an opened workspace is for.
    public enum Access: Sendable {
        /// Reads only (`info`, listings): nothing is written at open, an older schema is reported
        /// rather than migrated, and there is no writer.
        case readOnly
        /// Reads and changes (the console, changing commands): an older schema is migrated at open;
        /// when the schema is current nothing is written until the first change.
        case readWrite
    }

    /// `$XDG_DATA_HOME/handlet/workspace.sqlite`, else `~/.local/share/handlet/workspace.sqlite`.
    public static func defaultDatabaseURL(environment: [String: String] = ProcessInfo.processInfo.environment) -> URL {
        let base: URL
        if let xdg = environment["XDG_DATA_HOME"], !xdg.isEmpty {
            base = URL(fileURLWithPath: xdg, isDirectory: true)
        } else {
            let home = environment["HOME"] ?? NSHomeDirectory()
            base = URL(fileURLWithPath: home, isDirectory: true).appendingPathComponent(".local/share", isDirectory: true)
        }
        return base.appendingPathComponent("handlet/workspace.sqlite")
    }

    public static func audioDirectory(for databaseURL: URL) -> URL {
        let stem = databaseURL.deletingPathExtension().lastPathComponent
        return databaseURL.deletingLastPathComponent().appendingPathComponent("\(stem)-recordings", isDirectory: true)
    }

    static func configuration() -> Configuration {
        var config = Configuration()
        config.foreignKeysEnabled = true
        config.busyMode = .timeout(2)
        config.prepareDatabase { db in
            StartupProfile.prepare(db)
            // Freed pages are zeroed, so deleted personal data does not linger in the file.
            try db.execute(sql: "PRAGMA secure_delete = ON")
            // What GRDB's WAL set-up would set (the writer skips it, see `open`): a per-connection
            // setting, so it writes nothing to the file.
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
            // Also for the pool's read-only readers, which GRDB gives 10 s: nobody waits longer than 2 s.
            try db.execute(sql: "PRAGMA busy_timeout = 2000")
        }
        return config
    }

    /// Opens an existing workspace. `.readWrite` migrates it to the current schema (one transaction
    /// per step); `.readOnly` refuses an older schema with `.needsUpgrade`. Neither writes at open
    /// when the schema is current, so neither waits for another process's writer.
    public static func open(at url: URL, access: Access = .readWrite) throws -> Workspace {
        do {
            return try open(at: url, access: access, audioDirectory: audioDirectory(for: url))
        } catch WorkspaceError.diskFull where access == .readOnly {
            // No room for the -shm a WAL reader needs: read the file as it is, immutable (what the
            // last process to close it left: it checkpointed its -wal into the file then).
            return try open(at: url, access: access, audioDirectory: audioDirectory(for: url), immutable: true)
        }
    }

    private static func open(at url: URL, access: Access = .readWrite, audioDirectory: URL, immutable: Bool = false) throws -> Workspace {
        let path = url.path
        let folder = url.deletingLastPathComponent().path
        // Looked at before anything opens it: a FIFO would block the open forever, a device or a
        // socket is not ours, and a link to nowhere is said as such (issue 28).
        try WorkspacePath.check(url)
        guard WorkspacePath.inspect(folder) == .folder else { throw WorkspaceError.missingFolder(folder) }
        guard WorkspacePath.inspect(path) == .regularFile else { throw WorkspaceError.noWorkspace(path) }
        let header = try WorkspacePath.header(of: path, count: 100)
        // An empty file is what a failed earlier creation could leave; SQLite would adopt it silently.
        guard header.count >= 16, header.prefix(16).elementsEqual("SQLite format 3\0".utf8) else {
            throw WorkspaceError.notADatabase(path)
        }
        // A database from a newer handlet is refused from its header first, before SQLite opens it.
        // A non-empty -wal may hold a newer header; then the check below, through SQLite, decides.
        let headerVersion = header.count >= 64 ? header[60..<64].reduce(0) { $0 << 8 | Int($1) } : 0
        if headerVersion > Schema.currentVersion {
            throw WorkspaceError.newerSchema(path: path, found: headerVersion, supported: Schema.currentVersion)
        }
        let readOnlyReason = readOnlyReason(file: path, folder: folder)
        if access == .readWrite, let readOnlyReason {
            throw WorkspaceError.readOnlyWorkspace(path: path, reason: readOnlyReason)
        }
        // Damage any process saw stops every writer until `handlet check` passes (issue 28).
        if access == .readWrite && DamageMarker.isPresent(for: path) { throw WorkspaceError.damaged(path) }
        var readerConfiguration = configuration()
        readerConfiguration.readonly = true
        // A workspace that cannot be written (a backup on read-only media, an auditor's copy) is
        // read as immutable: SQLite takes no lock and creates no -shm, which it could not anyway.
        // Its -wal, if one was copied along, is not read: a copy is checkpointed when it is made.
        let readerPath = readOnlyReason == nil && !immutable ? path : immutableURI(path)
        var opened: WorkspaceDatabase?
        do {
            // Reads only: one read-only connection. A pool would open two (GRDB's pool always
            // opens its writer connection, unused when read-only), each parsing the whole schema.
            let readers: any DatabaseReader = access == .readOnly
                ? try DatabaseQueue(path: readerPath, configuration: readerConfiguration)
                : try DatabasePool(path: readerPath, configuration: readerConfiguration)
            // What every open must know, in one read (issue 26: a few statements, not a dozen):
            // another application's database is refused before anything is written to it (no
            // migration runs in a file without handlet's first one), the schema version decides
            // between refusing, migrating and nothing, and an import killed with its search
            // triggers set aside is noticed.
            let probe: OpenProbe
            do { probe = try readers.read { db in try OpenProbe.read(db) } } catch {
                try? readers.close()
                throw error
            }
            guard probe.isHandlet else {
                try? readers.close()
                throw WorkspaceError.foreignDatabase(path: path, tables: probe.tables)
            }
            let found = probe.version
            if found > Schema.currentVersion {
                throw WorkspaceError.newerSchema(path: path, found: found, supported: Schema.currentVersion)
            }
            if found < Schema.currentVersion && access == .readOnly {
                throw WorkspaceError.needsUpgrade(path: path, found: found, supported: Schema.currentVersion)
            }
            // The journal mode is left alone: the file is WAL since its creation, and GRDB's WAL
            // set-up writes to it when the -wal is empty, which would wait for any other writer.
            var writerConfiguration = configuration()
            writerConfiguration.journalMode = .default
            // Every page a write loads has its cells checked before the write changes it (issue 28):
            // a damaged page stops that write whole and is remembered (`DamageMarker`), where
            // SQLite alone checks a page's header and lets an append into a page with bad cells
            // spread the damage. Readers are left without it (a search reads thousands of pages).
            writerConfiguration.prepareDatabase { db in try db.execute(sql: "PRAGMA cell_size_check = ON") }
            let writer = access == .readWrite ? try DatabaseQueue(path: path, configuration: writerConfiguration) : nil
            let database = WorkspaceDatabase(path: path, readers: readers, writer: writer)
            opened = database
            var workspaceRows = probe.workspaceRows
            if let writer, found < Schema.currentVersion {
                try Schema.migrator().migrate(writer)
                workspaceRows = try readers.read { db in try WorkspaceRecord.fetchCount(db) }
            }
            // A large import killed with its search triggers set aside: finish its rebuild first.
            if let writer, probe.importSuspended { try ImportSearchSuspension.resumeIfAbandoned(writer, databaseURL: url) }
            // Recordings a killed import left staged: into place or removed (one stat when there are none).
            if let writer, RecordingStaging.hasStaged(audioFolder: audioDirectory) {
                try ImportSearchSuspension.sweepStagedRecordings(writer, databaseURL: url, audioFolder: audioDirectory)
            }
            guard workspaceRows == 1 else { throw WorkspaceError.notADatabase(path) }
            StartupProfile.mark("opened")
            return Workspace(databaseURL: url, audioDirectory: audioDirectory, dbPool: database)
        } catch let error as DatabaseError {
            throw opened?.translated(error) ?? translate(error, path: path)
        }
    }

    /// What an open reads before deciding anything, in at most three statements of one read.
    struct OpenProbe {
        /// `PRAGMA user_version`: the schema version.
        var version = 0
        /// Tables, for the message refusing another application's database.
        var tables = 0
        /// The file holds handlet's first migration.
        var isHandlet = false
        /// An import was killed with its search triggers set aside (`ImportSearchSuspension`).
        var importSuspended = false
        /// Rows in `workspace` (one in a handlet workspace); nil when a migration comes first.
        var workspaceRows: Int?

        static func read(_ db: Database) throws -> OpenProbe {
            var probe = OpenProbe()
            let row = try Row.fetchOne(db, sql: """
                SELECT (SELECT user_version FROM pragma_user_version) AS version,
                       (SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\') AS tables,
                       EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'grdb_migrations') AS migrations,
                       EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'import_suspended_triggers') AS suspended,
                       EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'workspace') AS workspace
                """)!
            probe.version = row["version"]
            probe.tables = row["tables"]
            let current = probe.version == Schema.currentVersion
            // A current workspace has all three tables: what the open needs of them is one more
            // statement (issue 26: three before).
            if current && row["migrations"] as Bool && row["suspended"] as Bool && row["workspace"] as Bool {
                let facts = try Row.fetchOne(db, sql: """
                    SELECT EXISTS (SELECT 1 FROM grdb_migrations WHERE identifier = ?) AS handlet,
                           EXISTS (SELECT 1 FROM import_suspended_triggers) AS suspended,
                           (SELECT COUNT(*) FROM workspace) AS workspaces
                    """, arguments: [Schema.migrations[0].identifier])!
                probe.isHandlet = facts["handlet"]
                probe.importSuspended = facts["suspended"]
                // The first migration made `workspace`.
                if probe.isHandlet { probe.workspaceRows = facts["workspaces"] }
                return probe
            }
            // The table exists in every workspace since its migration; a row in it is the rare case.
            if row["suspended"] as Bool {
                probe.importSuspended = try ImportSearchSuspension.isPending(db)
            }
            guard row["migrations"] as Bool else { return probe }
            probe.isHandlet = try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM grdb_migrations WHERE identifier = ?)",
                                                arguments: [Schema.migrations[0].identifier]) ?? false
            // The first migration made `workspace`; a newer schema is refused before it is read.
            if probe.isHandlet && current {
                probe.workspaceRows = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM workspace")
            }
            return probe
        }
    }

    /// `file:` URI for SQLite with `immutable=1` (the system SQLite is built with URI file names).
    static func immutableURI(_ path: String) -> String {
        var escaped = ""
        for character in path {
            switch character {
            case "%": escaped += "%25"
            case "?": escaped += "%3F"
            case "#": escaped += "%23"
            default: escaped.append(character)
            }
        }
        return "file:\(escaped)?immutable=1"
    }

    /// Why the workspace cannot be written, or nil when it can.
    static func readOnlyReason(file: String, folder: String) -> String? {
        var volume = statvfs()
        if statvfs(file, &volume) == 0 && (volume.f_flag & UInt(ST_RDONLY)) != 0 { return "its volume is mounted read-only" }
        if !isWritable(file) { return "the file is read-only" }
        if !isWritable(folder) { return "its folder is read-only" }
        return nil
    }

    /// Creates an empty workspace atomically: it is built under a temporary name and renamed into
    /// place when complete, so an interrupted creation never leaves a half workspace. A new
    /// workspace's first user is its owner: `users[0]` is stored as an owner whatever role it was
    /// given (with no users, the first added later is: `addFirstOwner`).
    public static func create(at url: URL, workspace: WorkspaceRecord, users: [User]) throws -> Workspace {
        try create(at: url, workspace: workspace, users: users, populate: { _ in }, history: { _ in })
    }

    /// As `create(at:workspace:users:)`, filled through the bulk-write path before it is renamed
    /// into place (the demo generator; DESIGN §9): `batches` gives rows until nil, written in one
    /// transaction with the search indexes built after them; then `history` runs on the new
    /// workspace through sessions, as any user would (the demo's Auto-Send history goes through the
    /// arrival step and the queue this way). Nothing is at `url` until both have finished; a
    /// failure or a throw from `progress` removes everything. `createdAt` dates the
    /// `workspace.created` event (the seeded demo passes its own moment: the same seed and anchor
    /// give the same file byte for byte).
    package static func create(at url: URL, workspace: WorkspaceRecord, users: [User], createdAt: Date,
                               batches: () throws -> BulkBatch?,
                               progress: (BulkLoadProgress) throws -> Void,
                               history: (Workspace) throws -> Void) throws -> Workspace {
        try create(at: url, workspace: workspace, users: users, now: createdAt, populate: { queue in
            try BulkLoad.intoNewWorkspace(queue, batches: batches, progress: progress)
        }, history: history)
    }

    static func create(at url: URL, workspace: WorkspaceRecord, users: [User], now: Date = Date(),
                               populate: (DatabaseQueue) throws -> Void,
                               history: (Workspace) throws -> Void) throws -> Workspace {
        let path = url.path
        let folder = url.deletingLastPathComponent().path
        let files = FileManager.default
        // A link to nowhere (a workspace on an unmounted drive), a loop, a FIFO: refused, never replaced.
        try WorkspacePath.check(url)
        guard WorkspacePath.inspect(folder) == .folder else { throw WorkspaceError.missingFolder(folder) }
        guard WorkspacePath.inspect(path) == .missing else { throw WorkspaceError.alreadyExists(path) }
        guard isWritable(folder) else { throw WorkspaceError.readOnly(folder) }
        Building.clearLeftovers(besides: url)

        let audio = audioDirectory(for: url)
        if WorkspacePath.inspect(audio.path) != .missing {
            // A recordings folder without its workspace is someone's files: never adopted.
            throw WorkspaceError.alreadyExists(audio.path)
        }
        let building = Building(url)
        do {
            // The audio is written beside the temporary database, and both are moved into place
            // together at the end: a kill at any moment leaves only temporary names, which the
            // next creation here clears (`Building.clearLeftovers`).
            try files.createDirectory(at: building.audio, withIntermediateDirectories: true)
            let queue = try DatabaseQueue(path: building.database.path, configuration: configuration())
            // auto_vacuum must be set before WAL on a new file, or SQLite silently ignores it.
            try queue.writeWithoutTransaction { db in
                try db.execute(sql: "PRAGMA auto_vacuum = INCREMENTAL")
                try db.execute(sql: "PRAGMA journal_mode = WAL")
            }
            try Schema.migrator().migrate(queue)
            try queue.write { db in
                try workspace.insert(db)
                for (index, var user) in users.enumerated() {
                    if index == 0 { user.role = .owner }
                    try user.insert(db)
                }
                try AuditLog.append(db, actor: .system, action: .workspaceCreated,
                                    details: ["schema_version": .int(Int64(Schema.currentVersion)),
                                              "demo": .bool(workspace.isDemo)],
                                    at: now)
            }
            try populate(queue)
            try queue.close()
            // The history runs through the one door, on the file under its temporary name, with
            // its temporary recordings folder.
            let opened = try open(at: building.database, audioDirectory: building.audio)
            try history(opened)
            try opened.dbPool.close()
            let checkpoint = try DatabaseQueue(path: building.database.path, configuration: configuration())
            try checkpoint.writeWithoutTransaction { db in _ = try db.checkpoint(.truncate) }
            try checkpoint.close()
            try building.moveIntoPlace()
        } catch let error as DatabaseError {
            building.remove()
            throw translate(error, path: path)
        } catch let error as CocoaError where Self.isDiskFull(error) {
            building.remove()
            throw WorkspaceError.diskFull(path)
        } catch {
            building.remove()
            throw error
        }
        return try open(at: url)
    }

    /// ENOSPC or EDQUOT behind a Foundation file error.
    static func isDiskFull(_ error: CocoaError) -> Bool {
        if error.code == .fileWriteOutOfSpace { return true }
        if let posix = error.underlying as? POSIXError { return posix.code == .ENOSPC || posix.code == .EDQUOT }
        return false
    }

    /// Permission bits count even for root, who could write anyway: a workspace someone made
    /// read-only (or on a read-only mount) is opened by nobody for writing.
    static func isWritable(_ path: String) -> Bool {
        var info = stat()
        guard stat(path, &info) == 0, info.st_mode & (S_IWUSR | S_IWGRP | S_IWOTH) != 0 else { return false }
        var volume = statvfs()
        if statvfs(path, &volume) == 0 && (volume.f_flag & UInt(ST_RDONLY)) != 0 { return false }
        return access(path, W_OK) == 0
    }

    static func translate(_ error: DatabaseError, path: String) -> Error {
        switch error.resultCode {
        case .SQLITE_BUSY, .SQLITE_LOCKED: WorkspaceError.locked(path)
        case .SQLITE_READONLY, .SQLITE_CANTOPEN, .SQLITE_PERM: WorkspaceError.readOnly(path)
        // The header was checked first: a file SQLite cannot read past it is damaged, not foreign.
        case .SQLITE_NOTADB, .SQLITE_CORRUPT: damaged(path, error)
        case .SQLITE_FULL: WorkspaceError.diskFull(path)
        // A -shm or -wal that cannot grow: SQLite says "disk I/O error"; the disk says why.
        case .SQLITE_IOERR where diskIsFull(near: path): WorkspaceError.diskFull(path)
        default: error
        }
    }

    /// Remembered beside the file for every later process (`DamageMarker`).
    private static func damaged(_ path: String, _ error: DatabaseError) -> WorkspaceError {
        DamageMarker.record(for: path, what: error.message ?? "SQLITE_CORRUPT")
        return .damaged(path)
    }

    /// Less than 64 KiB left for an ordinary user on the volume holding `path`.
    static func diskIsFull(near path: String) -> Bool {
        var volume = statvfs()
        let folder = (path as NSString).deletingLastPathComponent
        guard statvfs(folder.isEmpty ? "." : folder, &volume) == 0 else { return false }
        return UInt64(volume.f_bavail) * UInt64(volume.f_frsize) < 64 * 1024
    }

    /// For the purge on a full disk, which cannot even open the workspace (SQLite needs room for
    /// its -shm and -wal): deletes the space reserve a purge left (`SpaceReserve`). False when
    /// there was none.
    public static func releaseSpaceReserve(beside url: URL) -> Bool {
        SpaceReserve(beside: url).release()
    }

    /// The one workspace row.
    func settings() throws -> WorkspaceRecord {
        try dbPool.read { db in try WorkspaceRecord.stored(db)! }
    }
}
