import Foundation
import MarqueeCore

/// One `marquee robots` run: a saved robots.txt asked about several URLs.
public struct RobotsRequest: Sendable {
    /// Path of the robots.txt file.
    public var file: String
    /// The URLs (or paths) to check, in order.
    public var urls: [String]
    /// The crawler's user agent (its product token decides the group).
    public var agent: String

    /// Creates a request.
    public init(file: String, urls: [String], agent: String) {
        self.file = file
        self.urls = urls
        self.agent = agent
    }

    /// The verdict on one URL.
    public struct Verdict: Sendable, Hashable, Codable {
        /// The URL or path checked.
        public var url: String
        /// Whether the agent may fetch it.
        public var allowed: Bool
        /// The deciding rule with its line and groups, or why no rule decided.
        public var reason: String
    }

    /// One line per URL: `allowed|disallowed URL  why`.
    /// - Throws: `MarqueeError` `.noInput` (66) when the file is missing, `.noPermission` when it cannot be read.
    public func run() throws(MarqueeError) -> [String] {
        try verdicts().map { "\($0.allowed ? "allowed" : "disallowed") \($0.url)  \($0.reason)" }
    }

    /// One verdict per URL, in order.
    /// - Throws: as ``run()``.
    public func verdicts() throws(MarqueeError) -> [Verdict] {
        let text: String
        do {
            text = String(decoding: try InputFile.read(file, what: "robots.txt"), as: UTF8.self)
        } catch {
            throw MarqueeError(
                error.code, error.message, location: file,
                hint: "save it with `curl -o robots.txt https://SITE/robots.txt`")
        }
        let robots = RobotsTxt(text)
        return urls.map { url in
            let decision = robots.decision(for: url, agent: agent)
            let why: String
            if let rule = decision.rule {
                why =
                    "\(rule) (user-agent: \(decision.groups.joined(separator: ", ")))"
            } else if decision.groups.isEmpty {
                why =
                    "no group for \(RobotsTxt.productToken(agent).isEmpty ? agent : RobotsTxt.productToken(agent)) and no '*' group"
            } else {
                why = "no rule matches (user-agent: \(decision.groups.joined(separator: ", ")))"
            }
            return Verdict(url: url, allowed: decision.allowed, reason: why)
        }
    }
}
