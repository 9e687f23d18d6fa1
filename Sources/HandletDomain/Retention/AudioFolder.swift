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

    /// The absolute path of a stored relative path, or nil when it would leave the folder
    /// (absolute, or with a `..` component): the purge never unlinks outside it.
    static func file(_ relativePath: String, in folder: URL) -> String? {
        guard !relativePath.isEmpty, !relativePath.hasPrefix("/") else { return nil }
        guard !relativePath.split(separator: "/").contains("..") else { return nil }
        return folder.path + "/" + relativePath
    }

    static func exists(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0
    }
}

/// One purge at a time per workspace: an advisory lock the kernel drops when the holder dies,
/// even by SIGKILL, so a killed run never blocks the next.
final class PurgeLock {
    private let descriptor: Int32

    private init(descriptor: Int32) { self.descriptor = descriptor }

    static func acquire(beside databaseURL: URL) throws -> PurgeLock {
        let path = databaseURL.path + "-purge.lock"
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw PurgeError.lockUnavailable(path: path, reason: String(cString: strerror(errno)))
        }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            close(descriptor)
            throw PurgeError.alreadyRunning(path)
        }
        return PurgeLock(descriptor: descriptor)
    }

    func release() {
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }
}
