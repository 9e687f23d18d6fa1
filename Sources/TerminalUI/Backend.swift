/// Where finished frames go and where input comes from.
///
/// Deliberately small: everything interesting (layout, sanitising, diffing) happens on the
/// `Grid` before a backend sees it, so the headless backend exercises the same code paths
/// as the ncurses one.
public protocol TerminalBackend: AnyObject {
    /// Current terminal size in cells.
    var size: Size { get }
    var colorMode: ColorMode { get }
    /// Shows `grid`, writing only the cells that differ from `previous` (nil: everything).
    func present(_ grid: Grid, previous: Grid?, theme: Theme)
    /// Waits up to `timeoutMilliseconds` for input; returns what arrived (possibly nothing).
    func readEvents(timeoutMilliseconds: Int) -> [InputEvent]
    /// The same, returning early (possibly with nothing) when `wake` becomes readable.
    func readEvents(timeoutMilliseconds: Int, wakingOn wake: Int32) -> [InputEvent]
    /// Makes the next `present` repaint the whole screen (Ctrl-L, after a resize).
    func invalidate()
    /// Gives the terminal back. Called once, at the end of `TerminalApp.run`.
    func stop()
    /// Carries out a screen's request of the terminal (after the frame it came with).
    func perform(_ request: TerminalRequest)
}

extension TerminalBackend {
    public func perform(_ request: TerminalRequest) {}

    /// Backends that cannot wait on two things wait on input only; messages then show after it.
    public func readEvents(timeoutMilliseconds: Int, wakingOn wake: Int32) -> [InputEvent] {
        readEvents(timeoutMilliseconds: timeoutMilliseconds)
    }
}

/// A backend with no terminal: keeps the last frame for assertions and replays scripted input.
public final class HeadlessBackend: TerminalBackend {
    public private(set) var size: Size
    public let colorMode: ColorMode
    /// The frame as last presented.
    public private(set) var screen: Grid
    /// Cells written by the last `present`: lets tests prove the diff writes only changes.
    public private(set) var cellsWrittenLastFrame = 0
    public private(set) var framesPresented = 0
    public private(set) var invalidations = 0
    public private(set) var stopped = false
    /// Every request performed, in order: what a real terminal would have been sent.
    public private(set) var performed: [TerminalRequest] = []
    private var pendingInput: [InputEvent] = []

    public func perform(_ request: TerminalRequest) { performed.append(request) }

    public init(size: Size, colorMode: ColorMode = .colors256) {
        self.size = size
        self.colorMode = colorMode
        screen = Grid(size: size)
    }

    /// Queues keys for the app to read, in order.
    public func send(_ keys: Key...) { pendingInput += keys.map(InputEvent.key) }
    public func send(_ events: [InputEvent]) { pendingInput += events }

    /// Changes the size and queues the resize event a terminal would send.
    public func resize(to newSize: Size) {
        size = newSize
        pendingInput.append(.resize)
    }

    public func present(_ grid: Grid, previous: Grid?, theme: Theme) {
        let changed = grid.changes(since: previous)
        cellsWrittenLastFrame = changed.count
        framesPresented += 1
        screen = grid
    }

    public func readEvents(timeoutMilliseconds: Int) -> [InputEvent] {
        guard !pendingInput.isEmpty else { return [] }
        return [pendingInput.removeFirst()]
    }

    public var hasPendingInput: Bool { !pendingInput.isEmpty }
    public func invalidate() { invalidations += 1 }
    public func stop() { stopped = true }
}
