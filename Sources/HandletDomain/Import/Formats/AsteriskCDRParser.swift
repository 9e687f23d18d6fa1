import CSV
import Foundation

/// Asterisk call detail records (issue 24): `Master.csv` as `cdr_csv` writes it (no header, the
/// standard column order, optionally `uniqueid, userfield` and the newer columns after them), or
/// a `cdr_custom` layout named column by column. Rows are read by yaslab/CSV.swift from the
/// stream one at a time; a row that cannot be a call is refused with its line, the rest go on.
///
/// Which side is the business (the call's direction), in order: a number or extension of the
/// business (`ownNumbers`) as `src` (outbound) or `dst` (inbound); a dialplan context named in
/// `outboundContexts`; the usual context names (`from-internal`, `outbound…` out; `from-trunk`,
/// `from-pstn`, `from-did`, `inbound…`, `incoming…` in); an extension (2 to 5 digits) calling a
/// longer number (out); otherwise inbound.
public struct AsteriskCDRParser: RecordParser {
    public static let standardColumns = ["accountcode", "src", "dst", "dcontext", "clid", "channel", "dstchannel",
                                         "lastapp", "lastdata", "start", "answer", "end", "duration", "billsec",
                                         "disposition", "amaflags", "uniqueid", "userfield"]
    /// Names a custom layout may use for columns this parser does not read.
    static let ignoredColumns: Set<String> = ["-", "", "peeraccount", "linkedid", "sequence"]
    static let requiredColumns = ["src", "dst", "start", "disposition"]

    /// nil: `cdr_csv`'s standard layout (at least the first 16 columns).
    public var columns: [String]?
    public var ownNumbers: [String]
    public var outboundContexts: Set<String>
    public var timeZone: TimeZone

    private let index: [String: Int]
    private let minimumFields: Int
    private let ownDigits: Set<String>

    public init(columns: [String]? = nil, ownNumbers: [String] = [], outboundContexts: [String] = [],
                timeZone: TimeZone = .current) throws {
        let names = (columns ?? Self.standardColumns).map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        var index: [String: Int] = [:]
        for (position, name) in names.enumerated() {
            guard Self.standardColumns.contains(name) || Self.ignoredColumns.contains(name) else {
                throw ImportFormatError.unknownColumn(name)
            }
            if index[name] == nil, !Self.ignoredColumns.contains(name) { index[name] = position }
        }
        for name in Self.requiredColumns where index[name] == nil { throw ImportFormatError.missingColumn(name) }
        self.columns = columns
        self.ownNumbers = ownNumbers
        self.outboundContexts = Set(outboundContexts.map { $0.lowercased() })
        self.timeZone = timeZone
        self.index = index
        self.minimumFields = columns == nil ? 16 : names.count
        self.ownDigits = Set(ownNumbers.map(Self.phoneKey).filter { !$0.isEmpty })
    }

    public mutating func parse(_ input: InputStream, file: String, emit: (ParsedLine) throws -> Void,
                               bytesRead: (Int) -> Void) throws {
        let counting = RepairingInputStream(input)
        let reader: CSVReader
        do {
            reader = try CSVReader(stream: counting)
        } catch {
            throw ImportFormatError.unreadableInput(file)
        }
        var line = 1
        var reported = 0
        var first = true
        while let row = reader.next() {
            let rowLine = line
            for field in row { line += Self.lineBreaks(in: field) }
            line += 1
            if counting.count != reported { reported = counting.count; bytesRead(reported) }
            if row.count == 1, row[0].trimmingCharacters(in: .whitespaces).isEmpty { continue }
            if first {
                first = false
                let lowered = Set(row.map { $0.trimmingCharacters(in: .whitespaces).lowercased() })
                if lowered.isSuperset(of: ["src", "dst", "disposition"]) { continue }   // a header someone added
            }
            try emit(parsedLine(row, position: SourcePosition(file: file, line: rowLine)))
        }
        // The reader also notes the end of the stream as an error (`cannotReadFile`); only the stream's own counts.
        if reader.error != nil, counting.failed { throw ImportFormatError.unreadableInput(file) }
        if counting.count != reported { bytesRead(counting.count) }
    }

    static func lineBreaks(in field: String) -> Int {
        var count = 0
        var previousCR = false
        for scalar in field.unicodeScalars {
            if scalar == "\n" { if !previousCR { count += 1 } } else if scalar == "\r" { count += 1 }
            previousCR = scalar == "\r"
        }
        return count
    }

    /// The row as it would be written back (each field quoted where CSV needs it), for the reject report.
    static func text(_ row: [String]) -> String {
        row.map { field in
            field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" })
                ? "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : field
        }.joined(separator: ",")
    }

    func parsedLine(_ row: [String], position: SourcePosition) -> ParsedLine {
        func reject(_ reason: String) -> ParsedLine {
            .rejected(RejectedLine(position: position, text: Self.text(row), reason: reason))
        }
        guard row.count >= minimumFields else {
            return reject(columns == nil
                ? "It has \(row.count) fields; a Master.csv row has at least 16 (cut off?)."
                : "It has \(row.count) fields; the column layout has \(minimumFields) (cut off?).")
        }
        func field(_ name: String) -> String? {
            guard let i = index[name], i < row.count else { return nil }
            let value = row[i].trimmingCharacters(in: .whitespaces)
            return value.isEmpty ? nil : value
        }
        let disposition = (field("disposition") ?? "").uppercased()
        let lastApp = (field("lastapp") ?? "").lowercased()
        let outcome: CallOutcome
        var handledBy = HandledBy.staff
        switch disposition {
        case "ANSWERED":
            outcome = .messageTaken
            if lastApp == "voicemail" { handledBy = .voicemail }
        case "NO ANSWER", "BUSY", "FAILED", "CONGESTION": outcome = .missed
        case "": return reject("It has no disposition.")
        default: return reject("Its disposition \"\(disposition.prefix(30))\" is not ANSWERED, NO ANSWER, BUSY or FAILED.")
        }
        guard let startText = field("start") else { return reject("It has no start time.") }
        guard let started = startDate(startText) else {
            return reject("Its start \"\(startText.prefix(40))\" is not a date and time.")
        }
        var seconds = 0
        for name in ["billsec", "duration"] {
            guard let text = field(name) else { continue }
            guard let value = Int(text), value >= 0 else { return reject("Its \(name) \"\(text.prefix(20))\" is not a number of seconds.") }
            seconds = value
            break
        }
        let (callerName, callerNumber) = Self.splitCallerID(field("clid") ?? "")
        let src = field("src") ?? callerNumber ?? "anonymous"
        guard let dst = field("dst") else { return reject("It has no dst (the number dialled).") }
        return .record(.call(IncomingCall(externalId: field("uniqueid"), direction: direction(src: src, dst: dst, context: field("dcontext")),
                                          from: src, to: dst, callerName: callerName, startedAt: started,
                                          durationSeconds: seconds, outcome: outcome, handledBy: handledBy)), position)
    }

    func startDate(_ text: String) -> Date? {
        if let epoch = Double(text), epoch.isFinite, epoch > 0, epoch < 253_402_300_800, !text.contains("-") {
            return Date(timeIntervalSince1970: epoch)   // up to the end of year 9999
        }
        return ImportDates.iso8601(Substring(text), zone: timeZone)
    }

    func direction(src: String, dst: String, context: String?) -> Direction {
        if !ownDigits.isEmpty {
            if ownDigits.contains(Self.phoneKey(src)) { return .outbound }
            if ownDigits.contains(Self.phoneKey(dst)) { return .inbound }
        }
        let context = (context ?? "").lowercased()
        if outboundContexts.contains(context) { return .outbound }
        if context.contains("from-internal") || context.hasPrefix("outbound") || context.hasPrefix("outgoing") { return .outbound }
        if ["from-trunk", "from-pstn", "from-did", "inbound", "incoming"].contains(where: { context.contains($0) }) { return .inbound }
        let srcDigits = src.filter(\.isASCII).filter(\.isNumber), dstDigits = dst.filter(\.isASCII).filter(\.isNumber)
        if srcDigits.count == src.count, (2...5).contains(src.count), dstDigits.count >= 7 { return .outbound }
        return .inbound
    }

    /// A number's comparable digits: its last nine (a UK number with or without 0 or +44, an extension whole).
    static func phoneKey(_ number: String) -> String {
        let digits = String(number.unicodeScalars.filter { $0.isASCII && CharacterSet.decimalDigits.contains($0) })
        return digits.count > 9 ? String(digits.suffix(9)) : digits
    }

    /// `"Jane Smith" <07700900123>` → ("Jane Smith", "07700900123"); a bare number → (nil, number).
    static func splitCallerID(_ clid: String) -> (name: String?, number: String?) {
        var name = clid, number: String? = nil
        if let open = clid.lastIndex(of: "<"), let close = clid[open...].firstIndex(of: ">") {
            number = String(clid[clid.index(after: open)..<close]).trimmingCharacters(in: .whitespaces)
            name = String(clid[..<open])
        }
        name = name.trimmingCharacters(in: .whitespaces)
        if name.hasPrefix("\""), name.hasSuffix("\""), name.count >= 2 { name = String(name.dropFirst().dropLast()) }
        name = name.trimmingCharacters(in: .whitespaces)
        if number == nil, !name.isEmpty, name.allSatisfy({ $0.isNumber || $0 == "+" }) { return (nil, name) }
        if number?.isEmpty == true { number = nil }
        return (name.isEmpty || name == number ? nil : name, number)
    }
}
