import HandletDomain

/// Accumulates speaker turns straight into the two stored columns (see `Transcript`), timing each
/// turn from its length: about 2.6 words a second plus a pause between speakers.
struct TranscriptBuilder {
    private(set) var text = ""
    private(set) var timing = ""
    private(set) var offsetMs = 0
    private(set) var turnCount = 0

    init() {
        text.reserveCapacity(1400)
        timing.reserveCapacity(120)
    }

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
        var words = 1
        for byte in line.utf8 where byte == 32 { words += 1 }
        offsetMs += words * 385 + 450 + random.below(900)
    }

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
