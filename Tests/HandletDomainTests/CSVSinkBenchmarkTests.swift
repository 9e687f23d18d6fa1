import CSV
import Foundation
@testable import HandletDomain
import XCTest

/// The export's CSV stream beside Foundation's memory stream (BENCHMARKS.md, end of service):
/// the same rows through the same `CSVWriter`, CPU seconds for each and the bytes compared.
/// Runs only with `HANDLET_BENCH_CSV=ROWS` (a benchmark, not a check).
final class CSVSinkBenchmarkTests: XCTestCase {
    func testTheByteSinkBesideFoundationsMemoryStream() throws {
        guard let rows = Int(ProcessInfo.processInfo.environment["HANDLET_BENCH_CSV"] ?? "") else { throw XCTSkip("HANDLET_BENCH_CSV=ROWS runs it") }
        let transcript = String(repeating: "Caller: my boiler is leaking again, could someone come today? ", count: 16)
        let row = ["1234567", "CA-000123", "+447700900123", "+441632960000", "inbound", "booked_job", transcript, "{\"job\":\"boiler\"}"]
        func cpu() -> Double {
            var usage = rusage()
            getrusage(RUSAGE_SELF.rawValue, &usage)
            return Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6
        }
        var start = cpu()
        let stream = OutputStream.toMemory()
        let old = try CSVWriter(stream: stream)
        for _ in 0..<rows { try old.write(row: row) }
        old.stream.close()
        let oldBytes = stream.property(forKey: .dataWrittenToMemoryStreamKey) as? Data ?? Data()
        let oldCPU = cpu() - start
        start = cpu()
        let (writer, sink) = try CSVByteSink.writer()
        for _ in 0..<rows { try writer.writeRow(row) }
        writer.stream.close()
        let newCPU = cpu() - start
        XCTAssertEqual(Data(sink.bytes), oldBytes, "the same bytes")
        // Quoting decided by one pass over each field's bytes gives the same bytes, on fields of every kind.
        // (Not a quote followed by a combining mark: the writer's own check, by characters, misses
        // that quote and leaves the field bare; the byte check quotes it.)
        let awkward = ["plain", "with, comma", "with \"quote\"", "line\nbreak", "cr\r\nlf", "", "é\u{301}", "tab\there", "a,\"b\"\n"]
        let (left, leftSink) = try CSVByteSink.writer()
        try left.write(row: awkward)
        let (right, rightSink) = try CSVByteSink.writer()
        try right.writeRow(awkward)
        XCTAssertEqual(String(decoding: rightSink.bytes, as: UTF8.self), String(decoding: leftSink.bytes, as: UTF8.self))
        print(String(format: "BENCH CSV %d rows, %.1f MB: memory stream, writer quoting %.2f s CPU; byte sink, quoting by bytes %.2f s CPU (%.1fx)",
                     rows, Double(oldBytes.count) / 1e6, oldCPU, newCPU, oldCPU / newCPU))
    }
}
