import CNcursesw
import Foundation
import XCTest
#if canImport(Glibc)
import Glibc
#endif
@testable import TerminalUI

// glibc declares wcwidth only under _XOPEN_SOURCE, which the Glibc module is not built with;
// the symbol is there, and the test asks it directly rather than through the code under test.
@_silgen_name("wcwidth") private func libcWcwidth(_ character: Int32) -> Int32

/// The grid's widths must be the terminal's: a character counted two columns where ncurses
/// and the terminal draw one left a stale character from the previous frame beside it
/// (issue 11: a lone regional indicator, 🌡 🗓 🖥 🕯 🌧 🏳).
final class WidthAgreementTests: XCTestCase {
    /// Latin, Greek, Cyrillic, combining marks, punctuation and symbols, CJK, kana, Hangul
    /// (jamo and syllables), variation selectors, fullwidth forms, the emoji planes
    /// (regional indicators included) and the start of CJK Extension B.
    static let ranges: [ClosedRange<UInt32>] = [
        0x20...0x7E, 0xA0...0x4FF, 0x1100...0x11FF, 0x2000...0x2BFF, 0x2E80...0x33FF, 0x3400...0x3500,
        0x4E00...0x9FFF, 0xA960...0xA97F, 0xAC00...0xD7FF, 0xFE00...0xFE6F, 0xFF00...0xFFEF,
        0x1F000...0x1FAFF, 0x20000...0x20400,
    ]

    static let textPresentationEmoji = ["🌡", "🗓", "🖥", "🕯", "🌧", "🏳"]

    /// Runs `body` with the calling thread in C.UTF-8, as a terminal program runs; the
    /// process locale (C under `swift test`) is left alone.
    private func inUTF8Locale<T>(_ body: () throws -> T) throws -> T {
        guard let utf8 = newlocale(LC_CTYPE_MASK, "C.UTF-8", nil) else { throw XCTSkip("no C.UTF-8 locale") }
        let previous = uselocale(utf8)
        defer {
            uselocale(previous)
            freelocale(utf8)
        }
        return try body()
    }

    func testEverySingleScalarTakesWhatLibcWcwidthSays() throws {
        var mismatches: [String] = []
        var unknown: [Unicode.Scalar] = []
        try inUTF8Locale {
            for range in Self.ranges {
                for value in range {
                    guard let scalar = Unicode.Scalar(value) else { continue }
                    let libc = Int(libcWcwidth(Int32(bitPattern: value)))
                    if libc < 0 {
                        unknown.append(scalar)
                    } else if TextWidth.width(of: scalar) != libc {
                        mismatches.append("U+\(String(value, radix: 16, uppercase: true)) libc \(libc) ours \(TextWidth.width(of: scalar))")
                    }
                }
            }
        }
        XCTAssertEqual(Array(mismatches.prefix(20)), [], "\(mismatches.count) scalars disagree with wcwidth")
        // Newer than libc's tables: never sent raw (ncurses would refuse or mis-measure them).
        for scalar in unknown {
            XCTAssertFalse(TextWidth.isKnownToLibc(scalar))
            let width = TextWidth.width(of: Character(scalar))
            let sent = TerminalSafeSymbol.cells(for: String(scalar), width: width)
            XCTAssertEqual(sent, width == 2 ? ["\u{FFFD}", " "] : ["\u{FFFD}"], "U+\(String(scalar.value, radix: 16))")
        }
    }

    func testTextPresentationEmojiAndLoneRegionalIndicatorsTakeOneColumn() {
        for symbol in Self.textPresentationEmoji {
            XCTAssertEqual(TextWidth.width(of: Character(symbol)), 1, symbol)
            XCTAssertEqual(TextWidth.width(of: Character(symbol + "\u{FE0F}")), 2, "\(symbol) with VS16 asks for emoji presentation")
            XCTAssertEqual(TerminalSafeSymbol.cells(for: symbol + "\u{FE0F}", width: 2), [symbol, " "], "padded so no cell is stale")
        }
        for value in UInt32(0x1F1E6)...0x1F1FF {
            XCTAssertEqual(TextWidth.width(of: Unicode.Scalar(value)!), 1, "a lone regional indicator")
        }
        XCTAssertEqual(TextWidth.width(of: Character("🇬🇧")), 2, "a pair is a flag")
        var grid = Grid(width: 10, height: 1)
        XCTAssertEqual(grid.put("🌡x🇬y", x: 0, y: 0), 4)
        XCTAssertEqual(grid.line(0), "🌡x🇬y      ", "each takes one cell: nothing left over to go stale")
    }

    func testClustersFollowTheExplicitRules() {
        XCTAssertEqual(TextWidth.width(of: Character("⌚\u{FE0E}")), 2, "VS15 is ignored, as ncurses and terminals ignore it")
        XCTAssertEqual(TextWidth.width(of: Character("👨‍👩‍👧")), 2)
        XCTAssertEqual(TextWidth.width(of: Character("🏳️‍🌈")), 2)
        XCTAssertEqual(TextWidth.width(of: Character("1\u{FE0F}\u{20E3}")), 2)
        XCTAssertEqual(TextWidth.width(of: Character("\u{1100}\u{1161}\u{11A8}")), 2)
        XCTAssertEqual(TextWidth.width(of: Character("\u{301}")), 1, "a lone mark is drawn on a dotted circle")
        XCTAssertEqual(TextWidth.width(of: Character("\u{200B}")), 0)
        XCTAssertEqual(TerminalSafeSymbol.cells(for: "\u{1100}\u{1161}\u{11A8}", width: 2), ["\u{1100}\u{1161}\u{11A8}"],
                       "Hangul jamo are sent whole: the vowel and final are zero-width to libc")
        XCTAssertEqual(TerminalSafeSymbol.cells(for: "a\u{200D}", width: 1), ["a"], "a cell never ends in ZWJ (tmux would join it to the next)")
    }

    /// The bytes the backend sends for each cell must advance ncurses' cursor by exactly the
    /// cell's width, or the cells after it land in the wrong columns. Asked of ncurses itself.
    func testWhatTheBackendSendsTakesTheGridsColumnsInNcurses() throws {
        var corpus = ["a", "é", "e\u{301}", "e\u{301}\u{302}\u{303}\u{304}\u{305}\u{306}", "\u{301}", "東", "ｱ", "Ａ", "👍", "👍🏽",
                      "👨‍👩‍👧", "🇬🇧", "🇬", "❤", "❤️", "1️⃣", "#️⃣", "⌚", "⌚\u{FE0E}", "a\u{200D}", "🏳️‍🌈", "🏴‍☠️",
                      "\u{1100}\u{1161}\u{11A8}", "\u{1100}\u{1161}", "\u{AC00}", "\u{1FAE8}", "🫨🏽", "\u{0600}a", "\u{FE0F}",
                      "\u{00AD}", "🧑🏽‍💻", "🏴\u{E0067}\u{E0062}\u{E0065}\u{E006E}\u{E0067}\u{E007F}"]
        corpus += Self.textPresentationEmoji + Self.textPresentationEmoji.map { $0 + "\u{FE0F}" }
        for range in [UInt32(0x1F1E6)...0x1F1FF, 0x1F300...0x1F6FF, 0x1F900...0x1FAFF, 0x2600...0x27BF, 0x300...0x36F] {
            corpus += range.compactMap { Unicode.Scalar($0).map { String($0) } }
        }
        var failures: [String] = []
        for text in corpus {
            var grid = Grid(width: 4, height: 1)
            grid.put(text, x: 0, y: 0)
            let cell = grid[0, 0]
            guard cell.symbol != " " || text == " " else { continue } // invisible: nothing is sent
            let pieces = TerminalSafeSymbol.cells(for: cell.symbol, width: Int(cell.width))
            let measured = try pieces.map { piece -> Int in
                let wide = piece.unicodeScalars.map { wchar_t(bitPattern: $0.value) }
                let columns = Int(hl_ncurses_cell_width(wide, Int32(wide.count)))
                if columns == -2 { throw XCTSkip("ncurses cannot make a probe screen here") }
                return columns
            }
            let agrees = pieces.count == 1 ? measured == [Int(cell.width)] : (pieces.count == Int(cell.width) && measured.allSatisfy { $0 == 1 })
            if !agrees {
                let scalars = text.unicodeScalars.map { "U+" + String($0.value, radix: 16, uppercase: true) }.joined(separator: " ")
                failures.append("\(scalars): grid \(cell.width), sent \(pieces.map(\.debugDescription)) ncurses \(measured)")
            }
        }
        XCTAssertEqual(Array(failures.prefix(20)), [], "\(failures.count) cells would leave the terminal's cursor elsewhere")
    }
}
