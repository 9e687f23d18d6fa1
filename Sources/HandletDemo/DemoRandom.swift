import HandletDomain

/// A small, fast, seedable random source (SplitMix64).
///
/// Every generated record draws from its own stream, keyed by the workspace seed, the kind of
/// record and its index. A record's content therefore depends only on (seed, kind, index), never
/// on the order work is scheduled in, which keeps generation deterministic and lets the writer and
/// the generator run on different threads.
struct DemoRandom {
    /// Separate streams per record kind, so adding draws to calls never shifts messages.
    enum Stream: UInt64 {
        case contact = 0x436F_6E74
        case call = 0x4361_6C6C
        case audio = 0x4175_6469
        case thread = 0x5468_7265
        case extras = 0x4578_7472
    }

    private var state: UInt64

    init(seed: UInt64, stream: Stream, index: Int) {
        // Mix the three inputs so that neighbouring indexes start far apart.
        state = DemoRandom.mix(seed &+ stream.rawValue &* 0x9E37_79B9_7F4A_7C15)
            ^ DemoRandom.mix(UInt64(truncatingIfNeeded: index) &+ 0x632B_E59B_D9B4_E019)
    }

    static func mix(_ value: UInt64) -> UInt64 {
        var z = value &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in 0..<bound (bound > 0). Multiply-shift: no division, bias negligible for our bounds.
    mutating func below(_ bound: Int) -> Int {
        Int(truncatingIfNeeded: ((next() >> 32) &* UInt64(bound)) >> 32)
    }

    /// Uniform in the closed range.
    mutating func between(_ low: Int, _ high: Int) -> Int { low + below(high - low + 1) }

    /// True with the given probability in per-mille (1/1000), to keep the hot paths in integers.
    mutating func perMille(_ chance: Int) -> Bool { below(1000) < chance }

    mutating func pick<T>(_ items: [T]) -> T { items[below(items.count)] }

    /// Picks an index by integer weights.
    mutating func weighted(_ weights: [Int], total: Int) -> Int {
        var roll = below(total)
        for (index, weight) in weights.enumerated() {
            if roll < weight { return index }
            roll -= weight
        }
        return weights.count - 1
    }
}

/// Integer weights with their precomputed total, for `DemoRandom.weighted`.
struct Weights {
    let values: [Int]
    let total: Int
    init(_ values: [Int]) { self.values = values; total = values.reduce(0, +) }
}

extension DemoRandom {
    mutating func pick(_ weights: Weights) -> Int { weighted(weights.values, total: weights.total) }
}

/// Lower-case hex without Foundation formatting (it is far too slow for a million rows).
enum FastHex {
    private static let digits = Array("0123456789abcdef".utf8)

    static func string<Bytes: Sequence>(_ bytes: Bytes) -> String where Bytes.Element == UInt8 {
        var out: [UInt8] = []
        out.reserveCapacity(64)
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func string(_ value: UInt64, width: Int = 16) -> String {
        var out = [UInt8](repeating: 48, count: width)
        var remaining = value
        var index = width - 1
        while index >= 0 {
            out[index] = digits[Int(remaining & 0x0F)]
            remaining >>= 4
            index -= 1
        }
        return String(decoding: out, as: UTF8.self)
    }
}
