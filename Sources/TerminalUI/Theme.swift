import Foundation

/// How many colours the terminal can show; chosen once at start-up from terminfo and the environment.
public enum ColorMode: String, Sendable, CaseIterable {
    case colors256, colors16, colors8, monochrome

    /// Picks the mode from the terminal's colour count, honouring `NO_COLOR` (any value,
    /// even empty, per no-color.org).
    public static func detect(colorCount: Int, environment: [String: String] = ProcessInfo.processInfo.environment) -> ColorMode {
        if environment["NO_COLOR"] != nil { return .monochrome }
        switch colorCount {
        case 256...: return .colors256
        case 16...: return .colors16
        case 8...: return .colors8
        default: return .monochrome
        }
    }
}

/// A theme colour: the terminal's default, or an xterm palette index 0–255.
public enum ThemeColor: Hashable, Sendable {
    case terminalDefault
    case indexed(Int)

    /// The ncurses colour number (-1 for default) in the given mode.
    public func number(in mode: ColorMode) -> Int {
        guard case .indexed(let index) = self else { return -1 }
        switch mode {
        case .colors256: return index
        case .colors16: return index < 16 ? index : ThemeColor.nearestBasic(to: index, count: 16)
        case .colors8: return index < 8 ? index : (index < 16 ? index - 8 : ThemeColor.nearestBasic(to: index, count: 8))
        case .monochrome: return -1
        }
    }

    /// Approximate RGB of an xterm palette index.
    static func rgb(of index: Int) -> (Int, Int, Int) {
        let basic: [(Int, Int, Int)] = [
            (0, 0, 0), (205, 0, 0), (0, 205, 0), (205, 205, 0), (0, 0, 238), (205, 0, 205), (0, 205, 205), (229, 229, 229),
            (127, 127, 127), (255, 0, 0), (0, 255, 0), (255, 255, 0), (92, 92, 255), (255, 0, 255), (0, 255, 255), (255, 255, 255),
        ]
        if index < 16 { return basic[max(0, index)] }
        if index >= 232 { let v = 8 + (index - 232) * 10; return (v, v, v) }
        let cube = index - 16
        let level = { (n: Int) in n == 0 ? 0 : 55 + n * 40 }
        return (level(cube / 36), level((cube / 6) % 6), level(cube % 6))
    }

    static func nearestBasic(to index: Int, count: Int) -> Int {
        let (r, g, b) = rgb(of: index)
        var best = 0, bestDistance = Int.max
        for candidate in 0..<count {
            let (cr, cg, cb) = rgb(of: candidate)
            let distance = (r - cr) * (r - cr) + (g - cg) * (g - cg) + (b - cb) * (b - cb)
            if distance < bestDistance { best = candidate; bestDistance = distance }
        }
        return best
    }

    /// The xterm index closest to a 24-bit colour (themes may say `#1e90ff`).
    static func nearestIndexed(red: Int, green: Int, blue: Int) -> Int {
        var best = 16, bestDistance = Int.max
        for candidate in 16..<256 {
            let (cr, cg, cb) = rgb(of: candidate)
            let distance = (red - cr) * (red - cr) + (green - cg) * (green - cg) + (blue - cb) * (blue - cb)
            if distance < bestDistance { best = candidate; bestDistance = distance }
        }
        return best
    }
}

/// How one role looks: colours for colour terminals, attributes for every terminal, and
/// separate attributes for monochrome (where colour can no longer carry the meaning).
public struct RoleAppearance: Hashable, Sendable {
    public var foreground: ThemeColor = .terminalDefault
    public var background: ThemeColor = .terminalDefault
    public var modifiers: Modifiers = []
    /// nil: derived (bold for coloured text, reverse for a coloured background).
    public var monochrome: Modifiers?

    public init(foreground: ThemeColor = .terminalDefault, background: ThemeColor = .terminalDefault,
                modifiers: Modifiers = [], monochrome: Modifiers? = nil) {
        self.foreground = foreground
        self.background = background
        self.modifiers = modifiers
        self.monochrome = monochrome
    }
}

/// What a backend actually sends for a cell: colour numbers (-1 = default) and attributes.
public struct ResolvedStyle: Hashable, Sendable {
    public var foreground: Int
    public var background: Int
    public var modifiers: Modifiers
}

/// A named set of role appearances. See `Themes/README.md` for the file format.
public struct Theme: Sendable, Equatable {
    public var name: String
    public var roles: [Role: RoleAppearance]

    public init(name: String, roles: [Role: RoleAppearance]) {
        self.name = name
        self.roles = roles
    }

    public func appearance(of role: Role) -> RoleAppearance {
        roles[role] ?? roles[.normal] ?? RoleAppearance()
    }

    /// Colours and attributes for a cell style in the given colour mode.
    public func resolve(_ style: Style, mode: ColorMode) -> ResolvedStyle {
        let look = appearance(of: style.role)
        if mode == .monochrome {
            var attributes = look.monochrome ?? Theme.derivedMonochrome(look)
            attributes.formUnion(style.modifiers)
            return ResolvedStyle(foreground: -1, background: -1, modifiers: attributes)
        }
        // A role without a colour of its own takes the theme's normal one, so a theme that sets its
        // own background (light) never shows text on whatever the terminal's background happens to be.
        let base = appearance(of: .normal)
        let foreground = look.foreground == .terminalDefault ? base.foreground : look.foreground
        let background = look.background == .terminalDefault ? base.background : look.background
        return ResolvedStyle(foreground: foreground.number(in: mode),
                             background: background.number(in: mode),
                             modifiers: look.modifiers.union(style.modifiers))
    }

    static func derivedMonochrome(_ look: RoleAppearance) -> Modifiers {
        var attributes = look.modifiers
        if look.background != .terminalDefault { attributes.insert(.reverse) }
        return attributes
    }
}

// MARK: - Parsing

/// Where a theme file is wrong and how, never quoting the file: `--theme /etc/shadow` must not
/// print a line of it (issue 11).
public struct ThemeParseError: Error, CustomStringConvertible, Equatable {
    public var line: Int
    public var message: String
    public var description: String { "line \(line): \(message)" }
}

public extension Theme {
    /// Parses the plain-text theme format. Roles not mentioned look like `normal`.
    static func parse(_ text: String, defaultName: String = "custom") throws -> Theme {
        var name = defaultName
        var roles: [Role: RoleAppearance] = [:]
        for (offset, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let lineNumber = offset + 1
            let line = trimmed(stripComment(String(rawLine)))
            if line.isEmpty { continue }
            if line.hasPrefix("name:") {
                name = trimmed(line.dropFirst(5))
                continue
            }
            guard let equals = line.firstIndex(of: "=") else {
                throw ThemeParseError(line: lineNumber, message: "expected 'role = colours'")
            }
            let roleName = trimmed(line[..<equals])
            guard let role = Role(rawValue: roleName) else {
                throw ThemeParseError(line: lineNumber, message: "unknown role (known: \(Role.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            let specification = line[line.index(after: equals)...]
            let parts = specification.split(separator: ";", maxSplits: 1)
            var appearance = try parseColours(parts.first.map(String.init) ?? "", line: lineNumber)
            if parts.count > 1 {
                var words = parts[1].split(whereSeparator: \.isWhitespace).map(String.init)
                guard words.first == "mono" else {
                    throw ThemeParseError(line: lineNumber, message: "expected 'mono' after ';'")
                }
                words.removeFirst()
                appearance.monochrome = try words.reduce(into: Modifiers()) { $0.insert(try parseModifier($1, line: lineNumber)) }
            }
            roles[role] = appearance
        }
        guard roles[.normal] != nil else { throw ThemeParseError(line: 0, message: "a theme must define 'normal'") }
        return Theme(name: name, roles: roles)
    }

    /// A comment is `#` at the start of a line or `#` followed by a space or the line's end,
    /// so `#1e90ff` stays a colour.
    private static func stripComment(_ line: String) -> String {
        guard line.contains("#") else { return line }
        let characters = Array(line)
        for index in characters.indices where characters[index] == "#" {
            let startsLine = characters[..<index].allSatisfy(\.isWhitespace)
            let followedByBlank = index + 1 == characters.count || characters[index + 1].isWhitespace
            if startsLine || followedByBlank { return String(characters[..<index]) }
        }
        return line
    }

    /// `trimmingCharacters(in: .whitespaces)` (tabs and Unicode's space separators) without Foundation:
    /// the built-in theme is parsed at every start, and the bridged trim was 40% of it (issue 26).
    private static func trimmed(_ text: some StringProtocol) -> String {
        func isBlank(_ character: Character) -> Bool {
            character.unicodeScalars.allSatisfy { $0 == "\t" || $0.properties.generalCategory == .spaceSeparator }
        }
        guard let first = text.firstIndex(where: { !isBlank($0) }), let last = text.lastIndex(where: { !isBlank($0) }) else { return "" }
        return String(text[first...last])
    }

    /// True for words that are meant as a colour, valid or not, so a bad colour is reported
    /// as a bad colour rather than as an unknown attribute.
    private static func looksLikeColor(_ word: String) -> Bool {
        word == "default" || word == "gray" || word == "grey" || colorNames.contains(word)
            || word.hasPrefix("bright-") || word.hasPrefix("#") || Int(word) != nil
    }

    private static func parseColours(_ text: String, line: Int) throws -> RoleAppearance {
        var appearance = RoleAppearance()
        var words = text.split(whereSeparator: \.isWhitespace).map { $0.lowercased() }[...]
        if let first = words.first, looksLikeColor(first) {
            appearance.foreground = try parseColor(first, line: line)
            words = words.dropFirst()
        }
        if words.first == "on" {
            words = words.dropFirst()
            guard let bg = words.first else { throw ThemeParseError(line: line, message: "'on' needs a background colour") }
            appearance.background = try parseColor(bg, line: line)
            words = words.dropFirst()
        }
        for word in words { appearance.modifiers.insert(try parseModifier(word, line: line)) }
        return appearance
    }

    private static let colorNames = ["black", "red", "green", "yellow", "blue", "magenta", "cyan", "white"]

    private static func parseColor(_ word: String, line: Int) throws -> ThemeColor {
        if word == "default" { return .terminalDefault }
        if let index = colorNames.firstIndex(of: word) { return .indexed(index) }
        if word.hasPrefix("bright-"), let index = colorNames.firstIndex(of: String(word.dropFirst(7))) { return .indexed(index + 8) }
        if word == "gray" || word == "grey" { return .indexed(8) }
        if let number = Int(word) {
            guard (0...255).contains(number) else { throw ThemeParseError(line: line, message: "a colour number is outside 0-255") }
            return .indexed(number)
        }
        if word.hasPrefix("#"), word.count == 7, let rgb = Int(word.dropFirst(), radix: 16) {
            return .indexed(ThemeColor.nearestIndexed(red: rgb >> 16, green: (rgb >> 8) & 0xFF, blue: rgb & 0xFF))
        }
        throw ThemeParseError(line: line, message: "unknown colour (a name, bright-NAME, 0-255 or #rrggbb)")
    }

    private static func parseModifier(_ word: String, line: Int) throws -> Modifiers {
        switch word {
        case "bold": return .bold
        case "underline": return .underline
        case "reverse": return .reverse
        case "dim": return .dim
        case "plain": return []
        default: throw ThemeParseError(line: line, message: "unknown attribute (bold, underline, reverse, dim, plain)")
        }
    }
}

// MARK: - Finding themes

public extension Theme {
    /// Names of the themes compiled into the binary (the same files as `Themes/`).
    static var builtinNames: [String] { ["dark", "light", "high-contrast", "monochrome"] }

    /// The default theme; force-unwrapped because a test parses every built-in.
    static let dark: Theme = builtin("dark")!
    static let light: Theme = builtin("light")!
    static let highContrast: Theme = builtin("high-contrast")!
    static let monochrome: Theme = builtin("monochrome")!

    static func builtin(_ name: String) -> Theme? {
        guard let source = builtinSources[name] else { return nil }
        return try? parse(source, defaultName: name)
    }

    /// Resolves `--theme NAME|PATH`: a value with a slash or ending in `.theme` is a file;
    /// otherwise a built-in name, then `NAME.theme` in `$XDG_CONFIG_HOME/handlet/themes`.
    static func load(_ nameOrPath: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws -> Theme {
        if nameOrPath.contains("/") || nameOrPath.hasSuffix(".theme") {
            return try loadFile(nameOrPath)
        }
        if let theme = builtin(nameOrPath) { return theme }
        let configHome = environment["XDG_CONFIG_HOME"] ?? ((environment["HOME"] ?? "") + "/.config")
        let userPath = configHome + "/handlet/themes/" + nameOrPath + ".theme"
        if FileManager.default.fileExists(atPath: userPath) { return try loadFile(userPath) }
        throw ThemeLoadError("unknown theme '\(Sanitizer.echo(nameOrPath))' (built in: \(builtinNames.joined(separator: ", ")); or give a path to a .theme file)")
    }

    private static func loadFile(_ path: String) throws -> Theme {
        // A theme is a few hundred bytes: reading at most 64 KB keeps `--theme /dev/zero` from hanging.
        let handle = FileHandle(forReadingAtPath: path)
        defer { try? handle?.close() }
        guard let data = try? handle?.read(upToCount: 65_536), let text = String(data: data, encoding: .utf8) else {
            throw ThemeLoadError("cannot read theme file '\(Sanitizer.echo(path))'")
        }
        let fallbackName = URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
        do { return try parse(text, defaultName: fallbackName) } catch let error as ThemeParseError {
            throw ThemeLoadError("\(Sanitizer.echo(path)) is not a theme file: \(error)")
        }
    }
}

public struct ThemeLoadError: Error, CustomStringConvertible {
    public var description: String
    init(_ description: String) { self.description = description }
}
