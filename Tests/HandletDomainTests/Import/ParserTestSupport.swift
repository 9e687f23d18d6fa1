import Foundation
@testable import HandletDomain
import XCTest

/// Runs a parser over bytes as a stream, collecting what it emits.
func parseAll<P: RecordParser>(_ parser: P, _ bytes: [UInt8], file: String = "fixture") throws -> [ParsedLine] {
    var parser = parser
    var lines: [ParsedLine] = []
    try parser.parse(InputStream(data: Data(bytes)), file: file, emit: { lines.append($0) }, bytesRead: { _ in })
    return lines
}

func parseAll<P: RecordParser>(_ parser: P, _ text: String, file: String = "fixture") throws -> [ParsedLine] {
    try parseAll(parser, Array(text.utf8), file: file)
}

extension ParsedLine {
    var call: IncomingCall? { if case .record(.call(let c), _) = self { c } else { nil } }
    var message: IncomingMessage? { if case .record(.message(let m), _) = self { m } else { nil } }
    var rejection: RejectedLine? { if case .rejected(let r) = self { r } else { nil } }
    var line: Int {
        switch self {
        case .record(_, let position): position.line
        case .rejected(let rejected): rejected.position.line
        }
    }
}

/// UTC wall-clock time, for expected values.
func utc(_ year: Int, _ month: Int, _ day: Int, _ hour: Int = 0, _ minute: Int = 0, _ second: Int = 0) -> Date {
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = TimeZone(identifier: "UTC")!
    return calendar.date(from: DateComponents(year: year, month: month, day: day, hour: hour, minute: minute, second: second))!
}

/// A seeded generator (SplitMix64): the fuzz tests' inputs are the same on every run.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Random and mutated inputs from a seed corpus: cut, spliced, bytes flipped, the format's
/// awkward characters inserted, lines duplicated or dropped.
struct InputMutator {
    var generator: SeededGenerator
    let corpus: [[UInt8]]
    let tokens: [[UInt8]]

    init(seed: UInt64, corpus: [String], tokens: [String]) {
        generator = SeededGenerator(seed: seed)
        self.corpus = corpus.map { Array($0.utf8) }
        self.tokens = (tokens + ["\n", "\r\n", "\r", "\u{FEFF}", " ", "\"", ",", ":", "\u{200E}", "\u{202F}"]).map { Array($0.utf8) }
            + [[0xFF], [0xC3], [0xE2, 0x80], [0x00], [0xEF, 0xBB, 0xBF]]
    }

    mutating func next() -> [UInt8] {
        var input = corpus.randomElement(using: &generator)!
        if Int.random(in: 0..<10, using: &generator) == 0 {
            // Pure noise: random tokens and bytes.
            return (0..<Int.random(in: 0..<80, using: &generator)).flatMap { _ in
                Bool.random(using: &generator) ? tokens.randomElement(using: &generator)! : [UInt8.random(in: 0...255, using: &generator)]
            }
        }
        for _ in 0..<Int.random(in: 1...6, using: &generator) {
            let position = input.isEmpty ? 0 : Int.random(in: 0...input.count, using: &generator)
            switch Int.random(in: 0..<7, using: &generator) {
            case 0: input.insert(contentsOf: tokens.randomElement(using: &generator)!, at: position)
            case 1: if position < input.count { input[position] = UInt8.random(in: 0...255, using: &generator) }
            case 2: input.removeSubrange(position...)   // cut off
            case 3:
                let end = min(input.count, position + Int.random(in: 1...20, using: &generator))
                input.removeSubrange(position..<end)
            case 4:
                let other = corpus.randomElement(using: &generator)!
                let start = other.isEmpty ? 0 : Int.random(in: 0..<other.count, using: &generator)
                input.insert(contentsOf: other[start...], at: position)
            case 5:
                let end = min(input.count, position + Int.random(in: 1...60, using: &generator))
                input.insert(contentsOf: input[position..<end], at: end)   // a duplicated stretch
            default:
                input.insert(contentsOf: Array(repeating: tokens.randomElement(using: &generator)!.first ?? 0x20,
                                               count: Int.random(in: 1...40, using: &generator)), at: position)
            }
        }
        return input
    }
}

/// The fuzz property: the parser returns (no crash, no error thrown for bad data, within a time
/// bound), and what it emits is in file order with positions inside the file.
func fuzz<P: RecordParser>(_ parser: P, mutator: InputMutator, count: Int, file: StaticString = #filePath, line: UInt = #line) throws {
    var mutator = mutator
    let began = Date()
    var records = 0, rejections = 0
    for n in 0..<count {
        let input = mutator.next()
        // Lines as LF counts them, or CR alone (a CSV reader ends rows at either): the larger.
        let lineCount = 1 + input.indices.filter { input[$0] == 0x0A || (input[$0] == 0x0D && ($0 + 1 == input.count || input[$0 + 1] != 0x0A)) }.count
        let started = Date()
        let emitted: [ParsedLine]
        do {
            emitted = try parseAll(parser, input)
        } catch {
            XCTFail("input \(n) threw \(error): \(String(decoding: input, as: UTF8.self).debugDescription)", file: file, line: line)
            continue
        }
        XCTAssertLessThan(Date().timeIntervalSince(started), 2, "input \(n) took too long", file: file, line: line)
        var last = 0
        for item in emitted {
            XCTAssertTrue((1...max(1, lineCount)).contains(item.line), "input \(n): line \(item.line) of \(lineCount)", file: file, line: line)
            XCTAssertGreaterThanOrEqual(item.line, last, "input \(n): out of order", file: file, line: line)
            last = item.line
            if let rejected = item.rejection {
                XCTAssertFalse(rejected.reason.isEmpty, file: file, line: line)
                rejections += 1
            } else {
                records += 1
            }
        }
    }
    XCTAssertGreaterThan(records, 0, "the mutations leave some records whole", file: file, line: line)
    XCTAssertGreaterThan(rejections, 0, "the mutations break some records", file: file, line: line)
    XCTAssertLessThan(Date().timeIntervalSince(began), 60, "\(count) inputs in under a minute", file: file, line: line)
}
