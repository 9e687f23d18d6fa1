import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// What is at a workspace path, looked at with `lstat`/`stat` before anything opens it (issue 28):
/// opening a FIFO blocks forever, a device is not ours to read, and a symbolic link whose target is
/// missing (a workspace on an unmounted drive) must never be replaced by a new file.
public enum WorkspacePath: Equatable, Sendable {
    case missing
    case regularFile
    case folder
    /// A symbolic link (possibly through others) whose target does not exist.
    case danglingLink(target: String)
    /// Symbolic links that lead back to themselves (ELOOP).
    case linkLoop
    /// A FIFO, socket or device: never opened.
    case special(kind: String)

    /// Looks at `path` without opening it.
    public static func inspect(_ path: String) -> WorkspacePath {
        var link = stat()
        guard lstat(path, &link) == 0 else { return .missing }
        var info = stat()
        if stat(path, &info) != 0 {
            if errno == ELOOP { return .linkLoop }
            let target = (try? FileManager.default.destinationOfSymbolicLink(atPath: path)) ?? "?"
            return (link.st_mode & S_IFMT) == S_IFLNK ? .danglingLink(target: target) : .missing
        }
        return kind(of: info.st_mode)
    }

    static func kind(of mode: mode_t) -> WorkspacePath {
        switch mode & S_IFMT {
        case S_IFREG: .regularFile
        case S_IFDIR: .folder
        case S_IFIFO: .special(kind: "a FIFO (named pipe)")
        case S_IFSOCK: .special(kind: "a socket")
        case S_IFCHR: .special(kind: "a character device")
        case S_IFBLK: .special(kind: "a block device")
        default: .special(kind: "not a regular file")
        }
    }

    /// The error for a path that is neither missing nor a regular file; nil for those two.
    func refusal(_ path: String) -> WorkspaceError? {
        switch self {
        case .missing, .regularFile: nil
        case .folder: .notAFile(path: path, kind: "a folder")
        case .special(let kind): .notAFile(path: path, kind: kind)
        case .danglingLink(let target): .danglingLink(path: path, target: target)
        case .linkLoop: .linkLoop(path)
        }
    }

    /// Refuses a path whose folder (or an ancestor) is a dangling link or a loop, and the path
    /// itself when it is anything but missing or a regular file.
    public static func check(_ url: URL) throws {
        var ancestor = url.deletingLastPathComponent()
        var ancestors: [String] = []
        while ancestor.path != "/" && !ancestor.path.isEmpty {
            ancestors.append(ancestor.path)
            ancestor = ancestor.deletingLastPathComponent()
        }
        // From the root down, up to the first folder that is missing (its children are too).
        walk: for folder in ancestors.reversed() {
            switch inspect(folder) {
            case .danglingLink(let target): throw WorkspaceError.danglingLink(path: folder, target: target)
            case .linkLoop: throw WorkspaceError.linkLoop(folder)
            case .missing: break walk
            default: continue walk
            }
        }
        if let refusal = inspect(url.path).refusal(url.path) { throw refusal }
    }

    /// The first `count` bytes of a regular file, read without ever blocking: opened non-blocking
    /// and checked with `fstat` (the path could have been swapped for a FIFO since `inspect`).
    static func header(of path: String, count: Int) throws -> [UInt8] {
        let descriptor = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard descriptor >= 0 else {
            if errno == ENOENT { throw WorkspaceError.noWorkspace(path) }
            throw WorkspaceError.readOnly(path)
        }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { throw WorkspaceError.readOnly(path) }
        if let refusal = kind(of: info.st_mode).refusal(path) { throw refusal }
        var bytes = [UInt8](repeating: 0, count: count)
        let read = bytes.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, count) }
        return read <= 0 ? [] : Array(bytes.prefix(read))
    }
}
