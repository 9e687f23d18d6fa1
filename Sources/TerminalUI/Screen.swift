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
/// `render` is a pure function of the screen's state: it draws what was loaded and changes
/// nothing, so a frame never reads the database or moves a scroll position. Whatever depends on
/// the screen's size (a list's page height, a scroll clamped to its content, the rows a list
/// must read to fill the screen) is settled in `layout`, which the runner calls before the first
/// frame and on every resize, and in `handle`.
public protocol Screen {
    /// Below this size the runner shows a "terminal too small" message instead of `render`.
    var minimumSize: Size { get }
    /// The screen's size: before the first frame, and again whenever the terminal is resized
    /// (before any key pressed after the resize is handled).
    mutating func layout(_ size: Size)
    func render(into grid: inout Grid, area: Rect)
    mutating func handle(_ event: AppEvent) -> EventOutcome
    /// What the last events asked of the terminal (a clipboard copy), handed over once.
    mutating func takeTerminalRequests() -> [TerminalRequest]
    /// The keys that quit while the terminal is too small for the screen (every other key is
    /// ignored then, since the user cannot see what it would do): the screen's own quit binding,
    /// as the user has it bound. The message names the first.
    var quitKeys: [Key] { get }
    /// Called when a whole poll passed with no input (the keys have settled): work deferred off
    /// the key path, such as a preview of the selected row. Returns whether to draw.
    mutating func idle() -> Bool
}

extension Screen {
    /// Screens whose drawing does not depend on their size need no layout.
    public mutating func layout(_ size: Size) {}
    /// Most screens ask nothing of the terminal beyond their frames.
    public mutating func takeTerminalRequests() -> [TerminalRequest] { [] }
    /// A screen that binds no quit key leaves only the terminal's own interrupt while too small.
    public var quitKeys: [Key] { [] }
    /// Most screens do everything as the keys arrive.
    public mutating func idle() -> Bool { false }
}
