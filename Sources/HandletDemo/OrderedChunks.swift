import Foundation
import HandletDomain

/// Makes numbered chunks of work on worker threads and hands them to one consumer in order.
///
/// The demo's rows are generated on the workers (each chunk depends only on its number, so the
/// result does not depend on scheduling) while the consumer thread writes them to SQLite. At most
/// `lookahead` chunks wait in memory at any time.
final class OrderedChunks<Chunk: Sendable>: @unchecked Sendable {
    private let condition = NSCondition()
    private var ready: [Int: Chunk] = [:]
    private var nextToMake = 0
    private var nextToTake = 0
    private var stopped = false
    private var failure: Error?
    private let count: Int
    private let lookahead: Int
    private let workers = DispatchGroup()
    /// How long the consumer has waited for chunks: near zero when the writer is the bottleneck.
    private(set) var consumerWaited: TimeInterval = 0
    /// CPU seconds the workers used, counted as each one stops.
    private(set) var workerCPU: TimeInterval = 0
    /// Chunks the consumer is done with, freed by a worker: freeing the chunks' strings cost the
    /// writer thread about an eighth of its time (profile of a 200,000-call demo).
    private var spent: [Chunk] = []
    private var running: Int

    init(count: Int, workers workerCount: Int, lookahead: Int, make: @escaping @Sendable (Int) throws -> Chunk) {
        self.count = count
        self.lookahead = max(1, lookahead)
        running = max(1, workerCount)
        for _ in 0..<max(1, workerCount) {
            workers.enter()
            let thread = Thread { [self] in
                // Named for profilers and `top -H`.
                Thread.current.name = "handlet-make"
                work(make)
                let used = LoadTimings.threadCPU()
                condition.lock()
                workerCPU += used
                condition.unlock()
                workers.leave()
            }
            thread.stackSize = 8 << 20
            thread.start()
        }
    }

    private func work(_ make: (Int) throws -> Chunk) {
        while true {
            condition.lock()
            while !stopped && spent.isEmpty && nextToMake < count && nextToMake - nextToTake >= lookahead { condition.wait() }
            let garbage = spent
            spent.removeAll()
            if stopped || nextToMake >= count {
                running -= 1
                condition.unlock()
                withExtendedLifetime(garbage) {}
                return
            }
            if nextToMake - nextToTake >= lookahead {
                condition.unlock()
                withExtendedLifetime(garbage) {}
                continue
            }
            let index = nextToMake
            nextToMake += 1
            condition.unlock()
            withExtendedLifetime(garbage) {}
            do {
                let chunk = try make(index)
                condition.lock()
                ready[index] = chunk
                condition.broadcast()
                condition.unlock()
            } catch {
                condition.lock()
                if failure == nil { failure = error }
                stopped = true
                condition.broadcast()
                condition.unlock()
                return
            }
        }
    }

    /// The next chunk in order, nil after the last; rethrows a worker's failure.
    func next() throws -> Chunk? {
        condition.lock()
        defer { condition.unlock() }
        guard nextToTake < count else { return nil }
        if ready[nextToTake] == nil && failure == nil {
            let started = Date()
            while ready[nextToTake] == nil && failure == nil { condition.wait() }
            consumerWaited += Date().timeIntervalSince(started)
        }
        if let failure { throw failure }
        let chunk = ready.removeValue(forKey: nextToTake)!
        nextToTake += 1
        condition.broadcast()
        return chunk
    }

    /// Hands back a chunk the consumer is done with: a worker frees it (or the caller, once the
    /// workers have stopped).
    func dispose(_ chunk: Chunk) {
        condition.lock()
        defer { condition.unlock() }
        guard running > 0 && !stopped else { return }
        spent.append(chunk)
        condition.broadcast()
    }

    /// Stops the workers and waits for them, so no file is written after the caller cleans up.
    func finish() {
        condition.lock()
        stopped = true
        condition.broadcast()
        condition.unlock()
        workers.wait()
    }
}
