import Crypto
import CSV
import Foundation
import GRDB
import ZIPFoundation

/// End of service: everything a workspace holds, written where its owner can keep it (DESIGN §7,
/// issue 23). One JSON file and one CSV file per table (`records/`), every recording's audio as
/// stored (`audio/`), the audit log's verification (`audit/verification.json`), and
/// `manifest.json`, written last, with each file's size and SHA-256.
///
/// Nothing half-written looks complete: the export is built in `TARGET.partial` (a folder), each
/// file written under a temporary name and renamed once whole, and `export-state.jsonl` there
/// lists the files done with their hashes (one line appended per file, so a million recordings
/// cost a million short appends, not a million rewrites). Only when the manifest is written does the folder take
/// its final name (or become the archive, for a `.zip` target). Run again after an interruption,
/// it resumes: audio already copied is kept, and the tables too when the workspace has not changed
/// since (the audit log's head is the same: every change writes an event).
public enum WorkspaceExport {
    public static let format = "handlet-workspace-export"
    public static let formatVersion = 1
    static let stateName = "export-state.jsonl"
    static let manifestName = "manifest.json"

    /// Derived tables (rebuilt from the others) and the full-text index's own tables are left out.
    static let derivedTables: Set<String> = ["record_counts", "recording_day_totals", "call_quarter_counts", "purge_journal", "purge_run"]

    public struct Progress: Sendable, Equatable {
        public enum Phase: String, Sendable { case records, audio, audit, archive }
        public var phase: Phase
        public var files: Int
        public var bytes: Int64
    }

    public struct Report: Sendable, Equatable, Codable {
        /// Where the finished export is.
        public let path: String
        public let files: Int
        public let bytes: Int64
        /// Rows per table.
        public let records: [String: Int]
        public let audioFiles: Int
        /// The audit log's verification, as written in `audit/verification.json`.
        public let auditIntact: Bool
        /// True when an interrupted export was finished.
        public let resumed: Bool
        public let manifestSHA256: String
    }

    struct FileEntry: Codable, Equatable {
        let path: String
        let bytes: Int64
        let sha256: String
        /// For a table's JSON file: the table and its row count.
        var table: String? = nil
        var rows: Int? = nil
    }

    /// The first line of `export-state.jsonl`: which workspace, at which audit head.
    struct StateHeader: Codable {
        var workspaceCreatedAt: Int64
        var auditHead: String
    }

    /// What a run has done so far.
    struct State {
        var files: [FileEntry]
        var records: [String: Int]
        var audioFiles: Int
    }

    /// The header and the entries of a previous run's state; a torn last line is ignored.
    static func loadState(_ url: URL) -> (StateHeader, [FileEntry])? {
        guard let data = FileManager.default.contents(atPath: url.path) else { return nil }
        let lines = data.split(separator: UInt8(ascii: "\n"))
        guard let first = lines.first, let header = try? JSONDecoder().decode(StateHeader.self, from: Data(first)) else { return nil }
        return (header, lines.dropFirst().compactMap { try? JSONDecoder().decode(FileEntry.self, from: Data($0)) })
    }

    public struct Manifest: Codable, Equatable, Sendable {
        public let format: String
        public let formatVersion: Int
        public let workspace: String
        public let businessName: String
        public let exportedAt: Date
        public let exportedBy: String
        public let schemaVersion: Int
        public let records: [String: Int]
        public let audioFiles: Int
        public let files: [ManifestFile]
    }

    public struct ManifestFile: Codable, Equatable, Sendable {
        public let path: String
        public let bytes: Int64
        public let sha256: String
    }

    /// Where a target's work in progress lives: `TARGET.partial`.
    public static func partialFolder(for target: URL) -> URL {
        target.deletingLastPathComponent().appendingPathComponent(target.lastPathComponent + ".partial")
    }

    static func isZip(_ target: URL) -> Bool { target.pathExtension.lowercased() == "zip" }

    // MARK: Export

    static func run(_ workspace: Workspace, to target: URL, by actor: Actor, now: Date,
                    progress: ((Progress) -> Void)?) throws -> (Report, Manifest) {
        let files = FileManager.default
        let target = target.standardizedFileURL
        try checkTarget(target)
        let work = partialFolder(for: target)
        var isFolder: ObjCBool = false
        if files.fileExists(atPath: work.path, isDirectory: &isFolder), !isFolder.boolValue {
            throw WorkspaceExportError.cannotCreate(path: work.path, reason: "a file is in the way")
        }
        do {
            try files.createDirectory(at: work, withIntermediateDirectories: false)
        } catch where files.fileExists(atPath: work.path) {
            // Already there: an interrupted export to resume.
        } catch {
            throw WorkspaceExportError.cannotCreate(path: work.path, reason: reason(error))
        }
        guard files.isWritableFile(atPath: work.path) else {
            throw WorkspaceExportError.cannotCreate(path: work.path, reason: "permission denied")
        }

        // One snapshot for the whole export: the tables, the audio list and the audit log agree.
        let (manifest, state, resumed, intact): (Manifest, State, Bool, Bool) = try workspace.dbPool.read { db in
            let workspaceRecord = try WorkspaceRecord.fetchOne(db, key: 1)!
            let verification = try AuditChain.verify(db)
            let head = verification.head.map { "\($0.seq):\($0.hash)" } ?? "0:"
            let created = RecordingExpiry.epochSeconds(workspaceRecord.createdAt)
            var state = State(files: [], records: [:], audioFiles: 0)
            var resumed = false
            let header = StateHeader(workspaceCreatedAt: created, auditHead: head)
            let stateURL = work.appendingPathComponent(stateName)
            var kept: [FileEntry] = []
            if let (previous, entries) = loadState(stateURL), previous.workspaceCreatedAt == created {
                resumed = true
                // The same workspace: keep what is still true. Audio never changes once stored;
                // the tables only while the audit head is the same.
                let sameData = previous.auditHead == head
                kept = entries.filter { sameData || $0.path.hasPrefix("audio/") }
            }
            var done: [String: FileEntry] = [:]
            for entry in kept { done[entry.path] = entry }
            let line = JSONEncoder()
            var journal = Data()
            for entry in [header] as [any Encodable] + done.values.sorted(by: { $0.path < $1.path }) as [any Encodable] {
                journal += try line.encode(entry) + Data("\n".utf8)
            }
            try writeAtomically(journal, to: stateURL)
            guard let stateOut = FileHandle(forWritingAtPath: stateURL.path) else {
                throw WorkspaceExportError.cannotCreate(path: stateURL.path, reason: "cannot open the file")
            }
            defer { try? stateOut.close() }
            _ = try stateOut.seekToEnd()
            var report = Progress(phase: .records, files: done.count, bytes: done.values.reduce(0) { $0 + $1.bytes })
            var written = 0
            func record(_ entry: FileEntry) throws {
                done[entry.path] = entry
                report.files = done.count
                report.bytes += entry.bytes
                do { try stateOut.write(contentsOf: try line.encode(entry) + Data("\n".utf8)) } catch {
                    throw WorkspaceExportError.cannotWrite(path: stateURL.path, reason: reason(error))
                }
                progress?(report)
                written += 1
                #if HANDLET_TEST_HOOKS
                // Crash tests only: HANDLET_TEST_EXPORT_KILL=N kills the process once N files are written.
                if let limit = Int(ProcessInfo.processInfo.environment["HANDLET_TEST_EXPORT_KILL"] ?? ""), written >= limit {
                    kill(getpid(), SIGKILL)
                }
                #endif
            }

            // Tables.
            for table in try exportedTables(db) {
                let json = "records/\(table).json", csv = "records/\(table).csv"
                if let rows = done[json]?.rows, done[csv] != nil { state.records[table] = rows; continue }
                let dumped = try dumpTableHashed(db, table, json: work.appendingPathComponent(json), csv: work.appendingPathComponent(csv))
                state.records[table] = dumped.rows
                // The CSV first: the JSON's entry, carrying the row count, marks the table done.
                try record(FileEntry(path: csv, bytes: dumped.csv.bytes, sha256: dumped.csv.sha256))
                var jsonEntry = FileEntry(path: json, bytes: dumped.json.bytes, sha256: dumped.json.sha256)
                jsonEntry.table = table
                jsonEntry.rows = dumped.rows
                try record(jsonEntry)
            }

            // Audio, as stored, each checked against its recorded hash while it is copied.
            report.phase = .audio
            let audio = try Row.fetchAll(db, sql: """
                SELECT file_path, sha256 FROM recordings WHERE file_path IS NOT NULL AND purged_at IS NULL ORDER BY id
                """)
            var copied = 0
            for row in audio {
                let relative: String = row[0]
                guard AudioFolder.isInside(relative) else { continue }
                let path = "audio/" + relative
                if let existing = done[path], existing.sha256 == (row[1] as String?) ?? existing.sha256 { copied += 1; continue }
                let source = workspace.audioDirectory.appendingPathComponent(relative)
                guard files.fileExists(atPath: source.path) else { continue }
                let copy = try copyHashing(source, to: work.appendingPathComponent(path))
                copied += 1
                try record(FileEntry(path: path, bytes: copy.bytes, sha256: copy.sha256))
            }
            // Audio an interrupted run copied whose recording has since been purged or erased is
            // no longer the workspace's: it leaves the export (and the manifest) too.
            let stored = Set(audio.map { "audio/" + ($0[0] as String) })
            for path in done.keys where path.hasPrefix("audio/") && !stored.contains(path) {
                done[path] = nil
                try? files.removeItem(at: work.appendingPathComponent(path))
            }
            state.audioFiles = copied

            // The audit log's verification (the log itself is records/audit_events.*).
            report.phase = .audit
            let verificationPath = "audit/verification.json"
            try writeAtomically(JSONEncoder.export.encode(ExportedVerification(verification)),
                                to: work.appendingPathComponent(verificationPath))
            try record(try entry(verificationPath, in: work))

            state.files = done.values.sorted { $0.path < $1.path }
            let manifest = Manifest(format: format, formatVersion: formatVersion, workspace: workspaceRecord.name,
                                    businessName: workspaceRecord.businessName, exportedAt: now, exportedBy: actor.auditName,
                                    schemaVersion: Schema.currentVersion, records: state.records, audioFiles: copied,
                                    files: state.files.map { ManifestFile(path: $0.path, bytes: $0.bytes, sha256: $0.sha256) })
            return (manifest, state, resumed, verification.isIntact)
        }

        // The manifest last; then the state goes and the folder takes its final name.
        let manifestData = try JSONEncoder.export.encode(manifest)
        try writeAtomically(manifestData, to: work.appendingPathComponent(manifestName))
        try? files.removeItem(at: work.appendingPathComponent(stateName))
        let manifestHash = hex(SHA256.hash(data: manifestData))
        if isZip(target) {
            progress?(Progress(phase: .archive, files: state.files.count, bytes: 0))
            try archive(work, manifest: manifest, to: target)
            try files.removeItem(at: work)
        } else {
            guard rename(work.path, target.path) == 0 else {
                throw WorkspaceExportError.cannotCreate(path: target.path, reason: String(cString: strerror(errno)))
            }
        }
        let bytes = manifest.files.reduce(0) { $0 + $1.bytes } + Int64(manifestData.count)
        return (Report(path: target.path, files: manifest.files.count + 1, bytes: bytes, records: state.records,
                       audioFiles: state.audioFiles, auditIntact: intact, resumed: resumed, manifestSHA256: manifestHash), manifest)
    }

    /// A target that exists is refused unless it is an empty folder (a directory export); its parent must exist.
    static func checkTarget(_ target: URL) throws {
        let files = FileManager.default
        var isFolder: ObjCBool = false
        if files.fileExists(atPath: target.path, isDirectory: &isFolder) {
            if isZip(target) || !isFolder.boolValue { throw WorkspaceExportError.targetExists(target.path) }
            let contents = (try? files.contentsOfDirectory(atPath: target.path)) ?? []
            guard contents.isEmpty else { throw WorkspaceExportError.targetNotEmpty(target.path) }
        }
        let parent = target.deletingLastPathComponent()
        guard files.fileExists(atPath: parent.path, isDirectory: &isFolder), isFolder.boolValue else {
            throw WorkspaceExportError.cannotCreate(path: target.path, reason: "the folder \(parent.path) does not exist")
        }
        if !files.fileExists(atPath: partialFolder(for: target).path) && !files.isWritableFile(atPath: parent.path) {
            throw WorkspaceExportError.cannotCreate(path: target.path, reason: "the folder \(parent.path) is read-only")
        }
    }

    /// Every table holding the workspace's own data, in name order.
    static func exportedTables(_ db: Database) throws -> [String] {
        let rows = try Row.fetchAll(db, sql: "SELECT name, sql FROM sqlite_master WHERE type = 'table' ORDER BY name")
        let virtual = Set(rows.filter { (($0[1] as String?) ?? "").uppercased().hasPrefix("CREATE VIRTUAL TABLE") }.map { $0[0] as String })
        return rows.map { $0[0] as String }.filter { name in
            !name.hasPrefix("sqlite_") && !name.hasPrefix("grdb_") && !virtual.contains(name)
                && !virtual.contains(where: { name.hasPrefix($0 + "_") }) && !derivedTables.contains(name)
                && !name.contains("_id_span")
        }
    }

    /// Writes `table` as a JSON array of objects (columns in schema order) and as CSV with a
    /// header row; returns the row count. Blobs are base64 in both.
    static func dumpTable(_ db: Database, _ table: String, json: URL, csv: URL) throws -> Int {
        try dumpTableHashed(db, table, json: json, csv: csv).rows
    }

    /// A file written in chunks, hashed and counted as it goes, so the export need not read it
    /// back to hash it.
    struct HashedOutput {
        let handle: FileHandle
        let path: URL
        private var hasher = SHA256()
        private(set) var bytes: Int64 = 0

        init(_ handle: FileHandle, path: URL) {
            self.handle = handle
            self.path = path
        }

        mutating func write(_ data: Data) throws {
            do { try handle.write(contentsOf: data) } catch {
                throw WorkspaceExportError.cannotWrite(path: path.path, reason: WorkspaceExport.reason(error))
            }
            hasher.update(data: data)
            bytes += Int64(data.count)
        }

        var sha256: String { WorkspaceExport.hex(hasher.finalize()) }
    }

    /// `dumpTable`, with each file's size and SHA-256 as written.
    static func dumpTableHashed(_ db: Database, _ table: String, json: URL, csv: URL) throws
        -> (rows: Int, json: (bytes: Int64, sha256: String), csv: (bytes: Int64, sha256: String)) {
        let files = FileManager.default
        try files.createDirectory(at: json.deletingLastPathComponent(), withIntermediateDirectories: true)
        let columns = try Row.fetchAll(db, sql: "SELECT name FROM pragma_table_info(?) ORDER BY cid", arguments: [table]).map { $0[0] as String }
        let jsonTemp = json.appendingPathExtension("tmp"), csvTemp = csv.appendingPathExtension("tmp")
        guard files.createFile(atPath: jsonTemp.path, contents: nil), let jsonOut = FileHandle(forWritingAtPath: jsonTemp.path) else {
            throw WorkspaceExportError.cannotCreate(path: jsonTemp.path, reason: "cannot create the file")
        }
        defer { try? jsonOut.close() }
        guard files.createFile(atPath: csvTemp.path, contents: nil), let csvOut = FileHandle(forWritingAtPath: csvTemp.path) else {
            throw WorkspaceExportError.cannotCreate(path: csvTemp.path, reason: "cannot create the file")
        }
        defer { try? csvOut.close() }
        var jsonFile = HashedOutput(jsonOut, path: jsonTemp), csvFile = HashedOutput(csvOut, path: csvTemp)
        // CSVWriter hands its stream one byte at a time: to a file that is a system call per byte
        // (an export of 100 MB took minutes), to Foundation's memory stream a CoreFoundation call
        // per byte. So it writes into an array (`CSVByteSink`), a few thousand rows per
        // writer, and each chunk goes to the file in one write. A writer puts a line break before
        // every row but its first, so each chunk is ended with one.
        var (writer, sink) = try CSVByteSink.writer()
        var rowsInChunk = 0
        func flushCSV(last: Bool) throws {
            writer.stream.close()
            try csvFile.write(Data(sink.bytes) + Data("\n".utf8))
            rowsInChunk = 0
            if !last { (writer, sink) = try CSVByteSink.writer() }
        }
        try writer.writeRow(columns)
        let keys = columns.map { JSONString.quoted($0) }
        var buffer = "[\n"
        func flushJSON() throws {
            try jsonFile.write(Data(buffer.utf8))
            buffer.removeAll(keepingCapacity: true)
        }
        var count = 0
        let quotedName = "\"" + table.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        let cursor = try Row.fetchCursor(db, sql: "SELECT * FROM \(quotedName)")
        while let row = try cursor.next() {
            if count > 0 { buffer += ",\n" }
            buffer += "{"
            var cells: [String] = []
            cells.reserveCapacity(columns.count)
            for index in 0..<columns.count {
                if index > 0 { buffer += "," }
                buffer += keys[index] + ":"
                switch (row[index] as DatabaseValue).storage {
                case .null: buffer += "null"; cells.append("")
                case .int64(let value): buffer += String(value); cells.append(String(value))
                case .double(let value): buffer += value.isFinite ? String(value) : "null"; cells.append(String(value))
                case .string(let value): buffer += JSONString.quoted(value); cells.append(value)
                case .blob(let value): let text = value.base64EncodedString(); buffer += JSONString.quoted(text); cells.append(text)
                }
            }
            buffer += "}"
            try writer.writeRow(cells)
            rowsInChunk += 1
            if rowsInChunk >= 4_096 { try flushCSV(last: false) }
            count += 1
            if buffer.utf8.count > 1 << 20 { try flushJSON() }
        }
        buffer += (count > 0 ? "\n" : "") + "]\n"
        try flushJSON()
        if rowsInChunk > 0 || count == 0 { try flushCSV(last: true) }
        try csvOut.synchronize()
        try csvOut.close()
        try jsonOut.synchronize()
        try jsonOut.close()
        try replace(json, with: jsonTemp)
        try replace(csv, with: csvTemp)
        return (count, (jsonFile.bytes, jsonFile.sha256), (csvFile.bytes, csvFile.sha256))
    }

    /// Copies `source` to `destination` (through a temporary name), hashing as it goes.
    static func copyHashing(_ source: URL, to destination: URL) throws -> (bytes: Int64, sha256: String) {
        let files = FileManager.default
        try files.createDirectory(at: destination.deletingLastPathComponent(), withIntermediateDirectories: true)
        let temp = destination.appendingPathExtension("tmp")
        guard let input = FileHandle(forReadingAtPath: source.path) else {
            throw WorkspaceExportError.cannotRead(path: source.path)
        }
        defer { try? input.close() }
        guard files.createFile(atPath: temp.path, contents: nil), let output = FileHandle(forWritingAtPath: temp.path) else {
            throw WorkspaceExportError.cannotCreate(path: temp.path, reason: "cannot create the file")
        }
        defer { try? output.close() }
        var hasher = SHA256()
        var bytes: Int64 = 0
        while let chunk = try input.read(upToCount: 1 << 20), !chunk.isEmpty {
            hasher.update(data: chunk)
            do { try output.write(contentsOf: chunk) } catch {
                throw WorkspaceExportError.cannotWrite(path: temp.path, reason: reason(error))
            }
            bytes += Int64(chunk.count)
        }
        try output.close()
        try replace(destination, with: temp)
        return (bytes, hex(hasher.finalize()))
    }

    static func entry(_ relative: String, in folder: URL) throws -> FileEntry {
        let (bytes, hash) = try hashFile(folder.appendingPathComponent(relative))
        return FileEntry(path: relative, bytes: bytes, sha256: hash)
    }

    static func hashFile(_ url: URL) throws -> (Int64, String) {
        guard let input = FileHandle(forReadingAtPath: url.path) else { throw WorkspaceExportError.cannotRead(path: url.path) }
        defer { try? input.close() }
        var hasher = SHA256()
        var bytes: Int64 = 0
        while let chunk = try input.read(upToCount: 1 << 20), !chunk.isEmpty {
            hasher.update(data: chunk)
            bytes += Int64(chunk.count)
        }
        return (bytes, hex(hasher.finalize()))
    }

    static func writeAtomically(_ data: Data, to url: URL) throws {
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        do { try data.write(to: url, options: .atomic) } catch {
            throw WorkspaceExportError.cannotWrite(path: url.path, reason: reason(error))
        }
    }

    static func replace(_ url: URL, with temp: URL) throws {
        guard rename(temp.path, url.path) == 0 else {
            throw WorkspaceExportError.cannotWrite(path: url.path, reason: String(cString: strerror(errno)))
        }
    }

    /// The folder as one archive, entries in the manifest's order and the manifest last, written
    /// under `TARGET.partial-archive` and renamed once complete.
    static func archive(_ folder: URL, manifest: Manifest, to target: URL) throws {
        let temp = target.deletingLastPathComponent().appendingPathComponent(target.lastPathComponent + ".partial-archive")
        try? FileManager.default.removeItem(at: temp)
        do {
            let archive = try Archive(url: temp, accessMode: .create)
            for file in manifest.files {
                try archive.addEntry(with: file.path, relativeTo: folder,
                                     compressionMethod: file.path.hasPrefix("audio/") ? .none : .deflate)
            }
            try archive.addEntry(with: manifestName, relativeTo: folder, compressionMethod: .deflate)
        } catch let error as WorkspaceExportError {
            throw error
        } catch {
            try? FileManager.default.removeItem(at: temp)
            throw WorkspaceExportError.cannotWrite(path: temp.path, reason: reason(error))
        }
        try replace(target, with: temp)
    }

    static func reason(_ error: Error) -> String {
        let nsError = error as NSError
        if let underlying = nsError.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
            return String(cString: strerror(Int32(underlying.code)))
        }
        if nsError.domain == NSPOSIXErrorDomain { return String(cString: strerror(Int32(nsError.code))) }
        return nsError.localizedDescription
    }

    static func hex<D: Sequence>(_ digest: D) -> String where D.Element == UInt8 {
        SHA256Hex.hex(digest)
    }

    // MARK: Verify

    /// What `verify-export` found: every file of the manifest present with its size and hash,
    /// and nothing else but the manifest.
    public struct Verification: Sendable, Equatable, Codable {
        public let path: String
        public let filesChecked: Int
        public let bytes: Int64
        /// Files whose content no longer matches the manifest's hash (or size).
        public let mismatched: [String]
        /// Files the manifest lists that are not there.
        public let missing: [String]
        /// Files there that the manifest does not list.
        public let unlisted: [String]
        public var isIntact: Bool { mismatched.isEmpty && missing.isEmpty && unlisted.isEmpty }
    }

    /// Checks every hash of the export at `path` (a folder or a `.zip`).
    public static func verify(at path: URL) throws -> Verification {
        let files = FileManager.default
        let url = path.standardizedFileURL
        if url.lastPathComponent.hasSuffix(".partial") || url.lastPathComponent.hasSuffix(".partial-archive") {
            throw WorkspaceExportError.partial(url.path)
        }
        var isFolder: ObjCBool = false
        guard files.fileExists(atPath: url.path, isDirectory: &isFolder) else {
            if files.fileExists(atPath: partialFolder(for: url).path) { throw WorkspaceExportError.partial(partialFolder(for: url).path) }
            throw WorkspaceExportError.noSuchExport(url.path)
        }
        if isFolder.boolValue { return try verifyFolder(url) }
        return try verifyArchive(url)
    }

    static func decodeManifest(_ data: Data?, path: String) throws -> Manifest {
        guard let data else { throw WorkspaceExportError.noManifest(path) }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        guard let manifest = try? decoder.decode(Manifest.self, from: data), manifest.format == format else {
            throw WorkspaceExportError.badManifest(path)
        }
        return manifest
    }

    static func verifyFolder(_ folder: URL) throws -> Verification {
        let manifest = try decodeManifest(FileManager.default.contents(atPath: folder.appendingPathComponent(manifestName).path),
                                          path: folder.path)
        var mismatched: [String] = [], missing: [String] = []
        var bytes: Int64 = 0
        for file in manifest.files {
            let url = folder.appendingPathComponent(file.path)
            guard FileManager.default.fileExists(atPath: url.path) else { missing.append(file.path); continue }
            let (size, hash) = try hashFile(url)
            bytes += size
            if size != file.bytes || hash != file.sha256 { mismatched.append(file.path) }
        }
        var present: Set<String> = []
        if let walker = FileManager.default.enumerator(atPath: folder.path) {
            while let relative = walker.nextObject() as? String {
                var isFolder: ObjCBool = false
                if FileManager.default.fileExists(atPath: folder.appendingPathComponent(relative).path, isDirectory: &isFolder),
                   !isFolder.boolValue { present.insert(relative) }
            }
        }
        let listed = Set(manifest.files.map(\.path)).union([manifestName])
        return Verification(path: folder.path, filesChecked: manifest.files.count, bytes: bytes, mismatched: mismatched,
                            missing: missing, unlisted: present.subtracting(listed).sorted())
    }

    static func verifyArchive(_ url: URL) throws -> Verification {
        let archive: Archive
        do { archive = try Archive(url: url, accessMode: .read) } catch { throw WorkspaceExportError.notAnExport(url.path) }
        func contents(_ entry: Entry) throws -> (Int64, String, Data?) {
            var hasher = SHA256()
            var size: Int64 = 0
            var kept = Data()
            let keep = entry.path == manifestName
            _ = try archive.extract(entry, skipCRC32: false) { chunk in
                hasher.update(data: chunk)
                size += Int64(chunk.count)
                if keep { kept.append(chunk) }
            }
            return (size, hex(hasher.finalize()), keep ? kept : nil)
        }
        guard let manifestEntry = archive[manifestName] else { throw WorkspaceExportError.noManifest(url.path) }
        let manifest: Manifest
        do { manifest = try decodeManifest(try contents(manifestEntry).2, path: url.path) } catch let error as WorkspaceExportError {
            throw error
        } catch { throw WorkspaceExportError.badManifest(url.path) }
        let expected = Dictionary(manifest.files.map { ($0.path, $0) }, uniquingKeysWith: { first, _ in first })
        var seen: Set<String> = [], mismatched: [String] = [], unlisted: [String] = []
        var bytes: Int64 = 0
        for entry in archive where entry.type == .file && entry.path != manifestName {
            guard let file = expected[entry.path] else { unlisted.append(entry.path); continue }
            seen.insert(entry.path)
            do {
                let (size, hash, _) = try contents(entry)
                bytes += size
                if size != file.bytes || hash != file.sha256 { mismatched.append(entry.path) }
            } catch {
                // A damaged entry (its CRC fails) is a mismatch, not a crash.
                mismatched.append(entry.path)
            }
        }
        let missing = manifest.files.map(\.path).filter { !seen.contains($0) }
        return Verification(path: url.path, filesChecked: manifest.files.count, bytes: bytes, mismatched: mismatched.sorted(),
                            missing: missing, unlisted: unlisted.sorted())
    }
}

/// `audit/verification.json`.
struct ExportedVerification: Codable {
    let intact: Bool
    let eventsChecked: Int
    let headSeq: Int64?
    let headHash: String?
    let problem: String?

    init(_ verification: AuditVerification) {
        intact = verification.isIntact
        eventsChecked = verification.eventsChecked
        headSeq = verification.head?.seq
        headHash = verification.head?.hash
        problem = verification.problem.map { String(describing: $0) }
    }
}

extension JSONEncoder {
    /// Stable output for files people keep: sorted keys, ISO 8601 dates, snake_case.
    static var export: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }
}

public enum WorkspaceExportError: SysexitsError, Equatable, CustomStringConvertible {
    case targetExists(String)
    case targetNotEmpty(String)
    case cannotCreate(path: String, reason: String)
    case cannotWrite(path: String, reason: String)
    case cannotRead(path: String)
    case noSuchExport(String)
    case partial(String)
    case noManifest(String)
    case badManifest(String)
    case notAnExport(String)

    public var exitClass: ExitClass {
        switch self {
        case .targetExists, .targetNotEmpty, .cannotCreate, .cannotWrite: .cannotCreate
        case .cannotRead: .failure
        case .noSuchExport: .noInput
        case .partial, .noManifest, .badManifest, .notAnExport: .dataError
        }
    }

    public var description: String {
        switch self {
        case .targetExists(let path): "\(path) already exists; give a new file name or an empty folder."
        case .targetNotEmpty(let path): "The folder \(path) is not empty; give a new or empty folder."
        case .cannotCreate(let path, let reason): "Cannot create \(path): \(reason); nothing was exported there."
        case .cannotWrite(let path, let reason):
            "Could not write \(path): \(reason). The export is left as partial; run the same command again to resume."
        case .cannotRead(let path): "Could not read \(path)."
        case .noSuchExport(let path): "No export at \(path)."
        case .partial(let path): "\(path) is a partial export (interrupted); run the export again to finish it."
        case .noManifest(let path): "\(path) has no manifest.json: it is not a finished handlet export."
        case .badManifest(let path): "The manifest of \(path) cannot be read as a handlet export manifest."
        case .notAnExport(let path): "\(path) is neither a folder nor a ZIP archive."
        }
    }
}

extension WorkspaceSession {
    /// Exports everything the workspace holds to `target` (a folder, or a file ending `.zip`), and
    /// records the export in the audit log. Owner only. Resumes an interrupted export to the same target.
    public func exportWorkspace(to target: URL, progress: ((WorkspaceExport.Progress) -> Void)? = nil) throws -> WorkspaceExport.Report {
        try actor.require(.endOfService)
        let instant = now
        let (report, manifest) = try WorkspaceExport.run(workspace, to: target, by: actor, now: instant, progress: progress)
        let audioFiles = manifest.audioFiles
        try perform(WorkspaceCommand<Void>(.endOfService, audit: .workspaceExported) { _, _ in
            .changed((), target: "workspace",
                     details: ["files": .int(Int64(report.files)), "bytes": .int(report.bytes),
                               "audio_files": .int(Int64(audioFiles)), "manifest_sha256": .string(report.manifestSHA256),
                               "archive": .bool(WorkspaceExport.isZip(target))])
        }, at: instant)
        return report
    }
}
