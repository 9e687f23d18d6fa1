// The libFuzzer target over TerminalUI's untrusted-input paths (issue 11, DESIGN §9):
// (a) the sanitiser and the grid's width, (b) the text field driven by an edit script,
// (c) raw input through the key decoder, bracketed paste included, into a text field.
//
// `scripts/fuzz-terminal.sh` builds it with `-sanitize=fuzzer,address -DHANDLET_FUZZ`: then
// libFuzzer supplies `main` and calls `LLVMFuzzerTestOneInput`. A plain `swift build` gets a
// regression runner instead that runs the same checks over files (a corpus, crash artefacts)
// or stdin, so the target always builds and a found input can be replayed without the fuzzer.
import Foundation
import TerminalUI

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    FuzzChecks.run(bytes)
    return 0
}

#if HANDLET_FUZZ
/// libFuzzer's own entry (FuzzerDriver.cpp). SwiftPM renames an executable's `main`, so
/// libFuzzer's `main` is never linked: this target's `main` hands over to the driver instead.
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<Int32>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32
) -> Int32
#endif

@main
struct FuzzMain {
    static func main() {
        #if HANDLET_FUZZ
        var argc = CommandLine.argc
        var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
        exit(LLVMFuzzerRunDriver(&argc, &argv, fuzzTestOneInput))
        #else
        runRegression()
        #endif
    }

    static func runRegression() {
        let arguments = CommandLine.arguments.dropFirst()
        var inputs = 0
        if arguments.isEmpty {
            FuzzChecks.run(Array(FileHandle.standardInput.readDataToEndOfFile()))
            inputs = 1
        }
        for argument in arguments {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: argument, isDirectory: &isDirectory) else {
                FileHandle.standardError.write(Data("handlet-fuzz: no such file: \(argument)\n".utf8))
                exit(2)
            }
            let paths = isDirectory.boolValue
                ? ((try? FileManager.default.contentsOfDirectory(atPath: argument)) ?? []).sorted().map { argument + "/" + $0 }
                : [argument]
            for path in paths {
                guard let contents = FileManager.default.contents(atPath: path) else { continue }
                FuzzChecks.run(Array(contents))
                inputs += 1
            }
        }
        print("handlet-fuzz: \(inputs) input(s) passed every check")
    }
}

enum FuzzChecks {
    static func run(_ bytes: [UInt8]) {
        checkSanitizer(String(decoding: bytes, as: UTF8.self))
        checkEditScript(bytes)
        checkKeyDecoder(bytes)
    }

    /// Stops with the reason; libFuzzer reports it as a crash and saves the input.
    static func fail(_ message: String) -> Never {
        FileHandle.standardError.write(Data("handlet-fuzz check failed: \(message)\n".utf8))
        abort()
    }

    // MARK: (a) Sanitizer and the grid

    /// Written independently of `Sanitizer.isDangerous`: C0, DEL, C1, ALM, LRM, RLM, the
    /// bidi embeddings/overrides and the isolates.
    static func isForbidden(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x0000...0x001F, 0x007F...0x009F, 0x061C, 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069: return true
        default: return false
        }
    }

    static func hex(_ text: String) -> String {
        text.unicodeScalars.map { String(format: "U+%04X", $0.value) }.joined(separator: " ")
    }

    static func checkSanitizer(_ text: String) {
        let segments = Sanitizer.segments(text)
        let clean = Sanitizer.clean(text)
        if clean != segments.map(\.text).joined() { fail("clean differs from the joined segments") }
        if let bad = clean.unicodeScalars.first(where: isForbidden) {
            fail(String(format: "sanitised text keeps U+%04X (input %@)", bad.value, hex(String(text.prefix(16)))))
        }
        let expected = segments.reduce(0) { $0 + TextWidth.width(of: $1.text) }
        var grid = Grid(width: expected + 4, height: 2)
        let drawn = grid.put(text, x: 0, y: 0)
        if drawn != expected { fail("Grid.put drew \(drawn) columns, TextWidth says \(expected): \(hex(String(text.prefix(16))))") }
        var cellColumns = 0
        var x = 0
        while x < grid.width {
            let cell = grid[x, 0]
            if cell.isContinuation { fail("continuation cell without a wide cell before it at \(x)") }
            if let bad = cell.symbol.unicodeScalars.first(where: isForbidden) {
                fail(String(format: "a grid cell holds U+%04X", bad.value))
            }
            if x < drawn { cellColumns += Int(cell.width) }
            x += max(1, Int(cell.width))
        }
        if cellColumns != drawn { fail("cells cover \(cellColumns) columns, put returned \(drawn)") }
        // Narrow spaces: never past the limit, whatever is cut.
        for limit in [1, 2, 3, max(1, expected / 2)] {
            var narrow = Grid(width: limit + 1, height: 1)
            let used = narrow.put(text, x: 0, y: 0, maxWidth: limit)
            if used > limit { fail("put used \(used) columns of \(limit)") }
            if narrow[limit, 0] != .blank { fail("put wrote past maxWidth \(limit)") }
        }
    }

    // MARK: (b) The text field

    /// Scalars that join what is before or after them, and their usual partners.
    static let joiners: [UInt32] = [
        0x0301, 0x0308, 0x200D, 0xFE0F, 0xFE0E, 0x1F3FB, 0x1F3FF, 0x1F1E6, 0x1F1EC, 0x1F1E7,
        0x1100, 0x1161, 0x11A8, 0xAC00, 0x20E3, 0xE0067, 0xE007F, 0x0600, 0x0D4E, 0x0915, 0x094D,
        0x0E33, 0x1F44D, 0x2764, 0x1F468, 0x1F469, 0x1F3F3, 0x200B, 0x00AD, 0x0061, 0x0020, 0x0031,
        0x000D, 0x000A, 0x0009, 0x001B, 0x0085, 0x2028, 0x200E, 0x202E, 0x2067, 0x061C, 0x0300, 0x1F9D1,
    ]

    struct Cursor {
        let bytes: [UInt8]
        var position = 0
        mutating func next() -> UInt8? {
            guard position < bytes.count else { return nil }
            defer { position += 1 }
            return bytes[position]
        }
        mutating func run() -> String {
            let length = Int(next() ?? 0) % 24
            let end = min(bytes.count, position + length)
            defer { position = end }
            return String(decoding: bytes[position..<end], as: UTF8.self)
        }
    }

    static func scalar(_ value: UInt32) -> Character { Character(Unicode.Scalar(value)!) }

    static func checkEditScript(_ bytes: [UInt8]) {
        var input = Cursor(bytes: bytes)
        let caps = [1, 2, 3, 5, 8, 16, 64, 1000]
        var state = TextInputState("", maxLength: caps[Int(input.next() ?? 7) % caps.count])
        var width = 6
        while let op = input.next() {
            var keys: [Key] = []
            switch op % 18 {
            case 0, 1: keys = [.char(scalar(joiners[Int(input.next() ?? 0) % joiners.count]))]
            case 2: keys = input.run().unicodeScalars.map { .char(Character($0)) }
            case 3: keys = [.paste(input.run())]
            case 4:
                let count = Int(input.next() ?? 0) % 8
                var pasted = String.UnicodeScalarView()
                for _ in 0..<count { pasted.append(Unicode.Scalar(joiners[Int(input.next() ?? 0) % joiners.count])!) }
                keys = [.paste(String(pasted))]
            case 5: keys = [.left]
            case 6: keys = [.right]
            case 7: keys = [.home]
            case 8: keys = [.end]
            case 9: keys = [.backspace]
            case 10: keys = [.delete]
            case 11: keys = [.ctrl("u")]
            case 12: keys = [.ctrl("k")]
            case 13: keys = [.ctrl("w")]
            case 14: keys = [[.ctrl("a"), .ctrl("e"), .ctrl("d")][Int(input.next() ?? 0) % 3]]
            case 15: width = Int(input.next() ?? 0) % 12
            case 16: keys = [.char(input.run().first ?? "x")]
            default: state.setText(input.run())
            }
            for key in keys { _ = state.handle(key) }
            checkState(state, after: "op \(op % 18)")
            render(&state, width: width)
        }
    }

    static func checkState(_ state: TextInputState, after what: String) {
        let text = state.text
        let length = text.utf8.count
        guard (0...length).contains(state.cursorOffset) else { fail("cursor \(state.cursorOffset) outside 0...\(length) after \(what)") }
        guard (0...length).contains(state.scrollOffset) else { fail("scroll \(state.scrollOffset) outside 0...\(length) after \(what)") }
        var boundary = 0
        var onBoundary = state.cursorOffset == 0
        for character in text where !onBoundary {
            boundary += character.utf8.count
            if boundary == state.cursorOffset { onBoundary = true }
            if boundary > state.cursorOffset { break }
        }
        if !onBoundary { fail("cursor \(state.cursorOffset) inside a cluster of \(hex(text)) after \(what)") }
        if state.characterCount != text.count { fail("characterCount \(state.characterCount) but text.count \(text.count) after \(what): \(hex(text))") }
        if text.unicodeScalars.contains(where: { isForbidden($0) || $0.value == 0x2028 || $0.value == 0x2029 }) {
            fail("a control reached the field's text after \(what): \(hex(text))")
        }
    }

    static func render(_ state: inout TextInputState, width: Int) {
        let labelWidth = 2
        let area = Rect(x: 1, y: 0, width: labelWidth + 1 + width, height: 1)
        var grid = Grid(width: area.maxX + 3, height: 1)
        TextInputField("L:").render(into: &grid, area: area, labelWidth: labelWidth, state: &state, focused: true)
        checkState(state, after: "render")
        let fieldStart = area.x + labelWidth + 1
        var cursorCells: [Int] = []
        for x in 0..<grid.width where grid[x, 0].style.modifiers.contains(.reverse) { cursorCells.append(x) }
        for x in cursorCells where x < fieldStart || x >= area.maxX {
            fail("cursor cell at \(x) outside the field \(fieldStart)..<\(area.maxX) (\(hex(state.text)))")
        }
        if width > 0 && cursorCells.isEmpty { fail("no cursor cell in a \(width)-column field (\(hex(state.text)))") }
        for x in [0, area.maxX, area.maxX + 1, area.maxX + 2] where grid[x, 0] != .blank {
            fail("the field drew outside its area at column \(x)")
        }
    }

    // MARK: (c) The key decoder

    static let specials: [RawInput] = [
        .special(.pasteStart), .special(.pasteEnd), .special(.enter), .special(.backspace),
        .special(.left), .special(.resize), .special(.unknown), .function(5),
    ]

    static func checkKeyDecoder(_ bytes: [UInt8]) {
        // Bytes 0xF8...0xFF never occur in UTF-8: they stand for keys ncurses decoded itself.
        var raws: [RawInput] = []
        var run: [UInt8] = []
        func flush() {
            raws += String(decoding: run, as: UTF8.self).unicodeScalars.map { .scalar($0.value) }
            run.removeAll()
        }
        for byte in bytes {
            if byte >= 0xF8 { flush(); raws.append(specials[Int(byte - 0xF8)]) } else { run.append(byte) }
        }
        flush()
        var position = 0
        func next() -> RawInput? {
            guard position < raws.count else { return nil }
            defer { position += 1 }
            return raws[position]
        }
        var state = TextInputState("", maxLength: 64)
        while let raw = next() {
            for event in KeyDecoder.decode(raw, next: next, nextInPaste: next) {
                guard case .key(let key) = event else { continue }
                switch key {
                case .char(let c):
                    if c.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
                        fail("a control decoded as a printable key: \(hex(String(c)))")
                    }
                case .paste(let text):
                    if text.unicodeScalars.count > KeyDecoder.maximumPasteScalars { fail("paste over the cap") }
                default: break
                }
                _ = state.handle(key)
                checkState(state, after: "decoded \(key.label)")
            }
        }
        render(&state, width: 10)
    }
}
