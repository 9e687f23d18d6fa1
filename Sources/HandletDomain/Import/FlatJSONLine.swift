import Foundation

/// The fast path of the JSONL import (issue 24): one pass over a line's bytes for the flat shape
/// handlet's own export and most other tools write (one object of strings, whole numbers, true,
/// false and null). `JSONDecoder` cost about 80 k instructions a line, a sixth of an import.
///
/// It answers only when it is sure: a line it reads is a line `JSONDecoder` reads the same way.
/// Anything else (nested values, fractions and exponents, a key written twice or with escapes or
/// non-ASCII letters, a lone surrogate, a value of the wrong type for its field, a time that is
/// not one, anything that is not valid JSON) makes it step aside, and the line goes through
/// `JSONDecoder` as before, so a bad line is refused with the same reason either way.
struct FlatJSONLine {
    enum Value {
        case string(String)
        case integer(Int64)
        case bool(Bool)
        case null
    }

    typealias Key = JSONLRecord.CodingKeys

    /// The known keys on the line just read, with their values, in the line's order.
    private(set) var values: [(key: Key, value: Value)] = []
    /// Keys the record does not know, as byte ranges of the line: a duplicate among them is the
    /// decoder's question too.
    private var unknown: [Range<Int>] = []
    private var escaped: [UInt8] = []

    /// Reads `line`; false when the line is not certainly of the flat shape (see above).
    mutating func read(_ line: [UInt8]) -> Bool {
        values.removeAll(keepingCapacity: true)
        unknown.removeAll(keepingCapacity: true)
        return line.withUnsafeBufferPointer { bytes in
            var scanner = Scanner(bytes: bytes)
            return (try? readObject(&scanner)) != nil
        }
    }

    /// The line steps aside to `JSONDecoder` (never reaches the user; a bad line there is data).
    private struct NotFlat: SysexitsError { var exitClass: ExitClass { .dataError } }

    private struct Scanner {
        let bytes: UnsafeBufferPointer<UInt8>
        var at = 0

        var current: UInt8? { at < bytes.count ? bytes[at] : nil }

        mutating func skipSpace() {
            while at < bytes.count {
                switch bytes[at] {
                case 0x20, 0x09, 0x0A, 0x0D: at += 1
                default: return
                }
            }
        }

        mutating func expect(_ byte: UInt8) throws {
            guard current == byte else { throw NotFlat() }
            at += 1
        }

        mutating func expectWord(_ word: StaticString) throws {
            let count = word.utf8CodeUnitCount
            guard at + count <= bytes.count else { throw NotFlat() }
            for offset in 0..<count where bytes[at + offset] != word.utf8Start[offset] { throw NotFlat() }
            at += count
        }
    }

    private mutating func readObject(_ scanner: inout Scanner) throws {
        scanner.skipSpace()
        try scanner.expect(UInt8(ascii: "{"))
        scanner.skipSpace()
        if scanner.current == UInt8(ascii: "}") {
            scanner.at += 1
        } else {
            while true {
                let name = try readKey(&scanner)
                scanner.skipSpace()
                try scanner.expect(UInt8(ascii: ":"))
                scanner.skipSpace()
                if let key = Self.known(scanner.bytes, name) {
                    for earlier in values where earlier.key == key { throw NotFlat() }
                    values.append((key, try readValue(&scanner, keep: true)))
                } else {
                    for earlier in unknown where Self.equal(scanner.bytes, earlier, name) { throw NotFlat() }
                    unknown.append(name)
                    _ = try readValue(&scanner, keep: false)
                }
                scanner.skipSpace()
                if scanner.current == UInt8(ascii: ",") {
                    scanner.at += 1
                    scanner.skipSpace()
                    continue
                }
                try scanner.expect(UInt8(ascii: "}"))
                break
            }
        }
        scanner.skipSpace()
        guard scanner.at == scanner.bytes.count else { throw NotFlat() }
    }

    /// A key of plain ASCII without escapes (every key the record knows is one).
    private func readKey(_ scanner: inout Scanner) throws -> Range<Int> {
        try scanner.expect(UInt8(ascii: "\""))
        let start = scanner.at
        while let byte = scanner.current, byte != UInt8(ascii: "\"") {
            guard byte >= 0x20, byte < 0x80, byte != UInt8(ascii: "\\") else { throw NotFlat() }
            scanner.at += 1
        }
        try scanner.expect(UInt8(ascii: "\""))
        return start..<(scanner.at - 1)
    }

    private mutating func readValue(_ scanner: inout Scanner, keep: Bool) throws -> Value {
        switch scanner.current {
        case UInt8(ascii: "\"")?: return .string(try readString(&scanner, keep: keep))
        case UInt8(ascii: "t")?: try scanner.expectWord("true"); return .bool(true)
        case UInt8(ascii: "f")?: try scanner.expectWord("false"); return .bool(false)
        case UInt8(ascii: "n")?: try scanner.expectWord("null"); return .null
        case let byte? where byte == UInt8(ascii: "-") || (byte >= 0x30 && byte <= 0x39):
            return .integer(try readInteger(&scanner))
        default: throw NotFlat()   // an array, an object, or not JSON
        }
    }

    /// A whole number as JSON writes it, within 64 bits; not `-0`, a fraction or an exponent.
    private func readInteger(_ scanner: inout Scanner) throws -> Int64 {
        var negative = false
        if scanner.current == UInt8(ascii: "-") { negative = true; scanner.at += 1 }
        guard let first = scanner.current, first >= 0x30, first <= 0x39 else { throw NotFlat() }
        var value: Int64 = 0
        if first == 0x30 {
            scanner.at += 1
            guard !negative else { throw NotFlat() }
        } else {
            while let byte = scanner.current, byte >= 0x30, byte <= 0x39 {
                let digit = Int64(byte - 0x30)
                let (times, overflowTimes) = value.multipliedReportingOverflow(by: 10)
                let (sum, overflowSum) = negative ? times.subtractingReportingOverflow(digit) : times.addingReportingOverflow(digit)
                guard !overflowTimes, !overflowSum else { throw NotFlat() }
                value = sum
                scanner.at += 1
            }
        }
        if let next = scanner.current, next == UInt8(ascii: ".") || next == UInt8(ascii: "e") || next == UInt8(ascii: "E")
            || (next >= 0x30 && next <= 0x39) {
            throw NotFlat()
        }
        return value
    }

    /// A string (the line is valid UTF-8 already): escapes decoded, surrogate pairs joined; a lone
    /// surrogate, `\u0000` or a raw control character steps aside.
    private mutating func readString(_ scanner: inout Scanner, keep: Bool) throws -> String {
        try scanner.expect(UInt8(ascii: "\""))
        let start = scanner.at
        var plain = true
        while let byte = scanner.current, byte != UInt8(ascii: "\"") {
            guard byte >= 0x20 else { throw NotFlat() }
            if byte == UInt8(ascii: "\\") {
                if plain {
                    plain = false
                    escaped.removeAll(keepingCapacity: true)
                    escaped.append(contentsOf: UnsafeBufferPointer(rebasing: scanner.bytes[start..<scanner.at]))
                }
                scanner.at += 1
                try readEscape(&scanner)
            } else {
                if !plain { escaped.append(byte) }
                scanner.at += 1
            }
        }
        let end = scanner.at
        try scanner.expect(UInt8(ascii: "\""))
        guard keep else { return "" }
        if plain { return String(decoding: UnsafeBufferPointer(rebasing: scanner.bytes[start..<end]), as: UTF8.self) }
        return String(decoding: escaped, as: UTF8.self)
    }

    private mutating func readEscape(_ scanner: inout Scanner) throws {
        guard let byte = scanner.current else { throw NotFlat() }
        scanner.at += 1
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): escaped.append(byte)
        case UInt8(ascii: "b"): escaped.append(0x08)
        case UInt8(ascii: "f"): escaped.append(0x0C)
        case UInt8(ascii: "n"): escaped.append(0x0A)
        case UInt8(ascii: "r"): escaped.append(0x0D)
        case UInt8(ascii: "t"): escaped.append(0x09)
        case UInt8(ascii: "u"):
            var code = try Self.hex4(&scanner)
            if (0xD800...0xDBFF).contains(code) {
                try scanner.expect(UInt8(ascii: "\\"))
                try scanner.expect(UInt8(ascii: "u"))
                let low = try Self.hex4(&scanner)
                guard (0xDC00...0xDFFF).contains(low) else { throw NotFlat() }
                code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
            } else if (0xDC00...0xDFFF).contains(code) || code == 0 {
                throw NotFlat()
            }
            guard let scalar = Unicode.Scalar(code) else { throw NotFlat() }
            escaped.append(contentsOf: String(Character(scalar)).utf8)
        default: throw NotFlat()
        }
    }

    private static func hex4(_ scanner: inout Scanner) throws -> UInt32 {
        var value: UInt32 = 0
        for _ in 0..<4 {
            guard let byte = scanner.current else { throw NotFlat() }
            let digit: UInt8
            switch byte {
            case 0x30...0x39: digit = byte - 0x30
            case 0x41...0x46: digit = byte - 0x41 + 10
            case 0x61...0x66: digit = byte - 0x61 + 10
            default: throw NotFlat()
            }
            value = value << 4 | UInt32(digit)
            scanner.at += 1
        }
        return value
    }

    // MARK: Keys

    /// The record's keys by length, as bytes: a key on the line is compared with those of its length only.
    private static let keysByLength: [[(Key, [UInt8])]] = {
        var table = Array(repeating: [(Key, [UInt8])](), count: 32)
        for key in Key.allCases { table[key.rawValue.utf8.count].append((key, Array(key.rawValue.utf8))) }
        return table
    }()

    private static func known(_ bytes: UnsafeBufferPointer<UInt8>, _ name: Range<Int>) -> Key? {
        guard name.count < keysByLength.count else { return nil }
        candidates: for (key, spelled) in keysByLength[name.count] {
            for offset in 0..<name.count where bytes[name.lowerBound + offset] != spelled[offset] { continue candidates }
            return key
        }
        return nil
    }

    private static func equal(_ bytes: UnsafeBufferPointer<UInt8>, _ one: Range<Int>, _ other: Range<Int>) -> Bool {
        guard one.count == other.count else { return false }
        for offset in 0..<one.count where bytes[one.lowerBound + offset] != bytes[other.lowerBound + offset] { return false }
        return true
    }
}

extension JSONLRecord {
    /// The record on a flat line (`FlatJSONLine`), or nil when the line must go through
    /// `JSONDecoder`: whatever that would read differently or refuse, including a time that is not
    /// one, is left to it, so its reasons stay the only ones.
    static func flat(_ line: [UInt8], reader: inout FlatJSONLine, zone: TimeZone) -> JSONLRecord? {
        guard reader.read(line) else { return nil }
        return try? JSONLRecord(flat: reader, zone: zone)
    }

    /// As `NotFlat`: the decoder reads the line instead.
    private struct WrongShape: SysexitsError { var exitClass: ExitClass { .dataError } }

    /// Mirrors `init(from:)`: the same fields for the same types, the fields only some types have
    /// for those types only. Any other type of value steps aside (the order of the checks does not
    /// matter: whatever fails here, the decoder reports).
    private init(flat: FlatJSONLine, zone: TimeZone) throws {
        func string(_ value: FlatJSONLine.Value) throws -> String? {
            switch value {
            case .null: return nil
            case .string(let text): return text
            default: throw WrongShape()
            }
        }
        func integer(_ value: FlatJSONLine.Value) throws -> Int? {
            switch value {
            case .null: return nil
            case .integer(let number): return Int(number)
            default: throw WrongShape()
            }
        }
        func bool(_ value: FlatJSONLine.Value) throws -> Bool? {
            switch value {
            case .null: return nil
            case .bool(let flag): return flag
            default: throw WrongShape()
            }
        }
        func time(_ value: FlatJSONLine.Value) throws -> Date? {
            switch value {
            case .null: return nil
            case .string(let text):
                guard let date = ImportTime.parse(text, timeZone: zone) else { throw WrongShape() }
                return date
            case .integer(let seconds): return Date(timeIntervalSince1970: TimeInterval(seconds))
            case .bool: throw WrongShape()
            }
        }
        /// A nested field (a transcript, attachments, consents, a hold): only null reads the same here.
        func absent(_ value: FlatJSONLine.Value) throws {
            guard case .null = value else { throw WrongShape() }
        }
        self.init()
        var kind: String?
        for (key, value) in flat.values where key == .type {
            type = try string(value)
            kind = type?.lowercased()
        }
        for (key, value) in flat.values {
            switch key {
            case .type: break
            case .id:
                if case .integer(let number) = value { id = String(number) } else { id = try string(value) }
            case .name: name = try string(value)
            case .phone: phone = try string(value)
            case .email: email = try string(value)
            case .optedOutAt: optedOutAt = try time(value)
            case .optOutKeyword: optOutKeyword = try string(value)
            case .direction: direction = try string(value)
            case .from: from = try string(value)
            case .to: to = try string(value)
            case .callerName: callerName = try string(value)
            case .startedAt: startedAt = try time(value)
            case .durationSeconds: durationSeconds = try integer(value)
            case .outcome: outcome = try string(value)
            case .handledBy: handledBy = try string(value)
            case .summary: summary = try string(value)
            case .recording: recording = try string(value)
            case .jobDetails: jobDetails = try string(value)
            case .contact:
                switch value {
                case .null: contact = .none
                case .string(let text): contact = .record(text)
                case .integer(let number): contact = .record(String(number))
                case .bool: throw WrongShape()
                }
            case .channel: channel = try string(value)
            case .senderName: senderName = try string(value)
            case .sentAt: sentAt = try time(value)
            case .body: body = try string(value)
            case .subject: subject = try string(value)
            case .thread: thread = try string(value)
            case .status: status = try string(value)
            case .transcript, .attachments: try absent(value)
            case .consents: if kind == "contact" { try absent(value) }
            case .legalHold: if kind == "call" { try absent(value) }
            case .createdAt: if kind == "contact" { createdAt = try time(value) }
            case .restrictedAt: if kind == "contact" { restrictedAt = try time(value) }
            case .restrictionReason: if kind == "contact" { restrictionReason = try string(value) }
            case .objectedAt: if kind == "contact" { objectedAt = try time(value) }
            case .staff: if kind == "call" { staff = try string(value) }
            case .recordingState: if kind == "call" { recordingState = try string(value) }
            case .recordingPurgedAt: if kind == "call" { recordingPurgedAt = try time(value) }
            case .recordingCreatedAt: if kind == "call" { recordingCreatedAt = try time(value) }
            case .autoSent: if kind == "message" { autoSent = try bool(value) }
            case .unread: if kind == "message" { unread = try bool(value) }
            case .source: if kind == "review" { source = try string(value) }
            case .author: if kind == "review" { author = try string(value) }
            case .stars: if kind == "review" { stars = try integer(value) }
            case .text: if kind == "review" { text = try string(value) }
            case .postedAt: if kind == "review" { postedAt = try time(value) }
            case .replyText: if kind == "review" { replyText = try string(value) }
            case .repliedAt: if kind == "review" { repliedAt = try time(value) }
            case .requestType: if kind == "request" { requestType = try string(value) }
            case .receivedAt: if kind == "request" { receivedAt = try time(value) }
            case .dueAt: if kind == "request" { dueAt = try time(value) }
            case .completedBy: if kind == "request" { completedBy = try string(value) }
            case .completedAt: if kind == "request" { completedAt = try time(value) }
            case .notes: if kind == "request" { notes = try string(value) }
            case .firstDueAt: if kind == "request" { firstDueAt = try time(value) }
            case .extensionReason: if kind == "request" { extensionReason = try string(value) }
            case .extendedBy: if kind == "request" { extendedBy = try string(value) }
            case .extendedAt: if kind == "request" { extendedAt = try time(value) }
            }
        }
    }
}
