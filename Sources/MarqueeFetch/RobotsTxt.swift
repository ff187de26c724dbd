import Foundation

/// A parsed robots.txt (RFC 9309), answering whether a crawler may fetch a URL and why.
///
/// Groups start at `user-agent` lines (consecutive ones share a group; a `user-agent` after rules
/// starts a new one; other lines, such as `sitemap`, do not end a run of `user-agent` lines, as in
/// Google's reference parser) and hold `allow`/`disallow` rules and `crawl-delay`. A crawler obeys every
/// group naming its product token (compared case-insensitively on the token's letters, `_` and
/// `-`, as Google's reference parser does), combined; only when none names it, every `*` group,
/// combined; with neither, everything is allowed. Among the rules whose pattern matches the URL's
/// path and query, the longest pattern wins and `allow` wins a tie. Patterns support `*` (any
/// run of characters) and a final `$` (end of URL); an empty `disallow` allows everything.
/// `/robots.txt` itself is always allowed. Unknown lines are ignored, as the RFC asks.
public struct RobotsTxt: Sendable {
    /// One `allow` or `disallow` line.
    public struct Rule: Sendable, Hashable, CustomStringConvertible {
        /// Whether the rule allows.
        public var allow: Bool
        /// The path pattern as written.
        public var pattern: String
        /// 1-based line in the file.
        public var line: Int

        /// `Disallow: /private/ at line 4`.
        public var description: String { "\(allow ? "Allow" : "Disallow"): \(pattern) at line \(line)" }
    }

    /// A group of rules and the user agents it names.
    public struct Group: Sendable, Hashable {
        /// The user-agent values as written (`*`, `Googlebot`, …).
        public var agents: [String]
        /// The rules in file order.
        public var rules: [Rule]
        /// `crawl-delay` in seconds, if given.
        public var crawlDelay: Double?
    }

    /// Why a URL is allowed or not.
    public struct Decision: Sendable, Hashable, CustomStringConvertible {
        /// `true` when the crawler may fetch the URL.
        public var allowed: Bool
        /// The rule that decided, or `nil` when no rule matched (then the URL is allowed).
        public var rule: Rule?
        /// The user-agent values of the groups that applied (empty when no group applied).
        public var groups: [String]

        /// `allowed (no matching rule)` or `disallowed by Disallow: /x (line 4) in group "*"`.
        public var description: String {
            let verdict = allowed ? "allowed" : "disallowed"
            guard let rule else {
                return groups.isEmpty ? "\(verdict) (no group for this agent)" : "\(verdict) (no matching rule)"
            }
            return "\(verdict) by \(rule) in group \(groups.map { "\"\($0)\"" }.joined(separator: ", "))"
        }
    }

    /// Every group in file order.
    public let groups: [Group]
    /// `sitemap` URLs.
    public let sitemaps: [String]

    /// Parses robots.txt text. Never fails: lines it cannot read are skipped.
    public init(_ text: String) {
        var groups: [Group] = []
        var sitemaps: [String] = []
        var current: Group?
        var collectingAgents = false
        let body = text.hasPrefix("\u{FEFF}") ? String(text.dropFirst()) : text
        for (index, rawLine) in body.split(
            omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" }
        ).enumerated() {
            let line = rawLine.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
            guard let colon = line.firstIndex(of: ":") else { continue }
            let key = Self.canonicalKey(line[..<colon])
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            switch key {
            case "user-agent":
                if !collectingAgents {
                    if let current { groups.append(current) }
                    current = Group(agents: [], rules: [], crawlDelay: nil)
                    collectingAgents = true
                }
                current?.agents.append(value)
            case "allow", "disallow":
                collectingAgents = false
                guard current != nil, !value.isEmpty else { continue }
                current?.rules.append(Rule(allow: key == "allow", pattern: value, line: index + 1))
            case "crawl-delay":
                if current != nil, let delay = Double(value), delay >= 0 { current?.crawlDelay = delay }
            case "sitemap":
                if !value.isEmpty { sitemaps.append(value) }
            default:
                continue
            }
        }
        if let current { groups.append(current) }
        self.groups = groups
        self.sitemaps = sitemaps
    }

    /// Keys as the RFC names them, accepting the misspellings Google's parser accepts.
    static func canonicalKey(_ key: Substring) -> String {
        let lower = key.trimmingCharacters(in: .whitespaces).lowercased()
        switch lower {
        case "user-agent", "useragent", "user agent": return "user-agent"
        case "allow": return "allow"
        case "disallow", "dissallow", "dissalow", "disalow", "diasllow", "disallaw": return "disallow"
        case "crawl-delay", "crawldelay", "crawl delay": return "crawl-delay"
        case "sitemap", "site-map": return "sitemap"
        default: return lower
        }
    }

    /// The product token of a user-agent string: its leading letters, `_` and `-`
    /// (`Googlebot/2.1 (+http://…)` → `googlebot`), lower-cased.
    public static func productToken(_ agent: String) -> String {
        String(agent.prefix { $0.isASCII && ($0.isLetter || $0 == "_" || $0 == "-") }).lowercased()
    }

    /// The groups `agent` obeys: those naming its product token, else the `*` groups.
    public func groups(for agent: String) -> [Group] {
        let token = Self.productToken(agent)
        let specific = groups.filter { group in
            group.agents.contains { !token.isEmpty && Self.productToken($0) == token }
        }
        if !specific.isEmpty { return specific }
        return groups.filter { $0.agents.contains("*") }
    }

    /// The crawl delay `agent` should keep, in seconds (the largest its groups give).
    public func crawlDelay(for agent: String) -> Double? {
        groups(for: agent).compactMap(\.crawlDelay).max()
    }

    /// Whether `agent` may fetch `url` (an absolute URL, or a path with optional query), and why.
    public func decision(for url: String, agent: String) -> Decision {
        let path = Self.pathAndQuery(url)
        let applicable = groups(for: agent)
        let names = applicable.flatMap(\.agents)
        if path == "/robots.txt" { return Decision(allowed: true, rule: nil, groups: names) }
        var best: Rule?
        for rule in applicable.flatMap(\.rules) where Self.matches(Self.normalized(rule.pattern), path) {
            let length = rule.pattern.utf8.count
            if let current = best {
                let currentLength = current.pattern.utf8.count
                if length > currentLength || (length == currentLength && rule.allow && !current.allow) { best = rule }
            } else {
                best = rule
            }
        }
        return Decision(allowed: best?.allow ?? true, rule: best, groups: names)
    }

    /// The path and query of `url`, percent-encoded for comparison; `/` for an empty path.
    static func pathAndQuery(_ url: String) -> String {
        var text = url
        if let scheme = text.range(of: "://") {
            let afterAuthority = text[scheme.upperBound...]
            text =
                afterAuthority.firstIndex(where: { $0 == "/" || $0 == "?" }).map { String(afterAuthority[$0...]) } ?? ""
        }
        if let fragment = text.firstIndex(of: "#") { text = String(text[..<fragment]) }
        if text.isEmpty || text.hasPrefix("?") { text = "/" + text }
        return normalized(text)
    }

    /// Percent-encodes bytes outside printable ASCII and upper-cases existing `%xx` escapes, so
    /// a pattern and a URL written differently compare equal (RFC 9309 §2.2.2).
    static func normalized(_ text: String) -> String {
        var out = ""
        let bytes = Array(text.utf8)
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "%"), index + 2 < bytes.count, isHex(bytes[index + 1]), isHex(bytes[index + 2]) {
                out +=
                    "%" + String(UnicodeScalar(bytes[index + 1])).uppercased()
                    + String(UnicodeScalar(bytes[index + 2])).uppercased()
                index += 3
                continue
            }
            if byte <= 0x20 || byte >= 0x7F {
                out += String(format: "%%%02X", byte)
            } else {
                out.unicodeScalars.append(UnicodeScalar(byte))
            }
            index += 1
        }
        return out
    }

    private static func isHex(_ byte: UInt8) -> Bool {
        (0x30...0x39).contains(byte) || (0x41...0x46).contains(byte) || (0x61...0x66).contains(byte)
    }

    /// Whether `pattern` (with `*` and a final `$`) matches a prefix of `path` (all of it with `$`).
    static func matches(_ pattern: String, _ path: String) -> Bool {
        var pattern = Array(pattern.utf8)
        let anchored = pattern.last == UInt8(ascii: "$")
        if anchored { pattern.removeLast() }
        let path = Array(path.utf8)
        // Positions in `path` reachable after consuming the pattern so far.
        var positions: Set<Int> = [0]
        for byte in pattern {
            if byte == UInt8(ascii: "*") {
                guard let first = positions.min() else { return false }
                positions = Set(first...path.count)
            } else {
                positions = Set(positions.compactMap { $0 < path.count && path[$0] == byte ? $0 + 1 : nil })
            }
            if positions.isEmpty { return false }
        }
        return anchored ? positions.contains(path.count) : true
    }
}
