import Foundation
@testable import HandletDomain
import XCTest

/// The import's parsing thread: stopping it never waits for input that may not come (a pipe or a
/// terminal on standard input), and its thread ends once the read returns.
final class ParsingThreadTests: XCTestCase {
    func testCancelReturnsWhileTheParserWaitsOnAPipe() throws {
        let pipe = Pipe()
        let line = #"{"type":"message","channel":"sms","direction":"inbound","from":"07700900123","to":"01134960000","sent_at":"2026-03-02T10:00:00Z","body":"hi"}"#
        // More than a chunk, so one chunk comes through, and the parser then waits on the pipe.
        // (Written from another thread: more than a pipe holds.)
        let text = Data(String(repeating: line + "\n", count: ParsingThread.chunk + 10).utf8)
        let writer = pipe.fileHandleForWriting
        let written = DispatchSemaphore(value: 0)
        DispatchQueue.global().async { writer.write(text); written.signal() }
        let input = try XCTUnwrap(InputStream(fileAtPath: "/dev/fd/\(pipe.fileHandleForReading.fileDescriptor)"))
        input.open()
        let parsing = ParsingThread.start(JSONLParser(ImportParserOptions(timeZone: TimeZone(identifier: "UTC")!)),
                                          input: input, file: "stdin")
        guard case .lines(let lines) = parsing.next() else { return XCTFail("a chunk of lines first") }
        XCTAssertEqual(lines.count, ParsingThread.chunk)

        let returned = DispatchSemaphore(value: 0)
        let canceller = Thread {
            parsing.cancel()
            returned.signal()
        }
        canceller.start()
        XCTAssertEqual(returned.wait(timeout: .now() + 5), .success, "cancel waited for input that had not come")
        XCTAssertFalse(parsing.hasFinished, "the parser is still in its read")

        // The input ends: the parser's read returns, it stops, and its thread closes the stream.
        XCTAssertEqual(written.wait(timeout: .now() + 10), .success)
        pipe.fileHandleForWriting.closeFile()
        let deadline = Date().addingTimeInterval(10)
        while !parsing.hasFinished && Date() < deadline { usleep(10_000) }
        XCTAssertTrue(parsing.hasFinished)
    }
}
