import Foundation
import HandletDomain

/// What a change was about, so the screen showing it re-reads it once it lands. Open: the screen
/// that makes the change declares its subject in its folder (`extension ChangeSubject { static let
/// retention = … }`); a subject about one record carries it (a legal hold on call 7).
public struct ChangeSubject: Sendable, Equatable, CustomStringConvertible {
    public let name: String
    private let record: (any Hashable & Sendable)?

    public init(_ name: String) {
        self.name = name
        record = nil
    }

    public init<Record: Hashable & Sendable>(_ name: String, record: Record) {
        self.name = name
        self.record = record
    }

    public static func == (lhs: ChangeSubject, rhs: ChangeSubject) -> Bool {
        guard lhs.name == rhs.name else { return false }
        switch (lhs.record, rhs.record) {
        case (nil, nil): return true
        case let (left?, right?): return AnyHashable(left) == AnyHashable(right)
        default: return false
        }
    }

    public var description: String { record.map { "\(name)(\($0))" } ?? name }
}

/// What a change started from a tab reports to the console's mailbox when it could not land at
/// once because another process holds the workspace's write lock (issue 11, Faults).
public struct ChangeStatus: Sendable, Equatable {
    public enum Phase: Sendable, Equatable {
        /// Waiting for the other writer; the status bar says so until the change ends.
        case waiting
        /// Landed or given up; the text is the status bar's flash.
        case finished(text: String, isError: Bool)
    }

    public var subject: ChangeSubject
    public var phase: Phase

    /// The status bar's line while a change waits.
    public static let waitingText = "workspace busy (another process is writing) — retrying…"
}

/// Runs the console's changes so a busy workspace never freezes it: a change is tried at once on
/// the UI thread without waiting for any lock (a free workspace answers in a millisecond, as
/// before); when another process holds the write lock it moves to a background task that retries
/// for at most `retryLimit` while keys, resizes and quitting keep working, and reports through
/// the mailbox (`ChangeStatus`). One change waits at a time; quitting cancels it (nothing written).
public final class ConsoleChanges: @unchecked Sendable {
    /// How long a change retries while another process writes (a purge batch, a migration, a
    /// script's transaction) before it gives up, saying so.
    public static let standardRetryLimit: Duration = .seconds(30)

    public let retryLimit: Duration
    private let lock = NSLock()
    private var waiting: Task<Void, Never>?

    public init(retryLimit: Duration = ConsoleChanges.standardRetryLimit) {
        self.retryLimit = retryLimit
    }

    /// What became of a change a tab asked for.
    enum Outcome<Value> {
        /// It landed: what it did, and the flash to show.
        case done(Value, String)
        /// Refused or failed (the role, a rule, a damaged file): the one-line reason, nothing changed.
        case failed(String)
        /// The workspace is busy: it retries in the background and reports through the mailbox.
        case waiting

        /// The same outcome, without what the change returned.
        var withoutValue: Outcome<Void> {
            switch self {
            case .done(_, let text): .done((), text)
            case .failed(let text): .failed(text)
            case .waiting: .waiting
            }
        }
    }

    /// True while a change waits in the background.
    public var isWaiting: Bool { lock.withLock { waiting != nil } }

    func perform<Result: Sendable>(_ command: WorkspaceCommand<Result>, about subject: ChangeSubject,
                                   context: ConsoleContext, describe: @escaping @Sendable (Result) -> String) -> Outcome<Result> {
        if isWaiting { return .failed("Another change is still waiting for the workspace; try again when it has finished") }
        let now = context.now()
        do {
            let result = try context.session.performIfFree(command, at: now)
            return .done(result, describe(result))
        } catch WorkspaceError.locked {
            start(command, about: subject, at: now, context: context, describe: describe)
            return .waiting
        } catch {
            return .failed("\(error)")
        }
    }

    private func start<Result: Sendable>(_ command: WorkspaceCommand<Result>, about subject: ChangeSubject, at now: Date,
                                         context: ConsoleContext, describe: @escaping @Sendable (Result) -> String) {
        let session = context.session, post = context.post, limit = retryLimit
        post(ChangeStatus(subject: subject, phase: .waiting))
        lock.withLock {
            waiting = Task.detached { [weak self] in
                let phase: ChangeStatus.Phase
                do {
                    let result = try await session.perform(command, at: now, retryingFor: limit)
                    phase = .finished(text: describe(result), isError: false)
                } catch is CancellationError {
                    phase = .finished(text: "Not changed: stopped while the workspace was busy", isError: true)
                } catch {
                    phase = .finished(text: "\(error)", isError: true)
                }
                self?.lock.withLock { self?.waiting = nil }
                post(ChangeStatus(subject: subject, phase: phase))
            }
        }
    }

    /// Stops a waiting change (it writes nothing) and waits for it to end; when the console quits.
    public func stop() async {
        let task = lock.withLock { waiting }
        task?.cancel()
        await task?.value
    }
}
