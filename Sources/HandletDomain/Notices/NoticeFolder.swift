import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Reads the notice files of a folder one at a time, each looked at before it is read (issue 28):
/// its type and size from `lstat`/`fstat` (a FIFO, a device or a 4 GB file is refused without a
/// byte read), and a symbolic link only when it stays inside the folder (`shadow.md -> /etc/shadow`
/// is refused). At most `NoticeFile.maximumBytes + 1` bytes are ever read from one file.
enum NoticeFolder {
    /// The `*.md` names of `folder` (not hidden), in name order.
    static func names(in folder: URL) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: folder.path)
            .filter { $0.lowercased().hasSuffix(".md") && !$0.hasPrefix(".") }.sorted()
    }

    /// The file's bytes, or why it was not read (one line naming the file).
    static func read(_ name: String, in folder: URL) -> Result<Data, NoticeFileError> {
        func refuse(_ message: String) -> Result<Data, NoticeFileError> { .failure(NoticeFileError(file: name, line: 1, message: message)) }
        let path = folder.appendingPathComponent(name).path
        var info = stat()
        guard lstat(path, &info) == 0 else { return refuse("the file cannot be read") }
        var target = path
        if (info.st_mode & S_IFMT) == S_IFLNK {
            guard let resolved = realpath(path, nil) else { return refuse("a symbolic link to nothing; not read") }
            target = String(cString: resolved)
            free(resolved)
            guard let base = realpath(folder.path, nil) else { return refuse("the file cannot be read") }
            let root = String(cString: base)
            free(base)
            guard target.hasPrefix(root.hasSuffix("/") ? root : root + "/") else {
                return refuse("a symbolic link out of the folder; not read")
            }
            guard stat(target, &info) == 0 else { return refuse("the file cannot be read") }
        }
        guard (info.st_mode & S_IFMT) == S_IFREG else { return refuse("not a regular file; not read") }
        let limit = NoticeFile.maximumBytes
        guard Int(info.st_size) <= limit else { return refuse("the file is larger than \(limit / 1024) KiB; not read") }
        let descriptor = open(target, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
        guard descriptor >= 0 else { return refuse("the file cannot be read") }
        defer { close(descriptor) }
        // Looked at again through the open file: it may have been swapped since.
        guard fstat(descriptor, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return refuse("not a regular file; not read") }
        var bytes = [UInt8](repeating: 0, count: limit + 1)
        var total = 0
        while total < bytes.count {
            let count = bytes.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress! + total, $0.count - total) }
            if count < 0 && errno == EINTR { continue }
            guard count >= 0 else { return refuse("the file cannot be read") }
            if count == 0 { break }
            total += count
        }
        guard total <= limit else { return refuse("the file is larger than \(limit / 1024) KiB; not read") }
        return .success(Data(bytes.prefix(total)))
    }
}
