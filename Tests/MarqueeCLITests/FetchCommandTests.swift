import Foundation
import MarqueeFetch
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

/// `fetch --warc FILE` appends the exchange; replaying the file gives the page back.
@Test func fetchRecordsTheExchangeInAWARCFile() throws {
    let server = try LoopbackServer { _ in
        .response(200, headers: [("Content-Type", "text/html"), ("ETag", "\"e1\"")], body: Data("<p>warc</p>".utf8))
    }
    defer { server.stop() }
    let file = FileManager.default.temporaryDirectory.appendingPathComponent("marquee-\(UUID().uuidString).warc.gz")
    for path in ["/a", "/b"] {
        let result = try runMarquee(["fetch", server.base + path, "--warc", file.path])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("recorded in \(file.path)"))
    }
    let records = try WARCReader.records(file)
    #expect(records.map { $0.header("WARC-Type") ?? "" } == ["warcinfo", "request", "response", "request", "response"])
    #expect(
        records.compactMap { $0.page() }.map { String(decoding: $0.body, as: UTF8.self) } == [
            "<p>warc</p>", "<p>warc</p>",
        ])
    let warcio = SharedData.repositoryRoot.appendingPathComponent(".venv-test/bin/warcio")
    if FileManager.default.isExecutableFile(atPath: warcio.path) {
        let process = Process()
        process.executableURL = warcio
        process.arguments = ["check", file.path]
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
    }
}
