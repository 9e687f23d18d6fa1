import Foundation
import GRDB

/// The one way into a workspace for the console and the CLI: opened for one acting user (or the
/// system), it checks that actor's permission before every read and every change, and performs
/// each change together with its audit event in one transaction.
///
/// Reads are synchronous (a keyset page costs a fraction of a millisecond, so the console reads
/// on its UI thread) or `async` for background work, which Task cancellation interrupts.
public final class WorkspaceSession: Sendable {
    public let actor: Actor
    /// When this session's changes happen unless one names its own instant: set once, when the
    /// session is opened (a CLI command's fixed instant, or the console's running clock).
    public let clock: SessionClock
    let workspace: Workspace
    private let counter = AccessCounter()
    private let backgroundCounter = AccessCounter()

    init(workspace: Workspace, actor: Actor, clock: SessionClock) {
        self.workspace = workspace
        self.actor = actor
        self.clock = clock
    }

    /// The session's present: the instant a command's previews and reads should use, so that
    /// what it shows and what it then changes are computed at the same moment.
    public var now: Date { clock.now }

    /// How many times this session has touched the workspace on its caller's thread (reads,
    /// changes, audio files): lets a test prove that drawing a frame reads nothing.
    package var accessCount: Int { counter.value }
    /// The `async` reads (background counts), counted apart so they cannot blur `accessCount`.
    package var backgroundReadCount: Int { backgroundCounter.value }

    /// Whether this session's actor may do it (to dim a key or skip a question they cannot answer).
    public func may(_ permission: Permission) -> Bool { actor.may(permission) }

    /// Throws the same `PermissionDenied` a refused command or read would.
    public func require(_ permission: Permission) throws { try actor.require(permission) }

    // MARK: Reads

    /// Runs a read in one snapshot, once the actor's permission for it is checked.
    public func read<Value>(_ query: WorkspaceQuery<Value>) throws -> Value {
        try actor.require(query.permission)
        counter.increment()
        let now = clock.now
        return try workspace.dbPool.read { db in try query.body(QueryContext(db: db, workspace: workspace, now: now, actor: actor)) }
    }

    /// The same off the caller's thread; cancelling the task interrupts the SQLite statement and
    /// throws `CancellationError`.
    public func read<Value>(_ query: WorkspaceQuery<Value>) async throws -> Value {
        try actor.require(query.permission)
        backgroundCounter.increment()
        let workspace = self.workspace
        let now = clock.now
        return try await workspace.dbPool.read { db in try query.body(QueryContext(db: db, workspace: workspace, now: now, actor: actor)) }
    }

    /// A call's waveform read from its audio file, or the reason there is none (never an error:
    /// the detail view shows the reason). Needs `.browse`.
    public func waveform(of call: CallDetail, buckets: Int) throws -> WaveformState {
        try actor.require(.browse)
        counter.increment()
        return call.waveform(in: workspace, buckets: buckets)
    }

    /// A list read a window at a time through this session (see `KeysetPager`).
    public func pager<List: KeysetList>(_ list: List) -> KeysetPager<List> { KeysetPager(list: list, session: self) }

    // MARK: Changes

    /// Checks the role, then runs the change and appends its audit event in one write transaction:
    /// a change is never stored without its event, nor an event without its change. A refusal
    /// (the role, a rule of the command) throws and leaves the database as it was.
    @discardableResult
    public func perform<Result>(_ command: WorkspaceCommand<Result>, at instant: Date? = nil) throws -> Result {
        // Refuse before opening a transaction: a refused actor never waits for the writer.
        try actor.require(command.permission)
        counter.increment()
        let now = instant ?? clock.now
        return try workspace.dbPool.write { db in try run(command, at: now, in: db) }
    }

    /// As `perform(_:at:)`, but without waiting for another process's writer: when one holds the
    /// write lock, throws `WorkspaceError.locked` at once, having written nothing. The console
    /// tries a change this way first, so a free workspace answers at once on its UI thread.
    @discardableResult
    public func performIfFree<Result>(_ command: WorkspaceCommand<Result>, at instant: Date? = nil) throws -> Result {
        try actor.require(command.permission)
        counter.increment()
        let now = instant ?? clock.now
        return try workspace.dbPool.write(waitingAtMost: 0) { db in try run(command, at: now, in: db) }
    }

    /// A change for a screen that must not freeze: off the caller's thread, and while another
    /// process holds the write lock, tried again (each try waits at most `Self.retrySlice` in
    /// SQLite's busy handler) until it lands or `limit` has passed; then
    /// `WorkspaceError.stillLocked`. Each try is the whole change and its audit event in one
    /// transaction, so a try that fails wrote nothing. `onBusy` is called once, the first time
    /// the lock is found held. Cancelling the task stops the retries (`CancellationError`).
    @discardableResult
    public func perform<Result>(_ command: WorkspaceCommand<Result>, at instant: Date? = nil, retryingFor limit: Duration,
                                onBusy: (@Sendable () -> Void)? = nil) async throws -> Result {
        try actor.require(command.permission)
        backgroundCounter.increment()
        // Every try is the same change at the same instant: when it was asked for.
        let now = instant ?? clock.now
        let clock = ContinuousClock()
        let start = clock.now
        var toldBusy = false
        while true {
            try Task.checkCancellation()
            do {
                return try await workspace.dbPool.write(waitingAtMost: toldBusy ? Self.retrySliceMilliseconds : 0) { [self] db in
                    try run(command, at: now, in: db)
                }
            } catch WorkspaceError.locked {
                if !toldBusy { toldBusy = true; onBusy?() }
                let waited = clock.now - start
                if waited >= limit {
                    throw WorkspaceError.stillLocked(path: workspace.databaseURL.path, seconds: Int(limit.components.seconds))
                }
            }
        }
    }

    /// How long one try of `perform(_:at:retryingFor:onBusy:)` waits for the lock.
    static let retrySliceMilliseconds = 200

    /// The change and its audit event, inside the write transaction.
    func run<Result>(_ command: WorkspaceCommand<Result>, at now: Date, in db: Database) throws -> Result {
        // Checked again against the users table as it is now: a user disabled or demoted since
        // the session opened acts as what they are now.
        let current = try actor.current(in: db)
        try current.require(command.permission)
        let environment = CommandEnvironment(actor: current, now: now, confirmed: command.isConfirmed)
        // The plan's rules again, against the workspace as it is now: the plan was the question.
        try command.rules(db, environment)
        let outcome = try command.body(db, environment)
        if let audit = outcome.audit {
            try AuditLog.append(db, actor: current, action: command.auditAction, target: audit.target,
                                details: audit.details, at: now)
        }
        return outcome.result
    }
}

/// A count shared by the threads a session is used from (the UI thread, background counts).
private final class AccessCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0

    var value: Int { lock.withLock { count } }
    func increment() { lock.withLock { count += 1 } }
}

/// What a query's body reads with: the snapshot, the workspace for its paths, and the session's present.
struct QueryContext {
    let db: Database
    let workspace: Workspace
    let now: Date
    /// Who reads (a user's own preferences).
    let actor: Actor
}

extension Workspace {
    /// A session acting as `actor`. Resolve a user with `actor(email:)` or `localOwner()` first.
    public func session(as actor: Actor, clock: SessionClock = .system) -> WorkspaceSession {
        WorkspaceSession(workspace: self, actor: actor, clock: clock)
    }

    /// Who acts when nobody is named.
    public enum ActorFallback: Sendable {
        /// Nobody: refuse with "No acting user" (every changing CLI command).
        case refuse
        /// The workspace's first enabled owner (the console, and the CLI's reads).
        case localOwner
        /// The system actor (the scheduled purge).
        case system
    }

    /// A session for the user named by `email` (`--user`, `HANDLET_USER`); an unknown or disabled
    /// user is refused with a one-line reason. With no email, `otherwise` decides.
    public func session(actingAs email: String?, otherwise fallback: ActorFallback,
                        clock: SessionClock = .system) throws -> WorkspaceSession {
        if let email, !email.isEmpty { return session(as: try actor(email: email), clock: clock) }
        switch fallback {
        case .refuse: throw ActorError.noUserNamed
        case .localOwner: return session(as: try localOwner(), clock: clock)
        case .system: return session(as: .system, clock: clock)
        }
    }

    /// Resolves the acting user from `--user` or `HANDLET_USER`.
    public func actor(email: String?) throws -> Actor {
        guard let email, !email.isEmpty else { throw ActorError.noUserNamed }
        return try dbPool.read { db in try Actor.user(email: email, in: db) }
    }

    /// The workspace's first enabled owner (see `Actor.localOwner(in:)`).
    public func localOwner() throws -> Actor {
        try dbPool.read { db in try Actor.localOwner(in: db) }
    }
}
