import Foundation
import MarqueeFetch
import MarqueeTestKit
import Synchronization
import Testing

/// Requests per path, counted by the server's handler.
private final class RequestLog: Sendable {
    let counts = Mutex<[String: Int]>([:])
}

/// 2,000 generated pages on loopback, each linking to two more (a binary tree from /p/0).
private func treeServer(pages: Int, requests: RequestLog) throws -> LoopbackServer {
    try LoopbackServer { path in
        requests.counts.withLock { $0[path, default: 0] += 1 }
        return treePage(path, pages: pages)
    }
}

/// Page `/p/N` of a binary tree of `pages` pages (links to 2N+1 and 2N+2); 404 elsewhere.
func treePage(_ path: String, pages: Int) -> LoopbackServer.Reply {
    guard path.hasPrefix("/p/"), let number = Int(path.dropFirst(3)), number < pages else {
        return .response(404, "Not Found")
    }
    let links = [2 * number + 1, 2 * number + 2].filter { $0 < pages }
        .map { "<a href=\"/p/\($0)\">page \($0)</a>" }.joined(separator: " ")
    let body = "<html><head><title>Page \(number)</title></head><body><h1>\(number)</h1>\(links)</body></html>"
    return .response(200, headers: [("Content-Type", "text/html; charset=utf-8")], body: Data(body.utf8))
}

/// The crash test: SIGKILL the crawler at five random moments, restart it each time, and the
/// store ends with every page exactly once; no finished page is fetched again.
@Test func crawlKilledFiveTimesRecordsEveryPageExactlyOnce() throws {
    let pages = 2_000
    let concurrency = 8
    let requests = RequestLog()
    let server = try treeServer(pages: pages, requests: requests)
    defer { server.stop() }
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("marquee-crawl-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    let arguments = [
        "crawl", "\(server.base)/p/0", "--frontier", folder.appendingPathComponent("crawl.sqlite").path, "--pages",
        folder.appendingPathComponent("pages").path, "--concurrency", "\(concurrency)", "--rate", "0",
        "--host-concurrency", "\(concurrency)", "--max-depth", "20", "--allow-private",
    ]
    // Kill points: after random numbers of pages served (so timing and machine load do not
    // matter), increasing across the five runs.
    var generator = SystemRandomNumberGenerator()
    let targets = (0..<5).map { _ in Int.random(in: 50..<(pages - 200), using: &generator) }.sorted()
    func served() -> Int { requests.counts.withLock { $0.keys.filter { $0.hasPrefix("/p/") }.count } }
    var killed = 0
    var outcomes: [String] = []
    for target in targets {
        let (process, errors) = try startMarquee(arguments)
        while process.isRunning, served() < target { usleep(500) }
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            killed += 1
        }
        process.waitUntilExit()
        let stderr = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        outcomes.append(
            "\(process.terminationReason == .uncaughtSignal ? "killed" : "exit \(process.terminationStatus)") at \(served()) \(stderr.suffix(300))"
        )
    }
    let final = try runMarquee(arguments)
    #expect(final.status == 0, "\(final.stderr)")
    #expect(killed == 5, "a run ended before its kill point: \(outcomes)")

    let frontier = try Frontier(path: folder.appendingPathComponent("crawl.sqlite").path)
    let recorded = try frontier.pages()
    #expect(recorded.count == pages)
    #expect(Set(recorded.map { $0.fingerprint }).count == pages)
    #expect(Set(recorded.map { $0.record.url }).count == pages)
    #expect(try frontier.counts().byState[.done] == pages)
    // Bodies are in the content-addressed store and read back intact.
    let store = PageStore(root: folder.appendingPathComponent("pages"))
    for (_, record) in recorded.prefix(50) {
        let body = try store.get(record.bodySHA256)
        #expect(body.count == record.bodyBytes)
    }
    // A page is fetched again only if a kill caught it in flight.
    let fetches = requests.counts.withLock { $0.filter { $0.key.hasPrefix("/p/") } }
    #expect(fetches.count == pages)
    let refetched = fetches.values.reduce(0) { $0 + $1 - 1 }
    #expect(refetched <= killed * concurrency, "\(refetched) refetches after \(killed) kills")

    let status = try runMarquee(["crawl-status", "--frontier", folder.appendingPathComponent("crawl.sqlite").path])
    #expect(status.stdout.contains("pages recorded: \(pages)"))
}

@Test func crawlRefusesLoopbackUnlessAllowedAndRecordsFailures() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("marquee-crawl-\(UUID().uuidString)")
    let refused = try runMarquee([
        "crawl", "http://127.0.0.1:9/", "--frontier", folder.appendingPathComponent("c.sqlite").path,
    ])
    #expect(refused.status == 64)
    #expect(refused.stderr.contains("--allow-private"))

    let server = try LoopbackServer { path in
        switch path {
        case "/":
            .response(
                200, headers: [("Content-Type", "text/html")],
                body: Data(
                    #"<a href="/gone">x</a> <a href="/secret">y</a> <a href="https://elsewhere.example/">z</a>"#.utf8))
        case "/robots.txt": .response(200, body: Data("User-agent: *\nDisallow: /secret\n".utf8))
        default: .response(404, "Not Found")
        }
    }
    defer { server.stop() }
    let frontier = folder.appendingPathComponent("c.sqlite").path
    let result = try runMarquee([
        "crawl", server.base + "/", "--frontier", frontier, "--pages", folder.appendingPathComponent("p").path,
        "--rate", "0", "--allow-private", "--max-attempts", "1",
    ])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout.contains("1 pages recorded, 0 unchanged (304), 2 failed"))
    let status = try runMarquee(["crawl-status", "--frontier", frontier])
    #expect(status.stdout.contains("failed http-404: 1"))
    #expect(status.stdout.contains("failed robots-disallowed: 1"))
    #expect(!status.stdout.contains("elsewhere.example"))  // other hosts are not followed
}

/// Record a crawl as WARC, stop the server, replay it: the same pages, byte for byte, offline.
@Test func crawlRecordedAsWARCReplaysOfflineByteForByte() throws {
    let requests = RequestLog()
    let server = try treeServer(pages: 63, requests: requests)
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("marquee-replay-\(UUID().uuidString)")
    func crawl(_ name: String, _ extra: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
        try runMarquee(
            [
                "crawl", "\(server.base)/p/0", "--frontier", folder.appendingPathComponent("\(name).sqlite").path,
                "--pages", folder.appendingPathComponent("\(name)-pages").path, "--rate", "0", "--allow-private",
                "--max-depth", "10",
            ] + extra)
    }
    let recorded = try crawl("live", ["--warc", folder.appendingPathComponent("warc").path])
    #expect(recorded.status == 0, "\(recorded.stderr)")
    server.stop()
    let served = requests.counts.withLock { $0.values.reduce(0, +) }
    let replayed = try crawl("replay", ["--replay", folder.appendingPathComponent("warc").path])
    #expect(replayed.status == 0, "\(replayed.stderr)")
    #expect(replayed.stdout.contains("63 pages recorded, 0 unchanged (304), 0 failed"))
    #expect(requests.counts.withLock { $0.values.reduce(0, +) } == served)  // nothing reached the server

    let live = try Frontier(path: folder.appendingPathComponent("live.sqlite").path).pages()
    let replay = try Frontier(path: folder.appendingPathComponent("replay.sqlite").path).pages()
    #expect(live.count == 63)
    let liveBodies = Dictionary(uniqueKeysWithValues: live.map { ($0.record.url, $0.record.bodySHA256) })
    let replayBodies = Dictionary(uniqueKeysWithValues: replay.map { ($0.record.url, $0.record.bodySHA256) })
    #expect(liveBodies == replayBodies)

    // A URL the recording lacks fails as not-recorded instead of touching the network.
    let miss = try runMarquee([
        "crawl", "\(server.base)/elsewhere", "--frontier", folder.appendingPathComponent("miss.sqlite").path,
        "--pages", folder.appendingPathComponent("miss-pages").path, "--allow-private", "--replay",
        folder.appendingPathComponent("warc").path,
    ])
    #expect(miss.stdout.contains("0 pages recorded, 0 unchanged (304), 1 failed"), "\(miss.stdout) \(miss.stderr)")
}

/// Refetches ask conditionally: an unchanged page answers 304 and leaves no new record; a
/// changed one is recorded again.
@Test func refreshSendsValidatorsAndA304CostsNothing() throws {
    let seen = RequestLog()
    final class Versions: Sendable {
        let tags = Mutex<[String: String]>(["/": "\"v1\"", "/a": "\"v1\""])
    }
    let versions = Versions()
    let server = try LoopbackServer { path, headers in
        seen.counts.withLock { $0[path + " " + (headers["if-none-match"] ?? "-"), default: 0] += 1 }
        guard let tag = versions.tags.withLock({ $0[path] }) else { return .response(404, "Not Found") }
        if headers["if-none-match"] == tag { return .response(304, "Not Modified", headers: [("ETag", tag)]) }
        let body = path == "/" ? #"<a href="/a">a</a>"# : "page a \(tag)"
        return .response(200, headers: [("Content-Type", "text/html"), ("ETag", tag)], body: Data(body.utf8))
    }
    defer { server.stop() }
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("marquee-refresh-\(UUID().uuidString)")
    let arguments = [
        "crawl", server.base + "/", "--frontier", folder.appendingPathComponent("c.sqlite").path, "--pages",
        folder.appendingPathComponent("p").path, "--rate", "0", "--allow-private",
    ]
    let first = try runMarquee(arguments)
    #expect(first.stdout.contains("2 pages recorded, 0 unchanged (304)"), "\(first.stdout) \(first.stderr)")
    let again = try runMarquee(arguments)  // nothing due: nothing fetched
    #expect(again.stdout.contains("0 pages recorded, 0 unchanged (304)"), "\(again.stdout)")

    versions.tags.withLock { $0["/a"] = "\"v2\"" }
    let refreshed = try runMarquee(arguments + ["--refresh-after", "0"])
    #expect(refreshed.stdout.contains("1 pages recorded, 1 unchanged (304)"), "\(refreshed.stdout) \(refreshed.stderr)")
    let log = seen.counts.withLock { $0 }
    #expect(log[#"/ "v1""#] == 1)  // the root was asked for conditionally and answered 304
    #expect(log[#"/a "v1""#] == 1)  // /a too, but it had changed
    let pages = try Frontier(path: folder.appendingPathComponent("c.sqlite").path).pages()
    #expect(pages.count == 3)  // /, /a, and /a again; the 304 left no record
}

/// SIGTERM is a request, not a kill: the crawl stops claiming, finishes and records what is in
/// flight, exits 75, and the next run fetches every remaining page — none twice.
@Test func sigtermStopsTheCrawlAtASafePointAndTheRerunRefetchesNothing() throws {
    let pages = 1_000
    let requests = RequestLog()
    let server = try treeServer(pages: pages, requests: requests)
    defer { server.stop() }
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("marquee-term-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let arguments = [
        "crawl", "\(server.base)/p/0", "--frontier", folder.appendingPathComponent("crawl.sqlite").path, "--pages",
        folder.appendingPathComponent("pages").path, "--concurrency", "8", "--rate", "0", "--host-concurrency", "8",
        "--max-depth", "20", "--allow-private",
    ]
    func served() -> Int { requests.counts.withLock { $0.keys.filter { $0.hasPrefix("/p/") }.count } }
    let (process, errors) = try startMarquee(arguments)
    while process.isRunning, served() < 200 { usleep(500) }
    let signalled = process.isRunning
    if signalled { kill(process.processIdentifier, SIGTERM) }
    process.waitUntilExit()
    let stderr = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    #expect(signalled, "the crawl finished before the signal")
    #expect(process.terminationReason == .exit && process.terminationStatus == 75, "\(stderr.suffix(400))")
    #expect(stderr.contains("stopped by a signal"))
    let servedAtStop = served()
    #expect(servedAtStop < pages)

    let final = try runMarquee(arguments)
    #expect(final.status == 0, "\(final.stderr)")
    let fetches = requests.counts.withLock { $0.filter { $0.key.hasPrefix("/p/") } }
    #expect(fetches.count == pages)
    #expect(fetches.values.allSatisfy { $0 == 1 }, "a page was fetched twice after a graceful stop")
    #expect(try Frontier(path: folder.appendingPathComponent("crawl.sqlite").path).pageCount() == pages)
}

/// The three loopback spellings a string match missed are refused as seeds; a public-looking
/// name that resolves to loopback gets past the seed check but not past the connection; with
/// `--allow-private` the same crawl fetches.
@Test func crawlRefusesLoopbackInEverySpellingAndBehindANameUnlessAllowed() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("marquee-guard-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: folder) }
    let server = try LoopbackServer { _ in .response(200, headers: [("Content-Type", "text/html")], body: Data("<p>hi</p>".utf8)) }
    defer { server.stop() }
    for (index, spelling) in ["2130706433", "127.1", "[::ffff:127.0.0.1]"].enumerated() {
        let refused = try runMarquee([
            "crawl", "http://\(spelling):\(server.port)/", "--frontier", folder.appendingPathComponent("s\(index).sqlite").path,
        ])
        #expect(refused.status == 64, "\(spelling): \(refused.stderr)")
        #expect(refused.stderr.contains("loopback or private"), "\(spelling)")
    }
    func crawl(_ name: String, _ extra: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
        try runMarquee(
            [
                "crawl", "http://films.example.com:\(server.port)/", "--resolve",
                "films.example.com:\(server.port):127.0.0.1", "--ignore-robots", "--rate", "0", "--max-attempts", "1",
                "--frontier", folder.appendingPathComponent("\(name).sqlite").path, "--pages",
                folder.appendingPathComponent("\(name)-pages").path,
            ] + extra)
    }
    let blocked = try crawl("named", [])
    #expect(blocked.stdout.contains("0 pages recorded"), "\(blocked.stdout) \(blocked.stderr)")
    let status = try runMarquee(["crawl-status", "--frontier", folder.appendingPathComponent("named.sqlite").path])
    #expect(status.stdout.contains("failed private-address: 1"), "\(status.stdout)")
    let allowed = try crawl("allowed", ["--allow-private"])
    #expect(allowed.stdout.contains("1 pages recorded"), "\(allowed.stdout) \(allowed.stderr)")
}

/// Whether this machine lets a test make its own network namespace (`unshare -rn`), where an
/// address that is not private (198.51.100.7) can be put on the loopback device.
private let networkNamespaces: Bool = {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/unshare")
    process.arguments = ["-rn", "/bin/sh", "-c", "ip link set lo up && ip addr add 198.51.100.7/32 dev lo"]
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    guard (try? process.run()) != nil else { return false }
    process.waitUntilExit()
    return process.terminationStatus == 0
}()

/// A crawl of a public address (198.51.100.7, inside a network namespace of the test's own) whose
/// page redirects to a private one: a redirect to `127.0.0.1` leaves the crawl's hosts and is
/// refused as offsite; a redirect to the same name on another port that resolves to 127.0.0.1 is
/// refused at the connection (`private-address`) — and the private server never sees a request;
/// with `--allow-private` the same crawl follows it.
@Test(.enabled(if: SharedData.runs(networkNamespaces), "needs network namespaces: unshare -rn and ip (iproute2)"))
func aRedirectFromAPublicAddressToAPrivateOneIsRefused() throws {
    #expect(networkNamespaces, "unshare -rn with ip addr failed: CI needs network namespaces (run as root, iproute2)")
    let folder = try makeScratchFolder("redirect-guard")
    defer { try? FileManager.default.removeItem(at: folder) }
    let server = folder.appendingPathComponent("server.py")
    try """
    import http.server, sys, threading
    class Public(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            targets = {"/to-loopback": "http://127.0.0.1:8081/secret", "/to-name": "http://films.example:8081/secret"}
            if self.path in targets:
                self.send_response(302); self.send_header("Location", targets[self.path])
                self.send_header("Content-Length", "0"); self.end_headers()
            elif self.path == "/ok":
                body = b"<p>public</p>"
                self.send_response(200); self.send_header("Content-Type", "text/html")
                self.send_header("Content-Length", str(len(body))); self.end_headers(); self.wfile.write(body)
            else:
                self.send_response(404); self.send_header("Content-Length", "0"); self.end_headers()
        def log_message(self, *args): pass
    class Private(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            with open(sys.argv[1], "a") as log: log.write(self.path + "\\n")
            body = b"<p>secret</p>"
            self.send_response(200); self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(body))); self.end_headers(); self.wfile.write(body)
        def log_message(self, *args): pass
    servers = [http.server.HTTPServer(("198.51.100.7", 8080), Public), http.server.HTTPServer(("127.0.0.1", 8081), Private)]
    for s in servers: threading.Thread(target=s.serve_forever, daemon=True).start()
    open(sys.argv[2], "w").close()
    threading.Event().wait()
    """.write(to: server, atomically: true, encoding: .utf8)
    let binary = try marqueeBinary().path
    let log = folder.appendingPathComponent("private.log").path
    let ready = folder.appendingPathComponent("ready").path
    let cases = [
        ("loopback", ["http://films.example:8080/to-loopback"]),
        ("name", ["http://films.example:8080/to-name", "--ignore-robots"]),
        ("control", ["http://films.example:8080/ok"]),
        ("allowed", ["http://films.example:8080/to-name", "--ignore-robots", "--allow-private"]),
    ]
    var script = """
        set -e
        ip link set lo up
        ip addr add 198.51.100.7/32 dev lo
        touch \(log)
        python3 \(server.path) \(log) \(ready) &
        SERVER=$!
        for i in $(seq 100); do [ -e \(ready) ] && break; sleep 0.05; done
        set +e

        """
    for (name, arguments) in cases {
        let quoted = arguments.map { "'\($0)'" }.joined(separator: " ")
        script += """
            \(binary) crawl \(quoted) --resolve films.example:8080:198.51.100.7 \
            --resolve films.example:8081:127.0.0.1 --rate 0 --max-attempts 1 --max-depth 0 \
            --frontier \(folder.path)/\(name).sqlite --pages \(folder.path)/\(name)-pages \
            > \(folder.path)/\(name).out 2> \(folder.path)/\(name).err
            cp \(log) \(folder.path)/\(name).log
            \(binary) crawl-status --frontier \(folder.path)/\(name).sqlite > \(folder.path)/\(name).status 2>&1

            """
    }
    script += "kill $SERVER\n"
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/unshare")
    process.arguments = ["-rn", "/bin/sh", "-c", script]
    try process.run()
    process.waitUntilExit()
    #expect(process.terminationStatus == 0)
    func read(_ name: String) -> String {
        (try? String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)) ?? ""
    }
    #expect(read("control.out").contains("1 pages recorded"), "\(read("control.out")) \(read("control.err"))")
    #expect(read("loopback.out").contains("0 pages recorded"), "\(read("loopback.out")) \(read("loopback.err"))")
    #expect(read("loopback.status").contains("failed offsite: 1"), "\(read("loopback.status"))")
    #expect(read("name.out").contains("0 pages recorded"), "\(read("name.out")) \(read("name.err"))")
    #expect(read("name.status").contains("failed private-address: 1"), "\(read("name.status"))")
    #expect(read("name.log").isEmpty, "the private server was asked for \(read("name.log"))")
    #expect(read("allowed.out").contains("1 pages recorded"), "\(read("allowed.out")) \(read("allowed.err"))")
    #expect(read("allowed.log") == "/secret\n")
}
