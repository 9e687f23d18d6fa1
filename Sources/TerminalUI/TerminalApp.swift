import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A thread-safe inbox for the UI thread.
///
/// Only the runner's thread touches the terminal (ncurses is not thread-safe); background
/// work (a purge, a search) posts results here and the runner delivers them as
/// `AppEvent.message` between frames.
public final class Mailbox: @unchecked Sendable {
    private let lock = NSLock()
    private var messages: [any Sendable] = []
    /// Readable whenever a message waits: a backend that waits on it as well as on the keyboard
    /// shows a posted result at once instead of at the end of its input wait.
    public let wakeDescriptor: Int32
    private let wakeWriter: Int32

    public init() {
        var ends: [Int32] = [-1, -1]
        if pipe(&ends) == 0 {
            for end in ends {
                _ = fcntl(end, F_SETFL, fcntl(end, F_GETFL) | O_NONBLOCK)
                _ = fcntl(end, F_SETFD, FD_CLOEXEC)
            }
        }
        wakeDescriptor = ends[0]
        wakeWriter = ends[1]
    }

    deinit {
        if wakeDescriptor >= 0 { close(wakeDescriptor) }
        if wakeWriter >= 0 { close(wakeWriter) }
    }

    public func post(_ message: any Sendable) {
        lock.lock()
        messages.append(message)
        lock.unlock()
        // A full pipe already means "wake up"; the byte only needs to be there, not counted.
        var byte: UInt8 = 1
        if wakeWriter >= 0 { _ = write(wakeWriter, &byte, 1) }
    }

    func drain() -> [any Sendable] {
        var sink = [UInt8](repeating: 0, count: 64)
        if wakeDescriptor >= 0 { while read(wakeDescriptor, &sink, sink.count) > 0 {} }
        lock.lock()
        defer { lock.unlock() }
        let taken = messages
        messages.removeAll()
        return taken
    }
}

/// Runs a `Screen`: draw into a grid → diff → flush, then wait for input or messages.
///
/// The loop owns the terminal for its whole life and never returns without restoring it
/// (the C shim also restores on signals and crashes).
public final class TerminalApp {
    public let backend: TerminalBackend
    public var theme: Theme
    public let mailbox = Mailbox()
    /// How often `AppEvent.tick` is sent; nil for never.
    public var tickInterval: Duration?
    /// How long one wait for input lasts; bounds the delay before a posted message is shown.
    public var pollMilliseconds = 50
    /// Keys that repaint the whole screen (the app's key table may rebind Ctrl-L).
    public var redrawKeys: Set<Key> = [.ctrl("l")]
    /// Frames drawn so far (tests check that idle time draws nothing).
    public private(set) var frameCount = 0
    /// Called after each frame is handed to the terminal (the console's start-up profile marks the first).
    public var afterFrame: (() -> Void)?
    private var previousFrame: Grid?
    /// The size the screen was last laid out for; nil before its first frame.
    private var laidOutSize: Size?
    /// Why `run` returned: the screen quit, or the terminal hung up (a dropped connection, a stop signal).
    public enum Ending: Equatable, Sendable { case quit, hangup }
    public private(set) var ending: Ending = .quit

    public init(backend: TerminalBackend, theme: Theme = .dark) {
        self.backend = backend
        self.theme = theme
    }

    /// Runs until the screen returns `.quit` (or, headless, until scripted input runs out
    /// when `stopWhenIdle` is set, so tests terminate).
    public func run<S: Screen>(_ screen: inout S, stopWhenIdle: Bool = false) {
        defer { backend.stop() }
        ending = .quit
        var lastTick = ContinuousClock.now
        var needsDraw = true
        // A run may be handed a screen laid out by another; lay it out before its first frame.
        laidOutSize = nil
        while true {
            if needsDraw {
                drawFrame(&screen)
                needsDraw = false
            }
            // In arrival order: a resize is laid out before the keys pressed after it.
            var events: [AppEvent?] = []
            for input in backend.readEvents(timeoutMilliseconds: pollMilliseconds, wakingOn: mailbox.wakeDescriptor) {
                switch input {
                case .hangup:
                    ending = .hangup
                    return
                case .suspendRefused:
                    mailbox.post(SuspendRefused())
                case .resize:
                    // The old frame no longer matches what is on screen; repaint it all.
                    previousFrame = nil
                    backend.invalidate()
                    needsDraw = true
                    events.append(nil)
                case .key(let key) where redrawKeys.contains(key):
                    previousFrame = nil
                    backend.invalidate()
                    needsDraw = true
                case .key(let key):
                    events.append(.key(key))
                }
            }
            events += mailbox.drain().map(AppEvent.message)
            if let tickInterval, ContinuousClock.now - lastTick >= tickInterval {
                lastTick = .now
                events.append(.tick)
            }
            if events.isEmpty && !needsDraw {
                if screen.idle() {
                    needsDraw = true
                    continue
                }
                if stopWhenIdle { return }
            }
            for event in events {
                guard let event else {
                    layoutIfResized(&screen)
                    continue
                }
                // Keys are ignored while the terminal is too small: the user cannot see what they would do.
                if case .key(let key) = event, !screen.minimumSize.fits(in: backend.size) {
                    if screen.quitKeys.contains(key) { return }
                    continue
                }
                switch deliver(event, to: &screen) {
                case nil: return
                case true?: needsDraw = true
                case false?: break
                }
            }
        }
    }

    /// Hands one event to the screen and carries out what it asked of the terminal. Returns
    /// whether a frame is due, nil when the screen quit. A tick the screen ignored changed nothing
    /// on screen, so it draws nothing: an idle console costs no frames (issue 26).
    public func deliver<S: Screen>(_ event: AppEvent, to screen: inout S) -> Bool? {
        let outcome = screen.handle(event)
        if outcome == .quit { return nil }
        var asked = false
        for request in screen.takeTerminalRequests() {
            asked = true
            // A new theme is the app's to apply: every cell is drawn again in its colours.
            if case .setTheme(let next) = request {
                theme = next
                previousFrame = nil
            } else {
                backend.perform(request)
            }
        }
        if case .tick = event, outcome == .ignored, !asked { return false }
        return true
    }

    /// Tells the screen its size when it has not been told this one yet.
    private func layoutIfResized<S: Screen>(_ screen: inout S) {
        let size = backend.size
        guard size != laidOutSize else { return }
        laidOutSize = size
        screen.layout(size)
    }

    /// Renders one frame (laying the screen out first if the size changed) and hands the changes
    /// to the backend; public for benchmarks.
    public func drawFrame<S: Screen>(_ screen: inout S) {
        layoutIfResized(&screen)
        let size = backend.size
        var grid = Grid(size: size)
        if screen.minimumSize.fits(in: size) {
            screen.render(into: &grid, area: grid.bounds)
        } else {
            TooSmallMessage(needed: screen.minimumSize, actual: size, quitKey: screen.quitKeys.first)
                .render(into: &grid, area: grid.bounds)
        }
        backend.present(grid, previous: previousFrame, theme: theme)
        previousFrame = grid
        frameCount += 1
        afterFrame?()
    }
}

/// Shown instead of a screen that does not fit, so nothing is drawn half-clipped.
public struct TooSmallMessage: Component {
    public var needed: Size
    public var actual: Size
    /// The screen's quit key, named as bound; nil when it has none.
    public var quitKey: Key?

    public init(needed: Size, actual: Size, quitKey: Key?) {
        self.needed = needed
        self.actual = actual
        self.quitKey = quitKey
    }

    public func render(into grid: inout Grid, area: Rect) {
        guard !area.isEmpty else { return }
        // Short lines, wrapped rather than cut: the sizes are what the reader must see whole,
        // and lines that do not fit are dropped from the bottom (the hint goes first).
        let paragraphs: [(String, Style)] = [
            ("Terminal too small", .warning),
            ("need \(needed.width)x\(needed.height)", .normal),
            ("have \(actual.width)x\(actual.height)", .normal),
            (quitKey.map { "enlarge the window, or press \($0.label) to quit" } ?? "enlarge the window", .dim),
        ]
        let lines = paragraphs.flatMap { text, style in TextWrap.wrapText(text, width: area.width, style: style) }
        let top = area.y + max(0, (area.height - lines.count) / 2)
        for (offset, line) in lines.enumerated() where top + offset < area.maxY {
            let width = line.reduce(0) { $0 + TextWidth.width(of: $1.text) }
            let x = area.x + max(0, (area.width - width) / 2)
            grid.put(line, x: x, y: top + offset, maxWidth: area.maxX - x)
        }
    }
}
