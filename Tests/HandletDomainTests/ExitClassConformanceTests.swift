import Foundation
@testable import HandletDomain
import XCTest

/// Issue 21: every error the domain or the CLI can throw says its sysexits class where it is
/// defined (`SysexitsError`, no default), so a new error type cannot silently exit 1.
final class ExitClassConformanceTests: XCTestCase {
    /// The targets whose errors reach the CLI's exit status (the demo's too: `handlet demo`).
    static let targets = ["HandletDomain", "handlet", "HandletDemo"]

    /// `public enum NoticeError: SysexitsError, Equatable {`, `struct CommandFailure: Error,` …:
    /// the type's name and its inheritance clause.
    static let declaration = try! NSRegularExpression(
        pattern: #"^\s*(?:@\w+\s+)*(?:(?:public|package|internal|fileprivate|private|final|indirect)\s+)*(?:enum|struct|class|actor)\s+(\w+)(?:<[^>]*>)?\s*:\s*([^{]*)"#)
    /// `extension Name: Error` adds a conformance after the fact.
    static let extensionDeclaration = try! NSRegularExpression(pattern: #"^\s*(?:public\s+)?extension\s+([\w.]+)\s*:\s*([^{]*)"#)

    static func names(_ clause: String) -> Set<String> {
        Set(clause.split(whereSeparator: { ",& \t".contains($0) }).map { String($0.split(separator: ".").last ?? $0) })
    }

    func testEveryErrorTypeOfTheDomainTheCLIAndTheDemoConformsToSysexitsError() throws {
        var errorTypes: [String: String] = [:]     // name -> where declared
        var conforming: Set<String> = []
        for (path, lines) in try ArchitectureTests.sources() where Self.targets.contains(where: { path.hasPrefix("Sources/\($0)/") }) {
            for (number, line) in lines.enumerated() {
                let text = String(line)
                let range = NSRange(text.startIndex..., in: text)
                for pattern in [Self.declaration, Self.extensionDeclaration] {
                    guard let match = pattern.firstMatch(in: text, range: range),
                          let name = Range(match.range(at: 1), in: text).map({ String(text[$0]) }),
                          let clause = Range(match.range(at: 2), in: text).map({ String(text[$0]) }) else { continue }
                    let inherited = Self.names(clause)
                    let simpleName = String(name.split(separator: ".").last!)
                    if !inherited.isDisjoint(with: ["Error", "LocalizedError", "SysexitsError"]) {
                        errorTypes[simpleName] = errorTypes[simpleName] ?? "\(path):\(number + 1)"
                    }
                    if inherited.contains("SysexitsError") { conforming.insert(simpleName) }
                }
            }
        }
        XCTAssertTrue(errorTypes.keys.contains("WorkspaceError") && errorTypes.keys.contains("CommandFailure")
                          && errorTypes.keys.contains("DemoError"),
                      "the scan sees the domain's, the CLI's and the demo's errors: \(errorTypes.keys.sorted())")
        let missing = errorTypes.filter { !conforming.contains($0.key) }.map { "\($0.key) (\($0.value))" }.sorted()
        XCTAssertEqual(missing, [], "declare `exitClass` (SysexitsError) where these are defined")
    }

    func testTheScanCatchesADeclarationThatForgets() {
        let samples = ["public enum NewError: Error, Equatable {", "struct Oops: LocalizedError {",
                       "    fileprivate final class Thing: CustomStringConvertible, Error {", "extension Foo.Bar: Error {}"]
        for sample in samples {
            let range = NSRange(sample.startIndex..., in: sample)
            let match = Self.declaration.firstMatch(in: sample, range: range) ?? Self.extensionDeclaration.firstMatch(in: sample, range: range)
            let clause = match.flatMap { Range($0.range(at: 2), in: sample) }.map { String(sample[$0]) } ?? ""
            XCTAssertFalse(Self.names(clause).isDisjoint(with: ["Error", "LocalizedError"]), sample)
        }
    }

    /// The classes are DESIGN §2's codes.
    func testTheClassesAreTheSysexitsCodes() {
        XCTAssertEqual(ExitClass.allCases.map(\.rawValue), [1, 64, 65, 66, 73, 75, 77])
        XCTAssertEqual(WorkspaceError.noWorkspace("/x").exitClass, .noInput, "a missing workspace is missing input")
        XCTAssertEqual(RetentionPeriodError.outOfRange("800").exitClass, .dataError)
        XCTAssertEqual(RetentionPeriodError.notAWholeNumber("abc").exitClass, .usage)
        // No such record is bad data, whatever the record.
        let noSuch: [SysexitsError] = [NoticeError.noSuchNotice("x"), RetentionError.noSuchCall("x"), UserRuleError.noSuchUser("x"),
                                       DraftDecisionError.noSuchDraft(1), OptOutError.noSuchMessage(Message.ID(1))]
        XCTAssertEqual(noSuch.map(\.exitClass), Array(repeating: .dataError, count: noSuch.count))
        // Out of range is bad data and malformed is usage, whatever the value.
        let outOfRange: [SysexitsError] = [
            AutoSendSettingError.thresholdBelowFloor("50%"), AutoSendSettingError.thresholdAboveMaximum("101%"),
            AutoSendSettingError.capOutOfRange("0"), AutoSendSettingError.wordingTooLong(channel: .sms, part: "x", limit: 1),
            AutoSendPreviewError.daysOutOfRange("0"), PurgeError.invalidBatchSize(0), RetentionPeriodError.outOfRange("800"),
        ]
        XCTAssertEqual(outOfRange.map(\.exitClass), Array(repeating: .dataError, count: outOfRange.count))
        let malformed: [SysexitsError] = [
            AutoSendSettingError.thresholdNotANumber("high"), AutoSendSettingError.capNotANumber("three"),
            AutoSendPreviewError.badDays("week"), RetentionPeriodError.notAWholeNumber("abc"),
        ]
        XCTAssertEqual(malformed.map(\.exitClass), Array(repeating: .usage, count: malformed.count))
    }
}
