import XCTest
@testable import TerminalUI

final class TextWidthTests: XCTestCase {
    func testWidthsOfScriptsAndEmoji() {
        XCTAssertEqual(TextWidth.width(of: "abc"), 3)
        XCTAssertEqual(TextWidth.width(of: "東京"), 4)
        XCTAssertEqual(TextWidth.width(of: "한국"), 4)
        XCTAssertEqual(TextWidth.width(of: "ｱ"), 1, "halfwidth katakana is narrow")
        XCTAssertEqual(TextWidth.width(of: "Ａ"), 2, "fullwidth Latin is wide")
        XCTAssertEqual(TextWidth.width(of: Character("👍")), 2)
        XCTAssertEqual(TextWidth.width(of: Character("👍🏽")), 2, "skin tone joins its base")
        XCTAssertEqual(TextWidth.width(of: Character("👨‍👩‍👧")), 2, "ZWJ family is one glyph")
        XCTAssertEqual(TextWidth.width(of: Character("🇬🇧")), 2)
        XCTAssertEqual(TextWidth.width(of: Character("❤️")), 2, "VS16 asks for emoji presentation")
        XCTAssertEqual(TextWidth.width(of: Character("e\u{301}")), 1, "combining acute adds nothing")
        XCTAssertEqual(TextWidth.width(of: "a\u{200B}b"), 2, "zero-width space adds nothing")
        XCTAssertEqual(TextWidth.width(of: Character("\u{1100}\u{1161}")), 2, "Hangul jamo cluster")
    }

    func testTruncateNeverSplitsClustersOrOverruns() {
        XCTAssertEqual(TextWidth.truncate("Hello world", to: 8), "Hello w…")
        XCTAssertEqual(TextWidth.truncate("東京都庁", to: 6), "東京…", "a wide char that would straddle is dropped")
        XCTAssertEqual(TextWidth.truncate("東京都庁", to: 5), "東京…")
        XCTAssertEqual(TextWidth.truncate("ok", to: 5), "ok")
        XCTAssertEqual(TextWidth.truncate("👨‍👩‍👧x", to: 2), "…", "a ZWJ sequence is never cut in half")
        for text in ["e\u{301}e\u{301}e\u{301}e\u{301}", "👍🏽👍🏽👍🏽", "日本語テキスト", "🇬🇧🇫🇷🇩🇪"] {
            for width in 0...10 {
                let result = TextWidth.truncate(text, to: width)
                XCTAssertLessThanOrEqual(TextWidth.width(of: result), width, "\(text) at \(width)")
                XCTAssertTrue(text.hasPrefix(result.hasSuffix("…") ? String(result.dropLast()) : result))
            }
        }
    }
}

final class SanitizerTests: XCTestCase {
    func testControlsBecomeVisibleStandIns() {
        XCTAssertEqual(Sanitizer.clean("a\u{1B}[31mb"), "a␛[31mb")
        XCTAssertEqual(Sanitizer.clean("bell\u{07}"), "bell␇")
        XCTAssertEqual(Sanitizer.clean("del\u{7F}"), "del␡")
        XCTAssertEqual(Sanitizer.clean("csi\u{9B}2J"), "csi␛[2J")
        XCTAssertEqual(Sanitizer.clean("x\u{202E}fdp.exe"), "x<RLO>fdp.exe")
        XCTAssertEqual(Sanitizer.clean("\u{2066}a\u{2069}"), "<LRI>a<PDI>")
        XCTAssertEqual(Sanitizer.clean("line\r\nnext"), "line␍␊next", "CRLF is one Swift Character but two controls")
    }

    func testSegmentsMarkWhichRunsAreStandIns() {
        XCTAssertEqual(Sanitizer.segments("ok\u{1B}\u{07}!"), [
            .init(text: "ok", isControl: false), .init(text: "␛␇", isControl: true), .init(text: "!", isControl: false),
        ])
    }

    /// Property: whatever bytes arrive, the grid holds no control, bidi override or isolate.
    /// The oracle, written out independently of `Sanitizer`: C0 controls, DEL, C1 controls, the
    /// bidi embeddings and overrides (U+202A...U+202E), isolates (U+2066...U+2069) and the marks
    /// LRM, RLM and ALM.
    static func dangerous(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00...0x1F, 0x7F, 0x80...0x9F, 0x202A...0x202E, 0x2066...0x2069, 0x200E, 0x200F, 0x061C: true
        default: false
        }
    }

    func testTheOracleIsNotTheSanitiser() {
        // Every listed code point written alone reaches the grid as a visible stand-in.
        for value in Array(0x00...0x1F) + [0x7F] + Array(0x80...0x9F) + Array(0x202A...0x202E) + Array(0x2066...0x2069) + [0x200E, 0x200F, 0x061C] {
            let scalar = Unicode.Scalar(UInt32(value))!
            XCTAssertTrue(Self.dangerous(scalar))
            var grid = Grid(width: 12, height: 1)
            _ = grid.put("a" + String(Character(scalar)) + "b", x: 0, y: 0, maxWidth: 12)
            XCTAssertFalse(grid.cells.contains { $0.symbol.unicodeScalars.contains(scalar) }, "U+\(String(value, radix: 16)) reached the grid")
            XCTAssertTrue(grid.line(0).hasPrefix("a") && grid.line(0).contains("b"), "U+\(String(value, radix: 16)): \(grid.line(0))")
        }
    }

    func testRandomByteStringsNeverReachTheGridRaw() {
        var generator = SplitMix64(seed: 0x5EED)
        let interesting: [[UInt8]] = [[0x1B], [0xC2, 0x9B], [0xE2, 0x80, 0xAE], [0xE2, 0x81, 0xA6], [0x7F], [0x0D, 0x0A],
                                      [0xF0, 0x9F, 0x91, 0x8D], [0xCC, 0x81], [0xE2, 0x80, 0x8D], [0xFF], [0xE6, 0x9D, 0xB1]]
        for _ in 0..<3000 {
            var bytes: [UInt8] = []
            for _ in 0..<Int(generator.next() % 40) {
                if generator.next() % 3 == 0 {
                    bytes += interesting[Int(generator.next() % UInt64(interesting.count))]
                } else {
                    bytes.append(UInt8(truncatingIfNeeded: generator.next()))
                }
            }
            let text = String(decoding: bytes, as: UTF8.self)
            var grid = Grid(width: 30, height: 2)
            let used = grid.put(text, x: 1, y: 0, maxWidth: 25)
            XCTAssertLessThanOrEqual(used, 25)
            for cell in grid.cells {
                for scalar in cell.symbol.unicodeScalars {
                    XCTAssertFalse(Self.dangerous(scalar), "U+\(String(scalar.value, radix: 16)) from \(bytes)")
                }
            }
            XCTAssertEqual(grid.line(1), String(repeating: " ", count: 30), "nothing spilled onto another row")
            XCTAssertEqual(grid[0, 0].symbol, " ", "nothing written left of x")
        }
    }
}

/// Deterministic generator so a failure can be replayed.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E3779B97F4A7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58476D1CE4E5B9
        z = (z ^ (z >> 27)) &* 0x94D049BB133111EB
        return z ^ (z >> 31)
    }
}

final class GridTests: XCTestCase {
    func testPutWritesTextAndStyleAndReportsColumns() {
        var grid = Grid(width: 10, height: 1)
        XCTAssertEqual(grid.put("hi", x: 2, y: 0, style: .accent), 2)
        XCTAssertEqual(grid.line(0), "  hi      ")
        XCTAssertEqual(grid[2, 0].style, .accent)
        XCTAssertEqual(grid[4, 0].style, .normal)
    }

    func testControlStandInsUseTheControlRole() {
        var grid = Grid(width: 10, height: 1)
        grid.put("a\u{1B}b", x: 0, y: 0, style: Style(.normal, .bold))
        XCTAssertEqual(grid.line(0), "a␛b       ")
        XCTAssertEqual(grid[1, 0].style, Style(.control, .bold))
        XCTAssertEqual(grid[2, 0].style, Style(.normal, .bold))
    }

    func testWideCharactersTakeTwoCellsAndTruncateWithEllipsis() {
        var grid = Grid(width: 8, height: 1)
        let used = grid.put("東京都庁舎", x: 0, y: 0, maxWidth: 6)
        XCTAssertEqual(used, 5)
        XCTAssertEqual(grid.line(0), "東京…   ")
        XCTAssertEqual(grid[0, 0].width, 2)
        XCTAssertTrue(grid[1, 0].isContinuation)
    }

    func testOverwritingHalfAWideCharacterBlanksTheOtherHalf() {
        var grid = Grid(width: 6, height: 1)
        grid.put("東京", x: 0, y: 0)
        grid.put("x", x: 1, y: 0)
        XCTAssertEqual(grid.line(0), " x京  ")
        grid.put("y", x: 2, y: 0)
        XCTAssertEqual(grid.line(0), " xy   ")
    }

    func testWideCharacterAtRightEdgeIsNotHalfDrawn() {
        var grid = Grid(width: 3, height: 1)
        grid.put("ab東", x: 0, y: 0, overflow: .clip)
        XCTAssertEqual(grid.line(0), "ab ")
    }

    func testLoneCombiningMarkIsShownOnADottedCircle() {
        var grid = Grid(width: 4, height: 1)
        grid.put("\u{301}a", x: 0, y: 0)
        XCTAssertEqual(grid[0, 0].symbol, "◌\u{301}")
        XCTAssertEqual(grid[1, 0].symbol, "a")
    }

    func testChangesListOnlyDifferingCells() {
        var before = Grid(width: 5, height: 2)
        before.put("hello", x: 0, y: 0)
        var after = before
        after.put("J", x: 0, y: 1)
        XCTAssertEqual(after.changes(since: before).map { [$0.x, $0.y] }, [[0, 1]])
        XCTAssertEqual(after.changes(since: nil).count, 10)
        var restyled = before
        restyled.setStyle(Rect(x: 1, y: 0, width: 2, height: 1), style: .selection)
        XCTAssertEqual(restyled.changes(since: before).map(\.x), [1, 2])
    }

    func testBoxDrawsBordersAndTitle() {
        var grid = Grid(width: 12, height: 3)
        grid.box(Rect(x: 0, y: 0, width: 12, height: 3), title: "Hi")
        XCTAssertEqual(grid.lines, ["┌ Hi ──────┐", "│          │", "└──────────┘"])
        XCTAssertEqual(grid[0, 0].style, .border)
        XCTAssertEqual(grid[2, 0].style, .title)
    }

    /// The printable-ASCII fast path of `put` places exactly what the cluster-by-cluster path does,
    /// over grids already holding wide characters it may cut, at every offset, width and overflow.
    func testPrintableASCIIFastPathMatchesTheGeneralPath() {
        var random = SystemRandomNumberGenerator()
        let alphabet = Array(" !\"#$%&'()*+,-./0123456789:;<=>?@ABCXYZ[\\]^_`abcxyz{|}~")
        for _ in 0..<3_000 {
            let text = String((0..<Int.random(in: 0...30, using: &random)).map { _ in alphabet.randomElement(using: &random)! })
            var fast = Grid(size: Size(width: 24, height: 1))
            fast.put("漢字 wide 漢字 text 漢", x: 0, y: 0)
            var general = fast
            let x = Int.random(in: 0...23, using: &random)
            let available = Int.random(in: 1...(24 - x), using: &random)
            let overflow: Grid.Overflow = Bool.random(using: &random) ? .ellipsis : .clip
            let placedFast = fast.putPrintableASCII(text, startX: x, y: 0, available: available, style: .normal, overflow: overflow)
            let placedGeneral = general.putClusters(text, startX: x, y: 0, available: available, style: .normal, overflow: overflow)
            XCTAssertEqual(placedFast, placedGeneral, "\(text.debugDescription) at \(x), \(available), \(overflow)")
            XCTAssertEqual(fast.cells, general.cells, "\(text.debugDescription) at \(x), \(available), \(overflow)")
        }
        var grid = Grid(size: Size(width: 10, height: 1))
        XCTAssertNil(grid.putPrintableASCII("tab\there", startX: 0, y: 0, available: 10, style: .normal, overflow: .clip),
                     "a control character takes the sanitising path")
        XCTAssertNil(grid.putPrintableASCII("café", startX: 0, y: 0, available: 10, style: .normal, overflow: .clip))
    }
}
