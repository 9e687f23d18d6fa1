import Foundation

/// Unlinks each committed batch's files on its own thread while the next batch's transaction
/// runs: the unlinks are kernel work and the transaction is SQLite work, so on two cores they
/// overlap instead of taking turns.
///
/// Crash safety is unchanged: a batch's files are handed over only after its transaction has
/// committed them to the journal, and `deletedThrough` (the journal rows the purge may forget)
/// only advances once every file of every batch up to it is gone.
final class PurgeFileDeleter: @unchecked Sendable {
    private let folder: OpenAudioFolder
    private let queue = DispatchQueue(label: "handlet.purge.unlink")
    /// At most this many batches wait for unlinking: bounds memory when the disk is slower than SQLite.
    private let slots = DispatchSemaphore(value: 2)
    private let lock = NSLock()
    private var confirmed: Int64
    private var failure: Error?

    init(folder: OpenAudioFolder, deletedThrough: Int64) {
        self.folder = folder
        self.confirmed = deletedThrough
    }

    /// Journal rows up to this id have no file left.
    var deletedThrough: Int64 { lock.withLock { confirmed } }

    /// Queues a committed batch's files; `journalThrough` is the batch's last journal id.
    /// Throws the first unlink failure of an earlier batch, so the run stops committing.
    func delete(_ paths: [String], journalThrough: Int64?) throws {
        try checkFailure()
        guard let journalThrough else { return }
        slots.wait()
        queue.async { [self] in
            defer { slots.signal() }
            guard lock.withLock({ failure == nil }) else { return }
            do {
                try folder.delete(paths)
                lock.withLock { confirmed = journalThrough }
            } catch {
                lock.withLock { failure = error }
            }
        }
    }

    /// Waits for every queued unlink; throws the first failure.
    func finish() throws -> Int64 {
        queue.sync {}
        try checkFailure()
        return deletedThrough
    }

    private func checkFailure() throws {
        if let failure = lock.withLock({ failure }) { throw failure }
    }
}
