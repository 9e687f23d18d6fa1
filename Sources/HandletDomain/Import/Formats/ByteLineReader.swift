import Foundation

/// Reads an `InputStream` a line at a time as bytes, in fixed-size chunks: memory stays at one
/// chunk plus the longest line (a line longer than `maxLineBytes` is cut there and marked).
/// LF or CRLF ends a line; a UTF-8 byte-order mark at the start is dropped.
struct ByteLineReader {
    struct Line {
        var bytes: [UInt8]
        /// 1-based.
        var number: Int
        /// Longer than `maxLineBytes`: `bytes` holds its beginning only.
        var truncated: Bool
        /// The file ended before this line's newline (a file cut off mid-line, or one without a final newline).
        var unterminated: Bool

        var text: String { String(decoding: bytes, as: UTF8.self) }
    }

    static let chunkSize = 64 * 1024

    private let input: InputStream
    private let file: String
    private let maxLineBytes: Int
    private var buffer: [UInt8] = []
    private var start = 0
    private var scanned = 0
    private var atEnd = false
    private var lineNumber = 0
    private var first = true
    /// Bytes taken from the stream so far.
    private(set) var totalRead = 0

    init(_ input: InputStream, file: String, maxLineBytes: Int = 1 << 20) {
        self.input = input
        self.file = file
        self.maxLineBytes = maxLineBytes
        if input.streamStatus == .notOpen { input.open() }
    }

    /// The next line, or nil at the end of the file.
    mutating func next() throws -> Line? {
        var truncatedPart: [UInt8]? = nil
        while true {
            if let newline = buffer[scanned...].firstIndex(of: 0x0A) {
                var end = newline
                if end > start, buffer[end - 1] == 0x0D { end -= 1 }
                let line = finish(truncatedPart, buffer[start..<end], unterminated: false)
                start = newline + 1
                scanned = start
                return line
            }
            scanned = buffer.count
            if buffer.count - start > maxLineBytes {
                // Keep the beginning for the report, drop the rest of this line as it streams past.
                if truncatedPart == nil { truncatedPart = Array(buffer[start..<(start + maxLineBytes)]) }
                buffer.removeAll(keepingCapacity: true)
                start = 0; scanned = 0
            }
            if atEnd {
                guard start < buffer.count || truncatedPart != nil else { return nil }
                var end = buffer.count
                if end > start, buffer[end - 1] == 0x0D { end -= 1 }
                let line = finish(truncatedPart, buffer[start..<end], unterminated: true)
                start = buffer.count; scanned = start
                return line
            }
            try fill()
        }
    }

    private mutating func finish(_ truncatedPart: [UInt8]?, _ rest: ArraySlice<UInt8>, unterminated: Bool) -> Line {
        lineNumber += 1
        var bytes = truncatedPart ?? Array(rest)
        if first {
            first = false
            if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        }
        if bytes.count > maxLineBytes { bytes.removeSubrange(maxLineBytes...) }
        return Line(bytes: bytes, number: lineNumber, truncated: truncatedPart != nil || rest.count > maxLineBytes,
                    unterminated: unterminated)
    }

    private mutating func fill() throws {
        if start > 0, start >= buffer.count / 2 {
            buffer.removeSubrange(0..<start)
            scanned -= start
            start = 0
        }
        let old = buffer.count
        buffer.reserveCapacity(old + Self.chunkSize)
        var chunk = [UInt8](repeating: 0, count: Self.chunkSize)
        let count = chunk.withUnsafeMutableBufferPointer { input.read($0.baseAddress!, maxLength: Self.chunkSize) }
        if count < 0 { throw ImportFormatError.unreadableInput(file) }
        if count == 0 { atEnd = true; return }
        buffer.append(contentsOf: chunk[0..<count])
        totalRead += count
    }
}

/// Reads a whole stream's bytes in chunks (for the tests and the small inputs of helpers).
func readChunks(_ input: InputStream, file: String, _ body: (ArraySlice<UInt8>) throws -> Void) throws {
    if input.streamStatus == .notOpen { input.open() }
    var chunk = [UInt8](repeating: 0, count: ByteLineReader.chunkSize)
    while true {
        let count = chunk.withUnsafeMutableBufferPointer { input.read($0.baseAddress!, maxLength: ByteLineReader.chunkSize) }
        if count < 0 { throw ImportFormatError.unreadableInput(file) }
        if count == 0 { return }
        try body(chunk[0..<count])
    }
}

/// Passes a stream through as valid UTF-8 (a byte that is not becomes U+FFFD, where the CSV
/// reader would otherwise stop at the first one and drop the rest of the file), counting the
/// bytes read from the underlying stream.
final class RepairingInputStream: InputStream {
    private let base: InputStream
    /// Bytes taken from the underlying stream.
    private(set) var count = 0
    private var pending: [UInt8] = []
    private var pendingStart = 0
    /// The end of a chunk that may be the start of a character continued in the next.
    private var carry: [UInt8] = []
    private var ended = false

    init(_ base: InputStream) {
        self.base = base
        super.init(data: Data())
    }

    override func open() { if base.streamStatus == .notOpen { base.open() } }
    /// The CSV reader closes its stream when done; the underlying one is its opener's to close.
    override func close() {}
    override var streamStatus: Stream.Status {
        base.streamStatus == .atEnd && pendingStart < pending.count ? .open : base.streamStatus
    }
    /// `InputStream.streamError` traps on some Linux streams: a failed read is remembered instead.
    private(set) var failed = false
    override var streamError: Error? { failed ? ImportFormatError.unreadableInput("the input stream") : nil }
    override var hasBytesAvailable: Bool { pendingStart < pending.count || !ended }

    override func read(_ buffer: UnsafeMutablePointer<UInt8>, maxLength len: Int) -> Int {
        while pendingStart >= pending.count, !ended {
            var chunk = [UInt8](repeating: 0, count: ByteLineReader.chunkSize)
            let read = chunk.withUnsafeMutableBufferPointer { base.read($0.baseAddress!, maxLength: ByteLineReader.chunkSize) }
            if read < 0 { failed = true; return read }
            pending.removeAll(keepingCapacity: true)
            pendingStart = 0
            if read == 0 {
                ended = true
                if !carry.isEmpty { pending = Array(String(decoding: carry, as: UTF8.self).utf8); carry = [] }
                break
            }
            count += read
            var bytes = carry + chunk[0..<read]
            carry = Self.incompleteTail(bytes)
            bytes.removeLast(carry.count)
            if bytes.allSatisfy({ $0 < 0x80 }) { pending = bytes } else { pending = Array(String(decoding: bytes, as: UTF8.self).utf8) }
        }
        let n = min(len, pending.count - pendingStart)
        for i in 0..<n { buffer[i] = pending[pendingStart + i] }
        pendingStart += n
        return n
    }

    /// The last bytes when they begin a multi-byte character that is not complete yet.
    static func incompleteTail(_ bytes: [UInt8]) -> [UInt8] {
        var i = bytes.count - 1
        var back = 0
        while i >= 0, back < 3, bytes[i] & 0xC0 == 0x80 { i -= 1; back += 1 }
        guard i >= 0 else { return [] }
        let lead = bytes[i]
        let needed = lead >= 0xF0 && lead <= 0xF4 ? 4 : lead >= 0xE0 && lead <= 0xEF ? 3 : lead >= 0xC2 && lead <= 0xDF ? 2 : 1
        let have = bytes.count - i
        return needed > have ? Array(bytes[i...]) : []
    }

    override func getBuffer(_ buffer: UnsafeMutablePointer<UnsafeMutablePointer<UInt8>?>, length len: UnsafeMutablePointer<Int>) -> Bool {
        false
    }
}
