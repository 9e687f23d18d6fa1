/// Something that can draw itself into part of the grid: every widget and every screen.
public protocol Component {
    func render(into grid: inout Grid, area: Rect)
}

/// What happened to the app: a key, a message from background work, or a timer tick.
public enum AppEvent: Sendable {
    case key(Key)
    /// Posted through `Mailbox.post` from any thread or task; delivered on the UI thread.
    case message(any Sendable)
    /// Sent every `TerminalApp.tickInterval` when set (progress, clocks).
    case tick
}

/// What a screen did with an event.
public enum EventOutcome: Sendable, Equatable {
    case handled
    /// Not for this screen; lets a parent (tab bar, app) try its own bindings.
    case ignored
    case quit
}

/// A whole screen the runner can drive. The console's screens conform to this.
///
/// `render` is mutating (unlike `Component`) because only drawing knows the viewport
/// height, and scroll state must follow it, as in ratatui's stateful widgets.
public protocol Screen {
    /// Below this size the runner shows a "terminal too small" message instead of `render`.
    var minimumSize: Size { get }
    mutating func render(into grid: inout Grid, area: Rect)
    mutating func handle(_ event: AppEvent) -> EventOutcome
}
