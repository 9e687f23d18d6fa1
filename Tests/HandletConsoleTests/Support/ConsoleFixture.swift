import Foundation
import GRDB
@testable import HandletConsole
@testable import HandletDomain
import TerminalUI
import XCTest

/// A small workspace whose every row the screen tests know: calls 1 hour apart going back from
/// `now`, one contact opted out, one thread with a known word, one recording with a real WAV.
struct ConsoleFixture {
    let folder: URL
    let workspace: Workspace
    /// 23 Nov 2026 12:00 London, a Monday.
    static let now = Date(timeIntervalSince1970: 1_795_435_200)
    static let callCount = 120

    init(calls: Int = ConsoleFixture.callCount) throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("handlet-console-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let now = Self.now
        let users = [User(name: "Olivia Owner", email: "owner@example.test", role: .owner, createdAt: now),
                     User(name: "Vic Viewer", email: "viewer@example.test", role: .viewer, createdAt: now)]
        workspace = try Workspace.createFixture(
            at: folder.appendingPathComponent("workspace.sqlite"),
            workspace: WorkspaceRecord(name: "Fixture", businessName: "Fixture Plumbing", createdAt: now),
            users: users
        ) { queue, audio in
            try queue.write { db in
                var alice = Contact(name: "Alice Archer", phone: "+447700900001", createdAt: now)
                try alice.insert(db)
                var bob = Contact(name: "Bob Blocked", phone: "+447700900002", optedOutAt: now.addingTimeInterval(-86_400),
                                  optOutKeyword: "STOP", createdAt: now)
                try bob.insert(db)
                for index in 0..<calls {
                    let started = now.addingTimeInterval(-3600 * Double(index + 1))
                    let isAlice = index % 2 == 0
                    let outcome: CallOutcome = index % 5 == 0 ? .missed : .bookedJob
                    let word = index == 7 ? "boiler" : "radiator"
                    var call = Call(externalId: "CALL-\(index)", direction: .inbound,
                                    fromNumber: isAlice ? alice.phone! : bob.phone!, toNumber: "+441632960000",
                                    contactId: isAlice ? alice.id : bob.id, startedAt: started, durationSeconds: 60 + index,
                                    handledBy: .aiAgent, outcome: outcome, summary: "Caller asked about a \(word) leak.",
                                    transcript: Transcript(turns: [
                                        .init(speaker: .aiAgent, offsetMs: 0, text: "Hello, Fixture Plumbing."),
                                        .init(speaker: .caller, offsetMs: 2500, text: "My \(word) is leaking."),
                                    ]),
                                    recordingState: index == 0 ? .recorded : .notRecorded)
                    try call.insert(db)
                    if index == 0 {
                        let samples = (0..<8000).map { Int16(sin(Double($0) / 8) * 12000) }
                        var data = Data("RIFF".utf8)
                        func append<T: FixedWidthInteger>(_ value: T) { withUnsafeBytes(of: value.littleEndian) { data.append(contentsOf: $0) } }
                        append(UInt32(36 + samples.count * 2)); data.append(contentsOf: Array("WAVEfmt ".utf8))
                        append(UInt32(16)); append(UInt16(1)); append(UInt16(1)); append(UInt32(8000)); append(UInt32(16000))
                        append(UInt16(2)); append(UInt16(16)); data.append(contentsOf: Array("data".utf8)); append(UInt32(samples.count * 2))
                        for sample in samples { append(sample) }
                        try data.write(to: audio.appendingPathComponent("call-0.wav"))
                        var recording = Recording(callId: call.id!, filePath: "call-0.wav", bytes: Int64(data.count), durationMs: 1000,
                                                  sha256: SHA256Hex.of(data), createdAt: started, expiresAt: started.addingTimeInterval(30 * 86_400))
                        try recording.insert(db)
                    }
                }
                var thread = MessageThread(contactId: alice.id, channel: .sms, lastActivityAt: now.addingTimeInterval(-600), unreadCount: 1, messageCount: 2)
                try thread.insert(db)
                var first = Message(threadId: thread.id!, channel: .sms, direction: .inbound, fromAddress: alice.phone!, toAddress: "+441632960000",
                                    contactId: alice.id, body: "Can someone look at my cistern tomorrow?", sentAt: now.addingTimeInterval(-1200),
                                    deliveryStatus: .received)
                try first.insert(db)
                var reply = Message(threadId: thread.id!, channel: .sms, direction: .outbound, fromAddress: "+441632960000", toAddress: alice.phone!,
                                    contactId: alice.id, body: "Yes, we can come at 10am. Reply STOP to opt out.", sentAt: now.addingTimeInterval(-600),
                                    deliveryStatus: .delivered, autoSent: true)
                try reply.insert(db)
            }
        }
    }

    var context: ConsoleContext { context(post: { _ in }) }

    /// The console's context acting as `email`, or as the workspace's owner when nil.
    func context(actor email: String? = nil, post: @escaping @Sendable (any Sendable) -> Void = { _ in },
                 keys: KeyBindings = .defaults) -> ConsoleContext {
        let actor = try! email.map { try workspace.actor(email: $0) } ?? workspace.localOwner()
        return ConsoleContext(session: workspace.session(as: actor), now: { ConsoleFixture.now }, post: post, keys: keys)
    }

    func remove() { try? FileManager.default.removeItem(at: folder) }
}

/// Drives a screen headless: keys in, grid out.
struct ScreenDriver<S: Screen> {
    var screen: S
    let backend: HeadlessBackend
    let app: TerminalApp
    /// The rebindings the screen was built with: `press(_:in:)` finds keys under them.
    var keys: KeyBindings = .defaults
    var screens: ScreenRegistry = .standard

    init(_ screen: S, size: Size = Size(width: 100, height: 30)) {
        self.init(size: size) { _ in screen }
    }

    /// Builds the screen with the app's mailbox, so background work (counts, purges) reaches it.
    init(size: Size = Size(width: 100, height: 30), makeScreen: (Mailbox) -> S) {
        backend = HeadlessBackend(size: size)
        app = TerminalApp(backend: backend)
        screen = makeScreen(app.mailbox)
    }

    /// Lets background work finish and its messages arrive, until `condition` holds. Fails the
    /// calling test, showing the screen, when it still does not hold after `timeout` seconds:
    /// a caller's next assertion would otherwise fail far from the cause, or not at all.
    mutating func settle(timeout: TimeInterval = 15, file: StaticString = #filePath, line: UInt = #line,
                         until condition: (Grid) -> Bool) {
        let deadline = Date().addingTimeInterval(timeout)
        app.run(&screen, stopWhenIdle: true)
        while !condition(grid) {
            if Date() >= deadline {
                XCTFail("settle: the condition still did not hold after \(timeout) s; the screen was:\n\(text)", file: file, line: line)
                return
            }
            Thread.sleep(forTimeInterval: 0.01)
            app.run(&screen, stopWhenIdle: true)
        }
    }

    mutating func press(_ keys: Key...) {
        backend.send(keys.map(InputEvent.key))
        app.run(&screen, stopWhenIdle: true)
    }

    /// Hands one key straight to the screen and returns what it did (`.quit` included, which the
    /// headless run loop cannot show: its backend always ends "stopped"), then draws the frame.
    mutating func outcome(of key: Key) -> EventOutcome {
        let outcome = screen.handle(.key(key))
        app.drawFrame(&screen)
        return outcome
    }

    /// Presses the key bound to `action` in key mode `mode` ("hold" in "Call detail"), found
    /// through `ActionKeys` under the driver's rebindings; fails the test when none is bound.
    mutating func press(_ action: String, in mode: String, file: StaticString = #filePath, line: UInt = #line) {
        guard let key = key(action, in: mode, file: file, line: line) else { return }
        press(key)
    }

    /// `outcome(of:)` for the key bound to `action` in `mode`.
    mutating func outcome(of action: String, in mode: String, file: StaticString = #filePath, line: UInt = #line) -> EventOutcome {
        guard let key = key(action, in: mode, file: file, line: line) else { return .ignored }
        return outcome(of: key)
    }

    /// Goes to the tab `screen` with the console's go-to-tab key for it.
    mutating func goTo(_ screen: ScreenID, file: StaticString = #filePath, line: UInt = #line) {
        do { press(try ActionKeys.tabKey(screen, keys: keys, screens: screens)) } catch { XCTFail("\(error)", file: file, line: line) }
    }

    func key(_ action: String, in mode: String, file: StaticString = #filePath, line: UInt = #line) -> Key? {
        do { return try ActionKeys.key(action, in: mode, keys: keys, screens: screens) } catch {
            XCTFail("\(error)", file: file, line: line)
            return nil
        }
    }

    mutating func type(_ text: String) {
        backend.send(text.map { InputEvent.key(.char($0)) })
        app.run(&screen, stopWhenIdle: true)
    }

    mutating func deliver(_ message: any Sendable) {
        _ = screen.handle(.message(message))
        app.drawFrame(&screen)
    }

    /// Sends timer ticks, as the running console gets four times a second.
    mutating func tick(_ count: Int) {
        for _ in 0..<count { _ = screen.handle(.tick) }
        app.drawFrame(&screen)
    }

    var grid: Grid { backend.screen }
    var text: String { grid.lines.joined(separator: "\n") }

    func row(containing text: String) -> Int? { grid.lines.firstIndex { $0.contains(text) } }

    /// The style of the first cell of `text` on screen.
    func style(of text: String) -> Style? {
        guard let y = row(containing: text), let x = grid.column(of: text, row: y) else { return nil }
        return grid[x, y].style
    }
}
