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
        try open(at: url, access: access, audioDirectory: audioDirectory(for: url))
    }

    private static func open(at url: URL, access: Access = .readWrite, audioDirectory: URL) throws -> Workspace {
        let path = url.path
        let folder = url.deletingLastPathComponent().path
        let files = FileManager.default
        var isDirectory: ObjCBool = false
        guard files.fileExists(atPath: folder, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw WorkspaceError.missingFolder(folder)
        }
        guard files.fileExists(atPath: path) else { throw WorkspaceError.noWorkspace(path) }
        guard try hasSQLiteHeader(url) else { throw WorkspaceError.notADatabase(path) }
        guard isWritable(path), isWritable(folder) else { throw WorkspaceError.readOnly(path) }
        // A database from a newer handlet is refused from its header first, before SQLite opens it.
        // A non-empty -wal may hold a newer header; then the check below, through SQLite, decides.
        let headerVersion = try userVersionInHeader(url)
        if headerVersion > Schema.currentVersion {
            throw WorkspaceError.newerSchema(path: path, found: headerVersion, supported: Schema.currentVersion)
        }
        var readerConfiguration = configuration()
        readerConfiguration.readonly = true
        var opened: WorkspaceDatabase?
        do {
            let readers = try DatabasePool(path: path, configuration: readerConfiguration)
            let found = try readers.read { db in try Int.fetchOne(db, sql: "PRAGMA user_version") ?? 0 }
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
            let writer = access == .readWrite ? try DatabaseQueue(path: path, configuration: writerConfiguration) : nil
            let database = WorkspaceDatabase(path: path, readers: readers, writer: writer)
            opened = database
            if let writer, found < Schema.currentVersion {
                try Schema.migrator().migrate(writer)
            }
            // A large import killed with its search triggers set aside: finish its rebuild first.
            if let writer { try ImportSearchSuspension.resumeIfAbandoned(writer, databaseURL: url) }
            let hasWorkspaceRow = try readers.read { db in try WorkspaceRecord.fetchCount(db) == 1 }
            guard hasWorkspaceRow else { throw WorkspaceError.notADatabase(path) }
            return Workspace(databaseURL: url, audioDirectory: audioDirectory, dbPool: database)
        } catch let error as DatabaseError {
            throw opened?.translated(error) ?? translate(error, path: path)
        }
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
        var isDirectory: ObjCBool = false
        guard files.fileExists(atPath: folder, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw WorkspaceError.missingFolder(folder)
        }
        guard !files.fileExists(atPath: path) else { throw WorkspaceError.alreadyExists(path) }
        guard isWritable(folder) else { throw WorkspaceError.readOnly(folder) }

        let temporary = url.deletingLastPathComponent()
            .appendingPathComponent(".\(url.lastPathComponent).creating-\(ProcessInfo.processInfo.processIdentifier)")
        let audio = audioDirectory(for: url)
        let audioExisted = files.fileExists(atPath: audio.path)
        func removeLeftovers() {
            for suffix in ["", "-wal", "-shm", "-journal"] { try? files.removeItem(atPath: temporary.path + suffix) }
            if !audioExisted { try? files.removeItem(at: audio) }
        }
        do {
            try files.createDirectory(at: audio, withIntermediateDirectories: true)
            let queue = try DatabaseQueue(path: temporary.path, configuration: configuration())
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
            // The history runs through the one door, on the file under its temporary name; its
            // recordings folder is the final one (the temporary name would give another).
            let building = try open(at: temporary, audioDirectory: audio)
            try history(building)
            try building.dbPool.close()
            let checkpoint = try DatabaseQueue(path: temporary.path, configuration: configuration())
            try checkpoint.writeWithoutTransaction { db in _ = try db.checkpoint(.truncate) }
            try checkpoint.close()
            guard rename(temporary.path, path) == 0 else {
                throw WorkspaceError.alreadyExists(path)
            }
            for suffix in ["-wal", "-shm"] { try? files.removeItem(atPath: temporary.path + suffix) }
        } catch let error as DatabaseError {
            removeLeftovers()
            throw translate(error, path: path)
        } catch {
            removeLeftovers()
            throw error
        }
        return try open(at: url)
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

    /// `PRAGMA user_version` as the main file's header stores it (big-endian, bytes 60-63).
    private static func userVersionInHeader(_ url: URL) throws -> Int {
        guard let handle = FileHandle(forReadingAtPath: url.path) else { throw WorkspaceError.readOnly(url.path) }
        defer { try? handle.close() }
        let header = [UInt8](try handle.read(upToCount: 64) ?? Data())
        guard header.count == 64 else { return 0 }
        return header[60..<64].reduce(0) { $0 << 8 | Int($1) }
    }

    private static func hasSQLiteHeader(_ url: URL) throws -> Bool {
        guard let handle = FileHandle(forReadingAtPath: url.path) else { throw WorkspaceError.readOnly(url.path) }
        defer { try? handle.close() }
        let header = try handle.read(upToCount: 16) ?? Data()
        // An empty file is what a failed earlier creation could leave; SQLite would adopt it silently.
        return header == Data("SQLite format 3\0".utf8)
    }

    static func translate(_ error: DatabaseError, path: String) -> Error {
        switch error.resultCode {
        case .SQLITE_BUSY, .SQLITE_LOCKED: WorkspaceError.locked(path)
        case .SQLITE_READONLY, .SQLITE_CANTOPEN, .SQLITE_PERM: WorkspaceError.readOnly(path)
        // The header was checked first: a file SQLite cannot read past it is damaged, not foreign.
        case .SQLITE_NOTADB, .SQLITE_CORRUPT: WorkspaceError.damaged(path)
        default: error
        }
    }

    /// The one workspace row.
    func settings() throws -> WorkspaceRecord {
        try dbPool.read { db in try WorkspaceRecord.fetchOne(db, key: 1)! }
    }
}
