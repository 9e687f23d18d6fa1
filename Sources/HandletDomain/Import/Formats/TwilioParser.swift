import Foundation

/// Twilio Call and Message resources as the REST API returns them (issue 24): a list page
/// (`{"calls": [...], "next_page_uri": ...}`, pretty-printed or on one line; no page is fetched)
/// or one resource per line (JSON Lines, as bulk exports write them), or a mix of both.
///
/// The file is streamed through a small JSON structure scanner that only finds where each
/// resource begins and ends (strings, escapes, nesting); each resource alone is then decoded by
/// `JSONSerialization`. Memory: one resource (at most `maxRecordBytes`), however long the page.
public struct TwilioParser: RecordParser {
    public enum Kind: String, Sendable {
        case calls, messages
    }

    public var kind: Kind
    /// A resource longer than this is refused (real ones are a few kilobytes).
    public var maxRecordBytes = 1 << 20

    public init(kind: Kind) { self.kind = kind }

    public mutating func parse(_ input: InputStream, file: String, emit: (ParsedLine) throws -> Void,
                               bytesRead: (Int) -> Void) throws {
        var scanner = JSONResourceScanner(listKey: Array(kind.rawValue.utf8), maxRecordBytes: maxRecordBytes)
        var total = 0
        let kind = self.kind
        func handle(_ piece: JSONResourceScanner.Piece) throws {
            switch piece {
            case .resource(let bytes, let line):
                try emit(Self.parsedLine(bytes, line: line, file: file, kind: kind))
            case .broken(let bytes, let line, let reason):
                try emit(.rejected(RejectedLine(position: SourcePosition(file: file, line: line),
                                                text: String(decoding: bytes, as: UTF8.self), reason: reason)))
            }
        }
        try readChunks(input, file: file) { chunk in
            try scanner.feed(chunk, handle)
            total += chunk.count
            bytesRead(total)
        }
        try scanner.finish(handle)
    }

    static func parsedLine(_ bytes: [UInt8], line: Int, file: String, kind: Kind) -> ParsedLine {
        let position = SourcePosition(file: file, line: line)
        func reject(_ reason: String) -> ParsedLine {
            .rejected(RejectedLine(position: position, text: String(decoding: bytes, as: UTF8.self), reason: reason))
        }
        // Bytes that are not UTF-8 become U+FFFD rather than costing the whole record.
        guard let object = (try? JSONSerialization.jsonObject(with: Data(String(decoding: bytes, as: UTF8.self).utf8))) as? [String: Any] else {
            return reject("It is not a well-formed JSON object.")
        }
        let resource = TwilioResource(fields: object)
        do {
            switch kind {
            case .calls: return .record(.call(try resource.call()), position)
            case .messages: return .record(.message(try resource.message()), position)
            }
        } catch let error as TwilioResource.Problem {
            return reject(error.reason)
        } catch {
            return reject("It cannot be read as a Twilio resource.")
        }
    }
}

/// One decoded resource's fields and their mapping onto the domain (documented in docs/import.md).
struct TwilioResource {
    /// Why a resource cannot be a record (it becomes a refused line, exit class data error under --strict).
    struct Problem: SysexitsError {
        var reason: String
        var exitClass: ExitClass { .dataError }
    }

    let fields: [String: Any]

    func string(_ key: String) -> String? {
        switch fields[key] {
        case let s as String: return s.isEmpty ? nil : s
        case let n as NSNumber: return n.stringValue
        default: return nil
        }
    }

    func required(_ key: String) throws -> String {
        guard let value = string(key) else { throw Problem(reason: "It has no \"\(key)\".") }
        return value
    }

    func date(_ key: String) throws -> Date? {
        guard let text = string(key) else { return nil }
        guard let date = TwilioResource.date(text) else {
            throw Problem(reason: "Its \(key) \"\(text.prefix(40))\" is neither an RFC 2822 nor an ISO 8601 date.")
        }
        return date
    }

    static let utc = TimeZone(identifier: "UTC")!

    static func date(_ text: String) -> Date? {
        let trimmed = Substring(text.trimmingCharacters(in: .whitespaces))
        return ImportDates.rfc2822(trimmed, zone: utc) ?? ImportDates.iso8601(trimmed, zone: utc)
    }

    func checkKind(prefixes: [String], other: String, otherFormat: String) throws {
        if let sid = string("sid"), sid.count > 2, !prefixes.contains(where: { sid.hasPrefix($0) }),
           ["CA", "SM", "MM", "IM", "MG"].contains(where: { sid.hasPrefix($0) }) {
            throw Problem(reason: "Its sid \(sid.prefix(34)) is a \(other) (import it as \(otherFormat)).")
        }
    }

    func direction() throws -> Direction {
        let text = try required("direction")
        if text == "inbound" { return .inbound }
        if text.hasPrefix("outbound") { return .outbound }
        throw Problem(reason: "Its direction \"\(text.prefix(40))\" is not inbound or outbound-….")
    }

    func call() throws -> IncomingCall {
        try checkKind(prefixes: ["CA"], other: "message", otherFormat: "twilio-messages")
        let status = try required("status")
        let outcome: CallOutcome
        switch status {
        case "completed": outcome = .messageTaken
        case "busy", "no-answer", "failed": outcome = .missed
        case "canceled": outcome = .abandoned
        case "queued", "ringing", "in-progress", "initiated":
            throw Problem(reason: "The call had not ended (status \(status)).")
        default: throw Problem(reason: "Its status \"\(status.prefix(40))\" is not a Twilio call status.")
        }
        let direction = try direction()
        guard let started = try date("start_time") ?? date("date_created") else {
            throw Problem(reason: "It has no start_time.")
        }
        var duration = 0
        if let text = string("duration") {
            guard let seconds = Int(text), seconds >= 0 else { throw Problem(reason: "Its duration \"\(text.prefix(20))\" is not a number of seconds.") }
            duration = seconds
        } else if let ended = try date("end_time") {
            duration = max(0, Int(ended.timeIntervalSince(started).rounded()))
        }
        return IncomingCall(externalId: string("sid"), direction: direction, from: try required("from"), to: try required("to"),
                            callerName: string("caller_name"), startedAt: started, durationSeconds: duration,
                            outcome: outcome, handledBy: .staff)
    }

    func message() throws -> IncomingMessage {
        try checkKind(prefixes: ["SM", "MM", "IM"], other: "call", otherFormat: "twilio-calls")
        var from = try required("from"), to = try required("to")
        var channel = Channel.sms
        for prefix in ["whatsapp:"] where from.lowercased().hasPrefix(prefix) || to.lowercased().hasPrefix(prefix) {
            channel = .whatsapp
            if from.lowercased().hasPrefix(prefix) { from = String(from.dropFirst(prefix.count)) }
            if to.lowercased().hasPrefix(prefix) { to = String(to.dropFirst(prefix.count)) }
        }
        let status = try required("status")
        let delivery: DeliveryStatus
        switch status {
        case "accepted", "scheduled", "queued": delivery = .queued
        case "sending", "sent", "partially_delivered": delivery = .sent
        case "delivered": delivery = .delivered
        case "read": delivery = .read
        case "receiving", "received": delivery = .received
        case "failed", "undelivered", "canceled": delivery = .failed
        default: throw Problem(reason: "Its status \"\(status.prefix(40))\" is not a Twilio message status.")
        }
        guard let sent = try date("date_sent") ?? date("date_created") else {
            throw Problem(reason: "It has neither date_sent nor date_created.")
        }
        let sid = string("sid")
        var attachments: [String] = []
        if let text = string("num_media") {
            guard let count = Int(text), count >= 0 else { throw Problem(reason: "Its num_media \"\(text.prefix(20))\" is not a count.") }
            attachments = (0..<min(count, 10)).map { "\(sid ?? "media") media \($0 + 1)" }
        }
        return IncomingMessage(externalId: sid, channel: channel, direction: try direction(), from: from, to: to,
                               sentAt: sent, body: string("body") ?? "", attachments: attachments, deliveryStatus: delivery)
    }
}

/// Finds where each JSON resource of a stream begins and ends, without decoding: top-level
/// objects are resources, except one holding `listKey: [ ... ]` (a list page), whose array's
/// objects are. A raw line break inside a string, or (in a file whose records are one per line)
/// a new line inside an unfinished record, breaks that record off: one bad line of a JSON Lines
/// file costs that line only.
struct JSONResourceScanner {
    enum Piece {
        case resource([UInt8], line: Int)
        case broken([UInt8], line: Int, reason: String)
    }

    let listKey: [UInt8]
    let maxRecordBytes: Int

    private var line = 1
    private var depth = 0
    private var inString = false
    private var escaped = false
    /// The record being collected (a top-level object, or a list page's element).
    private var buffer: [UInt8] = []
    private var collecting = false
    private var recordLine = 0
    private var recordDepth = 0
    private var oversize = false
    /// Inside a top-level object that turned out to be a list page (its other keys are skipped).
    private var inPage = false
    private var arrayDepth = -1
    /// Depth-1 key tracking of the current top-level object.
    private var keyBytes: [UInt8] = []
    private var readingKey = false
    private var expectingKey = false
    private var lastKey: [UInt8] = []
    private var afterColon = false
    /// A top-level object ended on the line it began: records come one per line.
    private var oneLinePerRecord = false
    /// Bytes at the top level that are not JSON: collected to the end of their line.
    private var garbage: [UInt8] = []
    private var garbageLine = 0
    private var firstByte = true

    init(listKey: [UInt8], maxRecordBytes: Int) {
        self.listKey = listKey
        self.maxRecordBytes = maxRecordBytes
    }

    mutating func feed(_ chunk: ArraySlice<UInt8>, _ handle: (Piece) throws -> Void) throws {
        for byte in chunk { try step(byte, handle) }
    }

    mutating func finish(_ handle: (Piece) throws -> Void) throws {
        if collecting {
            try handle(.broken(buffer, line: recordLine, reason: "The file ends inside this record (cut off?)."))
        } else if !garbage.isEmpty {
            try flushGarbage(handle)
        } else if depth > 0 && !inPage {
            try handle(.broken([], line: line, reason: "The file ends inside a JSON object (cut off?)."))
        }
        reset()
    }

    private mutating func reset() {
        depth = 0; inString = false; escaped = false; collecting = false; buffer.removeAll(keepingCapacity: true)
        oversize = false; inPage = false; arrayDepth = -1; readingKey = false; expectingKey = false; afterColon = false
        lastKey.removeAll(); keyBytes.removeAll()
    }

    private mutating func append(_ byte: UInt8) {
        guard collecting else { return }
        if buffer.count < maxRecordBytes { buffer.append(byte) } else { oversize = true }
    }

    private mutating func flushGarbage(_ handle: (Piece) throws -> Void) throws {
        let text = garbage
        garbage.removeAll(keepingCapacity: true)
        try handle(.broken(text, line: garbageLine, reason: "It is not a JSON object."))
    }

    private mutating func step(_ byte: UInt8, _ handle: (Piece) throws -> Void) throws {
        if firstByte {
            firstByte = false
            if byte == 0xEF { garbage = [byte]; garbageLine = line; return }   // a BOM's first byte; checked below
        }
        if !garbage.isEmpty {
            if garbage.count < 3, garbage.starts(with: [0xEF, 0xBB, 0xBF].prefix(garbage.count)), [0xBB, 0xBF][garbage.count - 1] == byte {
                garbage.append(byte)
                if garbage.count == 3 { garbage.removeAll() }   // the whole BOM: dropped
                return
            }
            if byte == 0x0A { try flushGarbage(handle); line += 1 } else if garbage.count < maxRecordBytes { garbage.append(byte) }
            return
        }
        if byte == 0x0A {
            if inString {
                // JSON strings hold no raw line break: this record was cut off here.
                try breakOff(handle, reason: "The record breaks off inside a string at the end of the line.")
                line += 1
                return
            }
            if oneLinePerRecord, depth > 0, !inPage {
                try breakOff(handle, reason: "The record does not end on its line.")
                line += 1
                return
            }
            append(byte)
            line += 1
            return
        }
        if inString {
            append(byte)
            if readingKey { if keyBytes.count <= 64 { keyBytes.append(byte) } }
            if escaped { escaped = false; return }
            if byte == 0x5C { escaped = true; return }
            if byte == 0x22 {
                inString = false
                if readingKey {
                    readingKey = false
                    keyBytes.removeLast()
                    lastKey = keyBytes
                }
            }
            return
        }
        switch byte {
        case 0x20, 0x09, 0x0D:
            append(byte)
        case 0x22:   // "
            inString = true
            append(byte)
            if depth == 1, expectingKey { readingKey = true; keyBytes.removeAll(keepingCapacity: true); expectingKey = false }
            afterColon = false
        case 0x7B:   // {
            if depth == 0 {
                collecting = true; buffer.removeAll(keepingCapacity: true); oversize = false
                recordLine = line; recordDepth = 0; inPage = false; lastKey.removeAll()
            } else if inPage, depth == arrayDepth + 1, !collecting {
                collecting = true; buffer.removeAll(keepingCapacity: true); oversize = false
                recordLine = line; recordDepth = depth
            }
            append(byte)
            depth += 1
            if depth == 1 { expectingKey = true }
            afterColon = false
        case 0x5B:   // [
            if depth == 1, afterColon, !inPage, lastKey == listKey {
                // A list page: what came before is the page's envelope, not a record.
                inPage = true; collecting = false; buffer.removeAll(keepingCapacity: true)
                arrayDepth = 1
                depth += 1
                afterColon = false
                return
            }
            if depth == 0 { startGarbage(byte); return }
            append(byte)
            depth += 1
            afterColon = false
        case 0x7D, 0x5D:   // } ]
            if depth == 0 { startGarbage(byte); return }
            append(byte)
            depth -= 1
            afterColon = false
            if inPage, byte == 0x5D, depth == arrayDepth { arrayDepth = -1 }   // the page's array ended
            if collecting, depth == recordDepth {
                collecting = false
                if oversize {
                    try handle(.broken(buffer, line: recordLine, reason: "The record is longer than \(maxRecordBytes / 1024) KiB."))
                } else {
                    try handle(.resource(buffer, line: recordLine))
                }
                if recordDepth == 0, recordLine == line { oneLinePerRecord = true }
                buffer.removeAll(keepingCapacity: true)
            }
            if depth == 0 { inPage = false; expectingKey = false; lastKey.removeAll() }
        case 0x3A:   // :
            append(byte)
            if depth == 1 { afterColon = true }
        case 0x2C:   // ,
            append(byte)
            if depth == 1 { expectingKey = true; afterColon = false }
        default:
            if depth == 0 { startGarbage(byte); return }
            append(byte)
            afterColon = false
        }
    }

    private mutating func startGarbage(_ byte: UInt8) {
        garbage = [byte]
        garbageLine = line
    }

    /// Refuses the record being read, and starts afresh at the top level.
    private mutating func breakOff(_ handle: (Piece) throws -> Void, reason: String) throws {
        if collecting {
            try handle(.broken(buffer, line: recordLine, reason: reason))
        } else {
            try handle(.broken([], line: line, reason: reason))
        }
        reset()
    }
}
