import CNcursesw
import Foundation

/// Why the terminal could not be used; the message is one line for standard error.
public struct TerminalUnavailable: Error, CustomStringConvertible {
    public var description: String
}

/// The real terminal, through ncursesw. Must be created, used and stopped on one thread.
public final class NcursesBackend: TerminalBackend {
    public let colorMode: ColorMode
    private var pairs: [PairKey: Int32] = [:]
    private var savedStandardError: Int32 = -1
    private struct PairKey: Hashable { var foreground: Int; var background: Int }
    /// Each style's attributes and colour pair under `resolvedTheme`, resolved once (issue 26: a
    /// full paint looked the theme's and the pair table's dictionaries up at every change of style).
    private var resolvedStyles: [Style: (attributes: Int32, pair: Int32)] = [:]
    private var resolvedTheme: Theme?
    /// What a cell that is not one printable ASCII byte is sent as, found once per symbol and width
    /// (`TerminalSafeSymbol.cells`, then its scalars as wide characters), not once per cell.
    private var sentSymbols: [SymbolKey: [[wchar_t]]] = [:]
    private struct SymbolKey: Hashable { var symbol: String; var width: UInt8 }

    public struct Options: Sendable {
        /// How long a lone ESC waits for the rest of a sequence; ncurses' 1 s default makes Esc feel broken.
        public var escapeDelayMilliseconds: Int32 = 25
        /// Mouse reporting stops people selecting text with the mouse, so it is off unless asked for.
        public var mouseWheel = false
        /// Lets ncurses move unchanged lines with the terminal's scroll region.
        public var lineScrolling = true
        /// Where standard error goes while the screen is ours (logs must never draw on it).
        /// nil keeps it when it is not a terminal and sends it to /dev/null when it is.
        public var standardErrorPath: String? = nil
        public var environment: [String: String] = ProcessInfo.processInfo.environment
        /// SIGHUP, SIGTERM and SIGINT end the input loop (`.hangup`) instead of killing the process
        /// at once, so the caller can finish up and record how it ended (`pendingSignal`); the
        /// caller then re-raises the signal. Off, they restore the terminal and die at once.
        public var gracefulStop = false
        /// False when nobody could resume a stopped process (no job-control shell): Ctrl-Z is
        /// then reported as `.suspendRefused` instead of stopping it.
        public var suspendAllowed = true
        public init() {}
    }

    /// Checks TERM without touching the screen: callers can refuse before printing anything else.
    public static func checkTerminal() throws {
        var reason = [CChar](repeating: 0, count: 256)
        if hl_check_terminal(&reason, Int32(reason.count)) != 0 {
            throw TerminalUnavailable(description: String(decoding: reason.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
        }
    }

    /// Takes over the terminal. Throws with a readable reason (unknown TERM, `dumb`, not a tty).
    public init(options: Options = Options()) throws {
        setlocale(LC_ALL, "")
        if !Self.localeIsUTF8() {
            // Wide-character output needs a UTF-8 locale; C.UTF-8 exists on every glibc system.
            setlocale(LC_CTYPE, "C.UTF-8")
        }
        var reason = [CChar](repeating: 0, count: 256)
        hl_set_graceful_stop(options.gracefulStop ? 1 : 0)
        hl_set_suspend_allowed(options.suspendAllowed ? 1 : 0)
        if hl_start(options.escapeDelayMilliseconds, &reason, Int32(reason.count)) != 0 {
            throw TerminalUnavailable(description: String(decoding: reason.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
        }
        colorMode = ColorMode.detect(colorCount: Int(hl_color_count()), environment: options.environment)
        hl_set_mouse(options.mouseWheel ? 1 : 0)
        hl_set_line_scrolling(options.lineScrolling ? 1 : 0)
        redirectStandardError(to: options.standardErrorPath)
    }

    /// The stop signal that ended the input loop under `gracefulStop`, or nil (quit normally, or
    /// the terminal vanished without a signal).
    public static var pendingSignal: Int32? {
        let signal = hl_pending_signal()
        return signal == 0 ? nil : signal
    }

    private static func localeIsUTF8() -> Bool {
        guard let codeset = nl_langinfo(nl_item(CODESET)) else { return false }
        return String(cString: codeset).uppercased().replacingOccurrences(of: "-", with: "") == "UTF8"
    }

    private func redirectStandardError(to path: String?) {
        let target: String
        if let path { target = path } else if isatty(STDERR_FILENO) != 0 { target = "/dev/null" } else { return }
        let fd = open(target, O_WRONLY | O_CREAT | O_APPEND, 0o600)
        guard fd >= 0 else { return }
        savedStandardError = dup(STDERR_FILENO)
        dup2(fd, STDERR_FILENO)
        close(fd)
    }

    public var size: Size {
        var rows: Int32 = 0, cols: Int32 = 0
        hl_screen_size(&rows, &cols)
        return Size(width: Int(cols), height: Int(rows))
    }

    public func present(_ grid: Grid, previous: Grid?, theme: Theme) {
        if theme != resolvedTheme {
            resolvedTheme = theme
            resolvedStyles.removeAll()
        }
        // Neighbouring cells mostly share a style, and most hold one printable ASCII byte: both are
        // answered without a dictionary or the symbol's checks, which were a fifth of a list's `j`.
        var lastStyle: Style?
        var attributes: Int32 = 0
        var pair: Int32 = 0
        for (x, y) in grid.changes(since: previous) {
            let cell = grid[x, y]
            if cell.isContinuation { continue }
            if cell.style != lastStyle {
                lastStyle = cell.style
                (attributes, pair) = resolved(cell.style, theme: theme)
            }
            let utf8 = cell.symbol.utf8
            if cell.width == 1, utf8.count == 1, let byte = utf8.first, byte >= 0x20, byte < 0x7F {
                var one = wchar_t(byte)
                hl_put_cell(Int32(y), Int32(x), &one, 1, attributes, pair)
                continue
            }
            for (offset, piece) in sent(cell).enumerated() {
                piece.withUnsafeBufferPointer { hl_put_cell(Int32(y), Int32(x + offset), $0.baseAddress, Int32($0.count), attributes, pair) }
            }
        }
        hl_flush()
    }

    private func resolved(_ style: Style, theme: Theme) -> (attributes: Int32, pair: Int32) {
        if let known = resolvedStyles[style] { return known }
        let look = theme.resolve(style, mode: colorMode)
        let result = (Int32(look.modifiers.rawValue), pairNumber(foreground: look.foreground, background: look.background))
        resolvedStyles[style] = result
        return result
    }

    /// The wide-character strings to send for `cell`'s columns (see `TerminalSafeSymbol`).
    private func sent(_ cell: Cell) -> [[wchar_t]] {
        let key = SymbolKey(symbol: cell.symbol, width: cell.width)
        if let known = sentSymbols[key] { return known }
        let pieces = TerminalSafeSymbol.cells(for: cell.symbol, width: Int(cell.width)).map { piece -> [wchar_t] in
            let wide = piece.unicodeScalars.map { wchar_t(bitPattern: $0.value) }
            return wide.isEmpty ? [32] : wide
        }
        // Symbols are few (box lines, bars, a page of names); a screen of unusual text cannot grow it without bound.
        if sentSymbols.count > 4096 { sentSymbols.removeAll() }
        sentSymbols[key] = pieces
        return pieces
    }

    private func pairNumber(foreground: Int, background: Int) -> Int32 {
        if foreground == -1 && background == -1 { return 0 }
        let key = PairKey(foreground: foreground, background: background)
        if let pair = pairs[key] { return pair }
        let pair = Int32(pairs.count + 1)
        hl_init_pair(pair, Int32(foreground), Int32(background))
        pairs[key] = pair
        return pair
    }

    public func readEvents(timeoutMilliseconds: Int) -> [InputEvent] {
        var value: UInt32 = 0
        return events(startingWith: hl_read_raw(Int32(timeoutMilliseconds), &value), value)
    }

    /// Waits on the keyboard and on `wake` together. Keys ncurses has already buffered come
    /// first (a poll on the descriptor would not see them); a resize interrupts the poll and is
    /// read at once.
    public func readEvents(timeoutMilliseconds: Int, wakingOn wake: Int32) -> [InputEvent] {
        var value: UInt32 = 0
        var status = hl_read_raw(0, &value)
        if Int(status) == Int(HL_READ_NONE) && wake >= 0 {
            var descriptors = [pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0),
                               pollfd(fd: wake, events: Int16(POLLIN), revents: 0)]
            _ = poll(&descriptors, 2, Int32(timeoutMilliseconds))
            if descriptors[1].revents != 0 && descriptors[0].revents == 0 { return [] }
            status = hl_read_raw(0, &value)
        }
        return events(startingWith: status, value)
    }

    /// How long a paste may pause mid-way (a slow SSH link) before it is taken as ended.
    static let pastePauseMilliseconds: Int32 = 500

    private func events(startingWith status: Int32, _ value: UInt32) -> [InputEvent] {
        if Int(status) == Int(HL_READ_HANGUP) { return [.hangup] }
        if Int(status) == Int(HL_READ_SUSPEND_REFUSED) { return [.suspendRefused] }
        let first = Self.raw(status, value)
        guard let first else { return [] }
        var events = Self.decode(first)
        // Drain whatever else is already buffered (key repeat, typing faster than frames)
        // without waiting, so one frame answers a burst of keys instead of one frame per key.
        while events.count < 256 {
            var next: UInt32 = 0
            guard let raw = Self.raw(hl_read_raw(0, &next), next) else { break }
            events += Self.decode(raw)
        }
        return events
    }

    private static func decode(_ raw: RawInput) -> [InputEvent] {
        guard raw == .special(.pasteStart) else {
            return KeyDecoder.decode(raw) {
                var next: UInt32 = 0
                return Self.raw(hl_read_raw(0, &next), next)
            }
        }
        return decodePaste(startingWith: [])
    }

    /// A paste's bytes come straight from the descriptor in large reads (see
    /// hl_read_paste_bytes); whatever the last read brought after the end marker is decoded
    /// here as the keys it is, since ncurses never sees those bytes.
    private static func decodePaste(startingWith initial: [UInt8]) -> [InputEvent] {
        var pending = initial
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        let reader = PasteByteReader {
            if !pending.isEmpty {
                defer { pending = [] }
                return pending
            }
            let count = chunk.withUnsafeMutableBufferPointer { hl_read_paste_bytes($0.baseAddress, Int32($0.count), pastePauseMilliseconds) }
            return count > 0 ? Array(chunk[..<Int(count)]) : nil
        }
        var events = KeyDecoder.decode(.special(.pasteStart), next: { nil }, nextInPaste: reader.next)
        let rest = reader.unconsumed
        var offset = 0
        func nextRaw() -> RawInput? {
            while offset < rest.count {
                var consumed: Int32 = 0
                var value: UInt32 = 0
                let status = rest[offset...].withUnsafeBufferPointer { hl_decode_bytes($0.baseAddress, Int32($0.count), &consumed, &value) }
                offset += max(1, Int(consumed))
                if let raw = Self.raw(status, value) { return raw }
            }
            return nil
        }
        while let raw = nextRaw() {
            if raw == .special(.pasteStart) { return events + decodePaste(startingWith: Array(rest[offset...])) }
            events += KeyDecoder.decode(raw, next: nextRaw)
        }
        return events
    }

    private static func raw(_ status: Int32, _ value: UInt32) -> RawInput? {
        switch Int(status) {
        case Int(HL_READ_CHAR): return .scalar(value)
        case Int(HL_READ_FUNCTION): return .function(Int(value))
        case Int(HL_READ_KEY): return .special(special(Int(value)))
        default: return nil
        }
    }

    private static func special(_ code: Int) -> SpecialKey {
        switch code {
        case Int(HL_K_UP): return .up
        case Int(HL_K_DOWN): return .down
        case Int(HL_K_LEFT): return .left
        case Int(HL_K_RIGHT): return .right
        case Int(HL_K_HOME): return .home
        case Int(HL_K_END): return .end
        case Int(HL_K_PAGE_UP): return .pageUp
        case Int(HL_K_PAGE_DOWN): return .pageDown
        case Int(HL_K_INSERT): return .insert
        case Int(HL_K_DELETE): return .delete
        case Int(HL_K_BACKSPACE): return .backspace
        case Int(HL_K_ENTER): return .enter
        case Int(HL_K_BACK_TAB): return .backTab
        case Int(HL_K_SHIFT_LEFT): return .shiftLeft
        case Int(HL_K_SHIFT_RIGHT): return .shiftRight
        case Int(HL_K_SHIFT_UP): return .shiftUp
        case Int(HL_K_SHIFT_DOWN): return .shiftDown
        case Int(HL_K_RESIZE): return .resize
        case Int(HL_K_WHEEL_UP): return .wheelUp
        case Int(HL_K_WHEEL_DOWN): return .wheelDown
        case Int(HL_K_MOUSE_OTHER): return .otherMouse
        case Int(HL_K_PASTE_START): return .pasteStart
        case Int(HL_K_PASTE_END): return .pasteEnd
        default: return .unknown
        }
    }

    public func invalidate() { hl_invalidate() }

    /// Written straight to the terminal between frames: an OSC sequence moves no cursor and
    /// draws nothing, so ncurses' idea of the screen stays right.
    public func perform(_ request: TerminalRequest) {
        fflush(nil)
        let bytes = Array(request.bytes.utf8)
        var written = 0
        while written < bytes.count {
            let n = bytes[written...].withUnsafeBufferPointer { write(STDOUT_FILENO, $0.baseAddress, $0.count) }
            if n <= 0 { break }
            written += n
        }
    }

    public func stop() {
        hl_stop()
        if savedStandardError >= 0 {
            dup2(savedStandardError, STDERR_FILENO)
            close(savedStandardError)
            savedStandardError = -1
        }
    }
}
