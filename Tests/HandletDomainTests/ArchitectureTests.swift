import Foundation
import XCTest

/// The workspace has one door (issue 10): only the domain (and the demo generator, which bulk
/// loads beside it) talks to GRDB; the console and the CLI go through `WorkspaceSession`.
final class ArchitectureTests: XCTestCase {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
    static let mayImportGRDB: Set<String> = ["HandletDomain", "HandletDemo"]

    /// `import GRDB`, `@testable import GRDBSQLite`, `import struct GRDB.Row` …
    static func importsGRDB(_ line: Substring) -> Bool {
        line.range(of: #"^\s*(@\w+\s+)*import\s+((struct|class|enum|protocol|typealias|func|var|let)\s+)?GRDB"#,
                   options: .regularExpression) != nil
    }

    func testNoTargetButTheDomainAndTheDemoImportsGRDB() throws {
        let sources = Self.packageRoot.appendingPathComponent("Sources")
        let targets = try FileManager.default.contentsOfDirectory(atPath: sources.path).filter { !$0.hasPrefix(".") }
        XCTAssertTrue(targets.contains("HandletConsole") && targets.contains("handlet"), "found \(targets) in \(sources.path)")
        var offenders: [String] = []
        var domainImports = 0
        for target in targets {
            let folder = sources.appendingPathComponent(target)
            guard let files = FileManager.default.enumerator(atPath: folder.path) else { continue }
            for case let file as String in files where file.hasSuffix(".swift") {
                let text = try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)
                for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
                where Self.importsGRDB(line) {
                    if Self.mayImportGRDB.contains(target) { domainImports += 1 } else { offenders.append("Sources/\(target)/\(file):\(number + 1)") }
                }
            }
        }
        XCTAssertEqual(offenders, [], "only \(Self.mayImportGRDB.sorted()) may import GRDB")
        XCTAssertGreaterThan(domainImports, 0, "the scan found the domain's own imports, so it can see one")
    }

    func testTheImportPatternCatchesEveryForm() {
        for line in ["import GRDB", "  import GRDB", "@testable import GRDB", "import GRDBSQLite", "@_exported import GRDB",
                     "import struct GRDB.Row"] {
            XCTAssertTrue(Self.importsGRDB(line[...]), line)
        }
        for line in ["// import GRDB", "import HandletDomain", "let grdb = \"import GRDB\""] {
            XCTAssertFalse(Self.importsGRDB(line[...]), line)
        }
    }

    func testPackageGivesGRDBToTheDomainOnly() throws {
        let manifest = try String(contentsOf: Self.packageRoot.appendingPathComponent("Package.swift"), encoding: .utf8)
        // Comments may name GRDB; dependencies may not.
        let code = manifest.split(separator: "\n", omittingEmptySubsequences: false)
            .map { line in line.range(of: "//").map { line[..<$0.lowerBound] } ?? line }.joined(separator: "\n")
        let blocks = Self.targetBlocks(code)
        for name in ["HandletDomain", "HandletConsole", "handlet", "TerminalUI"] {
            XCTAssertNotNil(blocks[name], "no target \(name) in Package.swift")
        }
        XCTAssertTrue(blocks["HandletDomain"]?.contains("GRDB") == true, "the parse sees the domain's dependency")
        for (name, block) in blocks where !Self.mayImportGRDB.contains(name) && !name.hasSuffix("Tests") {
            XCTAssertFalse(block.contains("GRDB"), "target \(name) must not depend on GRDB:\n\(block)")
        }
    }

    /// Each `.target(` / `.executableTarget(` / `.testTarget(` block by name, up to the next one.
    static func targetBlocks(_ code: String) -> [String: Substring] {
        let pattern = try! NSRegularExpression(pattern: #"\.(target|executableTarget|testTarget)\(\s*name:\s*"([^"]+)""#)
        let matches = pattern.matches(in: code, range: NSRange(code.startIndex..., in: code))
        var blocks: [String: Substring] = [:]
        for (index, match) in matches.enumerated() {
            let start = Range(match.range, in: code)!.lowerBound
            let end = index + 1 < matches.count ? Range(matches[index + 1].range, in: code)!.lowerBound : code.endIndex
            blocks[String(code[Range(match.range(at: 2), in: code)!])] = code[start..<end]
        }
        return blocks
    }
}
