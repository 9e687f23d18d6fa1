import ArgumentParser
import Foundation
import HandletDomain
import TerminalUI

/// `handlet calls list|show`: the Calls tab for scripts.
struct CallsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "calls", abstract: "List calls, newest first, or show one call.",
        subcommands: [List.self, Show.self, DeleteCallTextCommand.self, CallRecordingCommand.self], defaultSubcommand: List.self)

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List calls, newest first, filtered.")
        @OptionGroup var workspace: WorkspaceOptions
        @OptionGroup var reader: ReadingUserOptions
        @OptionGroup var filters: CallFilterOptions
        @Option(name: .long, help: ArgumentHelp("Only calls from or to this number, in any form, whether or not a contact has it.",
                                                valueName: "NUMBER"))
        var number: String?
        @OptionGroup var paging: PageOptions
        @Option(name: .long, help: ArgumentHelp(
            "Order by a column: when, contact, number, direction, length, handled-by, outcome, recording or external-id; add :desc for descending (default: when:desc, newest first).",
            valueName: "COLUMN[:desc]"))
        var sort: String?

        func validate() throws {
            if let sort, CallSort(argument: sort) == nil {
                throw ValidationError("--sort \(Sanitizer.echo(sort)): expected a column (when, contact, number, direction, length, handled-by, outcome, recording, external-id), optionally with :desc.")
            }
            if let number, PhoneNumber.e164(number) == nil {
                throw ValidationError("--number \(Sanitizer.echo(number)): not a phone number (e.g. 020 5346 6403 or +442053466403).")
            }
        }

        func run() throws {
            let session = try BrowseSession(workspace, reader)
            var filter = try filters.callFilter(today: session.clock.today)
            filter.number = number.flatMap(PhoneNumber.e164)
            let order = sort.flatMap(CallSort.init(argument:)) ?? .newestFirst
            let page = CallPage(filter: filter, clock: session.clock, sort: order)
            let rows = try paging.rows(of: page, cursor: { CallCursor($0) }, in: session)
            if paging.json { return try JSONOutput.print(rows.map { CallEntry($0, cursor: page.cursor(of: $0)) }) }
            let output = session.output
            guard !rows.isEmpty else { return print(BrowseOutput.emptyState("calls", chips: filter.chips)) }
            for line in output.table(CallRow.columns, rows) { print(line) }
            paging.printNextPageHint(rows: rows.count, lastCursor: rows.last.map(page.cursor(of:)))
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "show", abstract: "Show a call: summary, transcript, job details, recording.")
        @OptionGroup var workspace: WorkspaceOptions
        @OptionGroup var reader: ReadingUserOptions
        @Argument(help: "The call's id or external id.") var call: String
        @Option(name: .long, parsing: .unconditional, help: "Waveform columns (1 to 1000).") var waveformWidth = 60
        @Flag(name: .long, help: "Print JSON (fields in docs/json.md).") var json = false

        func validate() throws {
            guard (1...1_000).contains(waveformWidth) else {
                throw outOfRange("--waveform-width \(waveformWidth): expected 1 to 1000.")
            }
        }

        func run() throws {
            let session = try BrowseSession(workspace, reader)
            guard let detail = try session.read(.call(reference: call, clock: session.clock)) else {
                throw CommandFailure("No call \(Sanitizer.echo(call)) in this workspace.", .dataError)
            }
            let waveform = detail.waveform(in: session.workspace, buckets: waveformWidth)
            if json { return try JSONOutput.print(CallDetailEntry(detail, waveform: waveform)) }
            print(lines(detail, waveform: waveform, output: session.output).joined(separator: "\n"))
        }

        func lines(_ detail: CallDetail, waveform: WaveformState, output: BrowseOutput) -> [String] {
            let call = detail.call
            var lines = [
                "Call \(output.safe(call.externalId)) (id \(detail.id))",
                "When:        \(output.time(call.startedAt)), \(DisplayText.duration(call.durationSeconds))",
                "Direction:   \(call.direction.label): \(output.safe(call.fromNumber)) → \(output.safe(call.toNumber))",
                "Contact:     \(detail.contact.map { output.safe($0.name) } ?? "unknown")",
                "Handled by:  \(call.handledBy.label)" + (detail.staffName.map { " (\(output.safe($0)))" } ?? ""),
                "Outcome:     \(call.outcome.label)",
                "", "Summary", "  " + output.safe(TextDeletion.removedNote(reason: call.textRemoved, at: call.textRemovedAt, clock: output.clock) ?? call.summary),
            ]
            if let job = detail.jobDetails {
                lines += ["", "Job details"]
                lines += job.fields.map { "  \($0.label): \(output.safe($0.value))" }
                if let unparsed = job.unparsed { lines.append("  " + output.safe(unparsed)) }
            }
            lines += ["", "Transcript"]
            lines += detail.transcript.isEmpty ? ["  (none)"] : detail.transcript.map {
                "  \(output.offset(ms: $0.offsetMs)) \($0.speaker.label): \(output.safe($0.text))"
            }
            lines += ["", "Recording: \(recordingSummary(detail, output: output))"]
            if let recording = detail.recording, recording.purgedAt == nil {
                lines += [
                    "  Length:     \(DisplayText.duration(Int(recording.durationMs / 1_000))), \(DisplayText.size(recording.bytes))",
                    "  SHA-256:    \(recording.sha256 ?? "—")",
                    "  Expires:    \(output.time(recording.expiresAt))" + (detail.recordingStatus.daysLeft.map { " (\(DisplayText.count($0, "day")) left)" } ?? ""),
                    "  Legal hold: " + (recording.legalHold ? "yes" + (recording.holdReason.map { " (\(output.safe($0)))" } ?? "") : "no"),
                ]
            }
            switch waveform {
            case .peaks(let peaks): lines.append("  " + BrowseOutput.sparkline(peaks))
            case .missingFile(let path): lines.append("  The audio file is missing: \(output.safe(path))")
            case .unreadable(let reason): lines.append("  No waveform: \(output.safe(reason))")
            case .noRecording, .purged: break
            }
            return lines
        }

        private func recordingSummary(_ detail: CallDetail, output: BrowseOutput) -> String {
            switch detail.recordingStatus {
            case .held(let days, _): days == 0 ? "held, past its expiry: due for the next purge" : "held, \(DisplayText.count(days, "day")) left"
            case .legalHold: "held under legal hold"
            case .purged(let at): "purged" + (at.map { " on \(output.time($0))" } ?? "")
            case .notRecorded: "not recorded"
            case .recordingDisabled: "none (recording was disabled)"
            }
        }
    }
}

/// One line of `calls list --json`.
struct CallEntry: Encodable {
    let id: Call.ID
    let cursor: String
    let externalId: String
    let startedAt: Date
    let contactName: String?
    let otherNumber: String
    let direction: String
    let durationSeconds: Int
    let handledBy: String
    let outcome: String
    let recordingState: String
    let recordingDaysLeft: Int?

    init(_ row: CallRow, cursor: CallCursor) {
        id = row.id; self.cursor = cursor.description; externalId = row.externalId; startedAt = row.startedAt
        contactName = row.contactName; otherNumber = row.otherNumber; direction = row.direction.rawValue
        durationSeconds = row.durationSeconds; handledBy = row.handledBy.rawValue; outcome = row.outcome.rawValue
        recordingState = row.recording.code; recordingDaysLeft = row.recording.daysLeft
    }
}

/// `calls show --json`.
struct CallDetailEntry: Encodable {
    struct Turn: Encodable { let speaker: String; let offsetMs: Int; let text: String }
    struct JobField: Encodable { let key: String; let label: String; let value: String }
    struct RecordingEntry: Encodable {
        let state: String
        let filePath: String?
        let bytes: Int64
        let durationMs: Int64
        let sha256: String?
        let createdAt: Date
        let expiresAt: Date
        let daysLeft: Int?
        let legalHold: Bool
        let holdReason: String?
        let purgedAt: Date?
    }
    struct WaveformEntry: Encodable { let state: String; let peaks: [Float]?; let detail: String? }

    let id: Call.ID
    let externalId: String
    let startedAt: Date
    let direction: String
    let fromNumber: String
    let toNumber: String
    let contactId: Contact.ID?
    let contactName: String?
    let durationSeconds: Int
    let handledBy: String
    let staffName: String?
    let outcome: String
    let summary: String
    let transcript: [Turn]
    let jobDetails: [JobField]?
    let jobDetailsText: String?
    let recordingState: String
    let recording: RecordingEntry?
    let waveform: WaveformEntry

    init(_ detail: CallDetail, waveform: WaveformState) {
        let call = detail.call
        id = detail.id; externalId = call.externalId; startedAt = call.startedAt; direction = call.direction.rawValue
        fromNumber = call.fromNumber; toNumber = call.toNumber; contactId = call.contactId; contactName = detail.contact?.name
        durationSeconds = call.durationSeconds; handledBy = call.handledBy.rawValue; staffName = detail.staffName
        outcome = call.outcome.rawValue; summary = call.summary
        transcript = detail.transcript.map { Turn(speaker: $0.speaker.label, offsetMs: $0.offsetMs, text: $0.text) }
        jobDetails = detail.jobDetails.map { $0.fields.map { JobField(key: $0.key, label: $0.label, value: $0.value) } }
        jobDetailsText = detail.jobDetails?.unparsed
        recordingState = detail.recordingStatus.code
        recording = detail.recording.map {
            RecordingEntry(state: detail.recordingStatus.code, filePath: $0.filePath, bytes: $0.bytes, durationMs: $0.durationMs,
                           sha256: $0.sha256, createdAt: $0.createdAt, expiresAt: $0.expiresAt,
                           daysLeft: detail.recordingStatus.daysLeft, legalHold: $0.legalHold, holdReason: $0.holdReason,
                           purgedAt: $0.purgedAt)
        }
        switch waveform {
        case .peaks(let peaks): self.waveform = WaveformEntry(state: "peaks", peaks: peaks, detail: nil)
        case .noRecording: self.waveform = WaveformEntry(state: "no_recording", peaks: nil, detail: nil)
        case .purged: self.waveform = WaveformEntry(state: "purged", peaks: nil, detail: nil)
        case .missingFile(let path): self.waveform = WaveformEntry(state: "missing_file", peaks: nil, detail: path)
        case .unreadable(let reason): self.waveform = WaveformEntry(state: "unreadable", peaks: nil, detail: reason)
        }
    }
}
