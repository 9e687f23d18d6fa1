import Foundation

/// A processor notice as a file: a short header between `---` lines, then the Markdown body
/// (format in `docs/notices.md`). Parsing never touches the workspace; every refusal names the
/// file and the line.
///
///     ---
///     id: handlet-dpa
///     kind: dpa
///     title: Data processing agreement
///     version: 2
///     published: 2026-10-15
///     effective: 2026-11-15
///     needs-acknowledgement: yes
///     ---
///     # Body in Markdown …
public struct NoticeFile: Sendable, Equatable {
    /// The GDPR Art. 33(3) particulars a breach notification must carry, and when the processor
    /// became aware of the breach and notified the workspace.
    public struct Breach: Sendable, Equatable, Codable {
        public var becameAwareAt: Date
        public var notifiedAt: Date
        public var nature: String
        public var peopleCategories: String
        public var peopleCount: String
        public var recordCategories: String
        public var recordCount: String
        public var contact: String
        public var consequences: String
        public var measures: String
    }

    public var key: String
    public var kind: NoticeKind
    public var title: String
    public var version: String
    public var publishedAt: Date?
    public var effectiveAt: Date
    public var needsAcknowledgement: Bool
    /// As the header states it; a subprocessor change without one gets 30 days from publication.
    public var objectionDeadline: Date?
    public var breach: Breach?
    /// The Markdown after the header.
    public var body: String
    /// SHA-256 of the file's exact bytes: what an acknowledgement or objection is bound to.
    public var sha256: String
    /// The line of the `version:` field, for "same id and version, other text" refusals.
    public var versionLine: Int

    /// Longest accepted file; a notice is a few pages.
    public static let maximumBytes = 512 * 1024

    static let required = ["id", "kind", "title", "version", "effective", "needs-acknowledgement"]
    static let optional = ["published", "objection-deadline"]
    static let breachFields = ["became-aware-at", "notified-at", "nature", "people-categories", "people-count",
                               "record-categories", "record-count", "contact", "consequences", "measures"]

    /// Parses a file's bytes; `name` is how errors name the file.
    public static func parse(_ data: Data, name: String) throws -> NoticeFile {
        func fail(_ line: Int, _ message: String) -> NoticeFileError { NoticeFileError(file: name, line: line, message: message) }
        guard data.count <= maximumBytes else { throw fail(1, "the file is larger than \(maximumBytes / 1024) KiB") }
        guard let text = String(data: data, encoding: .utf8) else { throw fail(1, "the file is not UTF-8 text") }
        let lines = text.replacingOccurrences(of: "\r\n", with: "\n").split(separator: "\n", omittingEmptySubsequences: false)
            .map(String.init)
        guard lines.first?.trimmingCharacters(in: .whitespaces) == "---" else {
            throw fail(1, "missing header: a notice starts with a line \"---\", then the header fields")
        }
        var fields: [String: (value: String, line: Int)] = [:]
        var closing: Int?
        for index in 1..<lines.count {
            let line = lines[index]
            let number = index + 1
            if line.trimmingCharacters(in: .whitespaces) == "---" { closing = index; break }
            if line.trimmingCharacters(in: .whitespaces).isEmpty || line.hasPrefix("#") { continue }
            guard let colon = line.firstIndex(of: ":") else {
                throw fail(number, "malformed header line: expected \"field: value\"")
            }
            let field = line[..<colon].trimmingCharacters(in: .whitespaces).lowercased()
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            guard required.contains(field) || optional.contains(field) || breachFields.contains(field) else {
                throw fail(number, "unknown header field \"\(PlainText.echo(field))\"")
            }
            guard fields[field] == nil else { throw fail(number, "header field \"\(field)\" appears twice") }
            guard !value.isEmpty else { throw fail(number, "header field \"\(field)\" has no value") }
            guard !value.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
                throw fail(number, "header field \"\(field)\" contains a control character")
            }
            fields[field] = (value, number)
        }
        guard let closing else { throw fail(lines.count, "the header is not closed by a line \"---\"") }
        // A wrong kind says more than the fields it then lacks.
        if let kindField = fields["kind"], NoticeKind(headerValue: kindField.value) == nil {
            throw fail(kindField.line, "unknown kind \"\(PlainText.echo(kindField.value))\" (one of: "
                       + NoticeKind.allCases.map(\.headerValue).joined(separator: ", ") + ")")
        }
        for field in required where fields[field] == nil {
            throw fail(closing + 1, "missing header field \"\(field)\"")
        }
        func value(_ field: String) -> (value: String, line: Int) { fields[field]! }

        let key = value("id")
        guard key.value.count <= 64, key.value.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "-_.".contains($0)) }) else {
            throw fail(key.line, "id \"\(PlainText.echo(key.value))\" must be letters, digits, '-', '_' or '.' (at most 64)")
        }
        let kindField = value("kind")
        guard let kind = NoticeKind(headerValue: kindField.value) else {
            throw fail(kindField.line, "unknown kind \"\(PlainText.echo(kindField.value))\" (one of: "
                       + NoticeKind.allCases.map(\.headerValue).joined(separator: ", ") + ")")
        }
        let title = value("title")
        guard title.value.count <= 200 else { throw fail(title.line, "the title is longer than 200 characters") }
        let version = value("version")
        guard NoticeVersion(version.value) != nil else {
            throw fail(version.line, "version \"\(PlainText.echo(version.value))\" must be numbers separated by dots (1, 2, 1.1)")
        }
        func date(_ field: String) throws -> Date? {
            guard let entry = fields[field] else { return nil }
            guard let parsed = NoticeDate.parse(entry.value) else {
                throw fail(entry.line, "\(field) \"\(PlainText.echo(entry.value))\" is not a date (YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ)")
            }
            return parsed
        }
        let ack = value("needs-acknowledgement")
        let needsAck: Bool
        switch ack.value.lowercased() {
        case "yes", "true": needsAck = true
        case "no", "false": needsAck = false
        default: throw fail(ack.line, "needs-acknowledgement must be yes or no, not \"\(PlainText.echo(ack.value))\"")
        }
        let effective = try date("effective")!
        let published = try date("published")
        let deadline = try date("objection-deadline")
        if let entry = fields["objection-deadline"], kind != .subprocessorChange {
            throw fail(entry.line, "objection-deadline belongs only to a subprocessor_change notice")
        }
        var breach: Breach?
        if kind == .breachNotification {
            for field in breachFields where fields[field] == nil {
                throw fail(closing + 1, "a breach notification needs the header field \"\(field)\"")
            }
            breach = Breach(becameAwareAt: try date("became-aware-at")!, notifiedAt: try date("notified-at")!,
                            nature: value("nature").value, peopleCategories: value("people-categories").value,
                            peopleCount: value("people-count").value, recordCategories: value("record-categories").value,
                            recordCount: value("record-count").value, contact: value("contact").value,
                            consequences: value("consequences").value, measures: value("measures").value)
            if breach!.notifiedAt < breach!.becameAwareAt {
                throw fail(value("notified-at").line, "notified-at is before became-aware-at")
            }
        } else if let stray = breachFields.compactMap({ fields[$0] }).min(by: { $0.line < $1.line }) {
            throw fail(stray.line, "breach fields belong only to a breach_notification notice")
        }
        let body = lines[(closing + 1)...].joined(separator: "\n").trimmingCharacters(in: .newlines)
        guard !body.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw fail(closing + 2, "the notice has no body after its header")
        }
        return NoticeFile(key: key.value, kind: kind, title: title.value, version: version.value, publishedAt: published,
                          effectiveAt: effective, needsAcknowledgement: needsAck, objectionDeadline: deadline,
                          breach: breach, body: body, sha256: SHA256Hex.of(data), versionLine: version.line)
    }
}

/// A notice file refused, with where.
public struct NoticeFileError: SysexitsError, Equatable, CustomStringConvertible, Sendable {
    public let file: String
    public let line: Int
    public let message: String

    public var exitClass: ExitClass { .dataError }

    public var description: String { "\(file):\(line): \(message)" }
}

extension NoticeKind {
    /// How the header names the kind: the stored value (`subprocessor_change`), or with dashes.
    init?(headerValue: String) {
        self.init(rawValue: headerValue.lowercased().replacingOccurrences(of: "-", with: "_"))
    }

    public var headerValue: String { rawValue }

    public var label: String {
        switch self {
        case .dpa: "DPA"
        case .privacyNotice: "Privacy notice"
        case .subprocessorList: "Subprocessors"
        case .subprocessorChange: "Subprocessor change"
        case .breachNotification: "Breach"
        case .policyUpdate: "Policy update"
        case .retentionTable: "Retention table"
        }
    }
}

/// Header dates: a day (`2026-03-01`, midnight UTC) or an instant (`2026-03-01T09:30:00Z`, or with
/// an offset).
public enum NoticeDate {
    public static func parse(_ text: String) -> Date? {
        let value = text.trimmingCharacters(in: .whitespaces)
        if value.count == 10 {
            let parts = value.split(separator: "-", omittingEmptySubsequences: false)
            guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
                  let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]) else { return nil }
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = TimeZone(identifier: "UTC")!
            let components = DateComponents(year: year, month: month, day: day)
            guard components.isValidDate(in: calendar), let date = calendar.date(from: components) else { return nil }
            return date
        }
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        if let date = formatter.date(from: value) { return date }
        // "2026-03-01T09:30Z": no seconds.
        if value.count == 17, value.hasSuffix("Z") {
            return formatter.date(from: String(value.dropLast()) + ":00Z")
        }
        return nil
    }
}

/// A notice version: dot-separated numbers, compared numerically (1.10 after 1.9).
public struct NoticeVersion: Comparable, Sendable, Hashable {
    public let parts: [Int]
    public let text: String

    public init?(_ text: String) {
        let pieces = text.split(separator: ".", omittingEmptySubsequences: false)
        guard !pieces.isEmpty, pieces.count <= 4,
              pieces.allSatisfy({ !$0.isEmpty && $0.count <= 6 && $0.allSatisfy { $0.isASCII && $0.isNumber } }) else { return nil }
        parts = pieces.map { Int($0)! }
        self.text = text
    }

    public static func < (lhs: NoticeVersion, rhs: NoticeVersion) -> Bool {
        for index in 0..<max(lhs.parts.count, rhs.parts.count) {
            let left = index < lhs.parts.count ? lhs.parts[index] : 0
            let right = index < rhs.parts.count ? rhs.parts[index] : 0
            if left != right { return left < right }
        }
        return false
    }

    /// Orders version strings, unparsable ones first.
    static func isOlder(_ lhs: String, than rhs: String) -> Bool {
        switch (NoticeVersion(lhs), NoticeVersion(rhs)) {
        case let (left?, right?): left < right
        case (nil, .some): true
        case (.some, nil): false
        case (nil, nil): lhs < rhs
        }
    }
}
