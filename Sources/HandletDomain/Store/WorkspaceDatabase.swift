import Foundation
import GRDB

/// A workspace's SQLite connections, and the one place their errors become `WorkspaceError`s.
///
/// - Reads go to a pool of read-only connections (one read-only connection when the workspace
///   was opened only for reading: a command that reads never runs two reads at once). Opening them writes nothing, so another
///   process holding a write transaction never delays a read (WAL lets readers through), and a
///   reader never waits for this process's own writer.
/// - Writes go to one writer connection, opened without GRDB's WAL set-up (which writes to the
///   file when the `-wal` is empty): the file is already in WAL mode, set at creation. Only
///   writes wait for another process's writer, up to the busy timeout, then fail as `.locked`.
///   A workspace opened `.readOnly` has no writer at all.
/// - SQLITE_CORRUPT / SQLITE_NOTADB from any statement is `.damaged`, and is remembered: from
///   then on this process attempts no write on the file (a write to a damaged file can spread
///   the damage, and "succeeded" would be a lie).
final class WorkspaceDatabase: @unchecked Sendable {
    let path: String
    private let readers: any DatabaseReader
    private let writer: DatabaseQueue?
    private let lock = NSLock()
    private var isDamaged = false

    init(path: String, readers: any DatabaseReader, writer: DatabaseQueue?) {
        self.path = path
        self.readers = readers
        self.writer = writer
    }

    /// True once any statement on this file reported corruption in this process.
    var reportedDamage: Bool { lock.withLock { isDamaged } }

    // MARK: Reads

    func read<T>(_ body: (Database) throws -> T) throws -> T {
        try translating { try readers.read(body) }
    }

    func read<T: Sendable>(_ body: @Sendable (Database) throws -> T) async throws -> T {
        do { return try await readers.read(body) } catch { throw translated(error) }
    }

    // MARK: Writes

    func write<T>(_ body: (Database) throws -> T) throws -> T {
        let writer = try checkedWriter()
        return try translating { try writer.write(body) }
    }

    func write<T: Sendable>(_ body: @Sendable (Database) throws -> T) async throws -> T {
        let writer = try checkedWriter()
        do { return try await writer.write(body) } catch { throw translated(error) }
    }

    /// The busy timeout every connection has (`Workspace.configuration`), in milliseconds.
    static let standardBusyMilliseconds = 2000

    /// A write that waits at most `milliseconds` (0: not at all) for another process's write
    /// lock, instead of the standard 2 s, then fails as `.locked` having written nothing; for a
    /// screen that retries on its own rather than freeze (`WorkspaceSession.perform(_:at:retryingFor:)`).
    func write<T>(waitingAtMost milliseconds: Int, _ body: (Database) throws -> T) throws -> T {
        let writer = try checkedWriter()
        return try translating { try writer.writeWithoutTransaction { db in try Self.transaction(db, waitingAtMost: milliseconds, body) } }
    }

    func write<T: Sendable>(waitingAtMost milliseconds: Int, _ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        let writer = try checkedWriter()
        do {
            return try await writer.writeWithoutTransaction { db in try Self.transaction(db, waitingAtMost: milliseconds, body) }
        } catch { throw translated(error) }
    }

    /// An immediate transaction (the write lock is taken first, so a busy wait never holds a
    /// snapshot) under a busy timeout of its own, put back afterwards.
    private static func transaction<T>(_ db: Database, waitingAtMost milliseconds: Int, _ body: (Database) throws -> T) throws -> T {
        try db.execute(sql: "PRAGMA busy_timeout = \(max(0, milliseconds))")
        defer { try? db.execute(sql: "PRAGMA busy_timeout = \(standardBusyMilliseconds)") }
        var result: T?
        try db.inTransaction(.immediate) {
            result = try body(db)
            return .commit
        }
        return result!
    }

    func writeWithoutTransaction<T>(_ body: (Database) throws -> T) throws -> T {
        let writer = try checkedWriter()
        return try translating { try writer.writeWithoutTransaction(body) }
    }

    func add(transactionObserver: some TransactionObserver,
                     extent: Database.TransactionObservationExtent = .observerLifetime) {
        writer?.add(transactionObserver: transactionObserver, extent: extent)
    }

    func remove(transactionObserver: some TransactionObserver) {
        writer?.remove(transactionObserver: transactionObserver)
    }

    func close() throws {
        try readers.close()
        try writer?.close()
    }

    /// Refuses before any write is attempted: opened read-only, or damage already reported.
    private func checkedWriter() throws -> DatabaseQueue {
        // Damage another process saw is remembered beside the file (`DamageMarker`).
        if reportedDamage || DamageMarker.isPresent(for: path) { throw WorkspaceError.damaged(path) }
        guard let writer else { throw WorkspaceError.openedForReading(path) }
        return writer
    }

    // MARK: Errors

    private func translating<T>(_ work: () throws -> T) throws -> T {
        do { return try work() } catch { throw translated(error) }
    }

    /// Busy, locked and damaged become `WorkspaceError`s (one line, what to do); any other error,
    /// a command's own refusal included, passes through unchanged.
    func translated(_ error: Error) -> Error {
        guard let error = error as? DatabaseError else { return error }
        switch error.resultCode {
        case .SQLITE_CORRUPT, .SQLITE_NOTADB:
            lock.withLock { isDamaged = true }
            DamageMarker.record(for: path, what: error.message ?? "SQLITE_CORRUPT")
            return WorkspaceError.damaged(path)
        case .SQLITE_BUSY, .SQLITE_LOCKED:
            return WorkspaceError.locked(path)
        case .SQLITE_FULL:
            // SQLite rolled the transaction back: nothing of it is in the file.
            return WorkspaceError.diskFull(path)
        case .SQLITE_IOERR where Workspace.diskIsFull(near: path):
            return WorkspaceError.diskFull(path)
        default:
            return error
        }
    }
}
