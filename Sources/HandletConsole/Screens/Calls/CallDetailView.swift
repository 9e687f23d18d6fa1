import Foundation
import HandletDomain
import TerminalUI

/// The call detail as scrollable lines: who and when, the AI summary, job details, the recording
/// with its waveform, then the transcript turn by turn. Search hits are highlighted.
struct CallDetailView {
    let detail: CallDetail
    let waveform: WaveformState
    let clock: BrowseClock
    /// From `Search.locate`: where the search words are, when the call was opened from a search.
    let hits: CallHitLocation?

    /// Lines for a width, and the index of the first line with a search hit.
    func lines(width: Int) -> (lines: [StyledLine], firstHit: Int?) {
        var lines: [StyledLine] = []
        var firstHit: Int?
        let call = detail.call
        func heading(_ text: String) {
            if !lines.isEmpty { lines.append([]) }
            lines.append([Span(text, .header)])
        }
        func field(_ label: String, _ value: String, _ style: Style = .normal) {
            lines += Self.field(label, value, style, width: width)
        }
        func paragraph(_ spans: StyledLine, marked: Bool) {
            if marked && firstHit == nil { firstHit = lines.count }
            lines += TextWrap.wrap(spans, width: width)
        }

        let party = detail.contact?.name ?? (call.direction == .inbound ? call.fromNumber : call.toNumber)
        lines.append([Span(party, Style(.title, .bold)), Span("  \(call.externalId)", .dim)])
        field("When", DisplayText.timestamp(call.startedAt, clock: clock))
        field("Direction", call.direction == .inbound ? "Inbound from \(call.fromNumber)" : "Outbound to \(call.toNumber)")
        field("Length", DisplayText.duration(call.durationSeconds))
        field("Handled by", detail.staffName.map { "\(call.handledBy.label) (\($0))" } ?? call.handledBy.label)
        field("Outcome", call.outcome.label, call.outcome == .missed ? .warning : .accent)

        heading("Summary")
        if let note = TextDeletion.removedNote(reason: call.textRemoved, at: call.textRemovedAt, clock: clock) {
            lines.append([Span(note, .dim)])
        } else if let marked = hits?.summary {
            paragraph(marked.spans(style: .normal), marked: true)
        } else {
            paragraph(TextWrap.sanitizedSpans(call.summary.isEmpty ? "No summary." : call.summary, style: .normal), marked: false)
        }

        if let job = detail.jobDetails {
            heading("Job")
            for item in job.fields { field(item.label, item.value) }
            if let unparsed = job.unparsed { field("Details", unparsed) }
        }

        heading("Recording")
        lines += recordingLines(width: width)

        heading("Transcript")
        if detail.transcript.isEmpty { lines.append([Span("No transcript.", .dim)]) }
        let hitTurns = Dictionary(uniqueKeysWithValues: (hits?.turns ?? []).map { ($0.index, $0.text) })
        for (index, turn) in detail.transcript.enumerated() {
            let speakerStyle: Style = turn.speaker == .caller ? .accent : Style(.title)
            let prefix = [Span(DisplayText.offset(Double(turn.offsetMs) / 1000).leftPadded(to: 6) + " ", .dim),
                          Span(turn.speaker.label.padding(toLength: 10, withPad: " ", startingAt: 0), speakerStyle)]
            let body = hitTurns[index].map { $0.spans(style: .normal) } ?? TextWrap.sanitizedSpans(turn.text, style: .normal)
            // Continuation lines indent under the text, so speakers stand out down the left.
            let wrapped = TextWrap.wrap(body, width: max(10, width - 17))
            if hitTurns[index] != nil && firstHit == nil { firstHit = lines.count }
            for (row, line) in wrapped.enumerated() {
                lines.append((row == 0 ? prefix : [Span(String(repeating: " ", count: 17))]) + line)
            }
        }
        return (lines, firstHit)
    }

    /// "Label         value", the value wrapped under itself.
    static func field(_ label: String, _ value: String, _ style: Style, width: Int) -> [StyledLine] {
        // At least two spaces between a label and its value, however long the label ("Quote by email  yes").
        let padded = label + String(repeating: " ", count: max(2, 14 - TextWidth.width(of: label)))
        let spans = [Span(padded, .dim)] + TextWrap.sanitizedSpans(value, style: style)
        return TextWrap.wrap(spans, width: width)
    }

    private func recordingLines(width: Int) -> [StyledLine] {
        var lines: [StyledLine] = []
        func field(_ label: String, _ value: String, _ style: Style) { lines += Self.field(label, value, style, width: width) }
        let status = detail.recordingStatus
        switch status {
        case .notRecorded: field("Audio", "Not recorded", .dim)
        case .recordingDisabled: field("Audio", "None: recording was off for this call", .dim)
        case .purged(let at):
            field("Audio", at.map { "Purged on \(DisplayText.timestamp($0, clock: clock)) under the retention period" } ?? "Purged", .dim)
        case .held(let days, let expires):
            field("Expires", "\(DisplayText.timestamp(expires, clock: clock)) (\(days == 0 ? "due for the next purge" : "\(DisplayText.count(days, "day")) left"))",
                  days <= 7 ? .warning : .normal)
        case .legalHold:
            field("Legal hold", detail.recording?.holdReason.map { "Held: \($0)" } ?? "Held", .warning)
            if let current = detail.holdHistory.last, current.releasedAt == nil {
                field("Held by", "\(current.placedByEmail ?? "unknown") on \(DisplayText.timestamp(current.placedAt, clock: clock))", .normal)
            }
        }
        // Every hold released before, with who released it, when and why.
        for entry in detail.holdHistory where entry.releasedAt != nil {
            field("Past hold", "\(entry.reason) — \(entry.placedByEmail ?? "unknown"), \(DisplayText.timestamp(entry.placedAt, clock: clock))", .dim)
            field("Released", "\(entry.releaseReason ?? "no reason given") — \(entry.releasedByEmail ?? "unknown"), "
                  + DisplayText.timestamp(entry.releasedAt!, clock: clock), .dim)
        }
        guard let recording = detail.recording, recording.purgedAt == nil, recording.filePath != nil else { return lines }
        field("Length", DisplayText.duration(Int(recording.durationMs / 1000)), .normal)
        field("Size", DisplayText.size(recording.bytes), .normal)
        field("SHA-256", recording.sha256 ?? "unknown", .dim)
        switch waveform {
        case .peaks(let peaks):
            lines += Self.waveformLines(Self.fit(peaks, width: width))
        case .missingFile(let path): field("Audio", "The file \(path) is missing", .error)
        case .unreadable(let reason): field("Audio", "Cannot read the audio: \(reason)", .error)
        case .noRecording, .purged: break
        }
        return lines
    }

    /// Peaks merged (loudest wins) or kept so there is one per column of the width.
    static func fit(_ peaks: [Float], width: Int) -> [Float] {
        guard peaks.count > width, width > 0 else { return peaks }
        return (0..<width).map { column in
            let start = column * peaks.count / width, end = max(start + 1, (column + 1) * peaks.count / width)
            return peaks[start..<end].max() ?? 0
        }
    }

    /// Two rows mirrored about the centre line, as a player shows a waveform.
    static func waveformLines(_ peaks: [Float]) -> [StyledLine] {
        let upper: [Character] = [" ", "▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]
        let lower: [Character] = [" ", "▔", "▔", "▀", "▀", "▀", "█", "█", "█"]
        let levels = peaks.map { min(8, max(0, Int(($0 * 8).rounded(.up)))) }
        return [[Span(String(levels.map { upper[$0] }), Style(.chart))],
                [Span(String(levels.map { lower[$0] }), Style(.chart, .dim))]]
    }
}
