import Foundation
import Subprocess
#if canImport(System)
import System
#else
import SystemPackage
#endif
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One message as the operator's gateway receives it: one JSON object on its standard input
/// (docs/gateway.md). The idempotency key is fixed when the outbox row is made, so a message
/// offered again after a crash or a failure carries the same key and the gateway can drop it.
public struct GatewayMessage: Sendable, Equatable, Encodable {
    public let idempotencyKey: String
    public let correlationId: String
    public let channel: String
    public let to: String
    public let body: String
    public let business: String
    public let draftId: Int64
    /// 1 on the first offer, then one more on every retry (a re-offer after a crash included).
    public let attempt: Int

    enum CodingKeys: String, CodingKey {
        case idempotencyKey = "idempotency_key", correlationId = "correlation_id", channel, to, body, business
        case draftId = "draft_id", attempt
    }

    /// The object on one line, keys sorted, followed by a newline (so `read -r line` works too).
    public var json: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Encoding six strings and two numbers cannot fail.
        return String(decoding: (try? encoder.encode(self)) ?? Data("{}".utf8), as: UTF8.self) + "\n"
    }
}

/// What one run of the gateway came to: exit 0 is delivered; anything else is a failure whose
/// reason is sanitised and short (it is stored, listed and shown on terminals).
public enum GatewayOutcome: Sendable, Equatable {
    case delivered
    case failed(reason: String)
}

/// Runs the gateway command once per message, through swift-subprocess:
/// - standard input is an unlinked temporary file holding the JSON, not a pipe: a gateway that
///   never reads its input cannot block us, and no write can meet a closed pipe (SIGPIPE would
///   kill the whole process, the console included);
/// - standard output goes to /dev/null and standard error is read to its end with only its first
///   `keptErrorBytes` kept, so a gateway that prints megabytes costs no memory and never stalls
///   on a full pipe;
/// - it runs in its own process group, and when `timeout` passes the whole group is killed with
///   SIGKILL (a shell script's `sleep` child too, which would otherwise hold stderr open).
struct GatewayCommand: Sendable {
    static let keptErrorBytes = 2_048
    /// Characters of a failure's reason kept: a line in `queue list`, not a log.
    static let reasonLength = 160

    let path: String
    var timeout: Duration = DeliveryPolicy.defaultTimeout

    func deliver(_ message: GatewayMessage) async -> GatewayOutcome {
        let input: FileDescriptor
        do {
            input = try Self.inputFile(holding: message.json)
        } catch {
            return .failed(reason: "could not stage the message for the gateway: \(error)")
        }
        let process = ProcessHandle()
        let timeout = self.timeout
        do {
            let attempt: Attempt = try await withThrowingTaskGroup(of: Attempt?.self) { group in
                group.addTask { try await self.run(input: input, process: process) }
                group.addTask {
                    try? await Task.sleep(for: timeout)
                    if !Task.isCancelled { process.killGroup() }
                    return nil
                }
                while let next = try await group.next() {
                    if let attempt = next {
                        group.cancelAll()
                        return attempt
                    }
                }
                throw CancellationError()
            }
            switch attempt.status {
            case .exited(0):
                return .delivered
            case .exited(let code):
                return .failed(reason: Self.reason("exit status \(code)", attempt.errorOutput))
            case .signaled(let signal):
                if process.wasKilledForTimeout {
                    return .failed(reason: "no answer within \(Self.seconds(timeout)) s: killed")
                }
                return .failed(reason: Self.reason("killed by signal \(signal)", attempt.errorOutput))
            }
        } catch {
            return .failed(reason: Self.reason("could not run \(path)", Array(String(describing: error).utf8)))
        }
    }

    private struct Attempt: Sendable {
        let status: TerminationStatus
        let errorOutput: [UInt8]
    }

    private func run(input: FileDescriptor, process: ProcessHandle) async throws -> Attempt {
        var options = PlatformOptions()
        // Its own process group (pgid = its pid), so the timeout can kill what it started too.
        options.processGroupID = 0
        let keep = Self.keptErrorBytes
        let result = try await Subprocess.run(
            .path(FilePath(path)), arguments: [], environment: .inherit, platformOptions: options,
            input: .fileDescriptor(input, closeAfterSpawningProcess: true), output: .discarded, error: .sequence
        ) { execution in
            process.started(execution.processIdentifier.value)
            var kept: [UInt8] = []
            for try await chunk in execution.standardError where kept.count < keep {
                chunk.withUnsafeBytes { bytes in kept.append(contentsOf: bytes.prefix(keep - kept.count)) }
            }
            // Whatever the gateway still writes to a stderr we stopped keeping is read and dropped
            // above (the loop goes on to the end; `where` only stops the appending).
            return kept
        }
        process.finished()
        return Attempt(status: result.terminationStatus, errorOutput: result.closureResult)
    }

    /// The message in a temporary file already unlinked: nothing is left on disk whatever happens
    /// to us, and the gateway reads it from the start as its standard input.
    private static func inputFile(holding text: String) throws -> FileDescriptor {
        var template = Array((NSTemporaryDirectory() + "/handlet-gateway-XXXXXX").utf8CString)
        let descriptor = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard descriptor >= 0 else { throw Errno(rawValue: errno) }
        let file = FileDescriptor(rawValue: descriptor)
        template.withUnsafeBufferPointer { _ = unlink($0.baseAddress!) }
        do {
            _ = try file.writeAll(Array(text.utf8))
            _ = try file.seek(offset: 0, from: .start)
        } catch {
            try? file.close()
            throw error
        }
        return file
    }

    private static func seconds(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        return attoseconds == 0 ? "\(seconds)" : String(format: "%.1f", Double(seconds) + Double(attoseconds) / 1e18)
    }

    /// "exit status 3: <the gateway's first words on stderr>", control characters gone, one line, short.
    static func reason(_ what: String, _ errorOutput: [UInt8]) -> String {
        let said = sanitised(String(decoding: errorOutput, as: UTF8.self))
        let full = said.isEmpty ? what : what + ": " + said
        return full.count > reasonLength ? String(full.prefix(reasonLength - 1)) + "…" : full
    }

    /// Untrusted text as one plain line: every control or formatting character (escape sequences,
    /// bidi overrides, NUL) becomes a space and runs of white space become one.
    static func sanitised(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        var lastWasSpace = true
        for scalar in text.unicodeScalars {
            let category = scalar.properties.generalCategory
            let blank = category == .control || category == .format || category == .lineSeparator
                || category == .paragraphSeparator || scalar.properties.isWhitespace || scalar == "\u{FFFD}"
            if blank {
                if !lastWasSpace { out.append(" ") }
                lastWasSpace = true
            } else {
                out.append(scalar)
                lastWasSpace = false
            }
        }
        return String(out).trimmingCharacters(in: .whitespaces)
    }
}

/// The running gateway's pid, shared by the run and its timer: the timer kills the process group
/// only while the process is known and not yet reaped.
private final class ProcessHandle: @unchecked Sendable {
    private let lock = NSLock()
    private var pid: pid_t?
    private var killedForTimeout = false

    func started(_ pid: pid_t) { lock.withLock { self.pid = pid } }
    func finished() { lock.withLock { pid = nil } }

    func killGroup() {
        lock.withLock {
            guard let pid else { return }
            killedForTimeout = true
            kill(-pid, SIGKILL)
        }
    }

    var wasKilledForTimeout: Bool { lock.withLock { killedForTimeout } }
}
