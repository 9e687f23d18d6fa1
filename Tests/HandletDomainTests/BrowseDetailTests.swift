import GRDB
@testable import HandletDomain
import XCTest

final class BrowseDetailTests: XCTestCase {
    func testCallDetailHasTranscriptJobAndRecordingMetadata() throws {
        let fixture = try BrowseFixture()
        let contact = try fixture.addContact("Priya Shah", phone: "+447700900001")
        let staff = try fixture.read { try Int64.fetchOne($0, sql: "SELECT id FROM users WHERE role = 'agent'") }
        let call = try fixture.addCall(
            at: BrowseFixture.at(days: -2), contact: contact, handledBy: .staff, staffUserId: staff,
            summary: "Combi boiler losing pressure; engineer booked Friday",
            turns: [.init(speaker: .aiAgent, offsetMs: 0, text: "Good morning, Test Plumbing."),
                    .init(speaker: .caller, offsetMs: 3_400, text: "My boiler keeps losing pressure."),
                    .init(speaker: .staff, offsetMs: 61_250, text: "We can come on Friday.")],
            jobDetails: #"{"job":"Boiler repair","address":{"postcode":"LS1 4AP","town":"Leeds"},"urgent":true,"quote_gbp":120}"#,
            recording: .recorded)
        let created = BrowseFixture.at(days: -2)
        try fixture.addRecording(call: call, createdAt: created, expiresAt: created.addingTimeInterval(30 * BrowseFixture.day),
                                 wav: BrowseFixture.wav(frames: 800) { _ in 0.5 })

        let detail = try XCTUnwrap(try fixture.read { try CallDetail.load(id: call, clock: fixture.clock, in: $0) })
        XCTAssertEqual(detail.contact?.name, "Priya Shah")
        XCTAssertEqual(detail.staffName, "Sam Staff")
        XCTAssertEqual(detail.transcript.map(\.offsetMs), [0, 3_400, 61_250])
        XCTAssertEqual(detail.transcript.map(\.speaker), [.aiAgent, .caller, .staff])
        XCTAssertEqual(detail.transcript[1].text, "My boiler keeps losing pressure.")
        XCTAssertEqual(detail.jobDetails?.fields.map(\.key), ["address.postcode", "address.town", "job", "quote_gbp", "urgent"])
        XCTAssertEqual(detail.jobDetails?.fields.map(\.value), ["LS1 4AP", "Leeds", "Boiler repair", "£120", "yes"])
        XCTAssertEqual(detail.jobDetails?.fields.map(\.label), ["Address · postcode", "Address · town", "Job", "Quote", "Urgent"],
                       "an amount's label does not spell its unit: its value says £")
        XCTAssertEqual(detail.jobDetails?.fields.first?.label, "Address · postcode")
        XCTAssertEqual(detail.recording?.bytes, Int64(BrowseFixture.wav(frames: 800) { _ in 0.5 }.count))
        XCTAssertEqual(detail.recordingStatus, .held(daysLeft: 28, expiresAt: created.addingTimeInterval(30 * BrowseFixture.day)))
        XCTAssertEqual(detail.recordingStatus.shortLabel, "28d left")

        let byExternalId = try fixture.read { try CallDetail.find("CA000001", clock: fixture.clock, in: $0) }
        XCTAssertEqual(byExternalId?.id, call)
        XCTAssertEqual(try fixture.read { try CallDetail.find(call.description, clock: fixture.clock, in: $0) }?.id, call)
        XCTAssertNil(try fixture.read { try CallDetail.find("nope", clock: fixture.clock, in: $0) })
        XCTAssertNil(try fixture.read { try CallDetail.load(id: Call.ID(999), clock: fixture.clock, in: $0) })

        XCTAssertEqual(JobDetails(json: "not json").unparsed, "not json")
        XCTAssertEqual(JobDetails(json: "[1,2]").fields, [])
        XCTAssertEqual(JobDetails(json: #"{"guide_high_gbp": 1250, "deposit_gbp": 12.5, "note_gbp": "ask"}"#).fields.map(\.value),
                       ["£12.50", "£1,250", "ask"])
    }

    func testRecordingStatusesAndDaysLeft() throws {
        let fixture = try BrowseFixture()
        let now = BrowseFixture.now
        func status(_ state: RecordingState, expiresIn days: Double? = nil, hold: Bool = false, purged: Bool = false) throws -> RecordingStatus {
            let call = try fixture.addCall(at: now.addingTimeInterval(-3_600), recording: state)
            if let days {
                try fixture.addRecording(call: call, createdAt: now, expiresAt: now.addingTimeInterval(days * BrowseFixture.day),
                                         legalHold: hold, purgedAt: purged ? now : nil)
            }
            return try fixture.read { try CallPage(clock: fixture.clock).first(limit: 1, in: $0) }[0].recording
        }
        XCTAssertEqual(try status(.recorded, expiresIn: 6.5).daysLeft, 7, "part days round up")
        XCTAssertEqual(try status(.recorded, expiresIn: 1.0 / 24).shortLabel, "1d left")
        XCTAssertEqual(try status(.recorded, expiresIn: -1).shortLabel, "due", "past expiry: due for the next purge")
        XCTAssertEqual(try status(.recorded, expiresIn: 3, hold: true), .legalHold)
        XCTAssertEqual(try status(.purged, expiresIn: -5, purged: true).code, "purged")
        XCTAssertEqual(try status(.notRecorded), .notRecorded)
        XCTAssertEqual(try status(.recordingDisabled).shortLabel, "disabled")
    }

    func testWaveformFollowsTheSamplesOfARealWAV() throws {
        let fixture = try BrowseFixture()
        // Quiet first half, loud second half, silent last tenth, 8 kHz mono.
        let wav = BrowseFixture.wav(frames: 8_000) { frame in frame < 4_000 ? 0.1 : (frame < 7_200 ? 0.8 : 0) }
        let call = try fixture.addCall(at: BrowseFixture.now, recording: .recorded)
        try fixture.addRecording(call: call, createdAt: BrowseFixture.now, expiresAt: BrowseFixture.at(days: 30), wav: wav)
        let detail = try XCTUnwrap(try fixture.read { try CallDetail.load(id: call, clock: fixture.clock, in: $0) })
        guard case .peaks(let peaks) = detail.waveform(in: fixture.workspace, buckets: 10) else {
            return XCTFail("expected peaks, got \(detail.waveform(in: fixture.workspace, buckets: 10))")
        }
        XCTAssertEqual(peaks.count, 10)
        for (index, peak) in peaks.enumerated() {
            let expected: Float = index < 5 ? 0.1 : (index < 9 ? 0.8 : 0)
            XCTAssertEqual(peak, expected, accuracy: 0.001, "bucket \(index)")
        }
        // Stereo and 8-bit read the same shape; more buckets than frames never overruns.
        let stereoURL = fixture.folder.appendingPathComponent("stereo.wav")
        try BrowseFixture.wav(frames: 100, channels: 2) { $0 < 50 ? 0.25 : 1 }.write(to: stereoURL)
        let stereo = try Waveform.peaks(ofWAVAt: stereoURL, buckets: 2)
        XCTAssertEqual(stereo.count, 2)
        XCTAssertEqual(stereo[0], 0.25, accuracy: 0.001)
        XCTAssertEqual(stereo[1], 1, accuracy: 0.001)
        XCTAssertEqual(try Waveform.peaks(ofWAVAt: stereoURL, buckets: 400).count, 400)
        let eightBit = fixture.folder.appendingPathComponent("8bit.wav")
        var header = BrowseFixture.wav(frames: 0) { _ in 0 }
        header.replaceSubrange(34..<36, with: [8, 0])               // bits per sample
        header.replaceSubrange(40..<44, with: [4, 0, 0, 0])          // data size
        header.append(contentsOf: [128, 255, 0, 128])
        try header.write(to: eightBit)
        XCTAssertEqual(try Waveform.peaks(ofWAVAt: eightBit, buckets: 2), [Float(127 * 256) / 32_768, 1])
    }

    func testWaveformStatesWhenThereIsNoAudio() throws {
        let fixture = try BrowseFixture()
        func waveform(_ state: RecordingState, file: Data? = nil, path: String? = nil, purged: Bool = false) throws -> WaveformState {
            let call = try fixture.addCall(at: BrowseFixture.now, recording: state)
            if state == .recorded || purged {
                try fixture.addRecording(call: call, createdAt: BrowseFixture.now, expiresAt: BrowseFixture.at(days: 30),
                                         wav: file, path: path, purgedAt: purged ? BrowseFixture.now : nil)
            }
            let detail = try fixture.read { try CallDetail.load(id: call, clock: fixture.clock, in: $0) }!
            return detail.waveform(in: fixture.workspace, buckets: 8)
        }
        XCTAssertEqual(try waveform(.notRecorded), .noRecording)
        XCTAssertEqual(try waveform(.recordingDisabled), .noRecording)
        XCTAssertEqual(try waveform(.purged, purged: true), .purged)
        guard case .missingFile = try waveform(.recorded) else { return XCTFail("a recorded call whose file is gone") }
        guard case .unreadable(let reason) = try waveform(.recorded, file: Data("not a wave file at all".utf8)) else {
            return XCTFail("a file that is not WAV")
        }
        XCTAssertEqual(reason, "The file is not a WAV file.")
        var truncated = BrowseFixture.wav(frames: 10) { _ in 1 }
        truncated.removeSubrange(30...)
        guard case .unreadable = try waveform(.recorded, file: truncated) else { return XCTFail("a cut-short WAV") }
        guard case .unreadable(let outside) = try waveform(.recorded, path: "../../etc/passwd") else {
            return XCTFail("a path leaving the audio folder")
        }
        XCTAssertTrue(outside.contains("outside the audio folder"))
    }

    func testThreadDetailShowsTheConversation() throws {
        let fixture = try BrowseFixture()
        let contact = try fixture.addContact("Jo Bloggs", email: "jo@example.test")
        let thread = try fixture.addThread(contact: contact, channel: .email, subject: "Quote for bathroom", unread: 1)
        try fixture.addMessage(thread: thread, at: BrowseFixture.at(days: -3), body: "Can you quote for a new bathroom?",
                               attachments: [Attachment(name: "floorplan.pdf", bytes: 182_044)])
        try fixture.addMessage(thread: thread, at: BrowseFixture.at(days: -2.9), body: "Thanks, this is an automated reply.",
                               direction: .outbound, status: .delivered, autoSent: true)
        try fixture.addMessage(thread: thread, at: BrowseFixture.at(days: -1), body: "Quote attached", direction: .outbound,
                               status: .failed)
        let detail = try XCTUnwrap(try fixture.read { try ThreadDetail.load(id: thread, limit: 2, in: $0) })
        XCTAssertEqual(detail.contact?.name, "Jo Bloggs")
        XCTAssertEqual(detail.thread.subject, "Quote for bathroom")
        XCTAssertEqual(detail.recentMessages.map(\.body), ["Thanks, this is an automated reply.", "Quote attached"])
        XCTAssertTrue(detail.hasEarlier)
        XCTAssertEqual(detail.recentMessages.map(\.autoSent), [true, false])
        XCTAssertEqual(detail.recentMessages.map(\.deliveryStatus), [.delivered, .failed])
        XCTAssertEqual(detail.recentMessages.map(\.direction), [.outbound, .outbound])
        let earlier = try fixture.read { try detail.messages.before(detail.recentMessages[0].cursor, limit: 10, in: $0) }
        XCTAssertEqual(earlier.map(\.attachments), [[Attachment(name: "floorplan.pdf", bytes: 182_044)]])
        let all = try XCTUnwrap(try fixture.read { try ThreadDetail.load(id: thread, in: $0) })
        XCTAssertFalse(all.hasEarlier)
        XCTAssertNil(try fixture.read { try ThreadDetail.load(id: MessageThread.ID(404), in: $0) })
    }

    func testContactDetailShowsConsentOptOutAndRestriction() throws {
        let fixture = try BrowseFixture()
        let optedOut = try fixture.addContact("Ann Other", phone: "+447700900555", optedOutAt: BrowseFixture.at(days: -4), keyword: "STOP",
                                              restrictedAt: BrowseFixture.at(days: -1), reason: "Disputes accuracy")
        let plain = try fixture.addContact("Plain Person")
        try fixture.write { db in
            var sms = MarketingConsent(contactId: optedOut, channel: .sms, givenAt: BrowseFixture.at(days: -90), method: "web form")
            try sms.insert(db)
            var email = MarketingConsent(contactId: optedOut, channel: .email, givenAt: BrowseFixture.at(days: -90), method: "call",
                                         withdrawnAt: BrowseFixture.at(days: -10))
            try email.insert(db)
        }
        try fixture.addCall(at: BrowseFixture.now, contact: optedOut)
        let thread = try fixture.addThread(contact: optedOut, channel: .sms)
        try fixture.addMessage(thread: thread, at: BrowseFixture.now, body: "STOP")

        let detail = try XCTUnwrap(try fixture.read { try ContactDetail.load(id: optedOut, in: $0) })
        XCTAssertEqual(detail.optOut?.keyword, "STOP")
        XCTAssertEqual(detail.optOut?.at, BrowseFixture.at(days: -4))
        XCTAssertEqual(detail.restriction?.reason, "Disputes accuracy")
        XCTAssertEqual(detail.consentedChannels, [.sms], "withdrawn consent does not count")
        XCTAssertEqual(detail.consents.count, 2)
        XCTAssertEqual([detail.callCount, detail.messageCount, detail.threadCount], [1, 1, 1])
        XCTAssertTrue(detail.contact.isSuppressed)

        let other = try XCTUnwrap(try fixture.read { try ContactDetail.load(id: plain, in: $0) })
        XCTAssertNil(other.optOut)
        XCTAssertNil(other.restriction)
        XCTAssertEqual(other.consentedChannels, [])
        let rows = try fixture.read { try ContactPage().first(limit: 5, in: $0) }
        XCTAssertEqual(rows.map(\.optedOut), [true, false])
        XCTAssertEqual(rows.map(\.restricted), [true, false])
    }
}
