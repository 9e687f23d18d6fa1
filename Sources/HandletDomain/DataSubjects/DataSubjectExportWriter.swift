import Crypto
import CSV
import Foundation
import ZIPFoundation

/// Writes an export (a data-subject export, Art. 20; shareable with a whole-workspace export):
/// per record type one JSON file (an array of objects) and one CSV file (a header of every field,
/// nested values as JSON text), the recordings' audio, and `manifest.json` listing every file with
/// its size and SHA-256, written last.
///
/// Into a folder (which must not exist, or be empty) or one `.zip`. Nothing half-written looks
/// complete: everything is written under a `.partial` name beside the target and renamed into
/// place at the end; a failure (a full disk, a read-only target) removes the partial export.
public struct DataSubjectExportWriter {
    /// One record type's rows: `contacts`, `calls` …
    public struct RecordFile {
        public let name: String
        public let rows: [any Encodable]

        public init(name: String, rows: [any Encodable]) {
            self.name = name
            self.rows = rows
        }
    }

    /// An audio file to copy into `recordings/`.
    public struct AudioFile: Sendable {
        public let source: URL
        public let name: String

        public init(source: URL, name: String) {
            self.source = source
            self.name = name
        }
    }

    public struct ManifestEntry: Sendable, Equatable, Codable {
        public let path: String
        public let bytes: Int64
        public let sha256: String
    }

    public struct Manifest: Sendable, Equatable, Codable {
        public let format: String
        public let createdAt: Date
        /// What the export is of ("data-subject export of contacts 12, 40").
        public let subject: String
        /// Rows per record type.
        public let records: [String: Int]
        public let files: [ManifestEntry]
    }

    public struct Written: Sendable, Equatable, Codable {
        public let path: String
        public let isZip: Bool
        public let files: Int
        public let bytes: Int64
        public let manifest: Manifest
    }

    public let target: URL
    public var isZip: Bool { target.pathExtension.lowercased() == "zip" }

    public init(target: URL) { self.target = target }

    /// Refuses a target it must not write: a folder that exists and is not empty, a file that
    /// exists, or a parent folder that is missing or read-only. Nothing is written.
    public func check() throws {
        let files = FileManager.default
        var isDirectory: ObjCBool = false
        if files.fileExists(atPath: target.path, isDirectory: &isDirectory) {
            if isZip || !isDirectory.boolValue { throw DataSubjectError.exportTargetExists(target.path) }
            let contents = (try? files.contentsOfDirectory(atPath: target.path)) ?? []
            guard contents.isEmpty else { throw DataSubjectError.exportTargetNotEmpty(target.path) }
            guard Workspace.isWritable(target.path) else { throw DataSubjectError.exportTargetReadOnly(target.path) }
        }
        let parent = target.deletingLastPathComponent().path
        guard files.fileExists(atPath: parent, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw DataSubjectError.exportFailed(path: target.path, reason: "the folder \(parent) does not exist")
        }
        guard Workspace.isWritable(parent), access(parent, W_OK) == 0 else { throw DataSubjectError.exportTargetReadOnly(parent) }
    }

    /// A partial export a killed process left beside the target (`.NAME.partial-PID`, hidden,
    /// holding a person's data): removed once its process is gone, never one still writing.
    private func removeLeftoversOfDeadExports() {
        let folder = target.deletingLastPathComponent()
        let prefix = ".\(target.lastPathComponent).partial-"
        for name in (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? [] where name.hasPrefix(prefix) {
            var pidText = String(name.dropFirst(prefix.count))
            if pidText.hasSuffix(".d") { pidText = String(pidText.dropLast(2)) }
            guard let pid = Int32(pidText), pid != ProcessInfo.processInfo.processIdentifier else { continue }
            if kill(pid, 0) != 0 && errno == ESRCH { try? FileManager.default.removeItem(at: folder.appendingPathComponent(name)) }
        }
    }

    /// Writes everything, manifest last, then renames it into place.
    public func write(records: [RecordFile], audio: [AudioFile], subject: String, createdAt: Date) throws -> Written {
        try check()
        let files = FileManager.default
        removeLeftoversOfDeadExports()
        let partial = target.deletingLastPathComponent()
            .appendingPathComponent(".\(target.lastPathComponent).partial-\(ProcessInfo.processInfo.processIdentifier)")
        let staging = isZip ? partial.appendingPathExtension("d") : partial
        try? files.removeItem(at: staging)
        try? files.removeItem(at: partial)
        do {
            try files.createDirectory(at: staging, withIntermediateDirectories: false)
            var entries: [ManifestEntry] = []
            func add(_ data: Data, _ path: String) throws {
                let url = staging.appendingPathComponent(path)
                try data.write(to: url)
                entries.append(ManifestEntry(path: path, bytes: Int64(data.count), sha256: Self.sha256(data)))
            }
            var counts: [String: Int] = [:]
            for record in records {
                let objects = try record.rows.map(Self.jsonObject)
                counts[record.name] = objects.count
                try add(try Self.json(record.rows), "\(record.name).json")
                try add(try Self.csv(objects), "\(record.name).csv")
            }
            if !audio.isEmpty {
                try files.createDirectory(at: staging.appendingPathComponent("recordings"), withIntermediateDirectories: false)
                for file in audio {
                    let data: Data
                    do { data = try Data(contentsOf: file.source) } catch {
                        throw DataSubjectError.audioUnreadable(path: file.source.path, reason: error.localizedDescription)
                    }
                    try add(data, "recordings/\(file.name)")
                }
            }
            let manifest = Manifest(format: "handlet-export-1", createdAt: createdAt, subject: subject, records: counts, files: entries)
            let encoder = Self.encoder()
            let manifestData = try encoder.encode(manifest)
            try manifestData.write(to: staging.appendingPathComponent("manifest.json"))
            let written = entries.reduce(Int64(manifestData.count)) { $0 + $1.bytes }
            if isZip {
                let archive = try Archive(url: partial, accessMode: .create)
                var folders = Set<String>()
                for path in entries.map(\.path) + ["manifest.json"] {
                    if let slash = path.lastIndex(of: "/") {
                        let folder = String(path[..<slash])
                        if folders.insert(folder).inserted {
                            try archive.addEntry(with: folder + "/", type: .directory, uncompressedSize: Int64(0),
                                                 provider: { _, _ in Data() })
                        }
                    }
                    try archive.addEntry(with: path, relativeTo: staging, compressionMethod: .deflate)
                }
                try files.removeItem(at: staging)
            }
            try Self.fsync(partial)
            if files.fileExists(atPath: target.path) { try files.removeItem(at: target) }   // checked empty above
            guard rename(partial.path, target.path) == 0 else {
                throw DataSubjectError.exportFailed(path: target.path, reason: String(cString: strerror(errno)))
            }
            return Written(path: target.path, isZip: isZip, files: entries.count + 1, bytes: written, manifest: manifest)
        } catch let error as DataSubjectError {
            try? files.removeItem(at: staging)
            try? files.removeItem(at: partial)
            throw error
        } catch {
            try? files.removeItem(at: staging)
            try? files.removeItem(at: partial)
            throw DataSubjectError.exportFailed(path: target.path, reason: Self.reason(error))
        }
    }

    // MARK: Formats

    static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }

    static func json(_ rows: [any Encodable]) throws -> Data {
        try encoder().encode(rows.map(AnyEncodable.init))
    }

    static func jsonObject(_ row: any Encodable) throws -> [String: JSONCell] {
        let data = try encoder().encode(AnyEncodable(row))
        return try JSONDecoder().decode([String: JSONCell].self, from: data)
    }

    /// A header of every field any row has (sorted), then one line per row.
    static func csv(_ objects: [[String: JSONCell]]) throws -> Data {
        let columns = Set(objects.flatMap(\.keys)).sorted()
        let (writer, sink) = try CSVByteSink.writer()
        try writer.writeRow(columns)
        for object in objects {
            try writer.writeRow(columns.map { object[$0]?.text ?? "" })
        }
        writer.stream.close()
        var data = Data(sink.bytes)
        data.append(0x0A)
        return data
    }

    static func sha256(_ data: Data) -> String {
        SHA256Hex.of(data)
    }

    static func reason(_ error: any Error) -> String {
        let nsError = error as NSError
        if let underlying = nsError.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
            return String(cString: strerror(Int32(underlying.code)))
        }
        if nsError.domain == NSPOSIXErrorDomain { return String(cString: strerror(Int32(nsError.code))) }
        return nsError.localizedDescription
    }

    /// Flushes a written file or folder to disk before the rename makes it look complete.
    static func fsync(_ url: URL) throws {
        let descriptor = open(url.path, O_RDONLY)
        guard descriptor >= 0 else { return }
        defer { close(descriptor) }
        _ = Foundation.fsync(descriptor)
    }

    /// Checks an export against its manifest: every listed file there with its size and hash.
    /// Returns the paths that differ (empty when it verifies). Folder exports only.
    public static func verify(folder: URL) throws -> [String] {
        let manifest = try JSONDecoder.iso8601.decode(Manifest.self, from: Data(contentsOf: folder.appendingPathComponent("manifest.json")))
        return manifest.files.compactMap { entry in
            guard let data = try? Data(contentsOf: folder.appendingPathComponent(entry.path)),
                  Int64(data.count) == entry.bytes, sha256(data) == entry.sha256 else { return entry.path }
            return nil
        }
    }
}

extension JSONDecoder {
    static var iso8601: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }
}

/// One JSON value as a CSV cell shows it: text as is, numbers and booleans as JSON writes them,
/// null empty, an array or object as its JSON text.
struct JSONCell: Decodable {
    let text: String

    init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() { text = "" }
        else if let flag = try? container.decode(Bool.self) { text = flag ? "true" : "false" }
        else if let whole = try? container.decode(Int64.self) { text = String(whole) }
        else if let number = try? container.decode(Double.self) { text = String(number) }
        else if let string = try? container.decode(String.self) { text = string }
        else if let array = try? container.decode([JSONCell].self) { text = "[" + array.map { JSONString.quoted($0.text) }.joined(separator: ",") + "]" }
        else {
            let object = try container.decode([String: JSONCell].self)
            text = "{" + object.keys.sorted().map { "\(JSONString.quoted($0)):\(JSONString.quoted(object[$0]!.text))" }.joined(separator: ",") + "}"
        }
    }
}

/// An `Encodable` of any type, so rows of different record types share one writer.
private struct AnyEncodable: Encodable {
    let value: any Encodable
    init(_ value: any Encodable) { self.value = value }
    func encode(to encoder: Encoder) throws { try value.encode(to: encoder) }
}
