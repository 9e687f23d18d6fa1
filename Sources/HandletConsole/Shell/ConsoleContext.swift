import Foundation
import HandletDomain

/// What every tab needs to read and act: the session (who is acting, and the one door into the
/// workspace), the time, the mailbox and the user's keys.
///
/// Tabs read through the session synchronously on the UI thread: a keyset page costs a fraction
/// of a millisecond, far less than handing the work to another thread and back.
public struct ConsoleContext: Sendable {
    /// Every read and change of a tab goes through it, checked against its actor's role.
    public let session: WorkspaceSession
    /// Injected so screens and their tests agree on "today" and "days left".
    public let now: @Sendable () -> Date
    /// Delivers a value to the UI thread as an `AppEvent.message` (background work reports here).
    public let post: @Sendable (any Sendable) -> Void
    /// The user's rebindings from `keys.toml`; every key table is read through them.
    public let keys: KeyBindings
    /// Nobody was named (`--user`, `HANDLET_USER`): the console fell back to the workspace's first
    /// owner, which only a local console does, and the status bar says so.
    public let actorIsFallback: Bool
    /// Every change a tab makes goes through it, so a busy workspace never freezes the console.
    public let changes: ConsoleChanges
    /// The player for recordings here, or why playing is not offered (over SSH, no player).
    public let player: Result<RecordingPlayer, RecordingAccessError>
    /// The first screen draws before its figures are read, and fills them in when they arrive
    /// (the console on a terminal, issue 26). Off by default: a headless test sees the figures at once.
    public var loadsInBackgroundAtStart = false
    /// The workspace's zone, read once: every tab's clock and the status bar ask for it, and a
    /// settings read per tab cost start-up a transaction each (issue 26's budget).
    let zone = ZoneCache()
    /// The notices the start-up panel read, handed once to the Overview's first read so that the
    /// console reads them once at start (issue 26), not once for each.
    let startNotices = StartNotices()

    public init(session: WorkspaceSession, now: @escaping @Sendable () -> Date = { Date() },
                post: @escaping @Sendable (any Sendable) -> Void = { _ in }, keys: KeyBindings = .defaults,
                actorIsFallback: Bool = false, changes: ConsoleChanges = ConsoleChanges(),
                player: Result<RecordingPlayer, RecordingAccessError> = RecordingPlayer.choose(environment: ProcessInfo.processInfo.environment)) {
        self.session = session
        self.actorIsFallback = actorIsFallback
        self.now = now
        self.post = post
        self.keys = keys
        self.changes = changes
        self.player = player
    }

    /// Who the console acts as; every change a tab makes goes under this name.
    public var actor: Actor { session.actor }

    /// "Ann Baker (owner)": shown in the status bar so nobody wonders whose name a change goes under.
    public var actingLabel: String {
        switch actor {
        case .user(let user): "\(user.name) (\(user.role.rawValue)\(actorIsFallback ? ", fallback: no --user" : ""))"
        case .system: "system"
        }
    }
}

/// The workspace's time zone, read on first use and kept for the console's life (a zone changed
/// by another process shows after a restart, like the keys and the theme).
final class ZoneCache: @unchecked Sendable {
    private let lock = NSLock()
    private var zone: TimeZone?

    func zone(reading read: () -> TimeZone?) -> TimeZone? {
        lock.lock()
        defer { lock.unlock() }
        if let zone { return zone }
        zone = read()
        return zone
    }
}

/// Notices read at start, taken once (see `ConsoleContext.startNotices`).
final class StartNotices: @unchecked Sendable {
    private let lock = NSLock()
    private var notices: [NoticeSummary]?

    func keep(_ read: [NoticeSummary]) { lock.withLock { notices = read } }

    /// What was kept, once: a later read reads the notices again.
    func take() -> [NoticeSummary]? {
        lock.withLock {
            defer { notices = nil }
            return notices
        }
    }
}

extension BrowseClock {
    /// The workspace's zone at the console's "now"; London if the settings cannot be read.
    static func console(_ context: ConsoleContext) -> BrowseClock {
        let now = context.now()
        let zone = context.zone.zone { try? context.session.read(.browseClock(now: now)).timeZone }
        return BrowseClock(now: now, timeZone: zone ?? TimeZone(identifier: "Europe/London")!)
    }
}
