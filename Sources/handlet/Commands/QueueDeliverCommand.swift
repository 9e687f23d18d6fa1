import ArgumentParser
import Dispatch
import Foundation
import HandletDomain

/// `handlet queue deliver`: one delivery pass through the operator's gateway, for cron or a
/// systemd timer (README, docs/gateway.md).
struct QueueDeliverCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "deliver",
        abstract: "Hand every due Auto-Send message to the gateway command, one run each, and record the outcome.",
        discussion: """
            Each message goes to the gateway (autosend set --gateway PATH) as one JSON object on its \
            standard input; exit 0 means delivered. A failure makes the message due again after a \
            back-off (1 min, doubling, at most 1 h); after --max-attempts tries it is marked failed. \
            A gateway still running after --timeout seconds is killed. Safe to kill at any moment: \
            a message whose outcome was not recorded is offered again with the same idempotency key. \
            With no gateway configured nothing is sent and due messages stay due (exit 0). A pass in \
            which the gateway failed for any message exits 75 after its summary, so cron and systemd \
            report a gateway that is down. Runs as the user named by --user or HANDLET_USER (owners \
            and admins), otherwise as `system`.
            """)
    @OptionGroup var workspace: WorkspaceOptions
    @OptionGroup var acting: ActingUserOptions
    @Option(name: .long, help: "Seconds a gateway run may take before it is killed (1 to 600).")
    var timeout: Int = 30
    @Option(name: .long, help: "Tries before a message is marked failed (1 to 50).")
    var maxAttempts: Int = DeliveryPolicy.standard.maxAttempts
    @Flag(name: .long, help: "Print JSON (fields in docs/json.md).") var json = false

    func validate() throws {
        guard (1...600).contains(timeout) else { throw ValidationError("--timeout \(timeout): expected 1 to 600 seconds.") }
        guard (1...50).contains(maxAttempts) else {
            throw ValidationError("--max-attempts \(maxAttempts): expected a whole number from 1 to 50.")
        }
    }

    func run() throws {
        let session = try acting.session(in: workspace.open(), otherwise: .system)
        let cancellation = DeliveryCancellation()
        let signals = [SIGINT, SIGTERM, SIGHUP].map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { cancellation.cancel() }
            source.resume()
            return source
        }
        defer { signals.forEach { $0.cancel() } }

        let policy = DeliveryPolicy(timeout: .seconds(timeout), maxAttempts: maxAttempts)
        let showProgress = !json && isatty(STDERR_FILENO) == 1
        let report = try failing {
            try Self.waitFor {
                try await session.deliver(policy: policy, cancellation: cancellation) { progress in
                    guard showProgress else { return }
                    let line = "\rDelivering \(progress.done.formatted(.number))/\(progress.total.formatted(.number))"
                    FileHandle.standardError.write(Data(line.utf8))
                }
            }
        }
        if showProgress && report.progress.total > 0 { FileHandle.standardError.write(Data("\n".utf8)) }
        if json {
            try JSONOutput.print(report)
            try Self.failIfTheGatewayFailed(report)
            return
        }
        guard report.gatewayConfigured else {
            print("No gateway is configured: \(DisplayText.count(report.dueWithoutGateway, "due message")) "
                  + "\(report.dueWithoutGateway == 1 ? "stays" : "stay") in the outbox. "
                  + "Set one with `handlet autosend set --gateway PATH`.")
            return
        }
        let done = report.progress
        var summary = "Delivered \(DisplayText.count(done.delivered, "message"))"
        if done.retrying > 0 { summary += "; \(done.retrying) failed and will be tried again" }
        if done.failed > 0 { summary += "; \(done.failed) failed for the last time (marked failed)" }
        if report.reoffered > 0 {
            summary += "; \(DisplayText.count(report.reoffered, "message")) an interrupted pass left were offered again"
        }
        if report.waiting > 0 { summary += "; \(report.waiting) waiting for a later time" }
        print(summary + ".")
        try Self.failIfTheGatewayFailed(report)
        if report.cancelled { throw CommandFailure("Stopped on request; run `handlet queue deliver` again to go on.", .failure) }
    }

    /// A failing gateway is the operator's to hear about: the summary went to standard output, the
    /// exit status says "try again later" (the messages are due again or marked failed).
    private static func failIfTheGatewayFailed(_ report: DeliveryReport) throws {
        let failures = report.progress.retrying + report.progress.failed
        guard failures > 0 else { return }
        throw CommandFailure("The gateway failed for \(DisplayText.count(failures, "message")); "
                             + "see `handlet queue list --state failed` and the gateway's own log.", .busy)
    }

    /// Runs the async pass from this synchronous command: the main thread waits, the pass runs on
    /// the concurrency pool (the gateway's output is read there).
    private static func waitFor<T: Sendable>(_ work: @escaping @Sendable () async throws -> T) throws -> T {
        let done = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var outcome: Result<T, Error>?
        Task.detached {
            do { outcome = .success(try await work()) } catch { outcome = .failure(error) }
            done.signal()
        }
        done.wait()
        return try outcome!.get()
    }
}
