import Foundation
import TerminalUI
import TOMLKit

/// The user's rebindings, read from `keys.toml` and checked against the console's tables.
///
///     # ~/.config/handlet/keys.toml
///     [call]
///     hold = ["H"]          # an action of a table: the keys that do it
///     [console]
///     quit = "Ctrl-X"       # one key may be written without the list
///
/// Sections and action names are those of `docs/keys.md`. An entry that names an unknown
/// section or action, a key that cannot be read, a printable key for a table beside a text
/// field, or a key another action of the same screen state already has, is reported with the
/// file and line, and that action keeps its default keys; the rest of the file still applies.
public struct KeyConfig: Sendable {
    public struct Problem: Sendable, Equatable, CustomStringConvertible {
        public var file: String
        /// 1-based; nil when the entry's line could not be found.
        public var line: Int?
        public var message: String
        public var description: String { Self.text(file, line, message) }
        /// With the file's name only, for the status bar's narrow line.
        public var shortDescription: String { Self.text(URL(fileURLWithPath: file).lastPathComponent, line, message) }
        private static func text(_ file: String, _ line: Int?, _ message: String) -> String {
            line.map { "\(file):\($0): \(message)" } ?? "\(file): \(message)"
        }
    }

    public let bindings: KeyBindings
    public let problems: [Problem]

    /// `$XDG_CONFIG_HOME/handlet/keys.toml`, else `~/.config/handlet/keys.toml`.
    public static func fileURL(environment: [String: String] = ProcessInfo.processInfo.environment) -> URL {
        let base: URL
        if let xdg = environment["XDG_CONFIG_HOME"], xdg.hasPrefix("/") {
            base = URL(fileURLWithPath: xdg, isDirectory: true)
        } else {
            let home = environment["HOME"].map { URL(fileURLWithPath: $0, isDirectory: true) }
                ?? FileManager.default.homeDirectoryForCurrentUser
            base = home.appendingPathComponent(".config", isDirectory: true)
        }
        return base.appendingPathComponent("handlet", isDirectory: true).appendingPathComponent("keys.toml")
    }

    /// The user's file; no file means no rebindings and no problems.
    public static func load(environment: [String: String] = ProcessInfo.processInfo.environment,
                            screens: ScreenRegistry = .standard) -> KeyConfig {
        let url = fileURL(environment: environment)
        guard FileManager.default.fileExists(atPath: url.path) else { return KeyConfig(bindings: .defaults, problems: []) }
        do {
            return parse(try String(contentsOf: url, encoding: .utf8), file: url.path, screens: screens)
        } catch {
            return KeyConfig(bindings: .defaults, problems: [Problem(file: url.path, line: nil, message: "cannot be read: \(error.localizedDescription)")])
        }
    }

    /// Reads `text` as a rebinding file named `file` (for messages).
    public static func parse(_ text: String, file: String, screens: ScreenRegistry = .standard) -> KeyConfig {
        // TOMLKit's C++ parser aborts the process on some malformed input (a table header holding
        // a line break, an array opened with `}`: found by ParserFuzzTests, issue 28), so the file's
        // shape is checked first against the little TOML a keys file needs (`KeysFileShape`).
        if let (line, reason) = KeysFileShape.firstProblem(text) {
            return KeyConfig(bindings: .defaults, problems: [
                Problem(file: file, line: line, message: "\(reason); no keys were rebound"),
            ])
        }
        let root: TOMLTable
        do {
            root = try TOMLTable(string: text)
        } catch let error as TOMLParseError {
            return KeyConfig(bindings: .defaults, problems: [
                Problem(file: file, line: error.source.begin.line, message: "not valid TOML (\(error.description)); no keys were rebound"),
            ])
        } catch {
            return KeyConfig(bindings: .defaults, problems: [Problem(file: file, line: nil, message: "not valid TOML: \(error)")])
        }
        let lines = SourceLines(text)
        let tables = Dictionary(ConsoleKeys.tables(screens).map { ($0.section, $0) }, uniquingKeysWith: { first, _ in first })
        var problems: [Problem] = []
        var entries: [(section: String, name: String, value: TOMLValueConvertible, line: Int?)] = []
        for sectionName in root.keys {
            let sectionLine = lines.section(sectionName)
            guard let section = root[sectionName]?.table else {
                problems.append(Problem(file: file, line: lines.key(sectionName, in: nil),
                                        message: "\"\(sectionName)\" is not a section: write it under one, such as [console]"))
                continue
            }
            guard let table = tables[sectionName] else {
                problems.append(Problem(file: file, line: sectionLine, message: "no key table is called [\(sectionName)]; the tables are "
                                        + tables.keys.sorted().joined(separator: ", ")))
                continue
            }
            for name in section.keys {
                let line = lines.key(name, in: sectionName)
                guard table.actionNames.contains(name) else {
                    problems.append(Problem(file: file, line: line, message: "[\(sectionName)] has no action \"\(name)\"; its actions are "
                                            + table.actionNames.joined(separator: ", ")))
                    continue
                }
                entries.append((sectionName, name, section[name]!, line))
            }
        }
        // In file order, so "the first one wins" reads as a person expects.
        entries.sort { ($0.line ?? .max) < ($1.line ?? .max) }
        let modes = ConsoleKeys.modes(screens)
        var bindings = KeyBindings.defaults
        for entry in entries {
            let problem = { (message: String) in problems.append(Problem(file: file, line: entry.line, message: message)) }
            let written: [String]
            if let single = entry.value.string {
                written = [single]
            } else if let array = entry.value.array, let strings = Optional(array.compactMap(\.string)), strings.count == array.count {
                written = strings
            } else {
                problem("[\(entry.section)] \(entry.name) must be a key or a list of keys, such as [\"H\"] or \"Ctrl-R\"")
                continue
            }
            var keys: [Key] = []
            var unreadable: String?
            for text in written {
                guard let key = KeyNames.parse(text) else { unreadable = text; break }
                keys.append(key)
            }
            if let unreadable {
                problem("[\(entry.section)] \(entry.name): \"\(unreadable)\" is not a key (write \"H\", \"Enter\", \"Ctrl-R\", \"Alt-x\" or \"F2\")")
                continue
            }
            if tables[entry.section]!.typesText, let typed = keys.first(where: \.typesText) {
                problem("[\(entry.section)] \(entry.name): \(typed.label) would type into the text field there; choose a key such as Esc or Ctrl-G")
                continue
            }
            let candidate = bindings.setting(entry.section, entry.name, to: keys)
            let before = Set(KeyConflicts.find(modes: modes, console: ConsoleKeys.consoleMode, keys: bindings).map(\.description))
            let added = KeyConflicts.find(modes: modes, console: ConsoleKeys.consoleMode, keys: candidate)
                .filter { !before.contains($0.description) }
            if let clash = added.first {
                let kept = KeyMap<String>.label(tables[entry.section]!.defaults.bindings.first { $0.name == entry.name }?.keys ?? [])
                problem("[\(entry.section)] \(entry.name) not rebound: \(clash); it keeps \(kept.isEmpty ? "no key" : kept)")
                continue
            }
            bindings = candidate
        }
        problems.sort { ($0.line ?? .max) < ($1.line ?? .max) }
        return KeyConfig(bindings: bindings, problems: problems)
    }
}

/// Where a section or a key is written in the file: TOMLKit gives values, not their lines.
private struct SourceLines {
    let lines: [String]
    init(_ text: String) { lines = text.components(separatedBy: "\n") }

    private static func bare(_ text: Substring) -> String {
        text.trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "\"'"))
    }

    /// The line of `[section]`.
    func section(_ name: String) -> Int? {
        for (index, line) in lines.enumerated() {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            guard trimmed.hasPrefix("["), !trimmed.hasPrefix("[["), let close = trimmed.firstIndex(of: "]") else { continue }
            if Self.bare(trimmed[trimmed.index(after: trimmed.startIndex)..<close]) == name { return index + 1 }
        }
        return nil
    }

    /// The line of `key =` inside `[section]` (or `section.key =` outside any), nil if not found.
    func key(_ name: String, in section: String?) -> Int? {
        var current: String?
        for (index, line) in lines.enumerated() {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.hasPrefix("["), let close = trimmed.firstIndex(of: "]") {
                current = Self.bare(trimmed[trimmed.index(after: trimmed.startIndex)..<close])
                continue
            }
            guard let equals = trimmed.firstIndex(of: "=") else { continue }
            let written = Self.bare(trimmed[..<equals])
            if current == section && written == name { return index + 1 }
            if current == nil, let section, written == "\(section).\(name)" { return index + 1 }
        }
        return nil
    }
}

/// Keys as people write them in `keys.toml`: the labels help shows ("Ctrl-R", "PgDn", "↑"), and
/// the usual spellings ("Up", "Escape", "PageDown", "C-r", "M-x").
enum KeyNames {
    private static let named: [String: Key] = [
        "enter": .enter, "return": .enter, "esc": .escape, "escape": .escape, "tab": .tab,
        "shift-tab": .backTab, "backtab": .backTab, "backspace": .backspace, "del": .delete, "delete": .delete,
        "ins": .insert, "insert": .insert, "up": .up, "↑": .up, "down": .down, "↓": .down, "left": .left, "←": .left,
        "right": .right, "→": .right, "home": .home, "end": .end, "pgup": .pageUp, "pageup": .pageUp, "pgdn": .pageDown,
        "pagedown": .pageDown, "space": .char(" "), "shift-up": .shiftUp, "shift-↑": .shiftUp, "shift-down": .shiftDown,
        "shift-↓": .shiftDown, "shift-left": .shiftLeft, "shift-←": .shiftLeft, "shift-right": .shiftRight,
        "shift-→": .shiftRight, "wheelup": .wheelUp, "wheel↑": .wheelUp, "wheeldown": .wheelDown, "wheel↓": .wheelDown,
    ]

    static func parse(_ text: String) -> Key? {
        if let key = named[text] { return key }
        if text.count == 1, let character = text.first, !character.isWhitespace || character == " " {
            return character.unicodeScalars.allSatisfy({ $0.properties.generalCategory != .control }) ? .char(character) : nil
        }
        let lower = text.lowercased()
        if let key = named[lower] { return key }
        for prefix in ["ctrl-", "c-"] where lower.hasPrefix(prefix) {
            let rest = lower.dropFirst(prefix.count)
            guard rest.count == 1, let letter = rest.first, letter.isASCII, letter.isLetter else { return nil }
            return .ctrl(letter)
        }
        for prefix in ["alt-", "m-", "meta-"] where lower.hasPrefix(prefix) {
            let rest = text.dropFirst(prefix.count)
            guard rest.count == 1, let character = rest.first else { return nil }
            return .alt(character)
        }
        if lower.hasPrefix("f"), let number = Int(lower.dropFirst()), (1...24).contains(number) { return .function(number) }
        return nil
    }
}


/// The TOML a keys file needs, checked before TOMLKit sees it (issue 28): comments, `[section]`
/// headers (dotted names allowed), and `name = VALUE`: a string on one line, a bare number, boolean
/// or date, or a list of these over several lines (with comments and a trailing comma); names
/// bare (ASCII letters, digits, `-`, `_`) or quoted. Anything else is a problem line, never handed to the C++ parser.
enum KeysFileShape {
    static func firstProblem(_ text: String) -> (line: Int, reason: String)? {
        var scanner = Scanner(Array(text.unicodeScalars))
        return scanner.file()
    }

    struct Scanner {
        let scalars: [Unicode.Scalar]
        var index = 0
        var line = 1
        init(_ scalars: [Unicode.Scalar]) { self.scalars = scalars }

        var current: Unicode.Scalar? { index < scalars.count ? scalars[index] : nil }

        mutating func advance() {
            if current == "\n" { line += 1 }
            index += 1
        }

        /// Spaces and tabs (and \r), and a comment to the end of the line; with `newlines`, line breaks too.
        mutating func skip(newlines: Bool) {
            while let scalar = current {
                // A carriage return only as part of \r\n: alone, TOML refuses it (and the C++ parser aborts).
                let lineEnd = scalar == "\r" && index + 1 < scalars.count && scalars[index + 1] == "\n"
                if scalar == " " || scalar == "\t" || (lineEnd && newlines) || (newlines && scalar == "\n") {
                    advance()
                } else if scalar == "#" {
                    while let inner = current, inner != "\n" { advance() }
                } else {
                    return
                }
            }
        }

        static func isBare(_ scalar: Unicode.Scalar) -> Bool {
            scalar.isASCII && (("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar)
                               || scalar == "-" || scalar == "_")
        }

        mutating func string() -> String? {
            guard let quote = current, quote == "\"" || quote == "'" else { return "a quoted string expected" }
            advance()
            while let scalar = current {
                if scalar == "\n" { return "a string must end on its line" }
                if scalar.value < 0x20 && scalar != "\t" { return "a control character in a string" }
                if quote == "\"" && scalar == "\\" {
                    advance()
                    guard let escaped = current, "btnfr\"\\".unicodeScalars.contains(escaped) else {
                        return "an escape handlet does not read (use \\\\, \\\" or \\n)"
                    }
                    advance()
                    continue
                }
                advance()
                if scalar == quote { return nil }
            }
            return "a string must end on its line"
        }

        mutating func key() -> String? {
            skip(newlines: false)
            guard let first = current else { return "a name expected" }
            if first == "\"" || first == "'" { return string() }
            guard Self.isBare(first) else { return "section and key names are ASCII letters, digits, - and _, or quoted" }
            while let scalar = current, Self.isBare(scalar) { advance() }
            return nil
        }

        mutating func dottedKey() -> String? {
            if let problem = key() { return problem }
            while true {
                skip(newlines: false)
                guard current == "." else { return nil }
                advance()
                if let problem = key() { return problem }
            }
        }

        mutating func endOfLine() -> String? {
            skip(newlines: false)
            guard let scalar = current else { return nil }
            if scalar == "\r", index + 1 < scalars.count, scalars[index + 1] == "\n" { advance() }
            guard current == "\n" else { return "one entry per line" }
            advance()
            return nil
        }

        /// A string, a list, or a bare value (a number, true/false, a date): the entry's own
        /// check then says whether it is a key; the shape only keeps the C++ parser safe.
        mutating func value(depth: Int = 0) -> String? {
            skip(newlines: false)
            guard let first = current else { return "a value expected" }
            if first == "\"" || first == "'" { return string() }
            if first != "[" {
                guard Self.isBare(first) || first == "+" else { return "a value is a key in quotes or a list of them" }
                while let scalar = current, Self.isBare(scalar) || "+.:".unicodeScalars.contains(scalar) { advance() }
                return nil
            }
            guard depth < 8 else { return "lists nested too deep" }
            advance()
            while true {
                skip(newlines: true)
                if current == "]" { advance(); return nil }
                if let problem = value(depth: depth + 1) { return problem }
                skip(newlines: true)
                if current == "," { advance(); continue }
                if current == "]" { advance(); return nil }
                return "a list of keys is [\"A\", \"B\"]"
            }
        }

        mutating func file() -> (line: Int, reason: String)? {
            while true {
                skip(newlines: true)
                guard let scalar = current else { return nil }
                let start = line
                var problem: String?
                if scalar == "[" {
                    advance()
                    if current == "[" { return (start, "arrays of tables are not used in a keys file") }
                    problem = dottedKey()
                    if problem == nil {
                        skip(newlines: false)
                        if current == "]" { advance() } else { problem = "a section header ends with ]" }
                    }
                } else {
                    problem = dottedKey()
                    if problem == nil {
                        skip(newlines: false)
                        if current == "=" { advance(); problem = value() } else { problem = "name = \"Key\" expected" }
                    }
                }
                if problem == nil { problem = endOfLine() }
                if let problem { return (line, "not valid TOML: " + problem) }
            }
        }
    }
}
