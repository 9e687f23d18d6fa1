import Foundation

/// A mailbox file (issue 24): RFC 4155 mbox, messages separated by `From ` lines (after a blank
/// line, or at the start) with `>From ` unquoted in bodies; a lone `.eml` message reads as a
/// mailbox of one. Headers are unfolded and their RFC 2047 encoded words decoded in any charset
/// Foundation converts; a multipart body is reduced to its first text/plain part (else its
/// text/html part without the markup), quoted-printable and base64 decoded, converted to UTF-8
/// with bytes that do not convert replaced (never an error); other parts' file names become
/// attachment names. Threads are rebuilt from `Message-ID`, `In-Reply-To` and `References`: a
/// message's thread key is its thread's root Message-ID. Addresses in `me` are the business:
/// mail from them is outbound.
///
/// Memory: one message (its first `maxMessageBytes`), and the thread roots of the Message-IDs seen
/// (up to `maxRememberedThreads`).
public struct MboxParser: RecordParser {
    public var me: Set<String>
    public var maxMessageBytes = 16 << 20
    public var maxRememberedThreads = 500_000

    public init(me: [String] = []) {
        self.me = Set(me.map { $0.trimmingCharacters(in: .whitespaces).lowercased() })
    }

    public mutating func parse(_ input: InputStream, file: String, emit: (ParsedLine) throws -> Void,
                               bytesRead: (Int) -> Void) throws {
        var reader = ByteLineReader(input, file: file)
        var roots: [String: String] = [:]
        var message: [[UInt8]] = []
        var messageBytes = 0
        var messageLine = 0
        var inMessage = false
        var previousBlank = true
        var reported = 0
        let fromPrefix: [UInt8] = Array("From ".utf8)

        func finish() throws {
            defer { message.removeAll(keepingCapacity: true); messageBytes = 0 }
            guard inMessage else { return }
            let position = SourcePosition(file: file, line: messageLine)
            if let line = Self.parsedLine(message, position: position, me: me, roots: &roots, maxRoots: maxRememberedThreads) {
                try emit(line)
            }
        }

        while let line = try reader.next() {
            if reader.totalRead != reported { reported = reader.totalRead; bytesRead(reported) }
            let bytes = line.bytes
            if bytes.starts(with: fromPrefix), previousBlank || !inMessage {
                try finish()
                inMessage = true
                messageLine = line.number
                message.append(bytes)
                previousBlank = false
                continue
            }
            if !inMessage {
                if bytes.isEmpty { previousBlank = true; continue }
                if line.number == 1 || previousBlank, Self.looksLikeHeader(bytes) {
                    // A message without an mbox envelope (an .eml file).
                    inMessage = true
                    messageLine = line.number
                    message.append([])
                } else {
                    try emit(.rejected(RejectedLine(position: SourcePosition(file: file, line: line.number), text: line.text,
                                                    reason: "It comes before the first \"From \" line of the mailbox.")))
                    previousBlank = false
                    continue
                }
            }
            previousBlank = bytes.isEmpty
            if messageBytes < maxMessageBytes {
                message.append(bytes)
                messageBytes += bytes.count + 1
            }
        }
        try finish()
    }

    static func looksLikeHeader(_ bytes: [UInt8]) -> Bool {
        guard let colon = bytes.firstIndex(of: 0x3A), colon > 0 else { return false }
        return bytes[..<colon].allSatisfy { $0 > 0x20 && $0 < 0x7F }
    }

    // MARK: - One message

    static func parsedLine(_ lines: [[UInt8]], position: SourcePosition, me: Set<String>,
                           roots: inout [String: String], maxRoots: Int) -> ParsedLine? {
        func reject(_ reason: String) -> ParsedLine {
            let text = lines.prefix(200).map { String(decoding: $0, as: UTF8.self) }.joined(separator: "\n")
            return .rejected(RejectedLine(position: position, text: text, reason: reason))
        }
        let envelope = lines.first ?? []
        // Body lines lose one `>` of a quoted `>From ` (mboxrd; mboxo's `>From ` is read the same way).
        var content = Array(lines.dropFirst())
        var headerEnd = content.firstIndex(where: { $0.isEmpty }) ?? content.count
        if headerEnd < content.count {
            for i in (headerEnd + 1)..<content.count where content[i].first == 0x3E {
                let line = content[i]
                var j = 0
                while j < line.count, line[j] == 0x3E { j += 1 }
                if line[j...].starts(with: Array("From ".utf8)) { content[i].removeFirst() }
            }
        }
        // Trailing blank line before the next separator belongs to the mbox, not the message.
        while content.count > headerEnd + 1, content.last?.isEmpty == true { content.removeLast() }
        if content.isEmpty { return reject("The message is empty.") }
        headerEnd = content.firstIndex(where: { $0.isEmpty }) ?? content.count
        let entity = MIMEEntity(headerLines: content[..<headerEnd], body: content.dropFirst(min(headerEnd + 1, content.count)))
        if entity.headers.isEmpty { return reject("The message has no headers.") }

        guard let fromHeader = entity.header("from"), let from = EmailAddress.parseList(fromHeader).first else {
            return reject("It has no From address.")
        }
        let to = entity.header("to").flatMap { EmailAddress.parseList($0).first }
        var sent: Date? = entity.header("date").flatMap { ImportDates.rfc2822(Substring($0)) }
        if sent == nil {
            let envelopeText = String(decoding: envelope, as: UTF8.self)
            let parts = envelopeText.split(separator: " ", maxSplits: 2)
            if parts.count == 3 { sent = ImportDates.rfc2822(parts[2]) }
        }
        guard let sent else {
            return reject(entity.header("date").map { "Its Date \"\($0.prefix(40))\" is not an RFC 2822 date." } ?? "It has no Date.")
        }
        let messageID = entity.header("message-id").flatMap { MessageIDs.parse($0).first }
        let references = entity.header("references").map(MessageIDs.parse) ?? []
        let inReplyTo = entity.header("in-reply-to").flatMap { MessageIDs.parse($0).first }
        var root: String? = messageID
        if let first = references.first { root = roots[first] ?? first } else if let parent = inReplyTo { root = roots[parent] ?? parent }
        if let messageID, let root, roots.count < maxRoots { roots[messageID] = root }

        var text = MIMEText()
        text.collect(entity, depth: 0)
        let body = text.plain ?? text.html.map(HTML.strip) ?? ""
        let outbound = me.contains(from.address.lowercased())
        return .record(.message(IncomingMessage(
            externalId: messageID, channel: .email, direction: outbound ? .outbound : .inbound, from: from.address,
            to: to?.address ?? "", senderName: from.name, sentAt: sent, body: body,
            subject: entity.header("subject"), threadKey: root, attachments: text.attachments,
            deliveryStatus: outbound ? .sent : .received)), position)
    }
}

/// A MIME entity: unfolded, decoded headers and the raw lines of its body.
struct MIMEEntity {
    var headers: [(name: String, value: String)] = []
    var body: ArraySlice<[UInt8]>

    init(headerLines: ArraySlice<[UInt8]>, body: ArraySlice<[UInt8]>) {
        self.body = body
        var raw: [[UInt8]] = []
        for line in headerLines {
            if let first = line.first, first == 0x20 || first == 0x09, !raw.isEmpty {
                raw[raw.count - 1].append(contentsOf: line)
            } else {
                raw.append(line)
            }
        }
        for line in raw {
            guard let colon = line.firstIndex(of: 0x3A), colon > 0 else { continue }
            let name = String(decoding: line[..<colon], as: UTF8.self).trimmingCharacters(in: .whitespaces).lowercased()
            let value = Charsets.text(Array(line[(colon + 1)...]), charset: nil).trimmingCharacters(in: .whitespaces)
            headers.append((name, name == "content-type" || name == "content-disposition" ? value : EncodedWords.decode(value)))
        }
    }

    func header(_ name: String) -> String? {
        headers.first(where: { $0.name == name })?.value
    }

    /// `text/plain; charset="utf-8"` → ("text/plain", ["charset": "utf-8"]).
    static func parameters(_ value: String) -> (String, [String: String]) {
        var parts: [String] = []
        var current = "", quoted = false
        for c in value {
            if c == "\"" { quoted.toggle(); continue }
            if c == ";", !quoted { parts.append(current); current = ""; continue }
            current.append(c)
        }
        parts.append(current)
        let type = parts[0].trimmingCharacters(in: .whitespaces).lowercased()
        var params: [String: String] = [:]
        for part in parts.dropFirst() {
            guard let eq = part.firstIndex(of: "=") else { continue }
            var key = part[..<eq].trimmingCharacters(in: .whitespaces).lowercased()
            var value = String(part[part.index(after: eq)...]).trimmingCharacters(in: .whitespaces)
            if key.hasSuffix("*") {   // RFC 2231: charset'lang'percent-encoded
                key.removeLast()
                let pieces = value.split(separator: "'", maxSplits: 2, omittingEmptySubsequences: false)
                if pieces.count == 3 {
                    let bytes = Charsets.percentDecoded(String(pieces[2]))
                    value = Charsets.text(bytes, charset: String(pieces[0]))
                }
            } else {
                value = EncodedWords.decode(value)
            }
            if params[key] == nil { params[key] = value }
        }
        return (type, params)
    }
}

/// Walks a MIME tree for the first text/plain and text/html parts and the attachments' names.
struct MIMEText {
    var plain: String?
    var html: String?
    var attachments: [String] = []

    mutating func collect(_ entity: MIMEEntity, depth: Int) {
        let (type, params) = MIMEEntity.parameters(entity.header("content-type") ?? "text/plain")
        let (disposition, dispositionParams) = MIMEEntity.parameters(entity.header("content-disposition") ?? "")
        let fileName = dispositionParams["filename"] ?? params["name"]
        if type.hasPrefix("multipart/"), let boundary = params["boundary"], !boundary.isEmpty, depth < 12 {
            for part in Self.parts(entity.body, boundary: boundary) {
                let end = part.firstIndex(where: { $0.isEmpty }) ?? part.endIndex
                let body = end < part.endIndex ? part[(end + 1)...] : part[part.endIndex...]
                collect(MIMEEntity(headerLines: part[..<end], body: body), depth: depth + 1)
            }
            return
        }
        if disposition == "attachment" || (fileName != nil && !type.hasPrefix("text/")) {
            attachments.append(fileName ?? type)
            return
        }
        if type == "text/plain" || type.isEmpty || type == "text", plain == nil {
            plain = decodedText(entity, charset: params["charset"])
        } else if type == "text/html", html == nil {
            html = decodedText(entity, charset: params["charset"])
        } else if let fileName {
            attachments.append(fileName)
        }
    }

    func decodedText(_ entity: MIMEEntity, charset: String?) -> String {
        let encoding = (entity.header("content-transfer-encoding") ?? "").trimmingCharacters(in: .whitespaces).lowercased()
        let bytes: [UInt8]
        switch encoding {
        case "base64":
            var joined = [UInt8]()
            for line in entity.body { joined.append(contentsOf: line) }
            bytes = Charsets.base64Decoded(joined)
        case "quoted-printable": bytes = Charsets.quotedPrintableDecoded(entity.body)
        default:
            var joined = [UInt8]()
            for (i, line) in entity.body.enumerated() {
                if i > 0 { joined.append(0x0A) }
                joined.append(contentsOf: line)
            }
            bytes = joined
        }
        return Charsets.text(bytes, charset: charset).replacingOccurrences(of: "\r\n", with: "\n")
    }

    /// The parts between `--boundary` lines, up to `--boundary--`.
    static func parts(_ body: ArraySlice<[UInt8]>, boundary: String) -> [ArraySlice<[UInt8]>] {
        let open = Array(("--" + boundary).utf8)
        let close = open + Array("--".utf8)
        var parts: [ArraySlice<[UInt8]>] = []
        var start: Int? = nil
        for i in body.indices {
            let line = body[i]
            let trimmed = line.last == 0x20 || line.last == 0x09 ? Array(line.reversed().drop(while: { $0 == 0x20 || $0 == 0x09 }).reversed()) : line
            if trimmed == close {
                if let s = start { parts.append(body[s..<i]) }
                return parts
            }
            if trimmed == open {
                if let s = start { parts.append(body[s..<i]) }
                start = i + 1
            }
        }
        if let s = start { parts.append(body[s..<body.endIndex]) }
        return parts
    }
}

struct EmailAddress: Equatable {
    var name: String?
    var address: String

    /// `Jane Smith <jane@example.com>, "Smith, John" <john@example.com>, bob@example.com (Bob)`.
    static func parseList(_ text: String) -> [EmailAddress] {
        var items: [String] = []
        var current = "", quoted = false, angle = 0, comment = 0
        for c in text {
            if c == "\"" { quoted.toggle() } else if !quoted {
                if c == "<" { angle += 1 } else if c == ">" { angle = max(0, angle - 1) }
                else if c == "(" { comment += 1 } else if c == ")" { comment = max(0, comment - 1) }
                else if c == ",", angle == 0, comment == 0 { items.append(current); current = ""; continue }
            }
            current.append(c)
        }
        items.append(current)
        return items.compactMap(parse)
    }

    static func parse(_ item: String) -> EmailAddress? {
        let text = item.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty else { return nil }
        if let open = text.lastIndex(of: "<"), let close = text[open...].firstIndex(of: ">") {
            let address = text[text.index(after: open)..<close].trimmingCharacters(in: .whitespaces)
            guard !address.isEmpty else { return nil }
            var name = text[..<open].trimmingCharacters(in: .whitespaces)
            if name.hasPrefix("\""), name.hasSuffix("\""), name.count >= 2 { name = String(name.dropFirst().dropLast()) }
            return EmailAddress(name: name.isEmpty ? nil : name, address: address)
        }
        var address = text, name: String? = nil
        if let open = text.firstIndex(of: "("), let close = text.lastIndex(of: ")"), open < close {
            name = text[text.index(after: open)..<close].trimmingCharacters(in: .whitespaces)
            address = (String(text[..<open]) + String(text[text.index(after: close)...])).trimmingCharacters(in: .whitespaces)
        }
        guard address.contains("@") else { return nil }
        return EmailAddress(name: name?.isEmpty == true ? nil : name, address: address)
    }
}

enum MessageIDs {
    /// `<a@b> <c@d>` → ["a@b", "c@d"]; a bare id without brackets is kept whole.
    static func parse(_ text: String) -> [String] {
        var ids: [String] = []
        var rest = Substring(text)
        while let open = rest.firstIndex(of: "<"), let close = rest[open...].firstIndex(of: ">") {
            let id = rest[rest.index(after: open)..<close].trimmingCharacters(in: .whitespaces)
            if !id.isEmpty { ids.append(id) }
            rest = rest[rest.index(after: close)...]
        }
        if ids.isEmpty {
            let bare = text.trimmingCharacters(in: .whitespaces)
            if !bare.isEmpty, !bare.contains(" ") { ids.append(bare) }
        }
        return ids
    }
}

/// RFC 2047 encoded words: `=?UTF-8?B?…?=`, `=?ISO-8859-1?Q?…?=`; adjacent words join without
/// the white space between them, and their bytes decode together (a character may straddle two).
enum EncodedWords {
    static func decode(_ text: String) -> String {
        guard text.contains("=?") else { return text }
        var output = ""
        var literal = ""
        var pending: (charset: String, bytes: [UInt8])? = nil
        func flush() {
            if let p = pending { output += Charsets.text(p.bytes, charset: p.charset); pending = nil }
        }
        var i = text.startIndex
        while i < text.endIndex {
            if text[i] == "=", let word = word(text, at: i) {
                if pending != nil, literal.allSatisfy({ $0 == " " || $0 == "\t" || $0 == "\r\n" || $0 == "\n" }) {
                    // Only white space between two encoded words: dropped.
                } else {
                    flush()
                    output += literal
                }
                literal = ""
                if pending?.charset == word.charset { pending!.bytes += word.bytes } else { flush(); pending = (word.charset, word.bytes) }
                i = word.end
            } else {
                literal.append(text[i])
                i = text.index(after: i)
            }
        }
        flush()
        return output + literal
    }

    /// The encoded word starting at `start` (`=?charset?B?payload?=`), or nil if there is none.
    static func word(_ text: String, at start: String.Index) -> (charset: String, bytes: [UInt8], end: String.Index)? {
        let rest = text[start...]
        guard rest.hasPrefix("=?") else { return nil }
        let afterOpen = rest.index(start, offsetBy: 2)
        guard let q1 = rest[afterOpen...].prefix(64).firstIndex(of: "?"), q1 > afterOpen else { return nil }
        var charset = rest[afterOpen..<q1].lowercased()
        guard !charset.contains(" ") else { return nil }
        if let star = charset.firstIndex(of: "*") { charset = String(charset[..<star]) }
        let encodingIndex = rest.index(after: q1)
        guard encodingIndex < rest.endIndex else { return nil }
        let encoding = rest[encodingIndex]
        let q2 = rest.index(after: encodingIndex)
        guard q2 < rest.endIndex, rest[q2] == "?" else { return nil }
        let payloadStart = rest.index(after: q2)
        guard let close = rest[payloadStart...].range(of: "?=") else { return nil }
        let payload = Array(rest[payloadStart..<close.lowerBound].utf8)
        switch encoding {
        case "B", "b": return (charset, Charsets.base64Decoded(payload), close.upperBound)
        case "Q", "q": return (charset, Charsets.qDecoded(payload), close.upperBound)
        default: return nil
        }
    }
}

/// Byte-level decoding: transfer encodings and charsets.
enum Charsets {
    /// Bytes in a named charset as text; a charset Foundation does not know, or bytes that do not
    /// convert, fall back to UTF-8 with U+FFFD for what is not.
    static func text(_ bytes: [UInt8], charset: String?) -> String {
        let name = (charset ?? "utf-8").trimmingCharacters(in: .whitespaces).lowercased()
        if name == "utf-8" || name == "utf8" || name == "us-ascii" || name == "ascii" || bytes.allSatisfy({ $0 < 0x80 }) {
            return String(decoding: bytes, as: UTF8.self)
        }
        let aliases: [String: String] = ["latin1": "iso-8859-1", "iso-8859-15": "iso-8859-1", "latin-1": "iso-8859-1",
                                         "cp1252": "windows-1252", "cp1250": "windows-1250", "cp1251": "windows-1251"]
        if let encoding = String.Encoding(ianaName: aliases[name] ?? name), let text = String(bytes: bytes, encoding: encoding) {
            return text
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    static func hex(_ byte: UInt8) -> UInt8? {
        switch byte {
        case 0x30...0x39: byte - 0x30
        case 0x41...0x46: byte - 0x41 + 10
        case 0x61...0x66: byte - 0x61 + 10
        default: nil
        }
    }

    static func base64Decoded(_ bytes: [UInt8]) -> [UInt8] {
        var clean = bytes.filter { ($0 >= 0x41 && $0 <= 0x5A) || ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2B || $0 == 0x2F }
        clean.removeLast(clean.count % 4 == 1 ? 1 : 0)
        while clean.count % 4 != 0 { clean.append(0x3D) }
        return Data(base64Encoded: Data(clean)).map { [UInt8]($0) } ?? []
    }

    /// RFC 2047's Q: quoted-printable with `_` for a space.
    static func qDecoded(_ bytes: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        var i = 0
        while i < bytes.count {
            let b = bytes[i]
            if b == 0x5F { out.append(0x20) } else if b == 0x3D, i + 2 < bytes.count, let h = hex(bytes[i + 1]), let l = hex(bytes[i + 2]) {
                out.append(h << 4 | l); i += 2
            } else { out.append(b) }
            i += 1
        }
        return out
    }

    static func quotedPrintableDecoded(_ lines: ArraySlice<[UInt8]>) -> [UInt8] {
        var out: [UInt8] = []
        for (n, raw) in lines.enumerated() {
            var line = raw[...]
            while let last = line.last, last == 0x20 || last == 0x09 { line = line.dropLast() }
            var soft = false
            if line.last == 0x3D { soft = true; line = line.dropLast() }
            var i = line.startIndex
            while i < line.endIndex {
                let b = line[i]
                if b == 0x3D, i + 2 < line.endIndex, let h = hex(line[i + 1]), let l = hex(line[i + 2]) {
                    out.append(h << 4 | l); i += 3
                } else { out.append(b); i += 1 }
            }
            if !soft, n < lines.count - 1 { out.append(0x0A) }
        }
        return out
    }

    static func percentDecoded(_ text: String) -> [UInt8] {
        let bytes = Array(text.utf8)
        var out: [UInt8] = []
        var i = 0
        while i < bytes.count {
            if bytes[i] == 0x25, i + 2 < bytes.count, let h = hex(bytes[i + 1]), let l = hex(bytes[i + 2]) {
                out.append(h << 4 | l); i += 3
            } else { out.append(bytes[i]); i += 1 }
        }
        return out
    }
}

/// An HTML part's text: tags dropped (scripts and styles with their content), the common entities
/// decoded, block ends as line breaks, runs of blank lines squeezed.
enum HTML {
    static func strip(_ html: String) -> String {
        var out = ""
        var i = html.startIndex
        var skipping: String? = nil
        while i < html.endIndex {
            let c = html[i]
            if c == "<" {
                guard let close = html[i...].firstIndex(of: ">") else { break }
                let tag = html[html.index(after: i)..<close].lowercased()
                let name = tag.split(whereSeparator: { $0 == " " || $0 == "/" || $0 == "\n" || $0 == "\t" }).first.map(String.init) ?? ""
                if let s = skipping {
                    if tag.hasPrefix("/" + s) { skipping = nil }
                } else if name == "script" || name == "style" {
                    skipping = name
                } else if ["br", "p", "/p", "div", "/div", "tr", "/tr", "li", "h1", "h2", "h3", "/h1", "/h2", "/h3"].contains(tag.hasPrefix("/") ? "/" + name : name) {
                    out.append("\n")
                }
                i = html.index(after: close)
                continue
            }
            if skipping == nil { out.append(c) }
            i = html.index(after: i)
        }
        out = entities(out)
        var lines: [String] = []
        for line in out.split(separator: "\n", omittingEmptySubsequences: false) {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty, lines.last?.isEmpty ?? true { continue }
            lines.append(trimmed)
        }
        while lines.last?.isEmpty == true { lines.removeLast() }
        return lines.joined(separator: "\n")
    }

    static func entities(_ text: String) -> String {
        guard text.contains("&") else { return text }
        var out = ""
        var rest = Substring(text)
        let named = ["amp": "&", "lt": "<", "gt": ">", "quot": "\"", "apos": "'", "nbsp": " ", "pound": "£", "euro": "€"]
        while let amp = rest.firstIndex(of: "&") {
            out += rest[..<amp]
            let after = rest[rest.index(after: amp)...]
            if let semi = after.prefix(10).firstIndex(of: ";") {
                let name = String(after[..<semi])
                var replacement: String? = named[name]
                if name.hasPrefix("#") {
                    let digits = name.dropFirst()
                    let value = digits.hasPrefix("x") || digits.hasPrefix("X") ? UInt32(digits.dropFirst(), radix: 16) : UInt32(digits)
                    replacement = value.flatMap(Unicode.Scalar.init).map { String(Character($0)) }
                }
                if let replacement { out += replacement; rest = after[after.index(after: semi)...]; continue }
            }
            out += "&"
            rest = after
        }
        return out + rest
    }
}
