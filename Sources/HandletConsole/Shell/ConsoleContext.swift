import Foundation
import HandletDomain

/// What every tab needs to read and act: the workspace, who is acting, and the time.
///
/// Tabs read the database synchronously on the UI thread: a keyset page costs a fraction of a
/// millisecond, far less than handing the work to another thread and back.
public struct ConsoleContext: Sendable {
    public let workspace: Workspace
    /// Who the console acts as; every change a tab makes goes through the domain with this actor.
    public let actor: Actor
    /// Injected so screens and their tests agree on "today" and "days left".
    public let now: @Sendable () -> Date
    /// Delivers a value to the UI thread as an `AppEvent.message` (background work reports here).
    public let post: @Sendable (any Sendable) -> Void
    /// The user's rebindings from `keys.toml`; every key table is read through them.
    public let keys: KeyBindings
    /// Nobody was named (`--user`, `HANDLET_USER`): the console fell back to the workspace's first
    /// owner, which only a local console does, and the status bar says so.
    public let actorIsFallback: Bool

    public init(workspace: Workspace, actor: Actor, now: @escaping @Sendable () -> Date = { Date() },
                post: @escaping @Sendable (any Sendable) -> Void = { _ in }, keys: KeyBindings = .defaults,
                actorIsFallback: Bool = false) {
        self.actorIsFallback = actorIsFallback
        self.workspace = workspace
        self.actor = actor
        self.now = now
        self.post = post
        self.keys = keys
    }

    /// "Ann Baker (owner)": shown in the status bar so nobody wonders whose name a change goes under.
    public var actingLabel: String {
        switch actor {
        case .user(let user): "\(user.name) (\(user.role.rawValue)\(actorIsFallback ? ", fallback: no --user" : ""))"
        case .system: "system"
        }
    }
}
