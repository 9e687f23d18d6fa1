import Foundation

/// Runs a format's parser on a thread of its own while the caller writes (issue 24): reading and
/// decoding a line costs about a third of an import, and on a machine with two cores it no longer
/// waits for the database. Lines come back in file order, a chunk at a time, with at most
/// `capacity` chunks in flight, so memory stays bounded however large the file.
final class ParsingThread: @unchecked Sendable {
    enum Event {
        case lines([ParsedLine])
        case end(Error?)
    }

    static let chunk = 512

    private let condition = NSCondition()
    private var queue: [Event] = []
    private var head = 0
    private let capacity: Int
    private var cancelled = false
    private var finished = false
    private var bytes = 0

    private init(capacity: Int) { self.capacity = capacity }

    /// Starts `parser` on `input` (opened) on a new thread; read its lines with `next()`. The
    /// thread owns the stream from here: it closes it when the parser stops, and a read error
    /// ends the lines with `ImportError.cannotRead`.
    static func start(_ parser: any RecordParser, input: InputStream, file: String, capacity: Int = 8) -> ParsingThread {
        let channel = ParsingThread(capacity: capacity)
        let work = Unchecked((parser, input))
        let thread = Thread {
            var parser = work.value.0
            let input = work.value.1
            var pending: [ParsedLine] = []
            pending.reserveCapacity(Self.chunk)
            defer { input.close() }
            do {
                try parser.parse(input, file: file, emit: { line in
                    pending.append(line)
                    if pending.count >= Self.chunk {
                        guard channel.put(.lines(pending)) else { throw CancellationError() }
                        pending.removeAll(keepingCapacity: true)
                    }
                }, bytesRead: { channel.setBytesRead($0) })
                if !pending.isEmpty { _ = channel.put(.lines(pending)) }
                channel.finish(input.streamStatus == .error ? ImportError.cannotRead(path: file) : nil)
            } catch {
                channel.finish(error)
            }
        }
        thread.stackSize = 8 << 20
        thread.start()
        return channel
    }

    /// Bytes of the input the parser has read so far.
    var bytesRead: Int {
        condition.lock()
        defer { condition.unlock() }
        return bytes
    }

    /// The next event in file order; waits for the parser. After `.end` there is nothing more.
    func next() -> Event {
        condition.lock()
        defer { condition.unlock() }
        while head == queue.count { condition.wait() }
        let event = queue[head]
        head += 1
        if head == queue.count {
            queue.removeAll(keepingCapacity: true)
            head = 0
        }
        condition.broadcast()
        return event
    }

    /// The writer stopped (an error): the parser stops at its next line. Returns at once, without
    /// waiting for that line: a parser reading a pipe or a terminal may wait for input for ever
    /// (the thread, which owns the stream, closes it and ends once the read returns).
    func cancel() {
        condition.lock()
        cancelled = true
        condition.broadcast()
        condition.unlock()
    }

    /// The parser has stopped (its thread ends): for tests.
    var hasFinished: Bool {
        condition.lock()
        defer { condition.unlock() }
        return finished
    }

    private func put(_ event: Event) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while queue.count - head >= capacity && !cancelled { condition.wait() }
        guard !cancelled else { return false }
        queue.append(event)
        condition.broadcast()
        return true
    }

    private func finish(_ error: Error?) {
        condition.lock()
        defer { condition.unlock() }
        // The end always gets through (beyond the capacity): it is the last event.
        if !cancelled { queue.append(.end(error)) }
        finished = true
        condition.broadcast()
    }

    private func setBytesRead(_ value: Int) {
        condition.lock()
        bytes = value
        condition.unlock()
    }
}

/// Hands a value that is not `Sendable` to exactly one other thread, which alone uses it from then on.
final class Unchecked<Value>: @unchecked Sendable {
    var value: Value
    init(_ value: Value) { self.value = value }
}
