import Foundation
import Testing

@Test func robotsPrintsOneVerdictPerURLInOrderWithTheDecidingRule() throws {
    let file = FileManager.default.temporaryDirectory.appendingPathComponent("marquee-robots-\(UUID().uuidString).txt")
    try "User-agent: *\nDisallow: /private/\n\nUser-agent: marquee\nDisallow: /search\nAllow: /search/films\n"
        .write(to: file, atomically: true, encoding: .utf8)
    defer { try? FileManager.default.removeItem(at: file) }
    let result = try runMarquee([
        "robots", file.path, "https://letterboxd.com/search/x", "https://letterboxd.com/private/a", "/search/films/y",
    ])
    #expect(result.status == 0)
    #expect(
        result.stdout.split(separator: "\n") == [
            "disallowed https://letterboxd.com/search/x  Disallow: /search at line 5 (user-agent: marquee)",
            "allowed https://letterboxd.com/private/a  no rule matches (user-agent: marquee)",
            "allowed /search/films/y  Allow: /search/films at line 6 (user-agent: marquee)",
        ])
    let other = try runMarquee(["robots", file.path, "/private/a", "--agent", "Googlebot/2.1"])
    #expect(other.stdout == "disallowed /private/a  Disallow: /private/ at line 2 (user-agent: *)\n")
    #expect(try runMarquee(["robots", "/nonexistent/robots.txt", "/"]).status == 66)
}
