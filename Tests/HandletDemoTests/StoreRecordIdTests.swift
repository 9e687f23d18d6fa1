import Foundation
import GRDB
@testable import HandletDomain
import XCTest

/// Inserting a record gives the struct the id its row got, so callers never read
/// `lastInsertedRowID` (which a trigger's own insert would change).
final class StoreRecordIdTests: XCTestCase {
    func testInsertSetsTheRowIdOnTheRecord() throws {
        let test = try TestWorkspace.make(calls: 3, messages: 3)
        let now = Date(timeIntervalSince1970: 1_767_225_600)
        try test.write { db in
            var contact = Contact(name: "Ida Inserted", phone: "+447700900321", createdAt: now)
            XCTAssertNil(contact.id)
            try contact.insert(db)
            let contactId = try XCTUnwrap(contact.id)
            XCTAssertEqual(try Contact.fetchOne(db, key: contactId)?.name, "Ida Inserted")

            // calls_fts and record_counts triggers insert rows of their own after the call's.
            var call = Call(externalId: "CA-ID-TEST", direction: .inbound, fromNumber: "+447700900321",
                            toNumber: "+441632960000", contactId: contactId, startedAt: now, durationSeconds: 30,
                            handledBy: .staff, outcome: .messageTaken, summary: "Left a message", transcript: Transcript(turns: []),
                            recordingState: .notRecorded)
            try call.insert(db)
            let callId = try XCTUnwrap(call.id)
            XCTAssertEqual(try Call.fetchOne(db, key: callId)?.externalId, "CA-ID-TEST")
            XCTAssertEqual(try Call.ID.fetchOne(db, sql: "SELECT MAX(id) FROM calls"), callId)
        }
    }
}
