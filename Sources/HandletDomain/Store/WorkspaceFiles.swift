import Foundation
import GRDB

/// Every file a workspace owns, for replacing one (`handlet demo --replace`).
public enum WorkspaceFiles {
    /// The database and its companions, then the scratch databases a killed search build can leave
    /// (each holds an index of everyone's words, so deleting a workspace must not leave one).
    static let databaseSuffixes = ["", "-wal", "-shm", "-journal", "-purge.lock", "-\(SearchRewriteLock.job).lock", "-reserve",
                                   "-reserve.new", "-damaged"]
        + (SearchCompaction.Index.allCases.map { "-rewrite-" + $0.rawValue } + [BulkLoad.searchSuffix]).flatMap { scratch in
            ["", "-journal", "-wal", "-shm"].map { scratch + $0 }
        }

    /// `databaseSuffixes`, then the scratch databases of search rewrites (named for their process,
    /// `SearchRewrite.scratch`) found beside the workspace at `url`.
    static func databaseSuffixes(of url: URL) -> [String] {
        let prefix = url.lastPathComponent + SearchRewrite.scratchPrefix
        let found = ((try? FileManager.default.contentsOfDirectory(atPath: url.deletingLastPathComponent().path)) ?? [])
            .filter { $0.hasPrefix(prefix) }.sorted().map { String($0.dropFirst(url.lastPathComponent.count)) }
        return databaseSuffixes + found.filter { !databaseSuffixes.contains($0) }
    }

    /// Deletes the workspace at `url` and its recordings folder. Refuses anything that is not a
    /// handlet workspace (a stray file at the path is never deleted). Nothing there: no-op.
    public static func remove(at url: URL) throws {
        let files = FileManager.default
        let found = WorkspacePath.inspect(url.path)
        if let refusal = found.refusal(url.path) { throw refusal }
        guard found == .regularFile else { return }
        guard isWorkspace(url) else { throw WorkspaceError.notADatabase(url.path) }
        // Killed at any moment, this leaves the workspace whole, or no database and a recordings
        // folder that the next creation clears (never rows whose audio went first): the folder
        // is marked as no longer a workspace's, the database goes, then the folder is moved to a
        // temporary name and deleted there.
        let audio = Workspace.audioDirectory(for: url)
        let exists = files.fileExists(atPath: audio.path)
        if exists {
            let mark = audio.appendingPathComponent(Workspace.Building.marker)
            guard files.createFile(atPath: mark.path, contents: Data("\(getpid())\n".utf8)) else {
                throw WorkspaceError.readOnly(audio.path)
            }
        }
        for suffix in databaseSuffixes(of: url) where files.fileExists(atPath: url.path + suffix) {
            try files.removeItem(atPath: url.path + suffix)
        }
        guard exists else { return }
        let leaving = Workspace.Building(url).leavingAudio
        if rename(audio.path, leaving.path) == 0 { try files.removeItem(at: leaving) } else { try files.removeItem(at: audio) }
    }

    /// An SQLite file holding a `workspace` table, checked read-only.
    static func isWorkspace(_ url: URL) -> Bool {
        guard let header = try? WorkspacePath.header(of: url.path, count: 16),
              header.elementsEqual("SQLite format 3\0".utf8) else { return false }
        var configuration = Configuration()
        configuration.readonly = true
        guard let queue = try? DatabaseQueue(path: url.path, configuration: configuration) else { return false }
        defer { try? queue.close() }
        return (try? queue.read { db in try db.tableExists("workspace") }) ?? false
    }
}
