import Foundation
import XCTest

/// Issue 21: a screen is its folder and one registry line. Nothing outside a screen's folder
/// names it (its id or its type), except that one line; the domain names no console place.
/// What crosses screens goes through what screens declare: destinations, attention items,
/// the duties they fix, their change subjects.
final class ScreenBoundaryTests: XCTestCase {
    static let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Sources")

    static func swiftFiles(under folder: URL) throws -> [URL] {
        let walker = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil)!
        return walker.compactMap { $0 as? URL }.filter { $0.pathExtension == "swift" }.sorted { $0.path < $1.path }
    }

    static func matches(_ pattern: String, in text: String) -> [String] {
        let regex = try! NSRegularExpression(pattern: pattern)
        return regex.matches(in: text, range: NSRange(text.startIndex..., in: text)).map {
            String(text[Range($0.range(at: 1), in: text)!])
        }
    }

    /// Each screen folder's own ids, from its `static let x = ScreenID("x")` declarations.
    func screenFolders() throws -> [(folder: String, ids: Set<String>, types: Set<String>, files: [URL])] {
        let screens = Self.sources.appendingPathComponent("HandletConsole/Screens")
        return try FileManager.default.contentsOfDirectory(atPath: screens.path).sorted().map { folder in
            let files = try Self.swiftFiles(under: screens.appendingPathComponent(folder))
            var ids = Set<String>(), types = Set<String>()
            for file in files {
                let text = try String(contentsOf: file, encoding: .utf8)
                ids.formUnion(Self.matches(#"static let (\w+) = ScreenID\(""#, in: text))
                types.formUnion(Self.matches(#"struct (\w+): RegisteredScreen"#, in: text))
            }
            return (folder, ids, types, files)
        }
    }

    /// The ids a file names: `ScreenID("…")` literals, `ScreenID.x`, `.screen(.x)`.
    static func namedIDs(_ text: String) -> Set<String> {
        Set(matches(#"ScreenID\("(\w+)"\)"#, in: text) + matches(#"ScreenID\.(\w+)"#, in: text)
            + matches(#"\.screen\(\.(\w+)\)"#, in: text))
    }

    func testEveryScreenIsNamedOnlyInItsOwnFolderAndItsRegistryLine() throws {
        let folders = try screenFolders()
        XCTAssertGreaterThanOrEqual(folders.count, 9)
        let allTypes = folders.reduce(into: Set<String>()) { $0.formUnion($1.types) }
        for screen in folders {
            XCTAssertEqual(screen.ids.count, 1, "\(screen.folder) declares one ScreenID: \(screen.ids)")
            XCTAssertEqual(screen.types.count, 1, "\(screen.folder) has one RegisteredScreen: \(screen.types)")
            for file in screen.files {
                let text = try String(contentsOf: file, encoding: .utf8)
                let foreignIDs = Self.namedIDs(text).subtracting(screen.ids)
                XCTAssertEqual(foreignIDs, [], "\(file.lastPathComponent) names another screen's id")
                let foreignTypes = allTypes.subtracting(screen.types).filter { text.range(of: #"\b\#($0)\b"#, options: .regularExpression) != nil }
                XCTAssertEqual(foreignTypes, [], "\(file.lastPathComponent) names another screen")
            }
        }
        let shell = try Self.swiftFiles(under: Self.sources.appendingPathComponent("HandletConsole/Shell"))
            + Self.swiftFiles(under: Self.sources.appendingPathComponent("HandletConsole/Lists"))
        for file in shell {
            let text = try String(contentsOf: file, encoding: .utf8)
            XCTAssertEqual(Self.namedIDs(text), [], "\(file.lastPathComponent) names a screen's id")
            let lines = text.split(separator: "\n").filter { line in allTypes.contains { line.range(of: #"\b\#($0)\b"#, options: .regularExpression) != nil } }
            if file.lastPathComponent == "ScreenRegistry.swift" {
                XCTAssertEqual(lines.count, allTypes.count, "one registry line per screen: \(lines)")
                XCTAssertTrue(lines.allSatisfy { $0.trimmingCharacters(in: .whitespaces).hasPrefix(".tab(") }, "\(lines)")
            } else {
                XCTAssertEqual(lines, [], "\(file.lastPathComponent) names a screen")
            }
        }
    }

    /// The domain's texts describe the business's world and its commands, never a console place.
    func testTheDomainNamesNoTab() throws {
        for file in try Self.swiftFiles(under: Self.sources.appendingPathComponent("HandletDomain")) {
            let text = try String(contentsOf: file, encoding: .utf8)
            let literals = Self.matches(#""((?:[^"\\\n]|\\.)*)""#, in: text)
            for literal in literals where literal.range(of: #"\b[Tt]abs?\b"#, options: .regularExpression) != nil {
                XCTFail("\(file.lastPathComponent) mentions a tab: \"\(literal)\"")
            }
        }
    }

    /// Hints read their keys from the tables: no rendered text types a key name by hand.
    /// The engine (TerminalUI) is read too: its "too small" message names the key the screen passes in.
    func testNoHintTypesAKeyByHand() throws {
        let console = try Self.swiftFiles(under: Self.sources.appendingPathComponent("HandletConsole"))
            + Self.swiftFiles(under: Self.sources.appendingPathComponent("TerminalUI"))
        let handTyped = #""[^"]*(\b(Enter|Esc) (to|or|goes)\b|\b[Pp]ress [a-zA-Z?]\b|(?<=[ ·("])[a-zA-Z?] (compliance|to save|to load|clear|help|compares|close)\b)[^"]*""#
        for file in console where !["KeyReference.swift", "KeyConfig.swift"].contains(file.lastPathComponent) {
            let text = try String(contentsOf: file, encoding: .utf8)
            for line in text.split(separator: "\n") where !line.trimmingCharacters(in: .whitespaces).hasPrefix("//")
                && line.range(of: handTyped, options: .regularExpression) != nil {
                XCTFail("\(file.lastPathComponent) types a key by hand: \(line.trimmingCharacters(in: .whitespaces))")
            }
        }
    }
}
