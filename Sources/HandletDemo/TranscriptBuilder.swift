import HandletDomain

/// Accumulates speaker turns straight into the two stored columns (see `Transcript`), timing each
/// turn from its length: about 2.6 words a second plus a pause between speakers. It also keeps
/// where each turn's speech falls, so the recording's audio has a burst at every turn.
struct TranscriptBuilder {
    /// One stretch of speech in the call's audio.
    struct Span {
        let startMs: Int
        let lengthMs: Int
        let speaker: Transcript.Speaker
    }

    static let msPerWord = 385
    private(set) var text = ""
    private(set) var timing = ""
    private(set) var offsetMs = 0
    private(set) var turnCount = 0
    private(set) var spans: [Span] = []
    /// Caller turns so far.
    private(set) var callerTurns = 0

    init() {
        text.reserveCapacity(1400)
        timing.reserveCapacity(120)
    }

    static func words(_ line: String) -> Int {
        var words = 1
        for byte in line.utf8 where byte == 32 { words += 1 }
        return words
    }

    /// How long a turn of this line takes, pause included (the average pause).
    static func estimateMs(_ line: String) -> Int { words(line) * msPerWord + 900 }

    mutating func say(_ speaker: Transcript.Speaker, _ line: String, random: inout DemoRandom) {
        if turnCount > 0 {
            text.append("\n")
            timing.append("\n")
        }
        text.append(line)
        timing.append(speaker.rawValue)
        timing.append(" ")
        timing.append(String(offsetMs))
        turnCount += 1
        if speaker == .caller { callerTurns += 1 }
        let speech = TranscriptBuilder.words(line) * TranscriptBuilder.msPerWord
        spans.append(Span(startMs: offsetMs, lengthMs: speech, speaker: speaker))
        // A pause of at least half a second between turns: the audio shows each turn apart.
        offsetMs += speech + 500 + random.below(900)
    }

    /// Silence on the line (a hold), before the next turn.
    mutating func pause(ms: Int) { offsetMs += ms }

    /// The call's length in whole seconds: the last turn's end plus the goodbye.
    var durationSeconds: Int { turnCount == 0 ? 0 : offsetMs / 1000 + 2 }
}

extension String {
    /// First letter in upper case, for sentence-initial use of a vocabulary phrase.
    var sentenceCased: String {
        guard let first = first else { return self }
        return first.uppercased() + dropFirst()
    }
}
