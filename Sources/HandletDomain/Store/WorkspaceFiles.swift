import Foundation
import GRDB

/// Every file a workspace owns, for replacing one (`handlet demo --replace`).
public enum WorkspaceFiles {
    static let databaseSuffixes = ["", "-wal", "-shm", "-journal", "-purge.lock", "-reserve", "-reserve.new", "-damaged"]

    /// Deletes the workspace at `url` and its recordings folder. Refuses anything that is not a
    /// handlet workspace (a stray file at the path is never deleted). Nothing there: no-op.
    public static func remove(at url: URL) throws {
        let files = FileManager.default
        let found = WorkspacePath.inspect(url.path)
        if let refusal = found.refusal(url.path) { throw refusal }
        guard found == .regularFile else { return }
        guard isWorkspace(url) else { throw WorkspaceError.notADatabase(url.path) }
        let audio = Workspace.audioDirectory(for: url)
        if files.fileExists(atPath: audio.path) { try files.removeItem(at: audio) }
        for suffix in databaseSuffixes where files.fileExists(atPath: url.path + suffix) {
            try files.removeItem(atPath: url.path + suffix)
        }
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
