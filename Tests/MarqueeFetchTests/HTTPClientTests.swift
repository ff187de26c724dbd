import Foundation
import MarqueeFetch
import MarqueeTestKit
import Testing

private func fixture(_ name: String) throws -> Data {
    try Data(contentsOf: SharedData.fixtures.appendingPathComponent("fetch/\(name)"))
}

/// A server whose paths show the behaviours a crawler meets.
private func makeServer() throws -> LoopbackServer {
    let gzipped = try fixture("page.html.gz")
    let bomb = try fixture("bomb.gz")
    return try LoopbackServer { path in
        switch path {
        case "/page":
            .response(
                200, headers: [("Content-Type", "text/html; charset=utf-8"), ("ETag", "\"v1\"")],
                body: Data("<p>hello</p>".utf8))
        case "/gzip":
            .response(200, headers: [("Content-Encoding", "gzip"), ("Content-Type", "text/html")], body: gzipped)
        case "/bomb": .response(200, headers: [("Content-Encoding", "gzip")], body: bomb)
        case "/big": .response(200, body: Data(repeating: 0x61, count: 3 << 20))
        case "/missing": .response(404, "Not Found", body: Data("nope".utf8))
        case "/a": .response(301, "Moved", headers: [("Location", "/b")])
        case "/b": .response(302, "Found", headers: [("Location", "/page")])
        case "/loop1": .response(302, "Found", headers: [("Location", "/loop2")])
        case "/loop2": .response(302, "Found", headers: [("Location", "/loop1")])
        case "/reset": .reset
        case "/truncated": .raw(Data("HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\nonly this".utf8))
        case "/stall": .stall(Data("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n".utf8), seconds: 3)
        default:
            if path.hasPrefix("/hop") {
                .response(302, "Found", headers: [("Location", "/hop\((Int(path.dropFirst(4)) ?? 0) + 1)")])
            } else {
                .response(500, "Server Error")
            }
        }
    }
}

private func client(_ configure: (inout HTTPClientConfiguration) -> Void = { _ in }) -> HTTPClient {
    var configuration = HTTPClientConfiguration()
    configuration.connectTimeout = 2
    configuration.totalTimeout = 2
    configure(&configuration)
    return HTTPClient(configuration: configuration)
}

@Test func fetchesAPageWithStatusHeadersBodyAndTimings() async throws {
    let server = try makeServer()
    defer { server.stop() }
    let page = try await client().fetch(server.base + "/page")
    #expect(page.status == 200)
    #expect(page.body == Data("<p>hello</p>".utf8))
    #expect(page.header("etag") == "\"v1\"")
    #expect(page.header("Content-Type") == "text/html; charset=utf-8")
    #expect(page.finalURL == server.base + "/page")
    #expect(page.redirects.isEmpty)
    #expect(page.timings.total >= page.timings.firstByte)
}

@Test func errorStatusesAreResultsNotErrors() async throws {
    let server = try makeServer()
    defer { server.stop() }
    let page = try await client().fetch(server.base + "/missing")
    #expect(page.status == 404)
    #expect(page.body == Data("nope".utf8))
}

@Test func gzipBodiesAreDecodedAndBombsAreCapped() async throws {
    let server = try makeServer()
    defer { server.stop() }
    let page = try await client().fetch(server.base + "/gzip")
    #expect(String(decoding: page.body, as: UTF8.self).contains("Gzipped é"))
    do {
        _ = try await client { $0.maxBodyBytes = 1 << 20 }.fetch(server.base + "/bomb")
        Issue.record("a 16 MiB bomb got through a 1 MiB cap")
    } catch {
        #expect(error.kind == .tooLarge)
    }
    await #expect(throws: FetchError.self) {
        try await client { $0.maxBodyBytes = 1 << 20 }.fetch(server.base + "/big")
    }
}

@Test func redirectsAreFollowedRecordedAndLoopsCaught() async throws {
    let server = try makeServer()
    defer { server.stop() }
    let page = try await client().fetch(server.base + "/a")
    #expect(page.status == 200)
    #expect(page.redirects == [server.base + "/a", server.base + "/b"])
    #expect(page.finalURL == server.base + "/page")
    do {
        _ = try await client().fetch(server.base + "/loop1")
        Issue.record("a redirect loop was followed")
    } catch {
        #expect(error.kind == .redirectLoop)
    }
    do {
        _ = try await client { $0.maxRedirects = 3 }.fetch(server.base + "/hop0")
        Issue.record("followed more redirects than allowed")
    } catch {
        #expect(error.kind == .tooManyRedirects)
    }
}

@Test func transportFailuresAreTyped() async throws {
    let server = try makeServer()
    let base = server.base
    for (path, kind) in [("/reset", FetchError.Kind.transport), ("/truncated", .transport), ("/stall", .timeout)] {
        do {
            _ = try await client().fetch(base + path)
            Issue.record("\(path) did not fail")
        } catch {
            #expect(error.kind == kind, "\(path): \(error)")
        }
    }
    server.stop()
    do {
        _ = try await client().fetch(base + "/page")
        Issue.record("a closed port answered")
    } catch {
        #expect(error.kind == .connect)
    }
    do {
        _ = try await client().fetch("ftp://127.0.0.1/file")
        Issue.record("fetched ftp")
    } catch {
        #expect(error.kind == .disallowedScheme)
    }
}

/// The private-address guard checks the address libcurl connects to, not the URL's spelling: a
/// public-looking name that resolves to loopback is refused before any byte is sent.
@Test func theGuardRefusesANameThatResolvesToLoopback() async throws {
    let server = try makeServer()
    defer { server.stop() }
    let port = try #require(URL(string: server.base)?.port)
    let guarded = client {
        $0.allowPrivateAddresses = false
        $0.resolve = ["films.example.com:\(port):127.0.0.1"]
    }
    await #expect {
        _ = try await guarded.fetch("http://films.example.com:\(port)/page")
    } throws: { error in
        let error = error as? FetchError
        return error?.kind == .privateAddress && error?.message.contains("127.0.0.1") == true
    }
    for spelling in ["http://127.1:\(port)/page", "http://2130706433:\(port)/page", "http://[::ffff:127.0.0.1]:\(port)/page"] {
        await #expect(throws: FetchError.self, "\(spelling)") { _ = try await guarded.fetch(spelling) }
    }
    // Allowed, the same name fetches the page.
    let open = client { $0.resolve = ["films.example.com:\(port):127.0.0.1"] }
    #expect(try await open.fetch("http://films.example.com:\(port)/page").status == 200)
}

@Test(arguments: [
    ("127.0.0.1", true), ("127.1", true), ("2130706433", true), ("0x7f000001", true), ("[::1]", true),
    ("::ffff:127.0.0.1", true), ("[::ffff:10.0.0.1]", true), ("10.1.2.3", true), ("172.20.0.1", true),
    ("192.168.1.1", true), ("169.254.169.254", true), ("100.64.0.1", true), ("fd00::1", true), ("fe80::1", true),
    ("localhost", true), ("app.localhost", true),
    ("fc2.com", false), ("fdic.gov", false), ("fe80.example", false), ("example.com", false), ("8.8.8.8", false),
    ("172.32.0.1", false), ("2606:4700::1111", false),
])
func privateHostLiterals(_ host: String, _ expected: Bool) {
    #expect(Crawler.isPrivate(host: host) == expected, "\(host)")
}
