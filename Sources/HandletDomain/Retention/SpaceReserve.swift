import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Room kept for the purge on a full disk (issue 28): a file of `bytes` beside the workspace
/// (`workspace.sqlite-reserve`), its blocks allocated, which the purge deletes when SQLite cannot
/// write even a one-recording batch for lack of space. Deleting a recording needs journal space
/// (its pages are written to the -wal before the file can go), so without such room the one
/// command that frees space could not run. Each purge that ends with space to spare puts it back.
struct SpaceReserve {
    static let bytes = 512 * 1024
    let path: String

    init(beside databaseURL: URL) { path = databaseURL.path + "-reserve" }

    var isHeld: Bool { WorkspacePath.inspect(path) == .regularFile }

    /// Frees its space; false when there was none held.
    @discardableResult
    func release() -> Bool { unlink(path) == 0 }

    /// Puts the reserve back when the disk has room for it; best effort, never an error.
    func ensure() {
        guard !isHeld else { return }
        let building = path + ".new"
        let descriptor = open(building, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { return }
        let allocated = posix_fallocate(descriptor, 0, off_t(Self.bytes)) == 0
        close(descriptor)
        if !allocated || rename(building, path) != 0 { _ = unlink(building) }
    }
}
