import ArgumentParser
import Foundation
import HandletDomain

/// `handlet import FORMAT FILE...`: records from files, through the domain's one import path.
struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Bring calls, messages and contacts in from files.",
        discussion: """
            FORMAT is one of: \(ImportFormat.allCases.map { "\($0.rawValue) (\($0.summary))" }.joined(separator: "; ")). \
            Contacts are matched by phone number and email, or created. Records already imported are \
            skipped, so importing a file twice, or a later export that overlaps an earlier one, adds only \
            what is new. Lines that cannot be imported are reported with their file, line and reason, and \
            written with the reason to FILE.rejects beside the file; the rest are imported, in batches \
            (a batch is whole or absent if the import is stopped; run it again to finish). See docs/import.md.
            """)

    @OptionGroup var workspace: WorkspaceOptions
    @OptionGroup var acting: ActingUserOptions
    @Argument(help: "The format of the files: \(ImportFormat.allCases.map(\.rawValue).joined(separator: ", ")).")
    var format: String
    @Argument(help: "The files to import.") var files: [String] = []
    @Flag(name: .long, help: "Import nothing if any line is bad.") var strict = false
    @Flag(name: .customLong("dry-run"), help: "Change nothing; report what would be imported.") var dryRun = false
    @Flag(name: .long, help: "Print the summary as JSON.") var json = false
    @Option(name: .long, help: "Who the business is (repeatable): its WhatsApp name, its email addresses (mbox), its own numbers or extensions (asterisk-cdr). Its messages and calls are outbound.")
    var me: [String] = []
    @Option(name: .customLong("date-order"), help: "whatsapp: how the file writes dates when it cannot tell: dmy, mdy or ymd.")
    var dateOrder: String?
    @Option(name: .long, help: "asterisk-cdr: a cdr_custom layout's column names, comma-separated (default: cdr_csv's order).")
    var columns: String?
    @Option(name: .customLong("outbound-context"), help: "asterisk-cdr: a dialplan context whose calls are outbound (repeatable).")
    var outboundContexts: [String] = []
    @Option(name: .customLong("time-zone"), help: "Where times written without a zone were written (default: the business's time zone).")
    var timeZone: String?
    @Option(name: .long, help: .hidden) var batch: Int?
    @Option(name: .customLong("rebuild-search"), help: .hidden) var rebuildSearch: Bool?

    /// Rejected lines shown on standard error before "and N more".
    static let shownRejections = 20

    func validate() throws {
        guard ImportFormat(rawValue: format.lowercased()) != nil else {
            throw ValidationError("\"\(format)\" is not an import format: give one of "
                                  + ImportFormat.allCases.map(\.rawValue).joined(separator: ", ") + ".")
        }
        guard !files.isEmpty else { throw ValidationError("Give at least one file to import.") }
        if let batch, batch < 1 { throw outOfRange("--batch \(batch): give at least 1.") }
        _ = try formatOptions()
    }

    /// The options a format's parser takes, checked before any file is opened.
    func formatOptions() throws -> ImportFormatOptions {
        var options = ImportFormatOptions(me: me, outboundContexts: outboundContexts)
        if let dateOrder {
            guard let order = DateOrder(rawValue: dateOrder.lowercased()) else {
                throw ValidationError("--date-order \"\(dateOrder.prefix(40))\": give dmy, mdy or ymd.")
            }
            options.dateOrder = order
        }
        if let columns {
            let names = columns.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            guard !names.isEmpty, !names.contains(where: \.isEmpty) else {
                throw ValidationError("--columns: give the layout's column names separated by commas.")
            }
            options.columns = names
        }
        if let timeZone {
            guard let zone = TimeZone(identifier: timeZone) else {
                throw ValidationError("--time-zone \"\(timeZone.prefix(40))\" is not a time zone (e.g. Europe/London).")
            }
            options.timeZone = zone
        }
        return options
    }

    func run() throws {
        let format = ImportFormat(rawValue: format.lowercased())!
        let session = try acting.session(in: workspace.open())
        let bar = ProgressBar()
        var shown = 0
        let options = ImportOptions(strict: strict, dryRun: dryRun, batchSize: batch ?? ImportOptions.defaultBatchSize,
                                    rebuildSearchAfter: rebuildSearch, format: try formatOptions(),
                                    formatSetsTimeZone: timeZone != nil)
        let report: ImportReport
        do {
            report = try session.importRecords(files: files, format: format, options: options, progress: { progress in
                switch progress.phase {
                case .reading:
                    let fraction = progress.totalBytes > 0 ? Double(progress.bytesRead) / Double(progress.totalBytes) : 0
                    bar.update("\(Self.megabytes(progress.bytesRead)) of \(Self.megabytes(progress.totalBytes)), "
                               + "\(progress.counts.imported.formatted(.number)) imported", fraction: fraction)
                case .callSearch: bar.update("building the call search", fraction: 1, force: true)
                case .messageSearch: bar.update("building the message search", fraction: 1, force: true)
                }
            }, rejected: { line in
                shown += 1
                guard shown <= Self.shownRejections else { return }
                bar.finish()
                TerminalText.writeError("\(line.position): \(line.reason)")
            })
        } catch {
            bar.finish()
            throw CommandFailure(error)
        }
        bar.finish()
        if shown > Self.shownRejections {
            TerminalText.writeError("… and \(shown - Self.shownRejections) more rejected lines (see the .rejects report beside each file).")
        }
        if json {
            try JSONOutput.print(ImportJSON(report))
        } else {
            print(Self.describe(report))
        }
        if report.total.rejected > 0 {
            throw ExitCode(ExitClass.dataError.rawValue)
        }
    }

    static func megabytes(_ bytes: Int64) -> String {
        String(format: "%.1f MB", Double(bytes) / 1_000_000)
    }

    static func count(_ value: Int, _ one: String, _ many: String? = nil) -> String {
        "\(value.formatted(.number)) " + (value == 1 ? one : many ?? one + "s")
    }

    static func describe(_ report: ImportReport) -> String {
        let total = report.total
        var kinds = [count(total.contacts, "contact"), count(total.calls, "call"), count(total.messages, "message")]
        if total.reviews > 0 { kinds.append(count(total.reviews, "review")) }
        if total.requests > 0 { kinds.append(count(total.requests, "data-subject request")) }
        let what = kinds.joined(separator: ", ")
        var lines: [String] = []
        let files = count(report.files.count, "file")
        if report.dryRun {
            lines.append("Dry run, nothing changed: would import \(count(total.imported, "record")) from \(files) (\(what)).")
        } else if report.strict && !report.stored {
            lines.append("Nothing imported (--strict): \(count(total.rejected, "line was", "lines were")) rejected.")
        } else {
            lines.append("Imported \(count(total.imported, "record")) from \(files) (\(what)).")
        }
        var details = ["\(count(total.duplicates, "duplicate")) skipped", "\(count(total.rejected, "line")) rejected",
                       "\(count(total.contactsCreated, "contact")) created"]
        if total.recordings > 0 { details.append("\(count(total.recordings, "recording")) copied") }
        if total.recordingsNotKept > 0 {
            details.append("\(count(total.recordingsNotKept, "recording")) not kept (recording is off in this workspace)")
        }
        if total.heldRecordingsKept > 0 {
            details.append("\(count(total.heldRecordingsKept, "recording")) under a legal hold kept although recording is off")
        }
        if total.optOutChanges > 0 { details.append("\(count(total.optOutChanges, "opt-out change")) from STOP or START") }
        lines.append(details.joined(separator: ", ") + ".")
        for file in report.files {
            if let path = file.rejectReport { lines.append("Rejected lines of \(file.file) are in \(path).") }
            if let failure = file.rejectReportError { lines.append("No reject report for \(file.file): \(failure).") }
        }
        if report.rebuiltSearch && report.stored { lines.append("The search was rebuilt after the records went in.") }
        return lines.joined(separator: "\n")
    }
}

/// `import --json`.
struct ImportJSON: Encodable {
    struct Counts: Encodable {
        let imported, contacts, calls, messages, reviews, requests, recordings, duplicates, rejected, contactsCreated, optOutChanges: Int
        /// Recording files left out because recording is off, and held ones kept all the same.
        let recordingsNotKept, heldRecordingsKept: Int
        init(_ counts: ImportCounts) {
            recordingsNotKept = counts.recordingsNotKept; heldRecordingsKept = counts.heldRecordingsKept
            imported = counts.imported; contacts = counts.contacts; calls = counts.calls; messages = counts.messages
            reviews = counts.reviews; requests = counts.requests
            recordings = counts.recordings; duplicates = counts.duplicates; rejected = counts.rejected
            contactsCreated = counts.contactsCreated; optOutChanges = counts.optOutChanges
        }
    }

    struct File: Encodable {
        let file: String
        let counts: Counts
        let rejectReport: String?
    }

    let format: String
    let dryRun: Bool
    let strict: Bool
    let stored: Bool
    let batches: Int
    let total: Counts
    let files: [File]

    init(_ report: ImportReport) {
        format = report.format.rawValue; dryRun = report.dryRun; strict = report.strict; stored = report.stored
        batches = report.batches; total = Counts(report.total)
        files = report.files.map { File(file: $0.file, counts: Counts($0.counts), rejectReport: $0.rejectReport) }
    }
}

/// `handlet export FORMAT [FILE|-]`: every contact, call and message, in a format `import` reads back.
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write every contact, call, message, review and data-subject request to a file (or standard output) that import reads back.",
        discussion: """
            FORMAT is jsonl (docs/import.md). Recordings are named by their path in this workspace's \
            recordings folder, with their SHA-256; importing the export into an empty workspace \
            (handlet init) brings back the same records.
            """)

    @OptionGroup var workspace: WorkspaceOptions
    @OptionGroup var acting: ReadingUserOptions
    @Argument(help: "The format: jsonl.") var format: String
    @Argument(help: "Where to write it (default, or -: standard output). A file is written whole or not at all.")
    var file: String?

    func validate() throws {
        guard ImportFormat(rawValue: format.lowercased()) == .jsonl else {
            throw ValidationError("\"\(format)\" is not an export format: give jsonl.")
        }
    }

    func run() throws {
        let session = try acting.session(in: workspace.open())
        let toStandardOutput = file == nil || file == "-"
        if toStandardOutput {
            let counts = try failing { try session.exportRecords(format: .jsonl) { FileHandle.standardOutput.write($0) } }
            TerminalText.writeError("Exported \(Self.describe(counts)).")
            return
        }
        let target = URL(fileURLWithPath: (file! as NSString).expandingTildeInPath)
        let temporary = target.deletingLastPathComponent().appendingPathComponent(".\(target.lastPathComponent).exporting-\(getpid())")
        guard FileManager.default.createFile(atPath: temporary.path, contents: nil),
              let handle = FileHandle(forWritingAtPath: temporary.path) else {
            throw CommandFailure("Cannot write \(target.path).", .cannotCreate)
        }
        let counts: ExportCounts
        do {
            counts = try session.exportRecords(format: .jsonl) { try handle.write(contentsOf: $0) }
            try handle.synchronize()
            try handle.close()
            guard rename(temporary.path, target.path) == 0 else { throw CommandFailure("Cannot write \(target.path).", .cannotCreate) }
        } catch {
            try? handle.close()
            try? FileManager.default.removeItem(at: temporary)
            throw CommandFailure(error)
        }
        print("Exported \(Self.describe(counts)) to \(target.path).")
    }

    static func describe(_ counts: ExportCounts) -> String {
        var kinds = [ImportCommand.count(counts.contacts, "contact"), ImportCommand.count(counts.calls, "call"),
                     ImportCommand.count(counts.messages, "message")]
        if counts.reviews > 0 { kinds.append(ImportCommand.count(counts.reviews, "review")) }
        if counts.requests > 0 { kinds.append(ImportCommand.count(counts.requests, "data-subject request")) }
        return kinds.joined(separator: ", ")
    }
}
