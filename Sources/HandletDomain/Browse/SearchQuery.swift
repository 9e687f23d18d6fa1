/// What a person typed into `/`, turned into an FTS5 MATCH expression that cannot be a syntax error.
///
/// Every word becomes a quoted string, so FTS5 operators (`AND`, `NEAR`, `*`, `^`, `:`, `(`...) are
/// searched as text or dropped, never obeyed. Words in double quotes stay together as a phrase; an
/// unclosed quote runs to the end. Common English words are dropped unless inside a phrase.
/// Only the first `maximumTerms` words are used, each at most `maximumTokenLength` long, counting
/// every word inside a quoted phrase too (a phrase of 16,000 words is cut, not searched for), so
/// 10,000 characters cost no more than a sentence.
public struct SearchQuery: Hashable, Sendable {
    public enum Term: Hashable, Sendable {
        /// One or more tokens that must appear together in this order (a single word is a
        /// one-token phrase). `prefix` matches any word starting with the last token.
        case phrase([String], prefix: Bool)

        var expression: String {
            switch self {
            case .phrase(let tokens, let prefix):
                // Tokens hold only letters, digits and marks, so no quote can close the string early.
                "\"\(tokens.joined(separator: " "))\"" + (prefix ? "*" : "")
            }
        }

        public var tokens: [String] {
            switch self { case .phrase(let tokens, _): tokens }
        }

        /// True when the last token matches the words it begins.
        var isPrefix: Bool {
            switch self { case .phrase(_, let prefix): prefix }
        }
    }

    /// Why there is nothing to run.
    public enum Problem: Hashable, Sendable, CustomStringConvertible {
        case empty
        case onlyCommonWords

        public var description: String {
            switch self {
            case .empty: "Nothing to search for: type a word or a number."
            case .onlyCommonWords: "Nothing to search for: add a word more specific than \"the\", \"and\" or \"of\"."
            }
        }
    }

    /// Words (tokens), in phrases or not, that one query searches for.
    public static let maximumTerms = 20
    /// Longer tokens are no real word; cutting them keeps the expression small.
    public static let maximumTokenLength = 64

    public let text: String
    public let terms: [Term]
    public let problem: Problem?
    /// True when words beyond `maximumTerms` (or characters beyond a token's limit) were left out.
    public let truncated: Bool

    /// The MATCH expression, or nil when `problem` says why there is none.
    public var matchExpression: String? {
        terms.isEmpty ? nil : terms.map(\.expression).joined(separator: " ")
    }

    /// Words as a person types them, read the same way by the console's `/` and `handlet search`
    /// (issue 25: the console found "radiator" in "radiators" and the CLI did not): the last word
    /// matches the words it begins, unless the text ends with a space (the word is complete).
    public static func typed(_ text: String) -> SearchQuery {
        SearchQuery(text, prefixLastWord: !text.hasSuffix(" "))
    }

    /// - Parameter prefixLastWord: search-as-you-type: the last word matches words it starts
    ///   (unless the text ends with a space, meaning the word is complete).
    public init(_ text: String, prefixLastWord: Bool = false) {
        self.text = text
        var terms: [Term] = []
        var droppedCommonWord = false
        var truncated = false

        var phraseTokens: [String] = []   // tokens of the quoted phrase being read
        var wordTokens: [String] = []     // tokens of the unquoted word being read
        var token = String.UnicodeScalarView()
        var tokenLength = 0               // scalars in `token` (the view counts in O(n))
        var inQuotes = false
        var full = false
        var usedTokens = 0                // tokens already in `terms`

        func endToken() {
            defer { tokenLength = 0 }
            guard !token.isEmpty else { return }
            // A phrase's words count toward the limit like any others.
            if usedTokens + phraseTokens.count + wordTokens.count >= SearchQuery.maximumTerms {
                truncated = true
                full = true
                token = String.UnicodeScalarView()
                return
            }
            var text = String(token)
            if tokenLength > SearchQuery.maximumTokenLength {
                text = String(String.UnicodeScalarView(token.prefix(SearchQuery.maximumTokenLength)))
                truncated = true
            }
            if inQuotes { phraseTokens.append(text) } else { wordTokens.append(text) }
            token = String.UnicodeScalarView()
        }
        func append(_ term: Term) {
            terms.append(term)
            usedTokens += term.tokens.count
        }
        func endWord() {
            endToken()
            defer { wordTokens = [] }
            guard !wordTokens.isEmpty else { return }
            // "don't" or "e-mail" is one word of two tokens: FTS5 indexed them as adjacent tokens.
            if wordTokens.count == 1, SearchQuery.commonWords.contains(wordTokens[0].lowercased()) {
                droppedCommonWord = true
                return
            }
            append(.phrase(wordTokens, prefix: false))
        }
        func endPhrase() {
            endToken()
            defer { phraseTokens = [] }
            guard !phraseTokens.isEmpty else { return }
            append(.phrase(phraseTokens, prefix: false))
        }

        for scalar in text.unicodeScalars {
            if full { break }
            // A token already at the limit only grows its flag, not its text.
            if tokenLength > SearchQuery.maximumTokenLength, SearchQuery.isTokenScalar(scalar) { truncated = true; continue }
            if scalar == "\"" {
                if inQuotes { endPhrase(); inQuotes = false } else { endWord(); inQuotes = true }
            } else if SearchQuery.isTokenScalar(scalar) {
                token.append(scalar)
                tokenLength += 1
            } else if scalar.properties.isWhitespace && !inQuotes {
                endWord()
            } else {
                // Punctuation and FTS5 syntax split tokens but not words or phrases.
                endToken()
            }
        }
        if inQuotes { endPhrase() } else { endWord() }

        if prefixLastWord, !truncated, let last = terms.last, let lastScalar = text.unicodeScalars.last,
           SearchQuery.isTokenScalar(lastScalar) {
            terms[terms.count - 1] = .phrase(last.tokens, prefix: true)
        }
        self.terms = terms
        self.truncated = truncated
        problem = terms.isEmpty ? (droppedCommonWord ? .onlyCommonWords : .empty) : nil
    }

    /// Letters, digits and private-use characters make tokens, as in FTS5's unicode61 tokenizer;
    /// combining marks stay with their letter.
    static func isTokenScalar(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
             .decimalNumber, .letterNumber, .otherNumber, .privateUse,
             .nonspacingMark, .spacingMark, .enclosingMark:
            return true
        default:
            return false
        }
    }

    /// Words too common to narrow a search; searched only inside a quoted phrase.
    static let commonWords: Set<String> = [
        "a", "an", "and", "are", "as", "at", "be", "but", "by", "for", "from", "had", "has", "have", "he",
        "her", "his", "i", "if", "in", "into", "is", "it", "its", "me", "my", "of", "on", "or", "our",
        "she", "so", "that", "the", "their", "them", "then", "there", "they", "this", "to", "was", "we",
        "were", "will", "with", "you", "your",
    ]
}
