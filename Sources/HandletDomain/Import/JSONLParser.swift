import Foundation

/// Reads a stream line by line in constant memory: LF or CRLF endings, a UTF-8 byte-order mark
/// at the start dropped, each line's bytes handed over with its 1-based number and whether it
/// ended with a newline (the last line of a file cut off mid-line did not). A line longer than
/// `maximumLineBytes` is handed over cut at that length and marked `tooLong`, the rest skipped.
struct StreamLineReader {
    static let maximumLineBytes = 16 << 20

    struct Line {
        var bytes: [UInt8]
        var number: Int
        var endedWithNewline: Bool
        var tooLong: Bool
    }

    private let input: InputStream
    private var buffer = [UInt8](repeating: 0, count: 1 << 16)
    private var pending: [UInt8] = []
    private var start = 0
    private var count = 0
    private var lineNumber = 0
    private var atStart = true
    private var finished = false
    private(set) var bytesRead = 0

    init(_ input: InputStream) { self.input = input }

    mutating func next() throws -> Line? {
        var current: [UInt8] = []
        var tooLong = false
        while true {
            if start == count {
                if finished { break }
                let read = input.read(&buffer, maxLength: buffer.count)
                if read < 0 { throw input.streamError ?? CocoaError(.fileReadUnknown) }
                if read == 0 { finished = true; break }
                start = 0
                count = read
                bytesRead += read
                if atStart {
                    atStart = false
                    if count >= 3, buffer[0] == 0xEF, buffer[1] == 0xBB, buffer[2] == 0xBF { start = 3 }
                }
            }
            let newline = buffer[start..<count].firstIndex(of: 0x0A)
            let end = newline ?? count
            if !tooLong {
                let room = Self.maximumLineBytes - current.count
                if end - start > room {
                    current.append(contentsOf: buffer[start..<(start + room)])
                    tooLong = true
                } else {
                    current.append(contentsOf: buffer[start..<end])
                }
            }
            if let newline {
                start = newline + 1
                lineNumber += 1
                if current.last == 0x0D { current.removeLast() }
                return Line(bytes: current, number: lineNumber, endedWithNewline: true, tooLong: tooLong)
            }
            start = count
        }
        guard !current.isEmpty || tooLong else { return nil }
        lineNumber += 1
        if current.last == 0x0D { current.removeLast() }
        return Line(bytes: current, number: lineNumber, endedWithNewline: false, tooLong: tooLong)
    }
}

/// handlet's own JSON Lines (docs/import.md): one JSON object per line, its `type` one of
/// `contact`, `call` or `message`, its `id` the record's id in the system it came from. Blank
/// lines are skipped; every other line is a record or a rejected line with its reason.
struct JSONLParser: RecordParser {
    let options: ImportParserOptions

    init(_ options: ImportParserOptions) { self.options = options }

    mutating func parse(_ input: InputStream, file: String, emit: (ParsedLine) throws -> Void,
                        bytesRead: (Int) -> Void) throws {
        var reader = StreamLineReader(input)
        let decoder = JSONDecoder()
        decoder.userInfo[JSONLRecord.timeZoneKey] = options.timeZone
        var flat = FlatJSONLine()
        var reported = 0
        while let line = try reader.next() {
            let position = SourcePosition(file: file, line: line.number)
            if reader.bytesRead - reported >= 1 << 16 {
                reported = reader.bytesRead
                bytesRead(reported)
            }
            if line.bytes.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { continue }
            func reject(_ reason: String) throws {
                try emit(.rejected(RejectedLine(position: position, text: String(decoding: line.bytes, as: UTF8.self), reason: reason)))
            }
            if line.tooLong {
                try reject("the line is longer than \(StreamLineReader.maximumLineBytes >> 20) MiB"); continue
            }
            guard String(validating: line.bytes, as: UTF8.self) != nil else {
                try reject("the line is not valid UTF-8"); continue
            }
            let record: JSONLRecord
            if let read = JSONLRecord.flat(line.bytes, reader: &flat, zone: options.timeZone) {
                record = read   // the flat shape, read in one pass (FlatJSONLine); else the decoder
            } else {
                do {
                    record = try decoder.decode(JSONLRecord.self, from: Data(line.bytes))
                } catch let error as JSONLRecord.Invalid {
                    try reject(error.reason); continue
                } catch let DecodingError.typeMismatch(_, context), let DecodingError.valueNotFound(_, context) {
                    let field = context.codingPath.map(\.stringValue).joined(separator: ".")
                    try reject(field.isEmpty ? "the line is not a JSON object" : "\(Self.snakeCase(field)) has the wrong type"); continue
                } catch {
                    try reject(line.endedWithNewline ? "the line is not valid JSON"
                               : "the file ends in the middle of this line (not valid JSON)"); continue
                }
            }
            do {
                try emit(.record(try record.incoming(), position))
            } catch let error as JSONLRecord.Invalid {
                try reject(error.reason)
            }
        }
        bytesRead(reader.bytesRead)
    }

    static func snakeCase(_ key: String) -> String {
        var result = ""
        for character in key {
            if character.isUppercase { result += "_" + character.lowercased() } else { result.append(character) }
        }
        return result
    }
}

/// One JSONL line as decoded, every field optional until `incoming()` checks what its type needs.
struct JSONLRecord: Decodable {
    static let timeZoneKey = CodingUserInfoKey(rawValue: "handlet.timeZone")!

    /// A line that is JSON but not a record: bad input data, like any malformed line.
    struct Invalid: SysexitsError, CustomStringConvertible {
        let reason: String
        var exitClass: ExitClass { .dataError }
        var description: String { reason }
    }

    struct Turn: Decodable {
        var speaker: String
        var atMs: Int?
        var text: String

        enum CodingKeys: String, CodingKey { case speaker, text, atMs = "at_ms" }
    }

    struct Consent: Decodable {
        var channel: String
        var givenAt: Date
        var method: String
        var withdrawnAt: Date?

        enum CodingKeys: String, CodingKey { case channel, method, givenAt = "given_at", withdrawnAt = "withdrawn_at" }

        init(from decoder: Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            let zone = decoder.userInfo[JSONLRecord.timeZoneKey] as? TimeZone ?? TimeZone(identifier: "UTC")!
            channel = try container.decode(String.self, forKey: .channel)
            method = try container.decode(String.self, forKey: .method)
            givenAt = try JSONLRecord.time(container, .givenAt, zone) ?? { throw Invalid(reason: "a consent needs given_at") }()
            withdrawnAt = try JSONLRecord.time(container, .withdrawnAt, zone)
        }
    }

    struct Hold: Decodable {
        var reason: String
        var heldAt: Date
        var heldBy: String?

        enum CodingKeys: String, CodingKey { case reason, heldAt = "held_at", heldBy = "held_by" }

        init(from decoder: Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            let zone = decoder.userInfo[JSONLRecord.timeZoneKey] as? TimeZone ?? TimeZone(identifier: "UTC")!
            reason = try container.decode(String.self, forKey: .reason)
            heldAt = try JSONLRecord.time(container, .heldAt, zone) ?? { throw Invalid(reason: "a legal hold needs held_at") }()
            heldBy = try container.decodeIfPresent(String.self, forKey: .heldBy)
        }
    }

    /// An attachment: its file name, or `{"name": …, "bytes": …}`.
    struct AttachmentEntry: Decodable {
        var name: String
        var bytes: Int64

        enum CodingKeys: String, CodingKey { case name, bytes }

        init(from decoder: Decoder) throws {
            if let name = try? decoder.singleValueContainer().decode(String.self) {
                self.name = name
                bytes = 0
                return
            }
            let container = try decoder.container(keyedBy: CodingKeys.self)
            name = try container.decode(String.self, forKey: .name)
            bytes = max(0, try container.decodeIfPresent(Int64.self, forKey: .bytes) ?? 0)
        }
    }

    /// A time field: ISO 8601 text (a missing zone read in `zone`) or whole seconds since 1970.
    static func time<Key: CodingKey>(_ container: KeyedDecodingContainer<Key>, _ key: Key, _ zone: TimeZone) throws -> Date? {
        guard container.contains(key), try !container.decodeNil(forKey: key) else { return nil }
        // Text first: the usual case, and a failed decode costs an error.
        guard let text = try? container.decode(String.self, forKey: key) else {
            return Date(timeIntervalSince1970: TimeInterval(try container.decode(Int64.self, forKey: key)))
        }
        guard let date = ImportTime.parse(text, timeZone: zone) else {
            throw Invalid(reason: "\(JSONLParser.snakeCase(key.stringValue)) \"\(PlainText.echo(text))\" is not a time (give 2026-03-01T09:30:00Z)")
        }
        return date
    }

    var type: String?
    var id: String?
    var name: String?
    var phone: String?
    var email: String?
    var optedOutAt: Date?
    var optOutKeyword: String?
    var direction: String?
    var from: String?
    var to: String?
    var callerName: String?
    var startedAt: Date?
    var durationSeconds: Int?
    var outcome: String?
    var handledBy: String?
    var summary: String?
    var transcript: [Turn]?
    var recording: String?
    var jobDetails: String?
    var contact: ContactLink = .match
    var channel: String?
    var senderName: String?
    var sentAt: Date?
    var body: String?
    var subject: String?
    var thread: String?
    var attachments: [AttachmentEntry]?
    var status: String?
    var createdAt: Date?
    var restrictedAt: Date?
    var restrictionReason: String?
    var objectedAt: Date?
    var consents: [Consent]?
    var staff: String?
    var recordingState: String?
    var recordingPurgedAt: Date?
    var legalHold: Hold?
    var recordingCreatedAt: Date?
    var autoSent: Bool?
    var unread: Bool?
    var source: String?
    var author: String?
    var stars: Int?
    var text: String?
    var postedAt: Date?
    var replyText: String?
    var repliedAt: Date?
    var requestType: String?
    var receivedAt: Date?
    var dueAt: Date?
    var completedBy: String?
    var completedAt: Date?
    var notes: String?
    var firstDueAt: Date?
    var extensionReason: String?
    var extendedBy: String?
    var extendedAt: Date?

    init() {}

    // The snake_case names spelled out: JSONDecoder's key conversion costs more than the decoding.
    enum CodingKeys: String, CodingKey, CaseIterable {
        case type, id, name, phone, email, direction, from, to, outcome, summary, transcript, recording, contact, channel
        case body, subject, thread, attachments, status
        case optedOutAt = "opted_out_at", optOutKeyword = "opt_out_keyword", callerName = "caller_name"
        case startedAt = "started_at", durationSeconds = "duration_seconds", handledBy = "handled_by"
        case jobDetails = "job_details", senderName = "sender_name", sentAt = "sent_at"
        case createdAt = "created_at", restrictedAt = "restricted_at", restrictionReason = "restriction_reason"
        case objectedAt = "objected_at", consents, staff, recordingState = "recording_state"
        case recordingPurgedAt = "recording_purged_at", legalHold = "legal_hold", recordingCreatedAt = "recording_created_at", autoSent = "auto_sent", unread
        case source, author, stars, text, postedAt = "posted_at", replyText = "reply_text", repliedAt = "replied_at"
        case requestType = "request_type", receivedAt = "received_at", dueAt = "due_at", completedBy = "completed_by"
        case completedAt = "completed_at", notes, firstDueAt = "first_due_at", extensionReason = "extension_reason"
        case extendedBy = "extended_by", extendedAt = "extended_at"
    }

    init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let zone = decoder.userInfo[Self.timeZoneKey] as? TimeZone ?? TimeZone(identifier: "UTC")!
        func time(_ key: CodingKeys) throws -> Date? { try Self.time(container, key, zone) }
        type = try container.decodeIfPresent(String.self, forKey: .type)
        // An id may be written as a number; it is kept as text.
        if let text = try? container.decodeIfPresent(String.self, forKey: .id) { id = text }
        else { id = try container.decodeIfPresent(Int64.self, forKey: .id).map(String.init) }
        name = try container.decodeIfPresent(String.self, forKey: .name)
        phone = try container.decodeIfPresent(String.self, forKey: .phone)
        email = try container.decodeIfPresent(String.self, forKey: .email)
        optedOutAt = try time(.optedOutAt)
        optOutKeyword = try container.decodeIfPresent(String.self, forKey: .optOutKeyword)
        direction = try container.decodeIfPresent(String.self, forKey: .direction)
        from = try container.decodeIfPresent(String.self, forKey: .from)
        to = try container.decodeIfPresent(String.self, forKey: .to)
        callerName = try container.decodeIfPresent(String.self, forKey: .callerName)
        startedAt = try time(.startedAt)
        durationSeconds = try container.decodeIfPresent(Int.self, forKey: .durationSeconds)
        outcome = try container.decodeIfPresent(String.self, forKey: .outcome)
        handledBy = try container.decodeIfPresent(String.self, forKey: .handledBy)
        summary = try container.decodeIfPresent(String.self, forKey: .summary)
        transcript = try container.decodeIfPresent([Turn].self, forKey: .transcript)
        recording = try container.decodeIfPresent(String.self, forKey: .recording)
        jobDetails = try container.decodeIfPresent(String.self, forKey: .jobDetails)
        if container.contains(.contact) {
            if try container.decodeNil(forKey: .contact) { contact = .none }
            else if let text = try? container.decode(String.self, forKey: .contact) { contact = .record(text) }
            else { contact = .record(String(try container.decode(Int64.self, forKey: .contact))) }
        }
        channel = try container.decodeIfPresent(String.self, forKey: .channel)
        senderName = try container.decodeIfPresent(String.self, forKey: .senderName)
        sentAt = try time(.sentAt)
        body = try container.decodeIfPresent(String.self, forKey: .body)
        subject = try container.decodeIfPresent(String.self, forKey: .subject)
        thread = try container.decodeIfPresent(String.self, forKey: .thread)
        attachments = try container.decodeIfPresent([AttachmentEntry].self, forKey: .attachments)
        status = try container.decodeIfPresent(String.self, forKey: .status)
        // The fields only some types have: looked up for those types only (a decode per key costs).
        switch type?.lowercased() {
        case "contact":
            createdAt = try time(.createdAt)
            restrictedAt = try time(.restrictedAt)
            restrictionReason = try container.decodeIfPresent(String.self, forKey: .restrictionReason)
            objectedAt = try time(.objectedAt)
            consents = try container.decodeIfPresent([Consent].self, forKey: .consents)
        case "call":
            staff = try container.decodeIfPresent(String.self, forKey: .staff)
            recordingState = try container.decodeIfPresent(String.self, forKey: .recordingState)
            recordingPurgedAt = try time(.recordingPurgedAt)
            legalHold = try container.decodeIfPresent(Hold.self, forKey: .legalHold)
            recordingCreatedAt = try time(.recordingCreatedAt)
        case "message":
            autoSent = try container.decodeIfPresent(Bool.self, forKey: .autoSent)
            unread = try container.decodeIfPresent(Bool.self, forKey: .unread)
        case "review":
            source = try container.decodeIfPresent(String.self, forKey: .source)
            author = try container.decodeIfPresent(String.self, forKey: .author)
            stars = try container.decodeIfPresent(Int.self, forKey: .stars)
            text = try container.decodeIfPresent(String.self, forKey: .text)
            postedAt = try time(.postedAt)
            replyText = try container.decodeIfPresent(String.self, forKey: .replyText)
            repliedAt = try time(.repliedAt)
        case "request":
            requestType = try container.decodeIfPresent(String.self, forKey: .requestType)
            receivedAt = try time(.receivedAt)
            dueAt = try time(.dueAt)
            completedBy = try container.decodeIfPresent(String.self, forKey: .completedBy)
            completedAt = try time(.completedAt)
            notes = try container.decodeIfPresent(String.self, forKey: .notes)
            firstDueAt = try time(.firstDueAt)
            extensionReason = try container.decodeIfPresent(String.self, forKey: .extensionReason)
            extendedBy = try container.decodeIfPresent(String.self, forKey: .extendedBy)
            extendedAt = try time(.extendedAt)
        default:
            break
        }
    }

    private func required<T>(_ value: T?, _ field: String) throws -> T {
        guard let value else { throw Invalid(reason: "a \(type ?? "record") needs \(field)") }
        return value
    }

    private func value<T: RawRepresentable>(_ text: String?, _ field: String, default fallback: T? = nil) throws -> T
    where T.RawValue == String {
        guard let text else {
            if let fallback { return fallback }
            throw Invalid(reason: "a \(type ?? "record") needs \(field)")
        }
        guard let parsed = T(rawValue: text.lowercased()) else { throw Invalid(reason: "\(field) \"\(PlainText.echo(text))\" is not one of the known values") }
        return parsed
    }

    func incoming() throws -> IncomingRecord {
        switch type?.lowercased() {
        case "contact":
            guard name != nil || phone != nil || email != nil else { throw Invalid(reason: "a contact needs a name, phone or email") }
            let consents = try (self.consents ?? []).map { consent in
                IncomingConsent(channel: try value(consent.channel, "consent channel"), givenAt: consent.givenAt,
                                method: consent.method, withdrawnAt: consent.withdrawnAt)
            }
            return .contact(IncomingContact(externalId: id, name: name, phone: phone, email: email, optedOutAt: optedOutAt,
                                            optOutKeyword: optOutKeyword, createdAt: createdAt, restrictedAt: restrictedAt,
                                            restrictionReason: restrictionReason, objectedAt: objectedAt, consents: consents))
        case "call":
            let duration = try required(durationSeconds, "duration_seconds")
            guard duration >= 0 else { throw Invalid(reason: "duration_seconds cannot be negative") }
            let turns = try transcript.map { turns in
                try turns.map { turn in
                    guard let speaker = Self.speakers[turn.speaker.lowercased()] else {
                        throw Invalid(reason: "transcript speaker \"\(PlainText.echo(turn.speaker))\" is not caller, ai_agent, staff or voicemail")
                    }
                    return Transcript.Turn(speaker: speaker, offsetMs: max(0, turn.atMs ?? 0), text: turn.text)
                }
            }
            return .call(IncomingCall(externalId: id, direction: try value(direction, "direction"),
                                      from: try required(from, "from"), to: try required(to, "to"), callerName: callerName,
                                      startedAt: try required(startedAt, "started_at"), durationSeconds: duration,
                                      outcome: try value(outcome, "outcome"), handledBy: try value(handledBy, "handled_by", default: .staff),
                                      summary: summary, transcript: turns.map { Transcript(turns: $0) }, recordingPath: recording,
                                      jobDetails: jobDetails, contact: contact, staff: staff,
                                      recordingState: try recordingState.map { try value($0, "recording_state") },
                                      recordingPurgedAt: recordingPurgedAt,
                                      hold: legalHold.map { IncomingHold(reason: $0.reason, heldAt: $0.heldAt, heldBy: $0.heldBy) },
                                      recordingCreatedAt: recordingCreatedAt))
        case "message":
            return .message(IncomingMessage(externalId: id, channel: try value(channel, "channel"),
                                            direction: try value(direction, "direction"), from: try required(from, "from"),
                                            to: try required(to, "to"), senderName: senderName,
                                            sentAt: try required(sentAt, "sent_at"), body: body ?? "", subject: subject,
                                            threadKey: thread, attachments: (attachments ?? []).map(\.name),
                                            attachmentBytes: (attachments ?? []).map(\.bytes),
                                            deliveryStatus: try status.map { try value($0, "status") }, contact: contact,
                                            autoSent: autoSent ?? false, unread: unread ?? false))
        case "review":
            let stars = try required(self.stars, "stars")
            guard (1...5).contains(stars) else { throw Invalid(reason: "stars must be 1 to 5") }
            return .review(IncomingReview(externalId: id, source: try required(source, "source"), author: try required(author, "author"),
                                          stars: stars, text: text ?? "", postedAt: try required(postedAt, "posted_at"),
                                          replyText: replyText, repliedAt: repliedAt, contact: contact))
        case "request":
            return .request(IncomingRequest(externalId: id, contact: contact, type: try value(requestType, "request_type"),
                                            receivedAt: try required(receivedAt, "received_at"), dueAt: try required(dueAt, "due_at"),
                                            status: try value(status, "status", default: .open), completedBy: completedBy,
                                            completedAt: completedAt, notes: notes, firstDueAt: firstDueAt,
                                            extensionReason: extensionReason, extendedBy: extendedBy, extendedAt: extendedAt))
        case nil:
            throw Invalid(reason: "the line has no \"type\" (contact, call, message, review or request)")
        case let other?:
            throw Invalid(reason: "type \"\(PlainText.echo(other))\" is not contact, call, message, review or request")
        }
    }

    static let speakers: [String: Transcript.Speaker] = ["caller": .caller, "ai_agent": .aiAgent, "staff": .staff, "voicemail": .voicemail]
}
