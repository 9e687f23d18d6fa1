import Crypto
import Foundation
import GRDB

/// The append-only, hash-chained audit log. Append inside the same transaction as the change it
/// records, so the change and its record commit or vanish together. Outside the domain, only
/// `WorkspaceSession.perform` (and the purge's run) append.
public enum AuditLog {
    static let genesisHash = String(repeating: "0", count: 64)

    @discardableResult
    static func append(_ db: Database, actor: Actor, action: AuditAction, target: String = "",
                               details: [String: AuditValue] = [:], at date: Date = Date()) throws -> AuditEvent {
        try append(db, actor: actor, actionName: action.rawValue, target: target, details: details, at: date)
    }

    private static func append(_ db: Database, actor: Actor, actionName action: String, target: String,
                               details: [String: AuditValue], at date: Date) throws -> AuditEvent {
        let previous = try String.fetchOne(db, sql: "SELECT hash FROM audit_events ORDER BY seq DESC LIMIT 1")
            ?? genesisHash
        let seq = (try Int64.fetchOne(db, sql: "SELECT MAX(seq) FROM audit_events") ?? 0) + 1
        let at = Date(timeIntervalSince1970: date.timeIntervalSince1970.rounded(.down))
        let detailsJSON = canonicalJSON(details)
        let hash = chainHash(seq: seq, at: at, actor: actor.auditName, action: action, target: target,
                             details: detailsJSON, previousHash: previous)
        let event = AuditEvent(seq: seq, at: at, actor: actor.auditName, action: action, target: target,
                               details: detailsJSON, previousHash: previous, hash: hash)
        try event.insert(db)
        return event
    }

    /// Recomputes the whole chain; returns the first broken sequence number, or nil when intact.
    /// (`AuditChain.verify` says what broke, and checks a checkpoint.)
    static func verify(_ db: Database) throws -> Int64? {
        try AuditChain.verify(db).problem?.seq
    }

    static func chainHash(seq: Int64, at: Date, actor: String, action: String, target: String,
                          details: String, previousHash: String) -> String {
        var message = ChainMessage()
        message.build(seq: seq, at: Int64(at.timeIntervalSince1970)) { message in
            message.appendField(nil, actor)
            for field in [action, target, details, previousHash] { message.appendField(0x1F, field) }
        }
        return message.hexDigest
    }

    static func canonicalJSON(_ details: [String: AuditValue]) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: (try? encoder.encode(details)) ?? Data("{}".utf8), as: UTF8.self)
    }
}

/// Audit details are identifiers and numbers only.
public enum AuditValue: Codable, Equatable, Sendable, ExpressibleByStringLiteral, ExpressibleByIntegerLiteral,
    ExpressibleByBooleanLiteral {
    case string(String)
    case int(Int64)
    case bool(Bool)

    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int64) { self = .int(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .string(let value): try container.encode(value)
        case .int(let value): try container.encode(value)
        case .bool(let value): try container.encode(value)
        }
    }

    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let value = try? container.decode(Bool.self) { self = .bool(value) }
        else if let value = try? container.decode(Int64.self) { self = .int(value) }
        else { self = .string(try container.decode(String.self)) }
    }
}

public enum SHA256Hex {
    public static func of(_ data: Data) -> String {
        hex(SHA256.hash(data: data))
    }

    /// Lower-case hex, two digits a byte. `String(format: "%02x")` per byte went through
    /// Foundation's formatter: 0.4M instructions a digest (issue 26: 9M of the console's start,
    /// which reads every notice's hash).
    static func hex<Bytes: Sequence<UInt8>>(_ bytes: Bytes) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        text.reserveCapacity(64)
        for byte in bytes {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: text, as: UTF8.self)
    }

    /// Streams a file so that large recordings never sit whole in memory.
    public static func ofFile(at url: URL) throws -> String {
        let handle = try FileHandle(forReadingFrom: url)
        defer { try? handle.close() }
        var hasher = SHA256()
        while let chunk = try handle.read(upToCount: 1 << 16), !chunk.isEmpty { hasher.update(data: chunk) }
        return hex(hasher.finalize())
    }
}
