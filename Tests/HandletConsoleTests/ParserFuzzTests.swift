import Foundation
@testable import HandletConsole
import HandletDomain
@testable import TerminalUI
import XCTest

/// Issue 28: a fuzz target per parser the product has (notice files, keys.toml, theme files, the
/// CLI's date grammar, phone numbers). Each input is a seed of the parser's own format mutated at
/// random (bytes flipped, inserted, deleted, pieces of other seeds and of a dictionary of the
/// format's tokens and hostile Unicode spliced in), from a fixed seed so a failure replays. The
/// suite runs `HANDLET_FUZZ_INPUTS` inputs per parser (default 2,000); `scripts/fuzz-parsers.sh`
/// runs 10^7. Each parser must return or throw its own error, never crash, and keep its promises.
final class ParserFuzzTests: XCTestCase {
    static var inputs: Int { Int(ProcessInfo.processInfo.environment["HANDLET_FUZZ_INPUTS"] ?? "") ?? 2_000 }
    static var seed: UInt64 { UInt64(ProcessInfo.processInfo.environment["HANDLET_FUZZ_SEED"] ?? "") ?? 28 }

    /// SplitMix64: small, fast, the same sequence everywhere.
    struct Random {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(max(1, bound))) }
    }

    static let hostile = ["\u{1B}[2J", "\u{0}", "\r", "\n", "\u{202E}", "\u{200B}", "\u{FEFF}", "\u{E0041}", "👩\u{200D}🔧",
                          "\u{0301}\u{0301}\u{0301}", "\u{FFFF}", "\u{10FFFF}", String(repeating: "9", count: 300), "é", "Ⅻ", "٣"]

    static func mutate(_ seeds: [[UInt8]], dictionary: [String], random: inout Random) -> [UInt8] {
        var bytes = seeds[random.below(seeds.count)]
        for _ in 0...random.below(8) {
            switch random.below(7) {
            case 0 where !bytes.isEmpty: bytes[random.below(bytes.count)] = UInt8(truncatingIfNeeded: random.next())
            case 1: bytes.insert(UInt8(truncatingIfNeeded: random.next()), at: random.below(bytes.count + 1))
            case 2 where !bytes.isEmpty:
                let start = random.below(bytes.count)
                bytes.removeSubrange(start..<min(bytes.count, start + 1 + random.below(16)))
            case 3:
                let token = Array(dictionary[random.below(dictionary.count)].utf8)
                bytes.insert(contentsOf: token, at: random.below(bytes.count + 1))
            case 4:
                let token = Array(hostile[random.below(hostile.count)].utf8)
                bytes.insert(contentsOf: token, at: random.below(bytes.count + 1))
            case 5:
                let other = seeds[random.below(seeds.count)]
                guard !other.isEmpty else { break }
                let start = random.below(other.count)
                bytes.insert(contentsOf: other[start..<min(other.count, start + 1 + random.below(40))], at: random.below(bytes.count + 1))
            default:
                if bytes.count > 2 { bytes.swapAt(random.below(bytes.count), random.below(bytes.count)) }
            }
        }
        return bytes
    }

    /// Runs `check` over `inputs` mutated inputs; prints the count and the rate.
    func fuzz(_ name: String, seeds: [String], dictionary: [String], seedOffset: UInt64, check: ([UInt8]) throws -> Void) rethrows {
        var random = Random(state: Self.seed &+ seedOffset)
        let corpus = seeds.map { Array($0.utf8) }
        let started = Date()
        for input in corpus { try check(input) }
        for _ in 0..<Self.inputs { try check(Self.mutate(corpus, dictionary: dictionary, random: &random)) }
        let seconds = Date().timeIntervalSince(started)
        print("fuzz \(name): \(Self.inputs + corpus.count) inputs in \(String(format: "%.1f", seconds)) s "
              + "(\(Int(Double(Self.inputs) / max(seconds, 0.001))) per second), seed \(Self.seed)")
    }

    func testNoticeFiles() {
        let seeds = [
            "---\nid: dpa\nkind: dpa\ntitle: DPA\nversion: 2.1\npublished: 2026-01-01\neffective: 2026-02-01\nneeds-acknowledgement: yes\n---\n# Terms\n\nText.",
            "---\nid: sub\nkind: subprocessor_change\ntitle: New provider\nversion: 1\neffective: 2026-03-01T09:00:00Z\nobjection-deadline: 2026-02-20\nneeds-acknowledgement: no\n---\nBody",
            "---\nid: b\nkind: breach_notification\ntitle: Breach\nversion: 1\neffective: 2026-01-01\nneeds-acknowledgement: yes\nbecame-aware-at: 2026-01-01T00:00:00Z\nnotified-at: 2026-01-02T00:00:00Z\nnature: x\npeople-categories: y\npeople-count: 3\nrecord-categories: z\nrecord-count: 4\ncontact: dpo@example.test\nconsequences: c\nmeasures: m\n---\n",
        ]
        let dictionary = ["---", "\n", ": ", "id", "kind", "version", "effective", "needs-acknowledgement", "yes", "no", "#", "\r\n",
                          "2026-02-30", "T25:61:00Z", "1.2.3", "..", "dpa", "policy_update"]
        fuzz("notice files", seeds: seeds, dictionary: dictionary, seedOffset: 1) { bytes in
            do {
                let file = try NoticeFile.parse(Data(bytes), name: "fuzz.md")
                XCTAssertEqual(file.sha256, SHA256Hex.of(Data(bytes)), "the hash is of the exact bytes")
            } catch let error as NoticeFileError {
                // One rule for echoes: a refusal never repeats a whole header value.
                XCTAssertLessThan(error.description.count, 600, error.description)
                XCTAssertFalse(error.description.contains("\n"), error.description.debugDescription)
            } catch {
                XCTFail("not a NoticeFileError: \(error)")
            }
        }
    }

    func testKeysToml() {
        let seeds = ["[console]\nquit = \"Ctrl-X\"\n", "[call]\nhold = [\"H\", \"Ctrl-H\"]\n[calls]\nopen = \"Enter\"\n", "# nothing\n"]
        let dictionary = ["[", "]", "=", "\"", "'''", "\"\"\"", "[[", "]]", "Ctrl-", "Alt-", "F13", "Shift-Tab", ",", "#", "\\u0000", "inf", "1e999"]
        let last = ProcessInfo.processInfo.environment["HANDLET_FUZZ_LAST"]
        fuzz("keys.toml", seeds: seeds, dictionary: dictionary, seedOffset: 2) { bytes in
            // For a crash inside the C++ parser: the input it died on (HANDLET_FUZZ_LAST=FILE; slow).
            if let last { FileManager.default.createFile(atPath: last, contents: Data(bytes)) }
            let config = KeyConfig.parse(String(decoding: bytes, as: UTF8.self), file: "keys.toml")
            for problem in config.problems { XCTAssertFalse(problem.description.isEmpty) }
        }
    }

    /// What the fuzzer found: TOMLKit's C++ parser aborted the process (an assertion in
    /// `parse_key`) on a table header holding U+FFFD or a line break; now each is a problem line.
    func testTheKeysTomlInputsThatAbortedTheParserAreProblems() {
        for text in ["[\u{FFFD}]]onsole]\nquit = \"Ctrl-X\"\n", "[\nconsole]\nquit = \"Ctrl-X\"\n", "[ =]\n", "= \"x\"\n"] {
            let config = KeyConfig.parse(text, file: "keys.toml")
            XCTAssertEqual(config.problems.count, 1, text.debugDescription)
            XCTAssertTrue(config.problems.first?.message.contains("no keys were rebound") == true, "\(config.problems)")
        }
        XCTAssertTrue(KeyConfig.parse("[console]\nquit = \"Ctrl-X\" # é in a comment\n[call]\nhold = [\n  \"H\",\n  \"Ctrl-H\",\n]\n",
                                      file: "keys.toml").problems.isEmpty)
    }

    /// What the fuzzer found in phone numbers: a second leading 0 gave "+440…", not a number.
    func testPhoneNumbersWithOneZeroTooManyAreNotNumbers() {
        for typed in ["000 687800840", "(00044 796 0000", "0004 79887684", "+0 1234 56789"] { XCTAssertNil(PhoneNumber.e164(typed), typed) }
        XCTAssertEqual(PhoneNumber.e164("0044 7940 887684"), "+447940887684")
        XCTAssertEqual(PhoneNumber.e164("+44 (0) 7940 887684"), "+447940887684")
    }

    func testThemeFiles() throws {
        let dark = try String(contentsOf: URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../Themes/dark.theme").standardized, encoding: .utf8)
        let seeds = [dark, "name: x\nnormal = 252 on default ; mono plain\n", "error = #ff0000 bold underline\n"]
        let dictionary = ["=", " on ", "default", "bold", "underline", "reverse", ";", "mono", "#", "#fff", "256", "-1", "name:", "\n"]
        fuzz("theme files", seeds: seeds, dictionary: dictionary, seedOffset: 3) { bytes in
            do { _ = try Theme.parse(String(decoding: bytes, as: UTF8.self)) } catch is ThemeParseError {} catch {
                XCTFail("not a ThemeParseError: \(error)")
            }
        }
    }

    func testTheCLIDateGrammar() {
        let clock = BrowseClock(now: Date(timeIntervalSince1970: 1_795_435_200), timeZone: TimeZone(identifier: "Europe/London")!)
        let seeds = ["today", "yesterday", "7d", "last monday", "2026-11-23", "2026-03-14T09:30:00Z", "2026-03-14T09:30:00+05:30",
                     "2026-11-01..2026-11-23", "..today", "7d.."]
        let dictionary = ["..", "T", "Z", "+", "-", ":", "d", "last ", "mon", "36500", "36501", "0", "2026-02-29", "+14:00", "+25:00", " "]
        fuzz("dates", seeds: seeds, dictionary: dictionary, seedOffset: 4) { bytes in
            let text = String(decoding: bytes, as: UTF8.self)
            for allowing in [false, true] {
                do {
                    let range = try DateInput.range(parsing: text, clock: clock, allowingInstants: allowing)
                    if let since = range.since, let until = range.until { XCTAssertLessThanOrEqual(since, until, text) }
                } catch let error as DateInputError {
                    XCTAssertLessThan(error.description.count, 600)
                } catch {
                    XCTFail("not a DateInputError: \(error)")
                }
            }
        }
    }

    func testPhoneNumbers() {
        let seeds = ["07940 887684", "+44 7940 887684", "0044 7940 887684", "(0113) 496 0000", "+1 415 555 0100", "Alice"]
        let dictionary = ["+", "0", "44", "(", ")", " ", "-", "٣", "０", "00", "+44"]
        fuzz("phone numbers", seeds: seeds, dictionary: dictionary, seedOffset: 5) { bytes in
            let text = String(decoding: bytes, as: UTF8.self)
            guard let number = PhoneNumber.e164(text) else { return }
            XCTAssertTrue(number.hasPrefix("+") && number.dropFirst().allSatisfy { $0.isASCII && $0.isNumber }, "\(text) → \(number)")
            XCTAssertTrue((8...16).contains(number.count), "\(text) → \(number)")
            XCTAssertEqual(PhoneNumber.e164(number), number, "idempotent: \(text)")
        }
    }
}
