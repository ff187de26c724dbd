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

    /// One line per URL: `allowed|disallowed URL  why`.
    /// - Throws: ``MarqueeError`` `.dataError` when the file cannot be read.
    public func run() throws(MarqueeError) -> [String] {
        let text: String
        do {
            text = String(decoding: try InputFile.read(file, what: "robots.txt"), as: UTF8.self)
        } catch {
            throw MarqueeError(
                error.code, error.message, location: file, hint: "save it with `curl -o robots.txt https://SITE/robots.txt`")
        }
        let robots = RobotsTxt(text)
        return urls.map { url in
            let decision = robots.decision(for: url, agent: agent)
            let verdict = decision.allowed ? "allowed" : "disallowed"
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
            return "\(verdict) \(url)  \(why)"
        }
    }
}
