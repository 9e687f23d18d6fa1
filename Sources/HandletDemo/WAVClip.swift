import Crypto
import Foundation
import HandletDomain

/// A call's recording as a real WAV file, as long as the call: 8-bit unsigned PCM, mono, at a low
/// sample rate (a synthetic stand-in for the audio, small enough that a million calls' worth fits
/// on a laptop; any player opens it).
///
/// Each transcript turn is a burst of syllable-like voiced sound at the turn's offset, pitched by
/// who speaks (the caller lower or higher by person, the assistant and the staff each their own),
/// with line noise in the pauses between turns, so the waveform view shows the conversation's
/// shape. Seeded per call, so every file's bytes (and SHA-256) differ.
enum WAVClip {
    static let sampleRate = 600
    static let headerSize: Int64 = 44

    static func fileSize(durationMs: Int64) -> Int64 {
        headerSize + sampleCount(durationMs: durationMs)
    }

    static func sampleCount(durationMs: Int64) -> Int64 { durationMs * Int64(sampleRate) / 1000 }

    /// A 256-step sine table scaled to ±127, so the sample loop does no floating point.
    private static let sine: [Int] = (0..<256).map { Int((sin(Double($0) / 256 * 2 * Double.pi) * 127).rounded()) }
    /// Each byte value at its own index: a sample is stored as `byte[value & 0xFF]`, which stays a
    /// load in debug builds (`UInt8(truncatingIfNeeded:)` is a generic call there, per sample).
    private static let byte: [UInt8] = (0..<256).map { UInt8($0) }
    /// Line noise, a sample or two either side of silence: 64 KiB made once from a fixed
    /// xorshift, copied into each file from a seeded offset (the first-run demo is a debug build,
    /// where a per-sample noise loop cost more than everything else in the audio).
    private static let noise: [UInt8] = {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        return (0..<noiseLength).map { _ in
            state ^= state << 13; state ^= state >> 7; state ^= state << 17
            return UInt8(126 + Int(state & 3))
        }
    }()
    private static let noiseLength = 1 << 16

    /// Fills `bytes` with the whole file for a call of `durationMs` whose speech is `speech`.
    static func render(durationMs: Int64, speech: [TranscriptBuilder.Span], random: inout DemoRandom,
                       into bytes: inout [UInt8]) {
        let sampleCount = Int(sampleCount(durationMs: durationMs))
        bytes.removeAll(keepingCapacity: true)
        bytes.reserveCapacity(44 + sampleCount)
        func append32(_ value: Int) {
            bytes.append(UInt8(value & 0xFF)); bytes.append(UInt8((value >> 8) & 0xFF))
            bytes.append(UInt8((value >> 16) & 0xFF)); bytes.append(UInt8((value >> 24) & 0xFF))
        }
        func append16(_ value: Int) { bytes.append(UInt8(value & 0xFF)); bytes.append(UInt8((value >> 8) & 0xFF)) }
        bytes.append(contentsOf: Array("RIFF".utf8)); append32(36 + sampleCount)
        bytes.append(contentsOf: Array("WAVE".utf8))
        bytes.append(contentsOf: Array("fmt ".utf8)); append32(16)
        append16(1)                 // PCM
        append16(1)                 // mono
        append32(sampleRate)
        append32(sampleRate)        // bytes per second: one byte per sample
        append16(1)                 // block align
        append16(8)                 // bits per sample
        bytes.append(contentsOf: Array("data".utf8)); append32(sampleCount)
        let header = bytes.count
        // Grown in one step (memset), then written through a pointer: this loop runs for every
        // sample of every kept call, also in debug builds, so it uses only operations that stay
        // inline there (`&+`, `&>>`, comparisons, pointer loads and stores; no generic calls).
        bytes += [UInt8](repeating: 128, count: sampleCount)

        // Pitch steps in 1/65536 of the sine table per sample: f × 256 × 65536 / rate.
        let rate = sampleRate
        func step(hertz: Int) -> Int { hertz * 256 * 65_536 / rate }
        let callerHertz = 105 + random.below(130)
        let staffHertz = 115 + random.below(40)
        var noiseAt = random.below(noiseLength)
        sine.withUnsafeBufferPointer { sineTable in
            byte.withUnsafeBufferPointer { byteTable in
                noise.withUnsafeBytes { noiseBytes in
                    bytes.withUnsafeMutableBufferPointer { buffer in
                        let table = sineTable.baseAddress!
                        let byte = byteTable.baseAddress!
                        let samples = buffer.baseAddress! + header
                        // Line noise everywhere, copied from the table in runs.
                        var index = 0
                        while index < sampleCount {
                            let run = Swift.min(sampleCount - index, noiseLength - noiseAt)
                            UnsafeMutableRawPointer(samples + index).copyMemory(from: noiseBytes.baseAddress! + noiseAt, byteCount: run)
                            index += run
                            noiseAt = 0
                        }
                        for span in speech {
                            let hertz: Int
                            switch span.speaker {
                            case .caller: hertz = callerHertz
                            case .staff: hertz = staffHertz
                            case .aiAgent: hertz = 190
                            case .voicemail: hertz = 175
                            }
                            let start = span.startMs * rate / 1000
                            let end = Swift.min(sampleCount, (span.startMs + span.lengthMs) * rate / 1000)
                            var position = start
                            var phase = 0
                            // Syllables of 140-280 ms with short dips between them, each with its own loudness.
                            while position < end {
                                let length = Swift.min(end - position, (140 + random.below(140)) * rate / 1000)
                                let loudness = 55 + random.below(60)
                                let pitch = step(hertz: hertz + random.below(30) - 15)
                                let rise = Swift.max(1, length / 4)
                                var offset = 0
                                while offset < length {
                                    // Rises over the first quarter, holds, falls over the last quarter.
                                    var level = offset
                                    let left = length &- 1 &- offset
                                    if left < level { level = left }
                                    if rise < level { level = rise }
                                    let envelope = level &* 256 / rise
                                    phase &+= pitch
                                    let wave = table[(phase &>> 16) & 0xFF]
                                    samples[position &+ offset] = byte[(128 &+ wave &* loudness / 127 &* envelope / 256) & 0xFF]
                                    offset &+= 1
                                }
                                position += length + random.below(30) * rate / 1000
                            }
                        }
                    }
                }
            }
        }
    }

    static func sha256Hex(_ bytes: [UInt8]) -> String {
        FastHex.string(SHA256.hash(data: bytes))
    }
}
