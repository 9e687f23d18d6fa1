import Crypto
import Foundation
import GRDB
import GRDBSQLite

/// A position in the audit log's chain, kept outside the database (emailed, printed, committed
/// elsewhere) so that a history rewritten with recomputed hashes, or cut short, is caught later:
/// `handlet audit checkpoint` prints it, `handlet audit verify --checkpoint SEQ:HASH` checks it.
public struct AuditCheckpoint: Hashable, Sendable, Codable, LosslessStringConvertible {
    public let seq: Int64
    /// The event's hash: 64 lowercase hex digits.
    public let hash: String

    public init(seq: Int64, hash: String) {
        self.seq = seq
        self.hash = hash
    }

    /// `SEQ:HASH`, as `audit checkpoint` prints it; nil for anything else.
    public init?(_ text: String) {
        let parts = text.trimmingCharacters(in: .whitespaces).split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, let seq = Int64(parts[0]), seq >= 1 else { return nil }
        let hash = parts[1].lowercased()
        guard hash.utf8.count == 64, hash.utf8.allSatisfy({ (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }) else {
            return nil
        }
        self.init(seq: seq, hash: hash)
    }

    public var description: String { "\(seq):\(hash)" }
}

/// The first thing wrong with the audit log, as `verify` finds it.
public enum AuditBreak: Equatable, Sendable, CustomStringConvertible {
    /// The event's stored hash does not match its fields: the row was changed.
    case changed(seq: Int64)
    /// The event is intact in itself but does not link to the event before it: one of the two was
    /// rewritten with its hash recomputed, or an event was inserted.
    case relinked(seq: Int64)
    /// These sequence numbers are missing: events were deleted.
    case missing(from: Int64, through: Int64)
    /// The event links to another event than the one before it: events were moved.
    case reordered(seq: Int64, follows: Int64)
    /// The event at the checkpoint's sequence has another hash: history was rewritten.
    case checkpointMismatch(seq: Int64)
    /// The log ends before the checkpoint's sequence: events were cut off its end.
    case truncated(checkpoint: Int64, lastSeq: Int64?)

    /// The sequence number of the event named (for a gap, the first missing one).
    public var seq: Int64 {
        switch self {
        case .changed(let seq), .relinked(let seq), .reordered(let seq, _), .checkpointMismatch(let seq): seq
        case .missing(let from, _): from
        case .truncated(let checkpoint, _): checkpoint
        }
    }

    /// A stable name for scripts (`--json`): changed, relinked, missing, reordered,
    /// checkpoint_mismatch, truncated.
    public var kind: String {
        switch self {
        case .changed: "changed"
        case .relinked: "relinked"
        case .missing: "missing"
        case .reordered: "reordered"
        case .checkpointMismatch: "checkpoint_mismatch"
        case .truncated: "truncated"
        }
    }

    public var description: String {
        switch self {
        case .changed(let seq): "event \(seq) was changed: its stored hash does not match its contents"
        case .relinked(let seq):
            "event \(seq) does not link to event \(seq - 1): one of them was rewritten with a recomputed hash, or an event inserted"
        case .missing(let from, let through) where from == through:
            "event \(from) is missing: the sequence jumps from \(from - 1) to \(through + 1) (an event was deleted)"
        case .missing(let from, let through):
            "events \(from) to \(through) are missing: the sequence jumps from \(from - 1) to \(through + 1) (events were deleted)"
        case .reordered(let seq, let follows):
            "event \(seq) is out of order: it was written after event \(follows)"
        case .checkpointMismatch(let seq):
            "event \(seq) no longer has the checkpoint's hash: the history up to it was rewritten"
        case .truncated(let checkpoint, let last):
            "the log ends at event \(last.map(String.init) ?? "0"), before the checkpoint's event \(checkpoint): events were removed from its end"
        }
    }
}

/// What `verify` found.
public struct AuditVerification: Sendable, Equatable {
    /// Events whose hash and link were checked (up to the break, when there is one).
    public let eventsChecked: Int
    /// The last event read: the head, when the log is intact.
    public let head: AuditCheckpoint?
    /// The checkpoint checked, if one was given.
    public let checkpoint: AuditCheckpoint?
    /// The first break, or nil when the chain (and the checkpoint) holds.
    public let problem: AuditBreak?

    public var isIntact: Bool { problem == nil }
}

/// Recomputes the chain in one pass over the rows in sequence order, through the SQLite C API:
/// no record is decoded and no string allocated per row, and each hash is computed over one
/// reused buffer, so a million events verify in about a second.
enum AuditChain {
    static let selectAll = "SELECT seq, at, actor, action, target, details, previous_hash, hash FROM audit_events ORDER BY seq"

    static func verify(_ db: Database, checkpoint: AuditCheckpoint? = nil) throws -> AuditVerification {
        let statement = try db.makeStatement(sql: selectAll)
        let handle = statement.sqliteStatement
        defer { sqlite3_reset(handle) }
        var message = ChainMessage()
        var previous = [UInt8](AuditLog.genesisHash.utf8)
        var computed = [UInt8](repeating: 0, count: 64)
        let wanted = checkpoint.map { [UInt8]($0.hash.utf8) }
        var checked = 0
        var lastSeq: Int64 = 0

        func finish(_ problem: AuditBreak?) -> AuditVerification {
            let head = checked == 0 ? nil : AuditCheckpoint(seq: lastSeq, hash: String(decoding: previous, as: UTF8.self))
            return AuditVerification(eventsChecked: checked, head: head, checkpoint: checkpoint, problem: problem)
        }

        while true {
            let code = sqlite3_step(handle)
            if code == SQLITE_DONE { break }
            guard code == SQLITE_ROW else {
                throw DatabaseError(resultCode: ResultCode(rawValue: code),
                                    message: String(cString: sqlite3_errmsg(db.sqliteConnection)), sql: selectAll)
            }
            let seq = sqlite3_column_int64(handle, 0)
            if seq != lastSeq + 1 {
                guard seq > lastSeq + 1 else { return finish(.changed(seq: seq)) }
                return finish(.missing(from: lastSeq + 1, through: seq - 1))
            }
            message.build(seq: seq, at: sqlite3_column_int64(handle, 1)) { message in
                for column in Int32(2)...6 { message.appendField(column == 2 ? nil : 0x1F, text(handle, column)) }
            }
            message.hexDigest(into: &computed)
            let stored = text(handle, 7)
            let storedPrevious = text(handle, 6)
            let selfConsistent = equal(stored, computed)
            let linked = equal(storedPrevious, previous)
            if !selfConsistent || !linked {
                if !linked, let follows = try seqOfEvent(hash: storedPrevious, other: seq, db) {
                    return finish(.reordered(seq: seq, follows: follows))
                }
                return finish(linked || !selfConsistent ? .changed(seq: seq) : .relinked(seq: seq))
            }
            if let checkpoint, let wanted, seq == checkpoint.seq, computed != wanted {
                return finish(.checkpointMismatch(seq: seq))
            }
            swap(&previous, &computed)
            lastSeq = seq
            checked += 1
        }
        if let checkpoint, checkpoint.seq > lastSeq {
            return finish(.truncated(checkpoint: checkpoint.seq, lastSeq: checked == 0 ? nil : lastSeq))
        }
        return finish(nil)
    }

    /// The newest event as a checkpoint; nil for an empty log.
    static func head(_ db: Database) throws -> AuditCheckpoint? {
        try Row.fetchOne(db, sql: "SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1")
            .map { AuditCheckpoint(seq: $0["seq"], hash: $0["hash"]) }
    }

    /// Another event whose stored hash is `hash` (only looked for once the chain is broken).
    private static func seqOfEvent(hash: UnsafeRawBufferPointer, other seq: Int64, _ db: Database) throws -> Int64? {
        guard hash.count == 64 else { return nil }
        return try Int64.fetchOne(db, sql: "SELECT seq FROM audit_events WHERE hash = ? AND seq <> ? LIMIT 1",
                                  arguments: [String(decoding: hash, as: UTF8.self), seq])
    }

    private static func text(_ handle: OpaquePointer, _ column: Int32) -> UnsafeRawBufferPointer {
        guard let pointer = sqlite3_column_text(handle, column) else { return UnsafeRawBufferPointer(start: nil, count: 0) }
        return UnsafeRawBufferPointer(start: pointer, count: Int(sqlite3_column_bytes(handle, column)))
    }

    private static func equal(_ bytes: UnsafeRawBufferPointer, _ expected: [UInt8]) -> Bool {
        guard bytes.count == expected.count else { return false }
        return expected.withUnsafeBytes { memcmp($0.baseAddress!, bytes.baseAddress!, bytes.count) == 0 }
    }
}

/// The bytes an event's hash covers: seq, time (whole seconds), actor, action, target, details and
/// the previous hash, as UTF-8 joined by the unit separator (0x1F), which keeps field boundaries
/// unambiguous. One reused buffer, so hashing a million events allocates nothing per event.
struct ChainMessage {
    private var bytes: [UInt8] = []

    init() { bytes.reserveCapacity(1024) }

    /// Starts a message with `seq` and `at`, and lets `fields` append the rest in order.
    mutating func build(seq: Int64, at: Int64, _ fields: (inout ChainMessage) -> Void) {
        bytes.removeAll(keepingCapacity: true)
        appendDecimal(seq)
        bytes.append(0x1F)
        appendDecimal(at)
        bytes.append(0x1F)
        fields(&self)
    }

    /// One field, after a separator when one is given.
    mutating func appendField(_ separator: UInt8?, _ field: UnsafeRawBufferPointer) {
        if let separator { bytes.append(separator) }
        if field.count > 0 { bytes.append(contentsOf: field) }
    }

    mutating func appendField(_ separator: UInt8?, _ field: String) {
        var field = field
        field.withUTF8 { appendField(separator, UnsafeRawBufferPointer($0)) }
    }

    private mutating func appendDecimal(_ value: Int64) {
        if value < 0 { bytes.append(0x2D) }
        var magnitude = value.magnitude
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                     UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var count = 0
        withUnsafeMutableBytes(of: &digits) { buffer in
            repeat {
                buffer[19 - count] = 0x30 + UInt8(magnitude % 10)
                magnitude /= 10
                count += 1
            } while magnitude > 0
            bytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: buffer[(20 - count)...]))
        }
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    /// The message's SHA-256 as 64 lowercase hex digits, written into `hex` (64 bytes).
    func hexDigest(into hex: inout [UInt8]) {
        var hasher = SHA256()
        bytes.withUnsafeBytes { hasher.update(bufferPointer: $0) }
        let digest = hasher.finalize()
        digest.withUnsafeBytes { raw in
            for (index, byte) in raw.enumerated() {
                hex[index * 2] = Self.hexDigits[Int(byte >> 4)]
                hex[index * 2 + 1] = Self.hexDigits[Int(byte & 0x0F)]
            }
        }
    }

    var hexDigest: String {
        var hex = [UInt8](repeating: 0, count: 64)
        hexDigest(into: &hex)
        return String(decoding: hex, as: UTF8.self)
    }
}
