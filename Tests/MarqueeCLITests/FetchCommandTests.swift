import Foundation
import MarqueeTestKit
import Testing

@Test func fetchPrintsStatusRedirectsHeadersAndSize() throws {
    let server = try LoopbackServer { path in
        path == "/old"
            ? .response(301, "Moved", headers: [("Location", "/new")])
            : .response(200, headers: [("Content-Type", "text/html")], body: Data("<p>x</p>".utf8))
    }
    defer { server.stop() }
    let result = try runMarquee(["fetch", server.base + "/old"])
    #expect(result.status == 0, "\(result.stderr)")
    let lines = result.stdout.split(separator: "\n").map(String.init)
    #expect(lines.first == "redirect \(server.base)/old")
    #expect(lines.contains("status 200 \(server.base)/new"))
    #expect(lines.contains("Content-Type: text/html"))
    #expect(lines.last?.hasPrefix("8 bytes in ") == true)
}

@Test func unreachableSitesExit69() throws {
    let server = try LoopbackServer { _ in .reset }
    let base = server.base
    server.stop()
    let result = try runMarquee(["fetch", base + "/"])
    #expect(result.status == 69)
    #expect(result.stderr.hasPrefix("marquee: error: \(base)/: connect"))
    #expect(try runMarquee(["fetch", "file:///etc/passwd"]).status == 64)
}
