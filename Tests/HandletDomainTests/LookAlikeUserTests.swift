import Foundation
import GRDB
@testable import HandletDomain
import XCTest
import HandletTestSupport

/// Issue 28, look-alike users: each invisible class refused in emails and names, non-ASCII emails
/// refused, and a new user confusable with an existing one (UTS #39 skeleton) refused, with the
/// users table and the audit head unchanged. The examples were U+200B, U+2060 and a
/// Cyrillic о in the owner's email; these are other members of each class.
final class LookAlikeUserTests: XCTestCase {
    private var fixture: RetentionFixture!
    private var owner: WorkspaceSession { fixture.workspace.session(as: fixture.owner) }

    override func setUpWithError() throws { fixture = try RetentionFixture() }
    override func tearDown() { fixture = nil }

    private func state() throws -> [Row] {
        try fixture.workspace.dbPool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM users ORDER BY id")
                + Row.fetchAll(db, sql: "SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1")
        }
    }

    private func assertRefused(name: String, email: String, file: StaticString = #filePath, line: UInt = #line,
                               _ check: (UserRuleError?) -> Bool) throws {
        let before = try state()
        XCTAssertThrowsError(try owner.perform(.addUser(name: name, email: email, role: .admin)), file: file, line: line) {
            XCTAssertTrue(check($0 as? UserRuleError), "\(name) <\(email)>: \($0)", file: file, line: line)
        }
        XCTAssertEqual(try state(), before, "nothing changed", file: file, line: line)
    }

    /// One member of each invisible class, in a name and in an email.
    static let invisibles: [UInt32] = [0x200C, 0x200D, 0x2063, 0xFEFF, 0x00AD, 0x206C, 0x180E, 0xFFFA, 0xE0041]

    func testEveryInvisibleClassIsRefusedInNamesAndEmails() throws {
        for value in Self.invisibles {
            let invisible = String(Unicode.Scalar(value)!)
            try assertRefused(name: "Pat\(invisible) Smith", email: "pat@example.test") {
                if case .invisibleCharacter(field: "name", _)? = $0 { return true } else { return false }
            }
            try assertRefused(name: "Pat Smith", email: "pat\(invisible)@example.test") {
                if case .invisibleCharacter(field: "email", _)? = $0 { return true } else { return false }
            }
        }
        // A zero-width joiner inside an emoji is part of the picture: allowed in a name.
        XCTAssertNoThrow(try owner.perform(.addUser(name: "Sam 👩\u{200D}🔧", email: "sam@example.test", role: .agent)))
        // Non-ASCII in an email (a Greek ο, a German ü): refused, with the IDNA hint.
        for email in ["\u{03BF}wner@example.test", "jo@m\u{00FC}ller.example"] {
            try assertRefused(name: "Jo", email: email) { if case .nonASCIIEmail? = $0 { return true } else { return false } }
        }
    }

    func testAUserConfusableWithAnExistingOneIsRefused() throws {
        // Emails: digits and letters that look alike (0/o, 1/l, rn/m) in ASCII.
        try assertRefused(name: "Someone", email: "0wner@example.test") {
            if case .lookAlike(field: "email", _, existing: "owner@example.test")? = $0 { return true } else { return false }
        }
        try assertRefused(name: "Someone", email: "owner@examp1e.test") {
            if case .lookAlike(field: "email", _, existing: "owner@example.test")? = $0 { return true } else { return false }
        }
        try assertRefused(name: "Someone", email: "adrnin@example.test") {
            if case .lookAlike(field: "email", _, existing: "admin@example.test")? = $0 { return true } else { return false }
        }
        // Names: Cyrillic and Greek capitals, a Cyrillic small letter, different case.
        for name in ["\u{041E}live \u{039F}wner", "Olive Own\u{0435}r", "olive OWNER"] {
            try assertRefused(name: name, email: "new@example.test") {
                if case .lookAlike(field: "name", _, _)? = $0 { return true } else { return false }
            }
        }
        // Told apart: allowed.
        XCTAssertNoThrow(try owner.perform(.addUser(name: "Olive Owen", email: "olive.owen@example.test", role: .viewer)))
    }

    func testTheSkeletonSubset() {
        XCTAssertEqual(Confusables.skeleton("\u{0440}\u{0430}y\u{0440}\u{0430}l"), "paypal")
        XCTAssertEqual(Confusables.skeleton("\u{0391}\u{0392}\u{0395}"), "abe")
        XCTAssertEqual(Confusables.skeleton("I1l|"), "llll")
        XCTAssertEqual(Confusables.skeleton("ｏｗｎｅｒ"), "owner", "full-width forms decompose")
        XCTAssertEqual(Confusables.skeleton("o\u{200B}wner"), "owner")
        XCTAssertNotEqual(Confusables.skeleton("café"), Confusables.skeleton("cafe"))
    }
}
