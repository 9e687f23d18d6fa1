import Foundation
import XCTest
@testable import HandletDomain

/// The workspace has one door (issue 10): only the domain talks to GRDB; the console, the CLI and
/// the demo generator (issue 24: rows through the domain's bulk-write path, its history through
/// sessions) go through the domain.
final class ArchitectureTests: XCTestCase {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
    static let mayImportGRDB: Set<String> = ["HandletDomain"]

    /// `import GRDB`, `@testable import GRDBSQLite`, `import struct GRDB.Row` …
    static func importsGRDB(_ line: Substring) -> Bool {
        line.range(of: #"^\s*(@\w+\s+)*import\s+((struct|class|enum|protocol|typealias|func|var|let)\s+)?GRDB"#,
                   options: .regularExpression) != nil
    }

    func testNoTargetButTheDomainImportsGRDB() throws {
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

    /// Issue 24: the demo's rows go through `BulkBatch` and its history through sessions; it
    /// writes the schema down nowhere. Replaying past deliveries is the demo's alone.
    func testTheDemoWritesNoSQLAndOnlyItReplaysPastDeliveries() throws {
        let sql = try NSRegularExpression(pattern: #"\b(INSERT\s+INTO|UPDATE\s+\w+\s+SET|DELETE\s+FROM|SELECT\s+.+\s+FROM|CREATE\s+(TABLE|INDEX|TRIGGER))\b"#)
        var offenders: [String] = []
        var replayers: [String] = []
        for (path, lines) in try Self.sources(except: ["HandletDomain"]) {
            for (number, line) in lines.enumerated() {
                let text = String(line)
                if path.hasPrefix("Sources/HandletDemo/"), sql.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil {
                    offenders.append("\(path):\(number + 1)")
                }
                if !path.hasPrefix("Sources/HandletDemo/"), text.contains("deliverPastSends") { replayers.append("\(path):\(number + 1)") }
            }
        }
        XCTAssertEqual(offenders, [], "the demo writes through the domain")
        XCTAssertEqual(replayers, [], "a real workspace delivers through its gateway")
        let probe = "try db.execute(sql: \"INSERT INTO calls (id) VALUES (1)\")"
        XCTAssertNotNil(sql.firstMatch(in: probe, range: NSRange(probe.startIndex..., in: probe)), "the pattern catches SQL")
    }

    /// Every Swift file of every target but `except`, with its lines.
    static func sources(except excluded: Set<String> = []) throws -> [(path: String, lines: [Substring])] {
        let sources = packageRoot.appendingPathComponent("Sources")
        var found: [(String, [Substring])] = []
        for target in try FileManager.default.contentsOfDirectory(atPath: sources.path) where !target.hasPrefix(".") && !excluded.contains(target) {
            let folder = sources.appendingPathComponent(target)
            guard let files = FileManager.default.enumerator(atPath: folder.path) else { continue }
            for case let file as String in files where file.hasSuffix(".swift") {
                let text = try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)
                found.append(("Sources/\(target)/\(file)", text.split(separator: "\n", omittingEmptySubsequences: false)))
            }
        }
        return found
    }

    /// Issue 12: the console is served as a forced SSH command, so it offers no way out to a shell:
    /// nothing in the program starts a process (no shell escape, no `$EDITOR` or pager), in Swift
    /// or in the ncurses shim.
    func testNothingStartsAProcessOrReadsAnEditorPagerOrShell() throws {
        let spawning = try NSRegularExpression(pattern: #"\b(Process\(|posix_spawn|execv|execl|fork\(|popen\(|system\(|NSTask)|"(EDITOR|VISUAL|PAGER|SHELL)""#)
        var offenders: [String] = []
        var lines = try Self.sources(except: ["TerminalGallery", "TerminalFuzz"])
        let shim = Self.packageRoot.appendingPathComponent("Sources/CNcursesw/shim.c")
        lines.append(("Sources/CNcursesw/shim.c", try String(contentsOf: shim, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)))
        for (path, text) in lines {
            for (number, line) in text.enumerated() {
                let code = line.range(of: "//").map { String(line[..<$0.lowerBound]) } ?? String(line)
                if spawning.firstMatch(in: code, range: NSRange(code.startIndex..., in: code)) != nil { offenders.append("\(path):\(number + 1)") }
            }
        }
        XCTAssertEqual(offenders, [], "the console must never start a process")
        XCTAssertTrue(spawning.firstMatch(in: "let p = Process()", range: NSRange(location: 0, length: 17)) != nil, "the pattern catches a spawn")
    }

    /// The pool is the domain's alone: nothing else even names it (part 1's "session phase 2").
    func testNothingOutsideTheDomainNamesTheDatabasePool() throws {
        var offenders: [String] = []
        for (path, lines) in try Self.sources(except: ["HandletDomain"]) {
            for (number, line) in lines.enumerated() where line.range(of: #"\bdbPool\b"#, options: .regularExpression) != nil {
                offenders.append("\(path):\(number + 1)")
            }
        }
        XCTAssertEqual(offenders, [], "read and change through WorkspaceSession instead")
    }

    /// A large import sets the calls' and messages' indexes aside; those a query names with
    /// `INDEXED BY` must stay, or the query fails ("no such index") while the import runs.
    func testIndexesNamedByQueriesStayDuringAnImport() throws {
        var named: Set<String> = []
        for (_, lines) in try Self.sources() {
            for line in lines {
                var rest = Substring(line)
                while let range = rest.range(of: #"INDEXED BY (calls|messages)_\w+"#, options: .regularExpression) {
                    named.insert(String(rest[range].dropFirst("INDEXED BY ".count)))
                    rest = rest[range.upperBound...]
                }
            }
        }
        XCTAssertFalse(named.isEmpty)
        XCTAssertEqual(named.subtracting(ImportSearchSuspension.indexesNamedByQueries), [],
                       "add these to ImportSearchSuspension.indexesNamedByQueries")
    }

    /// Every CLI command names itself: without `commandName`, swift-argument-parser derives the
    /// name from the type's name at each start (`String(describing:)`, a demangling per command it
    /// looks at), which was 57% of `handlet info`'s instructions (issue 26).
    func testEveryCLICommandNamesItself() throws {
        var offenders: [String] = []
        for (path, lines) in try Self.sources() where path.hasPrefix("Sources/handlet/") {
            for (number, line) in lines.enumerated() where line.contains("CommandConfiguration(") {
                // The call's text up to its closing parenthesis.
                var depth = 0
                var call = ""
                for next in lines[number...] {
                    call += next + "\n"
                    depth += next.filter { $0 == "(" }.count - next.filter { $0 == ")" }.count
                    if depth <= 0 { break }
                }
                if !call.contains("commandName:") { offenders.append("\(path):\(number + 1)") }
            }
        }
        XCTAssertEqual(offenders, [], "give these CommandConfigurations a commandName")
    }

    /// The test hooks (Store/TestHooks.swift: tampering with the audit log, rewriting records) are
    /// `package`, which every target sees: neither the console nor the CLI calls one, and only
    /// builds that run tests compile them (HANDLET_TEST_HOOKS).
    func testTheConsoleAndTheCLICallNoTestHook() throws {
        let hooks = Self.packageRoot.appendingPathComponent("Sources/HandletDomain/Store/TestHooks.swift")
        let text = try String(contentsOf: hooks, encoding: .utf8)
        XCTAssertTrue(text.contains("#if HANDLET_TEST_HOOKS"), "the hooks are compiled only for tests")
        let declaration = try NSRegularExpression(pattern: #"package (?:static )?func (\w+)"#)
        let names = Set(declaration.matches(in: text, range: NSRange(text.startIndex..., in: text)).compactMap {
            Range($0.range(at: 1), in: text).map { String(text[$0]) }
        })
        XCTAssertTrue(names.contains("tamperWithAuditEvent") && names.count > 10, "the scan found the hooks: \(names.sorted())")
        var offenders: [String] = []
        for (path, lines) in try Self.sources() where path.hasPrefix("Sources/HandletConsole/") || path.hasPrefix("Sources/handlet/") {
            for (number, line) in lines.enumerated() {
                let code = line.range(of: "//").map { String(line[..<$0.lowerBound]) } ?? String(line)
                for name in names where code.range(of: #"\.\#(name)\("#, options: .regularExpression) != nil {
                    offenders.append("\(path):\(number + 1) calls \(name)")
                }
            }
        }
        XCTAssertEqual(offenders, [], "test hooks are for the tests alone")
    }

    /// What the domain hands out never takes or returns GRDB's database types, but for the four
    /// `package` door the test fixtures fill their workspaces through (compiled only with the test hooks).
    func testNoPublicDomainDeclarationTakesAGRDBDatabase() throws {
        let demoDoors: Set<String> = ["TestHooks.swift: createFixture"]
        // Swift makes a protocol witness as visible as its conformance: a public record's GRDB hook
        // must be public, though nothing outside the domain can get a `Database` to call it with.
        let conformanceWitnesses: Set<String> = ["Records.swift: aroundInsert", "Records.swift: aroundUpdate"]
        let declaration = try NSRegularExpression(pattern: #"^\s*(@\S+\s+)*(public|package)\s"#)
        let grdbType = try NSRegularExpression(pattern: #"\b(Database|DatabasePool|DatabaseQueue|DatabaseWriter|DatabaseReader|StatementArguments)\b"#)
        var found: [String] = []
        var offenders: [String] = []
        for (path, lines) in try Self.sources() where path.hasPrefix("Sources/HandletDomain/") {
            for (index, line) in lines.enumerated() {
                let text = String(line)
                guard declaration.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil else { continue }
                // The declaration up to its body, across lines while its parentheses are open.
                var signature = String(text.split(separator: "{", maxSplits: 1, omittingEmptySubsequences: false)[0])
                var next = index + 1
                while signature.filter({ $0 == "(" }).count > signature.filter({ $0 == ")" }).count, next < lines.count {
                    signature += " " + (lines[next].split(separator: "{", maxSplits: 1, omittingEmptySubsequences: false).first ?? "")
                    next += 1
                }
                guard grdbType.firstMatch(in: signature, range: NSRange(signature.startIndex..., in: signature)) != nil else { continue }
                let name = signature.range(of: #"func\s+\w+"#, options: .regularExpression).map { signature[$0].dropFirst(4).trimmingCharacters(in: .whitespaces) } ?? "?"
                let door = "\((path as NSString).lastPathComponent): \(name)"
                if demoDoors.contains(door) && signature.range(of: #"^\s*package\s"#, options: .regularExpression) != nil {
                    found.append(door)
                } else if !conformanceWitnesses.contains(door) {
                    offenders.append("\(path):\(index + 1): \(signature.trimmingCharacters(in: .whitespaces))")
                }
            }
        }
        XCTAssertEqual(offenders, [], "make it internal, or read it through a WorkspaceQuery")
        XCTAssertEqual(Set(found), demoDoors, "the scan sees the fixtures' door, so it would see another")
    }

    /// GRDB's members must not reach the console or the CLI through HandletDomain's imports.
    func testTheConsoleAndTheCLIImportMembersExplicitly() throws {
        let manifest = try String(contentsOf: Self.packageRoot.appendingPathComponent("Package.swift"), encoding: .utf8)
        let blocks = Self.targetBlocks(manifest)
        for name in ["HandletConsole", "handlet"] {
            XCTAssertTrue(blocks[name]?.contains(#".enableUpcomingFeature("MemberImportVisibility")"#) == true,
                          "\(name) must enable MemberImportVisibility")
        }
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
