import Foundation
import GRDB

// Setup and inspection for the test suite, which reaches the workspace only through the domain:
// `package`, so neither the console nor the CLI can call them (they are another package's view
// of the same API), and every statement is here, beside the schema it depends on.

extension Workspace {
    /// Stores a newly taken call with `audio` (nil: none captured) as the importer does,
    /// recording policy, file and expiry included.
    @discardableResult
    package func importCall(_ call: Call, audio: Data?, recordedAt: Date) throws -> RecordingImport.Stored {
        try dbPool.write { db in try RecordingImport.add(call, audio: audio, recordedAt: recordedAt, in: db, audioFolder: audioDirectory) }
    }

    /// `importCall` for many calls in one transaction: a large fixture in seconds, not minutes.
    @discardableResult
    package func importCalls(_ calls: [(call: Call, audio: Data?, recordedAt: Date)]) throws -> [RecordingImport.Stored] {
        try dbPool.write { db in
            try calls.map { try RecordingImport.add($0.call, audio: $0.audio, recordedAt: $0.recordedAt, in: db, audioFolder: audioDirectory) }
        }
    }

    /// Folds the WAL into the database file and closes every connection: the file is then
    /// complete on its own, for copying or for another process.
    package func checkpointAndClose() throws {
        try dbPool.writeWithoutTransaction { db in _ = try db.checkpoint(.truncate) }
        try dbPool.close()
    }
}
