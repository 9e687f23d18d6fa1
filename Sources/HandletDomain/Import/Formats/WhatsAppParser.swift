import Foundation

/// A WhatsApp chat export (`.txt`, issue 24), Android's `31/08/2023, 14:05 - Name: text` and
/// iOS's `[31/08/2023, 14:05:12] Name: text`, in the date and clock styles of any locale:
/// day-, month- or year-first dates with `/`, `.` or `-`, two- or four-digit years, 24-hour or
/// 12-hour clocks with their AM/PM words (`PM`, `p. m.`, `nachm.`, `午後` …), the narrow no-break
/// space and the direction marks newer exports write, CRLF or LF. A line that does not start a
/// message continues the one before. System lines (the encryption notice, group changes) carry
/// no sender and are skipped. Media lines become attachment names.
///
/// A chat export has no phone numbers: `from`/`to` carry participant names (and `senderName`);
/// the thread is the file. `me` names the business's participant: its messages are outbound.
/// Whether dates are day- or month-first is read from the file (a day over 12, else the order
/// that keeps the messages in time order, else the locale's habit: `.` day-first, AM/PM
/// month-first, otherwise day-first) unless `dateOrder` says.
public struct WhatsAppParser: RecordParser {
    public var me: String?
    public var dateOrder: DateOrder?
    public var timeZone: TimeZone
    /// Messages held while the date order is still unknown, at most (and at most `maxHeldBytes` of them).
    public var maxHeldMessages = 5000
    public var maxHeldBytes = 8 << 20
    /// A message's text is kept up to this many bytes.
    public var maxMessageBytes = 256 * 1024

    public init(me: String? = nil, dateOrder: DateOrder? = nil, timeZone: TimeZone = .current) {
        self.me = me?.trimmingCharacters(in: .whitespaces)
        self.dateOrder = dateOrder
        self.timeZone = timeZone
    }

    struct Header {
        var a: Int, aDigits: Int, b: Int, c: Int, cDigits: Int
        var separator: Character
        var hour: Int, minute: Int, second: Int
        var meridiem: Meridiem?
        var unknownMarker: String?
        /// What follows the date and time.
        var rest: String
    }

    enum Meridiem { case am, pm }

    /// A message being read, or read and waiting for the date order.
    struct Pending {
        var header: Header
        var sender: String?
        var lines: [String]
        var bytes: Int
        var firstLine: Int
        var raw: [String]
    }

    public mutating func parse(_ input: InputStream, file: String, emit: (ParsedLine) throws -> Void,
                               bytesRead: (Int) -> Void) throws {
        var reader = ByteLineReader(input, file: file)
        var context = Context(parser: self, file: file)
        var current: Pending?
        var reported = 0
        while let line = try reader.next() {
            if reader.totalRead != reported { reported = reader.totalRead; bytesRead(reported) }
            let text = line.text
            if let header = Self.header(text) {
                if let done = current { try context.finished(done, emit: emit) }
                var sender: String? = nil
                var body = header.rest
                if let (name, message) = Self.splitSender(header.rest) { sender = name; body = message }
                current = Pending(header: header, sender: sender, lines: [body], bytes: body.utf8.count,
                                  firstLine: line.number, raw: [text])
            } else if current != nil {
                if current!.bytes < maxMessageBytes {
                    current!.lines.append(text)
                    current!.bytes += text.utf8.count + 1
                    current!.raw.append(text)
                }
            } else if !Self.isBlank(text) {
                try emit(.rejected(RejectedLine(position: SourcePosition(file: file, line: line.number), text: text,
                                                reason: "It comes before the first message and does not start with a date and time.")))
            }
        }
        if let done = current { try context.finished(done, emit: emit) }
        try context.flush(emit: emit)
    }

    /// The state across messages: the date order once known, messages held until it is, who spoke last.
    struct Context {
        let parser: WhatsAppParser
        let file: String
        var order: DateOrder?
        var held: [Pending] = []
        var heldBytes = 0
        var lastOther: String?
        let chatName: String?
        /// The chat's name as imports before session 11 read it (from the file's name only), for
        /// `legacyKey`.
        let legacyChatName: String?
        /// Which chat this is, in every message's key: two chats where the same person sent the
        /// same text in the same minute hold two messages. The chat's name (from the file's name,
        /// or the folder an iOS `_chat.txt` was unzipped into), else the folder and file names.
        let conversation: String
        /// The messages read so far, by minute, then by sender and text: the second "ok" a sender
        /// wrote within one minute is a second message, not a duplicate (`occurrenceKey`). Kept for
        /// the last three hours of the chat, so the hour the clocks go back, and times a phone wrote
        /// out of order, still count; older minutes are let go, so memory stays flat.
        var occurrences: [Int64: [String: Int]] = [:]
        var newestMinute: Int64 = .min

        init(parser: WhatsAppParser, file: String) {
            self.parser = parser
            self.file = file
            self.order = parser.dateOrder
            let folder = ((file as NSString).deletingLastPathComponent as NSString).lastPathComponent
            legacyChatName = WhatsAppParser.chatName(fromFile: file)
            self.chatName = legacyChatName ?? WhatsAppParser.chatName(fromFile: folder + ".txt")
            self.conversation = chatName.map { "chat:" + $0 } ?? "file:" + folder + "/" + (file as NSString).lastPathComponent
        }

        mutating func finished(_ message: Pending, emit: (ParsedLine) throws -> Void) throws {
            if order == nil {
                if let decided = WhatsAppParser.decisiveOrder(message.header) {
                    order = decided
                } else {
                    held.append(message)
                    heldBytes += message.bytes
                    if held.count >= parser.maxHeldMessages || heldBytes >= parser.maxHeldBytes { try flush(emit: emit) }
                    return
                }
            }
            try flush(emit: emit)
            if let line = parsedLine(message) { try emit(line) }
        }

        mutating func flush(emit: (ParsedLine) throws -> Void) throws {
            guard !held.isEmpty else { return }
            if order == nil { order = WhatsAppParser.guessOrder(held.map(\.header)) }
            let messages = held
            held.removeAll()
            heldBytes = 0
            for message in messages { if let line = parsedLine(message) { try emit(line) } }
        }

        mutating func parsedLine(_ message: Pending) -> ParsedLine? {
            let position = SourcePosition(file: file, line: message.firstLine)
            func reject(_ reason: String) -> ParsedLine {
                .rejected(RejectedLine(position: position, text: message.raw.joined(separator: "\n"), reason: reason))
            }
            let header = message.header
            if let marker = header.unknownMarker {
                return reject("Its time's marker \"\(marker.prefix(12))\" is not a known AM/PM word (a 24-hour time has none).")
            }
            guard let date = WhatsAppParser.date(header, order: order ?? .dmy, zone: parser.timeZone) else {
                return reject("Its date and time do not exist (read \((order ?? .dmy).rawValue); --date-order may fix it).")
            }
            guard let sender = message.sender else { return nil }   // a system line
            var lines = message.lines
            var attachments: [String] = []
            if let (name, caption) = WhatsAppParser.attachment(lines[0]) {
                attachments.append(name)
                lines[0] = caption
                if caption.isEmpty { lines.removeFirst() }
            }
            if attachments.isEmpty, message.lines[0].unicodeScalars.first == "\u{200E}" || WhatsAppParser.isSystemText(message.lines[0]) {
                return nil   // iOS writes group events and the encryption notice with a sender and a direction mark
            }
            let body = lines.joined(separator: "\n")
            let outbound = parser.me.map { $0.caseInsensitiveCompare(sender) == .orderedSame } ?? false
            if !outbound { lastOther = sender }
            let other = chatName ?? lastOther ?? ""
            let to = outbound ? other : (parser.me ?? "")
            let (key, first) = occurrenceKey(outbound: outbound, from: sender, to: to, sentAt: date, body: body, attachments: attachments)
            var incoming = IncomingMessage(
                externalId: key, channel: .whatsapp, direction: outbound ? .outbound : .inbound,
                from: sender, to: to, senderName: sender, sentAt: date, body: body,
                threadKey: file, attachments: attachments, deliveryStatus: outbound ? .sent : .received)
            if first {
                let legacyTo = outbound ? (legacyChatName ?? lastOther ?? "") : (parser.me ?? "")
                incoming.legacyKey = Self.legacyKey(outbound: outbound, from: sender, to: legacyTo, sentAt: date, body: body, file: file)
            }
            return .record(.message(incoming), position)
        }

        /// The key imports before session 11 gave a chat message: the import path's content hash of
        /// a message without an id, the file's path as given on the command line among its fields
        /// (no chat, no count: the second identical message of a minute was taken for the first and
        /// never stored, so only a minute's first has one).
        static func legacyKey(outbound: Bool, from: String, to: String, sentAt: Date, body: String, file: String) -> String {
            ImportKeys.contentKey(["message", Channel.whatsapp.rawValue, outbound ? "outbound" : "inbound", from, to,
                                   String(Int64(sentAt.timeIntervalSince1970)), body, file])
        }

        /// A chat message has no id: its import key is the hash of which chat it is in, what it
        /// says, who sent it to whom, and when, and not of the file's path, so the same chat
        /// exported again (to another folder, or later with more messages) is recognised message
        /// by message. The same sender writing the same text twice in one minute (a chat's times
        /// are to the minute) is told apart by its count within that minute, the same in every
        /// export of it.
        /// Also says whether this is the minute's first such message.
        mutating func occurrenceKey(outbound: Bool, from: String, to: String, sentAt: Date, body: String,
                                    attachments: [String]) -> (key: String, first: Bool) {
            let minute = Int64(sentAt.timeIntervalSince1970)
            var fields = ["message", "whatsapp", conversation, outbound ? "outbound" : "inbound", from, to,
                          String(minute), body] + attachments
            let seen = "\(from)\u{0}\(fields.dropFirst(7).joined(separator: "\u{0}"))"
            let earlier = occurrences[minute]?[seen] ?? 0
            occurrences[minute, default: [:]][seen] = earlier + 1
            if minute > newestMinute {
                newestMinute = minute
                if occurrences.count > 512 { occurrences = occurrences.filter { $0.key >= minute - 3 * 3600 } }
            }
            if earlier > 0 { fields.append("#\(earlier + 1)") }
            return (ImportKeys.contentKey(fields), earlier == 0)
        }

    }

    // MARK: - Reading a line

    static let invisible: Set<Unicode.Scalar> = ["\u{200E}", "\u{200F}", "\u{FEFF}", "\u{202A}", "\u{202B}", "\u{202C}",
                                                 "\u{202D}", "\u{202E}", "\u{2066}", "\u{2067}", "\u{2068}", "\u{2069}"]
    static let spaces: Set<Unicode.Scalar> = [" ", "\u{202F}", "\u{00A0}", "\u{2009}", "\t"]

    static func isBlank(_ text: String) -> Bool {
        text.unicodeScalars.allSatisfy { spaces.contains($0) || invisible.contains($0) }
    }

    static let amWords: Set<String> = ["am", "a", "vorm", "fm", "πμ", "ص", "午前", "上午", "오전", "de", "sa", "ق.ظ", "قبلالظهر", "dop"]
    static let pmWords: Set<String> = ["pm", "p", "nachm", "em", "μμ", "م", "午後", "下午", "오후", "du", "ch", "ب.ظ", "بعدالظهر", "odp"]

    static func meridiem(_ word: String) -> Meridiem? {
        let key = String(word.lowercased().unicodeScalars.filter { !spaces.contains($0) && $0 != "." && !invisible.contains($0) })
        if amWords.contains(key) { return .am }
        if pmWords.contains(key) { return .pm }
        return nil
    }

    /// The date and time a message line starts with, or nil for a continuation line.
    static func header(_ line: String) -> Header? {
        let s = Array(line.unicodeScalars)
        var i = 0
        func skip(_ set: Set<Unicode.Scalar>) { while i < s.count, set.contains(s[i]) { i += 1 } }
        func number(_ maxDigits: Int) -> (Int, Int)? {
            var value = 0, count = 0
            while i < s.count, count < maxDigits, s[i].isASCII, let d = Int(String(s[i])) { value = value * 10 + d; count += 1; i += 1 }
            return count == 0 ? nil : (value, count)
        }
        skip(invisible)
        let bracketed = i < s.count && s[i] == "["
        if bracketed { i += 1; skip(invisible) }
        guard let (a, aDigits) = number(4), i < s.count, "/.-".unicodeScalars.contains(s[i]) else { return nil }
        let separator = Character(s[i]); i += 1
        guard let (b, _) = number(2), i < s.count, Character(s[i]) == separator else { return nil }
        i += 1
        guard let (c, cDigits) = number(4), aDigits == 4 || cDigits == 2 || cDigits == 4, aDigits <= 2 || aDigits == 4 else { return nil }
        if i < s.count, s[i] == ".", separator == "." { i += 1 }
        let beforeComma = i
        if i < s.count, s[i] == "," { i += 1 }
        skip(spaces.union(invisible))
        guard i > beforeComma else { return nil }
        // A marker written before the time (Chinese, Japanese, Korean).
        var marker: Meridiem? = nil
        for word in ["午前", "午後", "上午", "下午", "오전", "오후"] {
            let w = Array(word.unicodeScalars)
            if i + w.count <= s.count, Array(s[i..<(i + w.count)]) == w { marker = meridiem(word); i += w.count; skip(spaces) }
        }
        guard let (hour, _) = number(2), i < s.count, s[i] == ":", hour <= 24 else { return nil }
        i += 1
        guard let (minute, minuteDigits) = number(2), minuteDigits == 2 else { return nil }
        var second = 0
        if i < s.count, s[i] == ":" {
            i += 1
            guard let (sec, secDigits) = number(2), secDigits == 2 else { return nil }
            second = sec
        }
        // The AM/PM word, up to the end of the header.
        var word = String.UnicodeScalarView()
        let restStart: Int
        if bracketed {
            guard let close = s[i...].firstIndex(of: "]"), close - i <= 16 else { return nil }
            word.append(contentsOf: s[i..<close])
            restStart = close + 1
        } else {
            var j = i
            var found: Int? = nil
            while j < s.count, j - i <= 16 {
                if s[j] == "-" || s[j] == "\u{2013}" {
                    let before = j == i || spaces.contains(s[j - 1])
                    let after = j + 1 == s.count || spaces.contains(s[j + 1])
                    if before, after { found = j; break }
                }
                j += 1
            }
            guard let dash = found else { return nil }
            word.append(contentsOf: s[i..<dash])
            restStart = dash + 1
        }
        var restIndex = restStart
        if restIndex < s.count, spaces.contains(s[restIndex]) { restIndex += 1 }
        var header = Header(a: a, aDigits: aDigits, b: b, c: c, cDigits: cDigits, separator: separator,
                            hour: hour, minute: minute, second: second, meridiem: marker, unknownMarker: nil,
                            rest: String(String.UnicodeScalarView(s[restIndex...])))
        let wordText = String(word)
        if !isBlank(wordText) {
            if let m = meridiem(wordText) { header.meridiem = m } else { header.unknownMarker = wordText.trimmingCharacters(in: .whitespaces) }
        }
        return header
    }

    /// `Name: text` → (name, text); nil for a system line (no sender).
    static func splitSender(_ rest: String) -> (String, String)? {
        guard let colon = rest.range(of: ": ") ?? (rest.hasSuffix(":") ? rest.range(of: ":", options: .backwards) : nil) else { return nil }
        let name = String(rest[..<colon.lowerBound]).unicodeScalars.filter { !invisible.contains($0) }
        let sender = String(String.UnicodeScalarView(name)).trimmingCharacters(in: .whitespaces)
        guard !sender.isEmpty, sender.count <= 80, !sender.contains("\"") else { return nil }
        return (sender, String(rest[colon.upperBound...]))
    }

    static let systemPhrases = ["Messages and calls are end-to-end encrypted", "Messages to this chat and calls are now secured",
                                "Messages to this group are now secured", "Nachrichten und Anrufe sind Ende-zu-Ende-verschlüsselt",
                                "Los mensajes y las llamadas están cifrados de extremo a extremo"]

    static func isSystemText(_ text: String) -> Bool {
        systemPhrases.contains(where: { text.contains($0) })
    }

    static let omittedMedia: Set<String> = ["<Media omitted>", "<Medien ausgeschlossen>", "<Multimedia omitido>",
                                            "<Media weggelaten>", "<Médias omis>", "<Media omessi>", "<Mídia oculta>",
                                            "<Arquivo de mídia oculto>", "<Medya dahil edilmedi>"]
    static let iosOmitted = ["image omitted", "video omitted", "audio omitted", "sticker omitted", "GIF omitted",
                             "document omitted", "Contact card omitted"]

    /// A media line's attachment name and what is left of the line (a caption).
    static func attachment(_ first: String) -> (String, String)? {
        let line = String(String.UnicodeScalarView(first.unicodeScalars.filter { !invisible.contains($0) }))
            .trimmingCharacters(in: .whitespaces)
        if omittedMedia.contains(line) { return (String(line.dropFirst().dropLast()), "") }
        if let phrase = iosOmitted.first(where: { line == $0 || line.hasSuffix(" " + $0) }) {
            let caption = line == phrase ? "" : String(line.dropLast(phrase.count)).trimmingCharacters(in: .whitespaces)
            return (phrase, caption)
        }
        if let open = line.range(of: "<attached: "), let close = line[open.upperBound...].firstIndex(of: ">") {
            let name = String(line[open.upperBound..<close])
            let caption = (String(line[..<open.lowerBound]) + String(line[line.index(after: close)...]))
                .trimmingCharacters(in: .whitespaces)
            return (name, caption)
        }
        for suffix in [" (file attached)", " (Datei angehängt)", " (archivo adjunto)", " (fichier joint)", " (bestand bijgevoegd)"]
        where line.hasSuffix(suffix) {
            return (String(line.dropLast(suffix.count)), "")
        }
        return nil
    }

    // MARK: - Dates

    /// The order a header alone proves (a 4-digit first part, a first part over 12, a second over 12).
    static func decisiveOrder(_ h: Header) -> DateOrder? {
        if h.aDigits == 4 { return .ymd }
        if h.a > 12, h.b <= 12 { return .dmy }
        if h.b > 12, h.a <= 12 { return .mdy }
        return nil
    }

    static func guessOrder(_ headers: [Header]) -> DateOrder {
        if headers.contains(where: { $0.aDigits == 4 }) { return .ymd }
        func inOrder(_ order: DateOrder) -> Bool {
            var last = Date.distantPast
            let utc = TimeZone(identifier: "UTC")!
            for h in headers {
                guard let d = date(h, order: order, zone: utc) else { return false }
                if d < last { return false }
                last = d
            }
            return true
        }
        let dmy = inOrder(.dmy), mdy = inOrder(.mdy)
        if dmy != mdy { return dmy ? .dmy : .mdy }
        guard let first = headers.first else { return .dmy }
        if first.separator == "." { return .dmy }
        if first.meridiem != nil { return .mdy }
        return .dmy
    }

    static func date(_ h: Header, order: DateOrder, zone: TimeZone) -> Date? {
        var day: Int, month: Int, year: Int, yearDigits: Int
        switch order {
        case .dmy: (day, month, year, yearDigits) = (h.a, h.b, h.c, h.cDigits)
        case .mdy: (day, month, year, yearDigits) = (h.b, h.a, h.c, h.cDigits)
        case .ymd: (day, month, year, yearDigits) = (h.c, h.b, h.a, h.aDigits)
        }
        if h.aDigits == 4, order != .ymd { (day, month, year, yearDigits) = (h.c, h.b, h.a, h.aDigits) }
        if yearDigits == 2 { year += 2000 } else if yearDigits != 4 { return nil }
        var hour = h.hour
        if let m = h.meridiem {
            guard (1...12).contains(hour) else { return nil }
            hour = m == .am ? (hour == 12 ? 0 : hour) : (hour == 12 ? 12 : hour + 12)
        }
        guard hour < 24 else { return nil }
        return ImportDates.date(year: year, month: month, day: day, hour: hour, minute: h.minute, second: h.second,
                                offset: nil, zone: zone)
    }

    /// `WhatsApp Chat with Jane Smith.txt` → "Jane Smith"; an iOS `_chat.txt` has no name.
    static func chatName(fromFile file: String) -> String? {
        var name = (file as NSString).lastPathComponent
        if name.lowercased().hasSuffix(".txt") { name = String(name.dropLast(4)) }
        for prefix in ["WhatsApp Chat with ", "WhatsApp Chat - ", "WhatsApp-Chat mit ", "Chat de WhatsApp con ",
                       "Discussion WhatsApp avec ", "WhatsApp-chat met "] where name.hasPrefix(prefix) {
            return String(name.dropFirst(prefix.count))
        }
        return nil
    }
}
