import Foundation
import GRDB
@testable import HandletDomain
import XCTest
import HandletTestSupport

/// Issue 23: `handlet dsr reviews` lists the reviews a person wrote and those that may be theirs,
/// and picks or unpicks them; a picked review is shown and erased with the person.
final class DataSubjectReviewsCLITests: XCTestCase {
    static let owner = "owner@example.test"

    func testListPickUnpickAndErase() throws {
        let fixture = try RolesWorkspace()
        let person = try fixture.workspace.plantPerson(name: "Tamsin Orrery-Vale", phones: ["+447700900611"], email: "tov@example.test",
                                                       at: RolesWorkspace.at(days: 1), seed: 1)
        let review = try fixture.workspace.dbPool.write { db in
            try Review(source: "trustpilot", author: "Tamsin O.", stars: 2, text: "Late twice", postedAt: RolesWorkspace.at(days: 3))
                .inserted(db).id!
        }
        try fixture.workspace.checkpointAndClose()
        let db = fixture.folder.appendingPathComponent("workspace.sqlite").path
        func dsr(_ arguments: [String], user: String = DataSubjectReviewsCLITests.owner) throws -> HandletBinary.Outcome {
            try HandletBinary.run(["dsr"] + arguments + ["--db", db], environment: ["HANDLET_USER": user])
        }
        let contact = String(person.contactIDs[0].rawValue)

        let listed = try dsr(["reviews", contact])
        XCTAssertEqual(listed.status, 0, listed.stderr)
        XCTAssertTrue(listed.stdout.contains("May be theirs"), listed.stdout)
        XCTAssertTrue(listed.stdout.contains("\(review)  "), listed.stdout)
        XCTAssertTrue(listed.stdout.contains("Tamsin O.  Late twice"), listed.stdout)

        let picked = try dsr(["reviews", "07700 900611", "--pick", String(review), "--json"])
        XCTAssertEqual(picked.status, 0, picked.stderr)
        let json = try JSONSerialization.jsonObject(with: Data(picked.stdout.utf8)) as! [String: Any]
        XCTAssertEqual((json["held"] as! [[String: Any]]).count, 2, "the whole-name review and the picked one")
        XCTAssertEqual((json["suggested"] as! [[String: Any]]).count, 0)
        XCTAssertTrue(try dsr(["show", contact]).stdout.contains("Late twice"))

        XCTAssertEqual(try dsr(["reviews", contact, "--pick", "999999"]).status, 65, "no such review")
        XCTAssertEqual(try dsr(["reviews", contact, "--pick", String(review)], user: "agent@example.test").status, 77)
        let unpicked = try dsr(["reviews", contact, "--unpick", String(review)])
        XCTAssertEqual(unpicked.status, 0, unpicked.stderr)
        XCTAssertTrue(unpicked.stdout.contains("Unpicked 1 review."), unpicked.stdout)
        XCTAssertEqual(try dsr(["reviews", contact, "--unpick", String(review)]).status, 77, "not attributed any more")

        XCTAssertEqual(try dsr(["reviews", contact, "--pick", String(review)]).status, 0)
        let erased = try dsr(["erase", contact, "--confirm", "Tamsin Orrery-Vale"])
        XCTAssertEqual(erased.status, 0, erased.stderr)
        let workspace = try Workspace.open(at: URL(fileURLWithPath: db))
        XCTAssertEqual(try workspace.dbPool.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM reviews WHERE id = ?", arguments: [review]) }, 0)
    }
}
