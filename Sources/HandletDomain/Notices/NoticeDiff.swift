import Foundation

/// Two versions of one notice compared line by line, as a unified diff (`diff -u` hunks).
public struct NoticeDiff: Sendable, Equatable {
    public enum LineKind: Sendable, Equatable { case context, removed, added, hunk, header }

    public struct Line: Sendable, Equatable {
        public let kind: LineKind
        public let text: String

        /// The line as `diff -u` prints it.
        public var unified: String {
            switch kind {
            case .context: " " + text
            case .removed: "-" + text
            case .added: "+" + text
            case .hunk, .header: text
            }
        }
    }

    public let old: NoticeSummary
    public let new: NoticeSummary
    public let lines: [Line]
    public var added: Int { lines.filter { $0.kind == .added }.count }
    public var removed: Int { lines.filter { $0.kind == .removed }.count }

    /// Unified hunks of `old` → `new` with `context` lines around each change, headed
    /// `--- key version A` / `+++ key version B`.
    static func compute(old: NoticeSummary, oldBody: String, new: NoticeSummary, newBody: String, context: Int = 3) -> NoticeDiff {
        let a = oldBody.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let b = newBody.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var lines: [Line] = [Line(kind: .header, text: "--- \(old.key) version \(old.version)"),
                             Line(kind: .header, text: "+++ \(new.key) version \(new.version)")]
        lines += hunks(a, b, context: context)
        return NoticeDiff(old: old, new: new, lines: lines)
    }

    /// The edit script by longest common subsequence (notices are a few hundred lines).
    static func hunks(_ a: [String], _ b: [String], context: Int) -> [Line] {
        let n = a.count, m = b.count
        var lcs = Array(repeating: Array(repeating: 0, count: m + 1), count: n + 1)
        if n > 0 && m > 0 {
            for i in stride(from: n - 1, through: 0, by: -1) {
                for j in stride(from: m - 1, through: 0, by: -1) {
                    lcs[i][j] = a[i] == b[j] ? lcs[i + 1][j + 1] + 1 : max(lcs[i + 1][j], lcs[i][j + 1])
                }
            }
        }
        // (kind, text, old line index, new line index) for every line of both.
        var script: [(LineKind, String, Int, Int)] = []
        var i = 0, j = 0
        while i < n || j < m {
            if i < n && j < m && a[i] == b[j] {
                script.append((.context, a[i], i, j)); i += 1; j += 1
            } else if i < n && (j == m || lcs[i + 1][j] >= lcs[i][j + 1]) {
                // Removals before additions, as `diff -u` prints a changed line.
                script.append((.removed, a[i], i, j)); i += 1
            } else {
                script.append((.added, b[j], i, j)); j += 1
            }
        }
        let changed = script.indices.filter { script[$0].0 != .context }
        guard !changed.isEmpty else { return [] }
        // Group changes whose context overlaps into one hunk.
        var groups: [(Int, Int)] = []
        for index in changed {
            let start = max(0, index - context), end = min(script.count - 1, index + context)
            if let last = groups.last, start <= last.1 + 1 { groups[groups.count - 1].1 = max(last.1, end) } else { groups.append((start, end)) }
        }
        var output: [Line] = []
        for (start, end) in groups {
            let slice = script[start...end]
            let oldCount = slice.filter { $0.0 != .added }.count
            let newCount = slice.filter { $0.0 != .removed }.count
            let oldStart = oldCount == 0 ? slice.first!.2 : slice.first { $0.0 != .added }!.2 + 1
            let newStart = newCount == 0 ? slice.first!.3 : slice.first { $0.0 != .removed }!.3 + 1
            output.append(Line(kind: .hunk, text: "@@ -\(oldStart),\(oldCount) +\(newStart),\(newCount) @@"))
            output += slice.map { Line(kind: $0.0, text: $0.1) }
        }
        return output
    }
}

extension WorkspaceQuery where Value == NoticeDiff? {
    /// Version `id` against the version before it (or against `otherId`); nil when it has no
    /// earlier version.
    public static func noticeDiff(_ id: Int64, against otherId: Int64? = nil, now: Date? = nil) -> Self {
        .reading(.browse, at: now) { db, now in
            guard let new = try NoticeCatalogue.detail(id, now: now, in: db) else { throw NoticeError.noSuchNotice(String(id)) }
            guard let oldId = otherId ?? new.previousVersionId else { return nil }
            guard let old = try NoticeCatalogue.detail(oldId, now: now, in: db) else { throw NoticeError.noSuchNotice(String(oldId)) }
            return NoticeDiff.compute(old: old.summary, oldBody: old.body, new: new.summary, newBody: new.body)
        }
    }
}
