import Foundation
import GRDB
@testable import HandletDomain

/// A fresh workspace in a temporary folder for browsing tests, with builders for contacts, calls,
/// recordings (with real WAV files), threads, messages, drafts and notices. Removed when released.
final class BrowseFixture {
    /// Wednesday 2026-03-11 12:00 UTC (= 12:00 in London, before the clocks change on 29 March).
    static let now = Date(timeIntervalSince1970: 1_773_230_400)
    static let day: TimeInterval = 86_400
    static let london = TimeZone(identifier: "Europe/London")!

    let folder: URL
    let workspace: Workspace
    var clock: BrowseClock
    private var sequence = 0

    init(now: Date = BrowseFixture.now) throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("handlet-browse-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        workspace = try Workspace.create(
            at: folder.appendingPathComponent("workspace.sqlite"),
            workspace: WorkspaceRecord(name: "Browse test", businessName: "Test Plumbing Ltd", createdAt: now),
            users: [User(name: "Olive Owner", email: "owner@example.test", role: .owner, createdAt: now),
                    User(name: "Sam Staff", email: "agent@example.test", role: .agent, createdAt: now)])
        clock = BrowseClock(now: now, timeZone: Self.london)
    }

    deinit { try? FileManager.default.removeItem(at: folder) }

    static func at(days: Double) -> Date { now.addingTimeInterval(days * day) }

    func read<T>(_ body: (Database) throws -> T) throws -> T { try workspace.dbPool.read(body) }
    func write<T>(_ body: (Database) throws -> T) throws -> T { try workspace.dbPool.write(body) }

    @discardableResult
    func addContact(_ name: String, phone: String? = nil, email: String? = nil, optedOutAt: Date? = nil,
                    keyword: String? = nil, restrictedAt: Date? = nil, reason: String? = nil) throws -> Contact.ID {
        try write { db in
            var contact = Contact(name: name, phone: phone, email: email, optedOutAt: optedOutAt, optOutKeyword: keyword,
                                  restrictedAt: restrictedAt, restrictionReason: reason, createdAt: clock.now)
            try contact.insert(db)
            return contact.id!
        }
    }

    /// A call; the summary and transcript default to words no test searches for.
    @discardableResult
    func addCall(at startedAt: Date, contact: Contact.ID? = nil, direction: Direction = .inbound,
                 outcome: CallOutcome = .bookedJob, handledBy: HandledBy = .aiAgent, staffUserId: Int64? = nil,
                 summary: String = "Routine enquiry logged", turns: [Transcript.Turn] = [],
                 jobDetails: String? = nil, recording: RecordingState = .notRecorded, duration: Int = 90) throws -> Call.ID {
        sequence += 1
        let number = sequence
        return try write { db in
            var call = Call(externalId: "CA\(String(format: "%06d", number))", direction: direction,
                            fromNumber: direction == .inbound ? "+447700900\(String(format: "%03d", number % 1000))" : "+441632960000",
                            toNumber: direction == .inbound ? "+441632960000" : "+447700900\(String(format: "%03d", number % 1000))",
                            contactId: contact, startedAt: startedAt, durationSeconds: duration, handledBy: handledBy,
                            staffUserId: staffUserId, outcome: outcome, summary: summary, transcript: Transcript(turns: turns),
                            jobDetails: jobDetails, recordingState: recording,
                            recordingPurgedAt: recording == .purged ? startedAt.addingTimeInterval(30 * Self.day) : nil)
            try call.insert(db)
            return call.id!
        }
    }

    /// A recording row for a call; `wav` writes that audio to the workspace's audio folder.
    @discardableResult
    func addRecording(call: Call.ID, createdAt: Date, expiresAt: Date, wav: Data? = nil, path: String? = nil,
                      legalHold: Bool = false, purgedAt: Date? = nil) throws -> Recording {
        let relative = path ?? "call-\(call).wav"
        if let wav {
            try FileManager.default.createDirectory(at: workspace.audioDirectory, withIntermediateDirectories: true)
            try wav.write(to: workspace.audioDirectory.appendingPathComponent(relative))
        }
        return try write { db in
            var recording = Recording(callId: call, filePath: purgedAt == nil ? relative : nil, bytes: Int64(wav?.count ?? 0),
                                      durationMs: 2_000, sha256: purgedAt == nil ? String(repeating: "ab", count: 32) : nil,
                                      createdAt: createdAt, expiresAt: expiresAt, legalHold: legalHold,
                                      holdReason: legalHold ? "Dispute" : nil, purgedAt: purgedAt)
            try recording.insert(db)
            return recording
        }
    }

    @discardableResult
    func addThread(contact: Contact.ID?, channel: Channel, subject: String? = nil, unread: Int = 0) throws -> MessageThread.ID {
        try write { db in
            var thread = MessageThread(contactId: contact, channel: channel, subject: subject,
                                       lastActivityAt: Date(timeIntervalSince1970: 0), unreadCount: unread)
            try thread.insert(db)
            return thread.id!
        }
    }

    /// A message; the thread's last activity and count follow it, as the service keeps them.
    @discardableResult
    func addMessage(thread: MessageThread.ID, at sentAt: Date, body: String, direction: Direction = .inbound,
                    status: DeliveryStatus = .received, attachments: [Attachment] = [], autoSent: Bool = false) throws -> Message.ID {
        try write { db in
            let thread = try MessageThread.fetchOne(db, key: thread)!
            var message = Message(threadId: thread.id!, channel: thread.channel, direction: direction,
                                  fromAddress: direction == .inbound ? "+447700900123" : "+441632960000",
                                  toAddress: direction == .inbound ? "+441632960000" : "+447700900123",
                                  contactId: thread.contactId, body: body, sentAt: sentAt, deliveryStatus: status,
                                  attachments: attachments, autoSent: autoSent)
            try message.insert(db)
            try db.execute(sql: """
                UPDATE threads SET last_activity_at = max(last_activity_at, ?), message_count = message_count + 1 WHERE id = ?
                """, arguments: [Int64(sentAt.timeIntervalSince1970), thread.id])
            return message.id!
        }
    }

    func addDraft(state: DraftState) throws {
        sequence += 1
        let number = sequence
        try write { db in
            var draft = Draft(targetKind: "message", targetId: 1, contactId: nil, channel: "sms", intent: .followUp,
                              confidence: 0.9, body: "Thanks, we will call you back", state: state,
                              correlationId: "corr-\(number)", createdAt: clock.now)
            try draft.insert(db)
        }
    }

    @discardableResult
    func addNotice(key: String, version: String = "1", needsAcknowledgement: Bool, objectionDeadline: Date? = nil,
                   kind: NoticeKind = .policyUpdate) throws -> Int64 {
        try write { db in
            var notice = Notice(noticeKey: key, kind: kind, title: "Notice \(key)", version: version,
                                effectiveAt: clock.now, body: "Body", sha256: String(repeating: "cd", count: 32),
                                needsAcknowledgement: needsAcknowledgement, objectionDeadline: objectionDeadline,
                                publishedAt: clock.now)
            try notice.insert(db)
            return notice.id!
        }
    }

    func respond(to notice: Int64, version: String, _ response: NoticeResponseKind) throws {
        try write { db in
            let owner = try Int64.fetchOne(db, sql: "SELECT id FROM users WHERE role = 'owner'")!
            var row = NoticeResponse(noticeId: notice, userId: owner, response: response, version: version,
                                     sha256: String(repeating: "cd", count: 32), respondedAt: clock.now)
            try row.insert(db)
        }
    }

    /// A read, and the SQL it ran with its arguments inlined (`sqlite3_expanded_sql`), in order.
    func statements<T>(_ body: (Database) throws -> T) throws -> (T, [String]) {
        let seen = TracedStatements()
        let result = try read { db in
            db.trace(options: .statement) { event in
                // Not the statements SQLite runs inside FTS5 ("-- SELECT … FROM 'main'.'call_fts'").
                if case .statement(let statement) = event, !statement.sql.hasPrefix("--") { seen.sql.append(statement.expandedSQL) }
            }
            defer { db.trace(options: []) }
            return try body(db)
        }
        return (result, seen.sql)
    }

    /// The detail plan of a query: one line per step of EXPLAIN QUERY PLAN.
    func queryPlan(_ sql: String, _ arguments: StatementArguments) throws -> String {
        try read { db in
            try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN \(sql)", arguments: arguments).map { $0["detail"] as String }
                .joined(separator: "\n")
        }
    }

    /// A 16-bit PCM WAV whose samples follow `level` (0...1 of full scale) over `frames` frames,
    /// alternating sign so that each level is a peak magnitude.
    static func wav(frames: Int, channels: Int = 1, sampleRate: Int = 8_000, level: (Int) -> Double) -> Data {
        var samples = Data()
        samples.reserveCapacity(frames * channels * 2)
        for frame in 0..<frames {
            let magnitude = Int16(clamping: Int((level(frame) * 32_767).rounded()))
            let value = frame.isMultiple(of: 2) ? magnitude : -magnitude
            for _ in 0..<channels { withUnsafeBytes(of: value.littleEndian) { samples.append(contentsOf: $0) } }
        }
        var data = Data("RIFF".utf8)
        func append32(_ value: Int) { withUnsafeBytes(of: UInt32(value).littleEndian) { data.append(contentsOf: $0) } }
        func append16(_ value: Int) { withUnsafeBytes(of: UInt16(value).littleEndian) { data.append(contentsOf: $0) } }
        append32(36 + samples.count)
        data.append(contentsOf: Array("WAVEfmt ".utf8))
        append32(16); append16(1); append16(channels); append32(sampleRate)
        append32(sampleRate * channels * 2); append16(channels * 2); append16(16)
        data.append(contentsOf: Array("data".utf8))
        append32(samples.count)
        data.append(samples)
        return data
    }
}

/// The statements a traced read ran (`BrowseFixture.statements`).
final class TracedStatements: @unchecked Sendable {
    var sql: [String] = []
}
