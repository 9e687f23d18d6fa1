import Crypto
import Foundation
import HandletDomain

/// A short telephone-quality audio clip as a real WAV file: 8 kHz, 8-bit unsigned PCM, mono.
///
/// The demo does not pretend to hold whole calls: each recording is a one-to-three-second clip of
/// syllable-like tone bursts over line noise, seeded per call so every file's bytes (and SHA-256)
/// differ. `recordings.duration_ms` stores the clip's true length.
enum WAVClip {
    static let sampleRate = 8000
    static let headerSize: Int64 = 44

    static func fileSize(durationMs: Int64) -> Int64 {
        headerSize + durationMs * Int64(sampleRate) / 1000
    }

    /// A 256-step sine table, so the sample loop does no floating point.
    private static let sine: [Int16] = (0..<256).map { Int16((sin(Double($0) / 256 * 2 * Double.pi) * 56).rounded()) }

    /// Fills `bytes` with the whole file for a clip of `durationMs`.
    static func render(durationMs: Int64, random: inout DemoRandom, into bytes: inout [UInt8]) {
        let sampleCount = Int(durationMs) * sampleRate / 1000
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

        // Syllables: bursts of a voice-band tone whose pitch drifts, separated by short gaps.
        var phase = 0
        var step = 10 + random.below(14)            // ~300-750 Hz at 8 kHz with a 256-step table
        var remainingInBurst = 0
        var voiced = false
        var noise = random.next() | 1
        for _ in 0..<sampleCount {
            if remainingInBurst == 0 {
                voiced.toggle()
                remainingInBurst = voiced ? 900 + random.below(1500) : 200 + random.below(900)
                step = max(6, min(30, step + random.below(7) - 3))
            }
            remainingInBurst -= 1
            noise ^= noise << 13; noise ^= noise >> 7; noise ^= noise << 17
            var sample = 128 + Int(noise & 7) - 4
            if voiced {
                phase = (phase + step) & 0xFF
                sample += Int(sine[phase])
            }
            bytes.append(UInt8(clamping: sample))
        }
    }

    static func sha256Hex(_ bytes: [UInt8]) -> String {
        FastHex.string(SHA256.hash(data: bytes))
    }
}
