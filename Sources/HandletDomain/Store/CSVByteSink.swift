import CSV
import Foundation

/// Where `CSVWriter` writes an export's CSV: bytes in memory, kept by a plain append.
///
/// The writer hands its stream every byte on its own (`write(_:maxLength: 1)` per UTF-8 byte),
/// and Foundation's memory stream on Linux takes each through CoreFoundation's stream machinery:
/// at a million calls' transcripts that was most of a workspace export's CPU time (404 s of CPU
/// for 3.5 GB). This stream keeps them in an array; the writer's own quoting and escaping is unchanged.
final class CSVByteSink: OutputStream {
    private(set) var bytes: [UInt8] = []
    private var status = Stream.Status.notOpen

    override func open() { status = .open }
    override func close() { status = .closed }
    override var streamStatus: Stream.Status { status }
    override var hasSpaceAvailable: Bool { true }

    override func write(_ buffer: UnsafePointer<UInt8>, maxLength len: Int) -> Int {
        guard status == .open else { return -1 }
        if len == 1 { bytes.append(buffer.pointee) } else { bytes.append(contentsOf: UnsafeBufferPointer(start: buffer, count: len)) }
        return len
    }

    /// A writer into a new sink.
    static func writer() throws -> (CSVWriter, CSVByteSink) {
        let sink = CSVByteSink(toMemory: ())
        return (try CSVWriter(stream: sink), sink)
    }

    /// Whether `CSVWriter` would quote `field` (a quote, a comma, a CR or an LF in it), found in
    /// one pass over its bytes. The writer checks with five Foundation searches per field when it
    /// is not told (a fifth of an export's CPU in a profile); told, it quotes and escapes it
    /// exactly as it would have.
    static func needsQuotes(_ field: String) -> Bool {
        field.utf8.contains { $0 == 0x22 || $0 == 0x2C || $0 == 0x0D || $0 == 0x0A }
    }
}

extension CSVWriter {
    /// One row, each field's quoting decided by `CSVByteSink.needsQuotes`.
    func writeRow(_ fields: [String]) throws {
        try write(row: fields, quotedAtIndex: { CSVByteSink.needsQuotes(fields[$0]) })
    }
}
