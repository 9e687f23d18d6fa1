/// A call transcript as speaker turns with offsets.
///
/// Stored as two parallel columns so that full-text search indexes only the words people said:
/// `transcript` holds one turn's text per line, `transcript_timing` holds "SPEAKER OFFSET_MS" per line.
public struct Transcript: Equatable, Sendable {
    public enum Speaker: String, Sendable, CaseIterable {
        case caller = "C", aiAgent = "A", staff = "S", voicemail = "V"

        public var label: String {
            switch self {
            case .caller: "Caller"
            case .aiAgent: "AI agent"
            case .staff: "Staff"
            case .voicemail: "Voicemail"
            }
        }
    }

    public struct Turn: Equatable, Sendable {
        public var speaker: Speaker
        public var offsetMs: Int
        public var text: String
        public init(speaker: Speaker, offsetMs: Int, text: String) {
            self.speaker = speaker; self.offsetMs = offsetMs; self.text = text
        }
    }

    public var turns: [Turn]

    public init(turns: [Turn]) { self.turns = turns }

    public init(text: String, timing: String) {
        let lines = text.isEmpty ? [] : text.split(separator: "\n", omittingEmptySubsequences: false)
        let marks = timing.isEmpty ? [] : timing.split(separator: "\n", omittingEmptySubsequences: false)
        turns = lines.enumerated().map { index, line in
            var speaker = Speaker.caller
            var offset = 0
            if index < marks.count {
                let parts = marks[index].split(separator: " ")
                if let first = parts.first, let decoded = Speaker(rawValue: String(first)) { speaker = decoded }
                if parts.count > 1, let ms = Int(parts[1]) { offset = ms }
            }
            return Turn(speaker: speaker, offsetMs: offset, text: String(line))
        }
    }

    /// The column values; newlines inside a turn become spaces so lines and turns stay aligned.
    public var storedColumns: (text: String, timing: String) {
        let text = turns.map { $0.text.replacingNewlines() }.joined(separator: "\n")
        let timing = turns.map { "\($0.speaker.rawValue) \($0.offsetMs)" }.joined(separator: "\n")
        return (text, timing)
    }
}

extension String {
    func replacingNewlines() -> String {
        String(map { $0.isNewline ? " " : $0 })
    }
}
