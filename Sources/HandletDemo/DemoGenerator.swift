import Foundation
import HandletDomain

#if canImport(Glibc)
import Glibc
#endif

/// Cuts the demo into numbered chunks (contacts, then calls, then messages) and makes any one
/// of them from the options alone, so chunks can be made on several threads in any order and
/// still come out identical. Calls' chunks also write their recordings' WAV files.
struct DemoGenerator: Sendable {
    static let contactsPerChunk = 10_000
    static let callsPerChunk = 4_000
    static let messagesPerChunk = 12_000

    let options: DemoOptions
    let calendar: DemoCalendar
    let people: DemoPeople
    let history: DemoHistory
    let callComposer: CallComposer
    let messageComposer: MessageComposer
    let audioFolder: URL

    let contactChunks: Int
    let callChunks: Int
    let messageChunks: Int

    init(options: DemoOptions, audioFolder: URL) {
        self.options = options
        self.audioFolder = audioFolder
        let calendar = DemoCalendar(anchor: Int64(options.anchor.timeIntervalSince1970), historyDays: options.historyDays,
                                    seed: options.seed)
        let people = DemoPeople(seed: options.seed, count: options.contacts)
        let history = DemoHistory(options: options, calendar: calendar)
        self.calendar = calendar
        self.people = people
        self.history = history
        callComposer = CallComposer(seed: options.seed, total: options.calls, calendar: calendar, people: people,
                                    history: history)
        messageComposer = MessageComposer(seed: options.seed, totalMessages: options.messages, calendar: calendar,
                                          people: people)
        contactChunks = DemoGenerator.chunks(options.contacts, of: DemoGenerator.contactsPerChunk)
        callChunks = DemoGenerator.chunks(options.calls, of: DemoGenerator.callsPerChunk)
        messageChunks = DemoGenerator.chunks(options.messages, of: DemoGenerator.messagesPerChunk)
    }

    /// The reviews and the data-subject requests come last, one chunk each.
    var chunkCount: Int { contactChunks + callChunks + messageChunks + 2 }

    var extras: DemoExtras { DemoExtras(options: options, calendar: calendar, people: people) }

    private static func chunks(_ count: Int, of size: Int) -> Int { (count + size - 1) / size }

    func make(_ chunk: Int) throws -> DemoChunk {
        if chunk < contactChunks { return contacts(chunk) }
        if chunk < contactChunks + callChunks { return try calls(chunk - contactChunks) }
        if chunk < contactChunks + callChunks + messageChunks { return messages(chunk - contactChunks - callChunks) }
        if chunk == contactChunks + callChunks + messageChunks { return DemoChunk(batch: .reviews(extras.reviewRows())) }
        return DemoChunk(batch: .requests(extras.requestRows()))
    }

    private func contacts(_ chunk: Int) -> DemoChunk {
        let range = chunk * DemoGenerator.contactsPerChunk..<min(options.contacts, (chunk + 1) * DemoGenerator.contactsPerChunk)
        var contacts: [BulkContact] = []
        var consents: [BulkConsent] = []
        contacts.reserveCapacity(range.count)
        for index in range {
            let (contact, given) = people.rows(index, calendar: calendar)
            contacts.append(contact)
            consents.append(contentsOf: given)
        }
        return DemoChunk(batch: .contacts(contacts, consents))
    }

    private func calls(_ chunk: Int) throws -> DemoChunk {
        let range = chunk * DemoGenerator.callsPerChunk..<min(options.calls, (chunk + 1) * DemoGenerator.callsPerChunk)
        var calls: [BulkCall] = []
        var recordings: [BulkRecording] = []
        calls.reserveCapacity(range.count)
        var holds: [DemoHold] = []
        var audio = AudioWriter(folder: audioFolder, seed: options.seed)
        for index in range {
            let composed = callComposer.compose(index: index)
            calls.append(composed.call)
            guard var recording = composed.recording else { continue }
            if composed.needsAudioFile { try audio.write(&recording, callIndex: index, speech: composed.speech) }
            recordings.append(recording)
            if let hold = composed.hold { holds.append(hold) }
        }
        return DemoChunk(batch: .calls(calls, recordings), holds: holds)
    }

    /// Threads never cross a chunk boundary, so a chunk's threads depend on nothing outside it.
    private func messages(_ chunk: Int) -> DemoChunk {
        let end = min(options.messages, (chunk + 1) * DemoGenerator.messagesPerChunk)
        var position = chunk * DemoGenerator.messagesPerChunk
        var threads: [BulkThread] = []
        var messages: [BulkMessage] = []
        var candidates: [MessageComposer.DraftCandidate] = []
        messages.reserveCapacity(end - position)
        while position < end {
            let composed = messageComposer.compose(index: position, threadSlot: threads.count, remaining: end - position)
            threads.append(composed.thread)
            messages.append(contentsOf: composed.messages)
            if let candidate = composed.candidate { candidates.append(candidate) }
            position += composed.messages.count
        }
        return DemoChunk(batch: .messages(threads, messages), candidates: candidates)
    }
}

/// One chunk for the domain's bulk-write path, with the recent conversations drafts may answer.
struct DemoChunk: Sendable {
    var batch: BulkBatch
    var candidates: [MessageComposer.DraftCandidate] = []
    /// Legal holds placed on this chunk's recordings, for the replayed history.
    var holds: [DemoHold] = []
}

/// Renders each kept recording as its own WAV file, and records its real size and SHA-256.
struct AudioWriter {
    let folder: URL
    let seed: UInt64
    private var buffer: [UInt8] = []
    private var madeFolders: Set<String> = []

    init(folder: URL, seed: UInt64) {
        self.folder = folder
        self.seed = seed
    }

    mutating func write(_ recording: inout BulkRecording, callIndex: Int, speech: [TranscriptBuilder.Span]) throws {
        guard let relativePath = recording.filePath else { return }
        var random = DemoRandom(seed: seed, stream: .audio, index: callIndex)
        WAVClip.render(durationMs: recording.durationMs, speech: speech, random: &random, into: &buffer)
        recording.sha256 = WAVClip.sha256Hex(buffer)
        recording.bytes = Int64(buffer.count)
        if let slash = relativePath.lastIndex(of: "/") {
            let subfolder = String(relativePath[..<slash])
            if !madeFolders.contains(subfolder) {
                try FileManager.default.createDirectory(at: folder.appendingPathComponent(subfolder),
                                                        withIntermediateDirectories: true)
                madeFolders.insert(subfolder)
            }
        }
        let path = folder.path + "/" + relativePath
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw DemoError.audioWrite(path: path, reason: String(cString: strerror(errno))) }
        defer { close(descriptor) }
        var written = 0
        try buffer.withUnsafeBytes { bytes in
            while written < bytes.count {
                let result = Glibc.write(descriptor, bytes.baseAddress! + written, bytes.count - written)
                guard result > 0 else {
                    // A full disk is said as such, like SQLite's SQLITE_FULL (issue 28).
                    if errno == ENOSPC || errno == EDQUOT { throw WorkspaceError.diskFull(path) }
                    throw DemoError.audioWrite(path: path, reason: String(cString: strerror(errno)))
                }
                written += result
            }
        }
    }
}

public enum DemoError: SysexitsError, Equatable, CustomStringConvertible {
    case audioWrite(path: String, reason: String)
    case invalidSize(String)
    case cancelled

    public var exitClass: ExitClass {
        switch self {
        case .audioWrite: .cannotCreate
        // A count out of its range (a malformed one never parses): bad data.
        case .invalidSize: .dataError
        // Ctrl-C: nothing was kept; "anything else", as a purge stopped by a signal.
        case .cancelled: .failure
        }
    }

    public var description: String {
        switch self {
        case .audioWrite(let path, let reason): "Could not write the recording \(path): \(reason)."
        case .invalidSize(let reason): reason
        case .cancelled: "Demo generation was stopped; nothing was kept."
        }
    }
}
