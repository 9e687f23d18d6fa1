import Foundation

/// Why there is no waveform, or the waveform itself.
public enum WaveformState: Equatable, Sendable {
    /// One peak per bucket, 0...1 (the loudest sample's magnitude in that slice of the audio).
    case peaks([Float])
    /// The call was never recorded, or recording was disabled.
    case noRecording
    /// The audio was deleted by the retention purge.
    case purged
    /// The recording row says audio exists but the file is not there.
    case missingFile(path: String)
    /// The file exists but is not audio this reader understands.
    case unreadable(reason: String)
}

public enum WaveformError: SysexitsError, Equatable, CustomStringConvertible {
    case missingFile(String)
    case notWAV
    case unsupported(String)
    case truncated

    public var exitClass: ExitClass {
        switch self {
        case .missingFile: .noInput
        case .notWAV, .unsupported, .truncated: .dataError
        }
    }

    public var description: String {
        switch self {
        case .missingFile(let path): "The audio file \(path) is missing."
        case .notWAV: "The file is not a WAV file."
        case .unsupported(let what): "Unsupported WAV audio: \(what)."
        case .truncated: "The WAV file is cut short."
        }
    }
}

/// Reads PCM WAV files (8-bit unsigned or 16-bit signed, any channel count) into peak levels for
/// drawing. The file is memory-mapped, so a long recording costs address space, not resident memory.
public enum Waveform {
    public static func peaks(ofWAVAt url: URL, buckets: Int) throws -> [Float] {
        guard buckets > 0 else { return [] }
        guard FileManager.default.fileExists(atPath: url.path) else { throw WaveformError.missingFile(url.path) }
        let data: Data
        do { data = try Data(contentsOf: url, options: .alwaysMapped) } catch { throw WaveformError.missingFile(url.path) }
        return try data.withUnsafeBytes { (bytes: UnsafeRawBufferPointer) -> [Float] in
            try peaks(of: bytes, buckets: buckets)
        }
    }

    /// The waveform or a clear reason, never a thrown error: what the detail view draws.
    public static func state(ofWAVAt url: URL, buckets: Int) -> WaveformState {
        do {
            return .peaks(try peaks(ofWAVAt: url, buckets: buckets))
        } catch WaveformError.missingFile(let path) {
            return .missingFile(path: path)
        } catch {
            return .unreadable(reason: "\(error)")
        }
    }

    static func peaks(of bytes: UnsafeRawBufferPointer, buckets: Int) throws -> [Float] {
        func uint32(_ at: Int) -> UInt32 {
            UInt32(bytes[at]) | UInt32(bytes[at + 1]) << 8 | UInt32(bytes[at + 2]) << 16 | UInt32(bytes[at + 3]) << 24
        }
        func uint16(_ at: Int) -> UInt16 { UInt16(bytes[at]) | UInt16(bytes[at + 1]) << 8 }
        func tag(_ at: Int) -> String { String(decoding: bytes[at..<at + 4], as: UTF8.self) }

        guard bytes.count >= 12, tag(0) == "RIFF", tag(8) == "WAVE" else { throw WaveformError.notWAV }
        var format: (audioFormat: UInt16, channels: Int, bitsPerSample: Int)?
        var dataRange: Range<Int>?
        var offset = 12
        // Walk the chunks; sizes come from the file, so every step is bounds-checked.
        while offset + 8 <= bytes.count {
            let id = tag(offset)
            let size = Int(uint32(offset + 4))
            let body = offset + 8
            if id == "fmt " {
                guard size >= 16, body + 16 <= bytes.count else { throw WaveformError.truncated }
                format = (uint16(body), Int(uint16(body + 2)), Int(uint16(body + 14)))
                if format!.audioFormat == 0xFFFE, size >= 26, body + 26 <= bytes.count {
                    // WAVE_FORMAT_EXTENSIBLE: the real format is the sub-format GUID's first two bytes.
                    format!.audioFormat = uint16(body + 24)
                }
            } else if id == "data" {
                // A writer that crashed may leave the size too large; read what is there.
                dataRange = body..<min(body + size, bytes.count)
                break
            }
            offset = body + size + (size & 1)
        }
        guard let format else { throw WaveformError.unsupported("no format chunk") }
        guard let dataRange else { throw WaveformError.truncated }
        guard format.audioFormat == 1 else { throw WaveformError.unsupported("format \(format.audioFormat), not PCM") }
        guard format.channels >= 1 else { throw WaveformError.unsupported("no channels") }
        guard format.bitsPerSample == 8 || format.bitsPerSample == 16 else {
            throw WaveformError.unsupported("\(format.bitsPerSample)-bit samples")
        }
        let bytesPerSample = format.bitsPerSample / 8
        let frameBytes = bytesPerSample * format.channels
        let frames = dataRange.count / frameBytes
        guard frames > 0 else { return Array(repeating: 0, count: buckets) }

        var peaks = [Float](repeating: 0, count: buckets)
        for bucket in 0..<buckets {
            let start = frames * bucket / buckets
            let end = max(start + 1, frames * (bucket + 1) / buckets)
            guard start < frames else { break }
            var loudest = 0
            var position = dataRange.lowerBound + start * frameBytes
            let stop = dataRange.lowerBound + min(end, frames) * frameBytes
            while position < stop {
                let magnitude: Int
                if bytesPerSample == 1 {
                    magnitude = abs(Int(bytes[position]) - 128) * 256   // 8-bit WAV is unsigned, centred on 128
                } else {
                    magnitude = abs(Int(Int16(bitPattern: uint16(position))))
                }
                if magnitude > loudest { loudest = magnitude }
                position += bytesPerSample
            }
            peaks[bucket] = min(1, Float(loudest) / 32_768)
        }
        return peaks
    }
}
