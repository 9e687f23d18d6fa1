import Crypto
import Foundation
import GRDB

/// A recording an import copied under a temporary name, waiting for the transaction that stores
/// its row: renamed to `target` once that transaction has committed, removed if it rolls back.
struct StagedRecording: Sendable, Equatable {
    let temporary: URL
    let target: URL
}

/// How an import brings recording files in without ever leaving one that no row names, whatever
/// moment a `kill -9` lands on (issue 24):
///
/// 1. the file is copied (and synced) into the audio folder's `.importing/` folder, under a name
///    that spells its final path, before its row is written;
/// 2. the row names the final path, and commits with its batch;
/// 3. only then is the file renamed to its final path.
///
/// Killed before the commit: a staged file whose path no row names, removed by the next sweep.
/// Killed after it: a staged file whose row is stored, moved into place by the next sweep. The
/// sweep runs under the import lock at the start of every import and when a workspace is opened
/// for changes with files left staged; it reads one folder, not the whole audio tree.
enum RecordingStaging {
    static let folderName = ".importing"

    static func folder(_ audioFolder: URL) -> URL { audioFolder.appendingPathComponent(folderName, isDirectory: true) }

    /// The staged name of `relative` ("2026-03/call-12.wav" → "2026-03%2Fcall-12.wav").
    static func temporary(for relative: String, in audioFolder: URL) -> URL {
        let name = relative.replacingOccurrences(of: "%", with: "%25").replacingOccurrences(of: "/", with: "%2F")
        return folder(audioFolder).appendingPathComponent(name)
    }

    /// The final path a staged file's name spells; nil for a name no import wrote.
    static func relative(ofStaged name: String) -> String? {
        guard !name.hasPrefix("."), let decoded = name.removingPercentEncoding, decoded.contains("/"),
              AudioFolder.isInside(decoded) else { return nil }
        return decoded
    }

    /// Streams `source` into its staged name for `relative`, synced; returns the staging and the
    /// file's size and SHA-256.
    static func stage(_ source: URL, as relative: String, in audioFolder: URL) throws -> (StagedRecording, Int64, String) {
        let files = FileManager.default
        let staging = folder(audioFolder)
        do {
            try files.createDirectory(at: staging, withIntermediateDirectories: true)
        } catch let error as CocoaError where Workspace.isDiskFull(error) {
            throw WorkspaceError.diskFull(staging.path)
        }
        let temporary = temporary(for: relative, in: audioFolder)
        guard let input = FileHandle(forReadingAtPath: source.path) else {
            throw ImportRefusal("the recording \(PlainText.echo(source.path)) cannot be read")
        }
        defer { try? input.close() }
        _ = files.createFile(atPath: temporary.path, contents: nil)
        guard let output = FileHandle(forWritingAtPath: temporary.path) else {
            throw ImportError.cannotWrite(path: temporary.path)
        }
        var hasher = SHA256()
        var bytes: Int64 = 0
        do {
            while let chunk = try input.read(upToCount: 1 << 20), !chunk.isEmpty {
                hasher.update(data: chunk)
                try output.write(contentsOf: chunk)
                bytes += Int64(chunk.count)
            }
            try output.synchronize()
            try output.close()
        } catch {
            try? output.close()
            try? files.removeItem(at: temporary)
            // A full disk is said as such, like SQLite's SQLITE_FULL (issue 28).
            if let error = error as? CocoaError, Workspace.isDiskFull(error) { throw WorkspaceError.diskFull(staging.path) }
            throw error
        }
        let staged = StagedRecording(temporary: temporary, target: audioFolder.appendingPathComponent(relative))
        return (staged, bytes, SHA256Hex.hex(hasher.finalize()))
    }

    /// After the rows' transaction committed: each file to its final path (replacing whatever
    /// was there), then the folders synced so the renames outlive a power cut.
    static func publish(_ staged: [StagedRecording]) throws {
        guard !staged.isEmpty else { return }
        let files = FileManager.default
        var folders: Set<String> = []
        for file in staged {
            let parent = file.target.deletingLastPathComponent()
            if !folders.contains(parent.path) {
                try files.createDirectory(at: parent, withIntermediateDirectories: true)
                folders.insert(parent.path)
            }
            guard rename(file.temporary.path, file.target.path) == 0 else {
                throw ImportError.cannotWrite(path: file.target.path)
            }
        }
        for path in folders { syncFolder(path) }
    }

    /// After the rows' transaction rolled back: the staged files go.
    static func discard(_ staged: [StagedRecording]) {
        for file in staged { try? FileManager.default.removeItem(at: file.temporary) }
    }

    /// Finishes what a killed import left staged: a file whose row is stored goes to its final
    /// path, any other is removed. Call holding the import lock. Returns (moved, removed).
    @discardableResult
    static func sweep(audioFolder: URL, read: ((Database) throws -> Set<String>) throws -> Set<String>) throws -> (moved: Int, removed: Int) {
        let staging = folder(audioFolder)
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: staging.path), !names.isEmpty else { return (0, 0) }
        var moved: [StagedRecording] = [], removed = 0
        // One read for every staged file: `file_path` has no index, so a lookup per file would
        // read the whole recordings table once each (a killed strict import can leave thousands).
        let relatives = Dictionary(names.compactMap { name in relative(ofStaged: name).map { ($0, name) } }, uniquingKeysWith: { first, _ in first })
        let stored: Set<String> = try read { db in
            guard !relatives.isEmpty else { return [] }
            let list = String(decoding: try JSONEncoder().encode(Array(relatives.keys)), as: UTF8.self)
            let paths = try String.fetchAll(db, sql: """
                SELECT file_path FROM recordings WHERE purged_at IS NULL AND file_path IN (SELECT value FROM json_each(?))
                """, arguments: [list])
            return Set(paths.compactMap { relatives[$0] })
        }
        for name in names {
            let url = staging.appendingPathComponent(name)
            if stored.contains(name), let relative = relative(ofStaged: name) {
                moved.append(StagedRecording(temporary: url, target: audioFolder.appendingPathComponent(relative)))
            } else {
                try? FileManager.default.removeItem(at: url)
                removed += 1
            }
        }
        try publish(moved)
        return (moved.count, removed)
    }

    static func hasStaged(audioFolder: URL) -> Bool {
        !((try? FileManager.default.contentsOfDirectory(atPath: folder(audioFolder).path)) ?? []).isEmpty
    }

    private static func syncFolder(_ path: String) {
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { return }
        _ = fsync(descriptor)
        close(descriptor)
    }
}
