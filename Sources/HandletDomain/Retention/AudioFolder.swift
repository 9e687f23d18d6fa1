import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The workspace's folder of recording files, as the purge sees it.
enum AudioFolder {
    /// Refuses a folder the purge could not finish in, before any row is touched: a purge that
    /// nulled rows and then failed to unlink would leave files only the journal remembers.
    ///
    /// Permission bits count even for root (who could write anyway): a folder someone made
    /// read-only is a statement that its files must not be deleted.
    static func checkWritable(_ folder: URL) throws {
        let path = folder.path
        var info = stat()
        guard stat(path, &info) == 0 else { throw PurgeError.audioFolderMissing(path) }
        guard (info.st_mode & S_IFMT) == S_IFDIR else { throw PurgeError.audioFolderNotAFolder(path) }
        var volume = statvfs()
        let readOnlyMount = statvfs(path, &volume) == 0 && (volume.f_flag & UInt(ST_RDONLY)) != 0
        let noWriteBits = (info.st_mode & (S_IWUSR | S_IWGRP | S_IWOTH)) == 0
        if readOnlyMount || noWriteBits || access(path, W_OK | X_OK) != 0 {
            throw PurgeError.audioFolderReadOnly(path)
        }
    }

    /// The absolute path of a stored relative path, or nil when it would leave the folder.
    static func file(_ relativePath: String, inFolderPath folder: String) -> String? {
        isInside(relativePath) ? folder + "/" + relativePath : nil
    }

    /// False for a stored path that could reach outside the folder: absolute, with a `..`
    /// component, or with a NUL byte (which C would cut the path at, after the `..` check).
    /// The purge never unlinks outside the folder. Scans bytes: it runs once per purged recording.
    static func isInside(_ relativePath: String) -> Bool {
        let slash = UInt8(ascii: "/"), dot = UInt8(ascii: ".")
        guard let first = relativePath.utf8.first, first != slash else { return false }
        var componentLength = 0, componentDots = 0
        for byte in relativePath.utf8 {
            if byte == 0 { return false }
            if byte == slash {
                if componentLength == 2 && componentDots == 2 { return false }
                componentLength = 0
                componentDots = 0
            } else {
                componentLength += 1
                if byte == dot { componentDots += 1 }
            }
        }
        return !(componentLength == 2 && componentDots == 2)
    }
}

/// The audio folder held open for a purge run: files are checked and unlinked relative to one
/// descriptor, so each call walks two path components instead of the whole absolute path, and
/// a folder renamed mid-run cannot redirect the unlinks.
final class OpenAudioFolder: @unchecked Sendable {
    private let descriptor: Int32

    init(_ folder: URL) throws {
        descriptor = open(folder.path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { throw PurgeError.audioFolderMissing(folder.path) }
    }

    deinit { close(descriptor) }

    enum Entry { case file, missing, notAFile }

    /// What a stored path names. A symlink counts as a file (unlinking it removes the link, never
    /// its target). Anything that cannot be checked throws, before the batch commits: calling it
    /// missing would null the row and leave the file behind, named by nothing.
    func entry(_ relativePath: String) throws -> Entry {
        var info = stat()
        guard fstatat(descriptor, relativePath, &info, AT_SYMLINK_NOFOLLOW) == 0 else {
            if errno == ENOENT || errno == ENOTDIR { return .missing }
            throw PurgeError.cannotCheck(path: relativePath, reason: String(cString: strerror(errno)))
        }
        let type = info.st_mode & S_IFMT
        return type == S_IFREG || type == S_IFLNK ? .file : .notAFile
    }

    /// Parent folders already checked by `mayDelete`, and the answer. Only the batch-committing
    /// thread asks, and files share a handful of month folders, so this costs one stat a folder.
    private var deletableFolders: [Substring: Bool] = [:]

    /// Whether the file's own folder lets it be deleted. Permission bits count even for root (as in
    /// `AudioFolder.checkWritable`): a folder someone made read-only says its files must stay.
    /// Checked before the batch commits, so such a recording is skipped and stays stored, rather
    /// than nulled and then failing to unlink.
    func mayDelete(_ relativePath: String) -> Bool {
        guard let slash = relativePath.lastIndex(of: "/") else { return true }   // the folder itself: checked at start
        let parent = relativePath[..<slash]
        if let known = deletableFolders[parent] { return known }
        var info = stat()
        let allowed = fstatat(descriptor, String(parent), &info, 0) == 0
            && (info.st_mode & (S_IWUSR | S_IWGRP | S_IWOTH)) != 0
            && faccessat(descriptor, String(parent), W_OK | X_OK, 0) == 0
        deletableFolders[parent] = allowed
        return allowed
    }

    /// Unlinks each stored path; one already gone is not an error (a resumed run meets those).
    func delete(_ relativePaths: [String]) throws {
        for path in relativePaths where AudioFolder.isInside(path) {
            guard unlinkat(descriptor, path, 0) == 0 || errno == ENOENT else {
                // The journal keeps the path, so the next run retries it; nothing points at it meanwhile.
                throw PurgeError.cannotDelete(path: path, reason: String(cString: strerror(errno)))
            }
        }
    }
}

/// One run at a time per workspace of a batch job (the purge, a delivery pass): an advisory lock
/// on a file beside the database, which the kernel drops when the holder dies, even by SIGKILL,
/// so a killed run never blocks the next.
final class JobLock {
    private let descriptor: Int32

    private init(descriptor: Int32) { self.descriptor = descriptor }

    /// `busy` (another run holds it) and `unavailable` (the lock file cannot be opened: its path
    /// and why) are the job's own errors, each with its exit class.
    /// `patience` (seconds) retries a lock held only for an instant (`isHeld` looking at it).
    static func acquire(_ job: String, beside databaseURL: URL, patience: TimeInterval = 0, busy: (String) -> any Error,
                        unavailable: (String, String) -> any Error) throws -> JobLock {
        let path = databaseURL.path + "-\(job).lock"
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw unavailable(path, String(cString: strerror(errno))) }
        let deadline = Date().addingTimeInterval(patience)
        while flock(descriptor, LOCK_EX | LOCK_NB) != 0 {
            guard errno == EWOULDBLOCK || errno == EINTR, Date() < deadline else {
                close(descriptor)
                throw busy(path)
            }
            usleep(10_000)
        }
        return JobLock(descriptor: descriptor)
    }

    /// Whether some run (this process's or another's) holds `job`'s lock, without waiting. It
    /// takes the lock shared for an instant, which `patience` lets an acquirer wait out.
    static func isHeld(_ job: String, beside databaseURL: URL) -> Bool {
        let descriptor = open(databaseURL.path + "-\(job).lock", O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        guard flock(descriptor, LOCK_SH | LOCK_NB) == 0 else { return errno == EWOULDBLOCK }
        flock(descriptor, LOCK_UN)
        return false
    }

    /// One purge at a time per workspace.
    static func purge(beside databaseURL: URL) throws -> JobLock {
        try acquire("purge", beside: databaseURL, busy: PurgeError.alreadyRunning,
                    unavailable: { PurgeError.lockUnavailable(path: $0, reason: $1) })
    }

    func release() {
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }
}
