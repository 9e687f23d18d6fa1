import ArgumentParser
import Foundation
import HandletDomain

/// `handlet search QUERY`: the console's `/` for scripts. Newest hits first, in calls (summary and
/// transcript) and in message bodies, with the matched words marked.
struct SearchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "search",
        abstract: "Search call summaries, transcripts and message bodies, newest first.",
        discussion: """
            Every word is searched as typed (operators and punctuation are not obeyed), the last one also \
            as the start of a longer word ("radiator" finds "radiators"), as the console's / does; end \
            the words with a space to match the last one whole. Words in double quotes must appear \
            together. Very common words are skipped unless quoted. --limit N prints the N newest of each kind.
            """)

    @OptionGroup var workspace: WorkspaceOptions
    @OptionGroup var reader: ReadingUserOptions
    @Argument(help: "The words to find.") var query: String
    @OptionGroup var filters: FilterOptions
    @OptionGroup var limit: LimitOption
    @Flag(name: .long, help: "Print JSON (fields in docs/json.md).") var json = false

    func run() throws {
        let session = try BrowseSession(workspace, reader)
        let filter = try filters.filter(today: session.clock.today)
        if filter.matchesNothing {
            throw CommandFailure("--channel applies to messages and --outcome, --has-recording, --handled-by to calls: together they match nothing.", .usage)
        }
        let search = SearchQuery.typed(query)
        if let problem = search.problem { throw CommandFailure(problem.description, .usage) }
        let results = try session.read(.search(search, calls: filter.callFilter, messages: filter.messageFilter,
                                                   clock: session.clock, limit: limit.limit)).newestFirstInEachKind
        if json { return try JSONOutput.print(SearchEntry(results)) }
        let output = session.output
        if search.truncated {
            TerminalText.writeError("only the first \(SearchQuery.maximumTerms) words were searched.")
        }
        if results.isEmpty {
            let chips = filter.chips.map(\.label).joined(separator: "; ")
            return print("Nothing found for \(output.safe(query))" + (chips.isEmpty ? "." : " with the filters: \(chips)."))
        }
        for (title, hits) in [("Calls", results.calls), ("Messages", results.messages)] where !hits.isEmpty {
            print("\(title) (\(hits.count)\(hits.count == limit.limit ? "+" : ""))")
            for hit in hits {
                let kind = switch hit.target {
                case .call(let id): "call \(id)"
                case .message(let id, let thread): "thread \(thread) message \(id)"
                }
                print("  \(output.time(hit.at))  \(kind)  \(output.safe(hit.party))")
                print("    " + output.marked(hit.snippet).replacingOccurrences(of: "\n", with: " "))
            }
        }
    }
}

/// `search --json`.
struct SearchEntry: Encodable {
    struct Hit: Encodable {
        let kind: String
        let id: Int64
        let threadId: MessageThread.ID?
        let at: Date
        let direction: String
        let party: String
        let outcome: String?
        let channel: String?
        let snippet: String
        /// [start, end) in characters (extended grapheme clusters) of `snippet`.
        let highlights: [[Int]]

        init(_ hit: SearchHit) {
            kind = hit.kind.rawValue; at = hit.at; direction = hit.direction.rawValue
            party = hit.party; outcome = hit.outcome?.rawValue; channel = hit.channel?.rawValue; snippet = hit.snippet.text
            highlights = hit.snippet.highlights.map { [$0.lowerBound, $0.upperBound] }
            switch hit.target {
            case .call(let call): id = call.rawValue; threadId = nil
            case .message(let message, let thread): id = message.rawValue; threadId = thread
            }
        }
    }

    let query: String
    let matchExpression: String?
    let truncated: Bool
    let calls: [Hit]
    let messages: [Hit]

    init(_ results: Search.Results) {
        query = results.query.text; matchExpression = results.query.matchExpression; truncated = results.query.truncated
        calls = results.calls.map(Hit.init); messages = results.messages.map(Hit.init)
    }
}

extension Search.Results {
    /// The search walks the index by record id (DESIGN §9), which is not quite time order (a
    /// record can be stored after a later one); what is printed is in time order, as documented.
    var newestFirstInEachKind: Search.Results {
        var sorted = self
        let newer: (SearchHit, SearchHit) -> Bool = { $0.at != $1.at ? $0.at > $1.at : $0.cursor > $1.cursor }
        sorted.calls.sort(by: newer)
        sorted.messages.sort(by: newer)
        return sorted
    }
}
