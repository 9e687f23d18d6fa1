import Foundation
import HandletDemo
import HandletDomain

/// A one-line progress bar on standard error, redrawn at most ten times a second. When standard
/// error is not a terminal (CI, cron, a pipe) it prints nothing at all.
final class ProgressBar {
    private let enabled: Bool
    private var lastDraw = Date.distantPast
    private var drawn = false
    private static let width = 30

    init(enabled: Bool = isatty(STDERR_FILENO) == 1) { self.enabled = enabled }

    func update(_ label: String, fraction: Double, force: Bool = false) {
        guard enabled else { return }
        let now = Date()
        guard force || now.timeIntervalSince(lastDraw) >= 0.1 else { return }
        lastDraw = now
        let clamped = min(1, max(0, fraction))
        let filled = Int((clamped * Double(Self.width)).rounded(.down))
        let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: Self.width - filled)
        let percent = String(Int((clamped * 100).rounded(.down))).leftPadded(to: 3)
        // \u{1B}[K clears what a longer previous label left on the line.
        FileHandle.standardError.write(Data("\r[\(bar)] \(percent)% \(label)\u{1B}[K".utf8))
        drawn = true
    }

    /// Ends the bar's line so that what follows starts on a fresh one.
    func finish() {
        guard enabled, drawn else { return }
        FileHandle.standardError.write(Data("\n".utf8))
        drawn = false
    }
}

private extension String {
    func leftPadded(to width: Int) -> String { String(repeating: " ", count: max(0, width - count)) + self }
}

/// Ctrl-C during a long generation: stop at the next chunk, clean up, exit non-zero.
final class InterruptFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var raised = false
    private var sources: [DispatchSourceSignal] = []

    init(signals: [Int32] = [SIGINT, SIGTERM, SIGHUP]) {
        self.signals = signals
        sources = signals.map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { [weak self] in self?.raise() }
            source.resume()
            return source
        }
    }

    private let signals: [Int32]

    deinit {
        sources.forEach { $0.cancel() }
        for number in signals { signal(number, SIG_DFL) }
    }

    private func raise() {
        lock.lock()
        raised = true
        lock.unlock()
    }

    var isRaised: Bool {
        lock.lock()
        defer { lock.unlock() }
        return raised
    }
}

/// Progress for demo generation: the bar, plus stopping on Ctrl-C.
func demoProgress(_ bar: ProgressBar, interrupt: InterruptFlag) -> (DemoProgress) throws -> Void {
    { progress in
        if interrupt.isRaised { throw DemoError.cancelled }
        let label = "\(progress.phase.rawValue) (\(progress.done.formatted(.number)) of \(progress.total.formatted(.number)))"
        bar.update(label, fraction: progress.fraction, force: progress.done == progress.total)
    }
}
