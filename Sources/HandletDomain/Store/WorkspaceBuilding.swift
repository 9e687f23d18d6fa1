import Foundation
#if canImport(Glibc)
import Glibc
#endif

extension Workspace {
    /// The temporary names a new workspace is built under, beside where it will be, and the move
    /// into place (issue 28): the database `.NAME.creating-PID` and its recordings folder
    /// `.STEM-recordings.creating-PID`. A process killed at any moment leaves only these names (or,
    /// between the two renames, a recordings folder holding a `Building.marker`), which the next
    /// creation in that folder removes once their process is gone.
    struct Building {
        static let marker = ".handlet-creating"
        let url: URL
        let database: URL
        let audio: URL
        let pid: Int32

        init(_ url: URL, pid: Int32 = getpid()) {
            self.url = url
            self.pid = pid
            let folder = url.deletingLastPathComponent()
            database = folder.appendingPathComponent(".\(url.lastPathComponent).creating-\(pid)")
            audio = folder.appendingPathComponent(".\(Workspace.audioDirectory(for: url).lastPathComponent).creating-\(pid)",
                                                  isDirectory: true)
        }

        /// The recordings folder first, marked as not yet a workspace's; then the database, with
        /// `link` so that nothing at the final path (a link made meanwhile) is ever replaced; then
        /// the mark goes. A failure moves the recordings back and leaves the temporary names.
        func moveIntoPlace() throws {
            let files = FileManager.default
            let finalAudio = Workspace.audioDirectory(for: url)
            let mark = audio.appendingPathComponent(Self.marker)
            guard files.createFile(atPath: mark.path, contents: Data("\(pid)\n".utf8)) else {
                throw WorkspaceError.readOnly(audio.path)
            }
            guard WorkspacePath.inspect(finalAudio.path) == .missing, rename(audio.path, finalAudio.path) == 0 else {
                throw WorkspaceError.alreadyExists(finalAudio.path)
            }
            if link(database.path, url.path) != 0 {
                let failure = errno
                // A file system without hard links: rename, after looking once more.
                if failure != EEXIST, WorkspacePath.inspect(url.path) == .missing, rename(database.path, url.path) == 0 {
                } else {
                    _ = rename(finalAudio.path, audio.path)
                    throw WorkspaceError.alreadyExists(url.path)
                }
            }
            _ = unlink(database.path)
            _ = unlink(finalAudio.appendingPathComponent(Self.marker).path)
            for suffix in ["-wal", "-shm", "-journal"] { _ = unlink(database.path + suffix) }
        }

        /// Everything under the temporary names.
        func remove() {
            let files = FileManager.default
            for suffix in Self.leftoverSuffixes { _ = unlink(database.path + suffix) }
            try? files.removeItem(at: audio)
        }

        /// Removes what creations of `url` by processes that are gone left behind: temporary
        /// databases and recordings folders, and a marked recordings folder without its workspace.
        static func clearLeftovers(besides url: URL) {
            let files = FileManager.default
            let folder = url.deletingLastPathComponent()
            let finalAudio = Workspace.audioDirectory(for: url)
            let prefixes = [".\(url.lastPathComponent).creating-", ".\(finalAudio.lastPathComponent).creating-"]
            for name in (try? files.contentsOfDirectory(atPath: folder.path)) ?? [] {
                guard let prefix = prefixes.first(where: { name.hasPrefix($0) }) else { continue }
                let rest = name.dropFirst(prefix.count)
                let digits = rest.prefix(while: \.isNumber)
                guard let pid = Int32(digits), pid != getpid(), !isAlive(pid),
                      Self.leftoverSuffixes.contains(String(rest.dropFirst(digits.count))) else { continue }
                try? files.removeItem(at: folder.appendingPathComponent(name))
            }
            let mark = finalAudio.appendingPathComponent(marker)
            if WorkspacePath.inspect(url.path) == .missing,
               let text = try? String(contentsOf: mark, encoding: .utf8),
               let pid = Int32(text.trimmingCharacters(in: .whitespacesAndNewlines)), !isAlive(pid) {
                // Moved to a temporary name first, as `WorkspaceFiles.remove` does: deleted in place,
                // a kill part-way could take the mark and leave unmarked audio at the final name.
                let leaving = Building(url).leavingAudio
                if rename(finalAudio.path, leaving.path) == 0 { try? files.removeItem(at: leaving) } else { try? files.removeItem(at: finalAudio) }
            }
        }

        /// What a creation writes beside its temporary database: SQLite's side files, and the
        /// search's scratch database (`ParallelSearchIndex`) with its own.
        static let leftoverSuffixes: Set<String> = ["", "-wal", "-shm", "-journal"].reduce(into: ["-leaving"]) { suffixes, suffix in
            suffixes.insert(suffix)
            suffixes.insert(BulkLoad.searchSuffix + suffix)
        }

        /// Where a recordings folder that is no longer a workspace's is moved to be deleted: a name
        /// of its own, never the folder a creation builds into (a deletion that fails part-way must
        /// not leave someone else's audio in the new workspace), cleared like the others if a kill
        /// interrupts the deletion (`-leaving` is among `leftoverSuffixes`).
        var leavingAudio: URL { URL(fileURLWithPath: audio.path + "-leaving", isDirectory: true) }

        static func isAlive(_ pid: Int32) -> Bool {
            kill(pid, 0) == 0 || errno == EPERM
        }
    }

    /// Where the recordings of a workspace being created at `url` by this process are written
    /// until it is moved into place (the demo generator writes its audio there).
    package static func buildingAudioDirectory(for url: URL) -> URL { Building(url).audio }

    /// Before generating anything for a new workspace at `url`: the checks `create` makes (nothing
    /// there, a link to nowhere refused), and what killed creations there left, cleared.
    package static func prepareCreation(at url: URL) throws {
        try WorkspacePath.check(url)
        let folder = url.deletingLastPathComponent().path
        guard WorkspacePath.inspect(folder) == .folder else { throw WorkspaceError.missingFolder(folder) }
        guard WorkspacePath.inspect(url.path) == .missing else { throw WorkspaceError.alreadyExists(url.path) }
        Building.clearLeftovers(besides: url)
    }

    /// Removes what this process's unfinished creation at `url` wrote.
    package static func discardCreation(at url: URL) { Building(url).remove() }
}
