// Fixtures for the data-subject tests (domain, CLI and crash tests); compiled only with the test hooks.
#if HANDLET_TEST_HOOKS
import Foundation
import GRDB

/// A person a test planted: their contacts and everything identifying them.
package struct PlantedPerson: Sendable {
    package let contactIDs: [Contact.ID]
    package let name: String
    package let phones: [String]
    package let email: String
    package let callIDs: [Call.ID]
    package let audioPaths: [String]
    package let messageIDs: [Message.ID]
}

extension Workspace {
    /// Plants a person with one contact per number (the last with `email`), and per contact
    /// `calls` recorded calls (summary and transcript naming them, real audio files),
    /// a thread of `messages` messages (naming them and their number), a draft reply, a
    /// marketing consent; a review under their name and an open access request noting it.
    @discardableResult
    package func plantPerson(name: String, phones: [String], email: String, calls: Int = 3, messages: Int = 4,
                             at start: Date, seed: Int = 1) throws -> PlantedPerson {
        try dbPool.write { db in
            var contacts: [Contact.ID] = [], callIDs: [Call.ID] = [], audio: [String] = [], messageIDs: [Message.ID] = []
            let first = name.split(separator: " ").first.map(String.init) ?? name
            for (index, phone) in phones.enumerated() {
                var contact = Contact(name: name, phone: phone, email: index == phones.count - 1 ? email : nil,
                                      createdAt: start)
                try contact.insert(db)
                let contactID = contact.id!
                contacts.append(contactID)
                _ = try MarketingConsent(contactId: contactID, channel: .sms, givenAt: start, method: "said yes on a call with \(name)").inserted(db)
                for number in 0..<calls {
                    let when = start.addingTimeInterval(TimeInterval(3_600 * (number + 1) + index * 86_400))
                    let call = Call(externalId: "CA-\(seed)-\(index)-\(number)", direction: .inbound, fromNumber: phone,
                                    toNumber: "+441632960000", contactId: contactID, startedAt: when, durationSeconds: 95,
                                    handledBy: .aiAgent, outcome: .bookedJob,
                                    summary: "\(name) on \(phone) booked a boiler service",
                                    transcript: Transcript(turns: [.init(speaker: .caller, offsetMs: 0, text: "Hello, it's \(name), my number is \(phone) and email \(email)"),
                                                                   .init(speaker: .aiAgent, offsetMs: 4_000, text: "Thanks \(first), booked for Tuesday")]),
                                    jobDetails: "{\"address\": \"1 Quay Street, \(name)\"}", recordingState: .recorded)
                    let audioData = Data((0..<2_000).map { UInt8(truncatingIfNeeded: $0 &* 13 &+ number &+ seed &* 7) }) + Data(name.utf8)
                    let stored = try RecordingImport.add(call, audio: audioData, recordedAt: when, in: db, audioFolder: audioDirectory)
                    callIDs.append(stored.call.id!)
                    if let path = stored.recording?.filePath { audio.append(path) }
                }
                var thread = MessageThread(contactId: contactID, channel: .sms, subject: "Boiler for \(name)",
                                           lastActivityAt: start.addingTimeInterval(86_400), messageCount: messages)
                try thread.insert(db)
                var lastMessage: Message.ID?
                for number in 0..<messages {
                    let inbound = number % 2 == 0
                    var message = Message(threadId: thread.id!, channel: .sms, direction: inbound ? .inbound : .outbound,
                                          fromAddress: inbound ? phone : "+441632960000", toAddress: inbound ? "+441632960000" : phone,
                                          contactId: contactID,
                                          body: inbound ? "Hi, \(name) here (\(phone), \(email)), is Tuesday still ok?" : "Yes \(first), see you Tuesday",
                                          sentAt: start.addingTimeInterval(TimeInterval(7_200 + number * 600 + index * 86_400)),
                                          deliveryStatus: inbound ? .received : .delivered)
                    try message.insert(db)
                    messageIDs.append(message.id!)
                    lastMessage = message.id
                }
                if let lastMessage {
                    _ = try Draft(targetKind: "message", targetId: lastMessage.rawValue, contactId: contactID.rawValue, channel: "sms",
                              intent: .followUp, confidence: 0.9, body: "Thanks \(name), we'll call \(phone) on the day",
                              correlationId: "plant-\(seed)-\(index)", createdAt: start.addingTimeInterval(90_000)).inserted(db)
                }
            }
            _ = try Review(source: "google", author: name, stars: 5, text: "Great work on our boiler, from \(name)",
                       postedAt: start.addingTimeInterval(200_000)).inserted(db)
            _ = try DataSubjectRequest(contactId: contacts[0].rawValue, type: .access, receivedAt: start,
                                   dueAt: DataSubjectDue.due(received: start), notes: "\(name) asked by phone from \(phones[0])").inserted(db)
            return PlantedPerson(contactIDs: contacts, name: name, phones: phones, email: email, callIDs: callIDs,
                                 audioPaths: audio, messageIDs: messageIDs)
        }
    }

    /// A digest per row of every record table, leaving out the rows of `people` (by contact):
    /// what an erasure must leave exactly as it was.
    package func rowDigests(excluding people: [Contact.ID], calls: [Call.ID]) throws -> [String] {
        let ids = PersonHoldings.jsonIDs(people.map(\.rawValue))
        let callIDs = PersonHoldings.jsonIDs(calls.map(\.rawValue))
        return try dbPool.read { db in
            var rows: [String] = []
            let queries = [
                ("contacts", "SELECT * FROM contacts WHERE id NOT IN (SELECT value FROM json_each(?1)) ORDER BY id"),
                ("calls", "SELECT * FROM calls WHERE id NOT IN (SELECT value FROM json_each(?2)) AND ?1 IS NOT NULL ORDER BY id"),
                ("recordings", "SELECT * FROM recordings WHERE call_id NOT IN (SELECT value FROM json_each(?2)) AND ?1 IS NOT NULL ORDER BY id"),
                ("threads", "SELECT * FROM threads WHERE contact_id IS NULL OR contact_id NOT IN (SELECT value FROM json_each(?1)) ORDER BY id"),
                ("messages", "SELECT * FROM messages WHERE contact_id IS NULL OR contact_id NOT IN (SELECT value FROM json_each(?1)) ORDER BY id"),
                ("drafts", "SELECT * FROM drafts WHERE contact_id IS NULL OR contact_id NOT IN (SELECT value FROM json_each(?1)) ORDER BY id"),
                ("consents", "SELECT * FROM marketing_consents WHERE contact_id NOT IN (SELECT value FROM json_each(?1)) ORDER BY id"),
            ]
            for (table, sql) in queries {
                let arguments: StatementArguments = sql.contains("?2") ? [ids, callIDs] : [ids]
                for row in try Row.fetchAll(db, sql: sql, arguments: arguments) {
                    rows.append("\(table): " + DataSubjectExportWriter.sha256(Data("\(row)".utf8)))
                }
            }
            return rows
        }
    }

    /// Every audio file under the recordings folder, relative to it.
    package func audioFilesOnDisk() -> [String] {
        let base = audioDirectory.path
        let enumerator = FileManager.default.enumerator(atPath: base)
        var files: [String] = []
        while let path = enumerator?.nextObject() as? String {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: base + "/" + path, isDirectory: &isDirectory), !isDirectory.boolValue {
                files.append(path)
            }
        }
        return files.sorted()
    }

    /// Integrity check result ("ok" when sound).
    package func integrityCheck() throws -> String {
        try dbPool.read { db in try String.fetchOne(db, sql: "PRAGMA integrity_check") ?? "" }
    }

    /// Contacts that still exist of `ids`, and erasures not yet finished.
    package func erasureState(_ ids: [Contact.ID]) throws -> (contacts: Int, pending: Int, files: Int) {
        try dbPool.read { db in
            (try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM contacts WHERE id IN (SELECT value FROM json_each(?))",
                              arguments: [PersonHoldings.jsonIDs(ids.map(\.rawValue))])!,
             try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM erasure_pending")!,
             try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM erasure_files")!)
        }
    }
}
#endif
