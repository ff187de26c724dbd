import MarqueeFetch
import Testing

private let robots = RobotsTxt(
    """
    # A robots.txt in the shape of RFC 9309's example, with the cases that trip parsers.
    User-Agent: *
    Disallow: *.gif$
    Disallow: /example/
    Allow: /publications/

    User-Agent: foobot
    Disallow:/
    Allow:/example/page.html
    Allow:/example/allowed.gif

    User-Agent: barbot
    User-Agent: bazbot
    Disallow: /example/page.html
    crawl-delay: 2.5

    User-Agent: quxbot
    sitemap: https://example.com/sitemap.xml

    user-agent: FooBot
    disallow: /tmp$
    dissallow: /typo/
    Allow: /p
    Disallow: /
    Allow: /
    """)

struct RobotsCase: Sendable, CustomTestStringConvertible {
    let agent: String
    let url: String
    let allowed: Bool
    let line: Int?
    var testDescription: String { "\(agent) \(url)" }
}

@Test(arguments: [
    RobotsCase(agent: "otherbot", url: "https://example.com/example/x", allowed: false, line: 4),
    RobotsCase(agent: "otherbot", url: "https://example.com/images/a.gif", allowed: false, line: 3),
    RobotsCase(agent: "otherbot", url: "https://example.com/images/a.gif?x=1", allowed: true, line: nil),  // $ anchors the end
    RobotsCase(agent: "otherbot", url: "https://example.com/publications/", allowed: true, line: 5),
    RobotsCase(agent: "otherbot", url: "https://example.com", allowed: true, line: nil),
    RobotsCase(agent: "foobot", url: "https://example.com/example/page.html", allowed: true, line: 9),  // longer allow wins
    RobotsCase(agent: "foobot", url: "https://example.com/example/allowed.gif", allowed: true, line: 10),  // * groups ignored for foobot
    RobotsCase(agent: "foobot", url: "https://example.com/tmp", allowed: false, line: 21),  // both foobot groups combined
    RobotsCase(agent: "foobot", url: "https://example.com/tmp/x", allowed: true, line: 25),  // "Allow: /" ties "Disallow: /" and wins
    RobotsCase(agent: "foobot", url: "https://example.com/typo/x", allowed: false, line: 22),  // misspelt key accepted
    RobotsCase(agent: "FooBot/2.1 (+https://foo.example)", url: "/p/q", allowed: true, line: 23),  // product token, any case
    RobotsCase(agent: "barbot", url: "https://example.com/example/page.html", allowed: false, line: 14),
    RobotsCase(agent: "bazbot", url: "https://example.com/example/page.html", allowed: false, line: 14),  // shared group
    RobotsCase(agent: "bazbot", url: "https://example.com/example/other.html", allowed: true, line: nil),
    // A sitemap line does not end a run of user-agent lines, so quxbot shares FooBot's group
    // (as in Google's reference parser): "Allow: /" and "Disallow: /" tie and allow wins.
    RobotsCase(agent: "quxbot", url: "https://example.com/example/x", allowed: true, line: 25),
    RobotsCase(agent: "otherbot", url: "https://example.com/robots.txt", allowed: true, line: nil),
    RobotsCase(agent: "otherbot", url: "https://example.com/example/#frag", allowed: false, line: 4),
])
func robotsFollowsRFC9309(_ example: RobotsCase) {
    let decision = robots.decision(for: example.url, agent: example.agent)
    #expect(decision.allowed == example.allowed, "\(decision)")
    #expect(decision.rule?.line == example.line, "\(decision)")
}

@Test func crawlDelayAndSitemaps() {
    #expect(robots.crawlDelay(for: "barbot") == 2.5)
    #expect(robots.crawlDelay(for: "otherbot") == nil)
    #expect(robots.sitemaps == ["https://example.com/sitemap.xml"])
}

@Test(
    arguments: [
        ("/a/*/c", "/a/b/c/d", true), ("/a/*/c", "/a/c", false), ("/*.php$", "/x/y.php", true),
        ("/*.php$", "/x/y.php?z", false),
        ("/fish*", "/fishheads", true), ("/fish*", "/Fish", false), ("*", "/anything", true), ("/$", "/", true),
        ("/$", "/a", false),
        ("/%7Ejoe", "/~joe", false), ("/caf%C3%A9", "/café", true), ("/café", "/caf%c3%a9", true),
    ] as [(String, String, Bool)])
func patternsMatchByPrefixWithWildcardsAndAnchors(pattern: String, path: String, expected: Bool) {
    let file = RobotsTxt("User-agent: *\nDisallow: \(pattern)\n")
    #expect(!file.decision(for: path, agent: "any").allowed == expected, "\(pattern) vs \(path)")
}

@Test func rulesBeforeAnyUserAgentAndJunkAreIgnored() {
    let file = RobotsTxt("\u{FEFF}Disallow: /\nthis is not a rule\nUser-agent: *\r\nDisallow: /private # comment\r\n")
    #expect(file.decision(for: "/", agent: "x").allowed)
    #expect(!file.decision(for: "/private/a", agent: "x").allowed)
    #expect(RobotsTxt("").decision(for: "/x", agent: "x").allowed)
}
