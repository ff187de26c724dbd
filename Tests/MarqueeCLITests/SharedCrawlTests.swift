import Foundation
import Logging
import MarqueeFetch
import MarqueePostgres
import MarqueeTestKit
import Synchronization
import Testing

/// When each page was asked for, as the loopback server saw it (seconds, monotonic).
private final class ArrivalLog: Sendable {
    let arrivals = Mutex<[(path: String, at: Double)]>([])
    var pagePaths: [String] { arrivals.withLock { $0.map(\.path).filter { $0.hasPrefix("/p/") } } }
}

/// The busiest window of `seconds` in the sorted times: how many requests it holds.
private func busiest(_ times: [Double], seconds: Double) -> Int {
    var best = 0
    var start = 0
    for end in times.indices {
        while times[end] - times[start] > seconds { start += 1 }
        best = max(best, end - start + 1)
    }
    return best
}

/// Four `marquee crawl` workers share one PostgreSQL frontier over a 2,000-page loopback site;
/// two are killed with SIGKILL mid-crawl and restarted (one under its old worker id, which takes
/// its claims back at once; one under a new id, so the dead worker's claims come back only when
/// their leases expire). Every page is recorded exactly once, robots.txt is fetched once for all,
/// and the host's request rate across all workers stays at the limit (from the server's own
/// arrival times).
@Test(.enabled(if: TestPostgres.runs, "\(TestPostgres.skipMessage)"))
func fourWorkersShareOneFrontierThroughKills() async throws {
    let pages = 2_000
    let rate = 100.0
    let log = ArrivalLog()
    let server = try LoopbackServer { path in
        log.arrivals.withLock { $0.append((path, ProcessInfo.processInfo.systemUptime)) }
        return treePage(path, pages: pages)
    }
    defer { server.stop() }
    var logger = Logger(label: "test")
    logger.logLevel = .error
    let url = try await makeTestDatabaseURL("crawl")
    func worker(_ id: String) throws -> (process: Process, stderr: Pipe) {
        try startMarquee([
            "crawl", "\(server.base)/p/0", "--frontier", url, "--worker-id", id, "--lease", "3",
            "--concurrency", "8", "--rate", "\(Int(rate))",
            "--host-concurrency", "8", "--max-depth", "20", "--allow-private",
        ])
    }
    func waitForPages(_ count: Int) {
        let deadline = Date().addingTimeInterval(120)
        while log.pagePaths.count < count, Date() < deadline { usleep(2_000) }
    }
    var workers = try ["w1", "w2", "w3", "w4"].map(worker)
    waitForPages(500)
    for victim in workers.prefix(2) {
        kill(victim.process.processIdentifier, SIGKILL)
        victim.process.waitUntilExit()
        #expect(victim.process.terminationReason == .uncaughtSignal, "a worker ended before it was killed")
    }
    waitForPages(900)
    workers += [try worker("w1"), try worker("w5")]
    var stderrs: [String] = []
    for (index, running) in workers.enumerated().dropFirst(2) {
        running.process.waitUntilExit()
        let stderr = String(decoding: running.stderr.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        stderrs.append(stderr)
        #expect(running.process.terminationStatus == 0, "worker \(index): \(stderr.suffix(500))")
    }

    let frontier = try await PostgresFrontier(
        backend: PostgresBackend(PostgresLocation(url: url), logger: logger), worker: "checker")
    let recorded = try await frontier.pages()
    #expect(recorded.count == pages, "\(recorded.count) page records")
    #expect(Set(recorded.map(\.fingerprint)).count == recorded.count, "a page was recorded twice")
    #expect(try await frontier.counts().byState == [.done: pages])
    // Bodies went to the frontier's database (no --pages): any machine reads them back.
    let bodies = try await PostgresPageBodies(backend: frontier.backend)
    #expect(try await bodies.totals().bodies == pages)
    for (_, page) in recorded.prefix(20) {
        #expect(try await bodies.get(page.bodySHA256).count == page.bodyBytes)
    }
    let perWorker = try await frontier.workerCounts()
    #expect(Set(perWorker.keys).isSuperset(of: ["w3", "w4", "w1", "w5"]), "\(perWorker)")
    // Every page was asked for; again only if a killed worker had it in flight (≤ 2 × 8).
    let fetched = log.pagePaths
    #expect(Set(fetched).count == pages)
    // robots.txt (a 404 here: no restrictions) was asked for once by the six worker runs together.
    #expect(log.arrivals.withLock { $0.filter { $0.path == "/robots.txt" }.count } == 1)
    #expect(fetched.count - pages <= 16, "\(fetched.count - pages) pages fetched twice")
    // The shared pace: starts are reserved 1/rate apart on the database's clock, so what reaches
    // the server bunches only by scheduling jitter (a loaded 2-core machine: a few ms). Four
    // workers pacing alone would send 4 × rate; the busiest second stays within 10 % of rate.
    let times = log.arrivals.withLock { $0.filter { $0.path.hasPrefix("/p/") }.map(\.at) }.sorted()
    let peak = busiest(times, seconds: 1)
    #expect(Double(peak) <= rate * 1.1, "\(peak) requests within one second at --rate \(Int(rate))")
    let status = try runMarquee(["crawl-status", "--frontier", url])
    #expect(status.status == 0 && status.stdout.contains("pages recorded: \(pages)"), "\(status.stderr)")
    #expect(status.stdout.contains("w5") && !status.stdout.contains(url), "the password is printed")
    print("shared crawl: busiest second \(peak) requests at --rate \(Int(rate)); workers \(perWorker)")
}

/// A crawl replayed into a shared frontier (bodies in PostgreSQL) reparses into the same records
/// as the same crawl into SQLite and a pages folder.
@Test(.enabled(if: TestPostgres.runs, "\(TestPostgres.skipMessage)"))
func reparseReadsASharedFrontierLikeALocalOne() async throws {
    let url = try await makeTestDatabaseURL("reparse")
    let folder = try makeScratchFolder("shared-reparse")
    defer { try? FileManager.default.removeItem(at: folder) }
    let crawl = ["crawl", "https://letterboxd.com/marqueedemo/films/diary/", "--replay", "fixtures/letterboxd"]
    let local = ["--frontier", folder.appendingPathComponent("c.sqlite").path, "--pages", folder.appendingPathComponent("p").path]
    for state in [local, ["--frontier", url]] {
        let result = try runMarquee(crawl + state)
        #expect(result.status == 0, "\(result.stderr)")
    }
    var outputs: [[Substring]] = []
    for (name, state) in [("local", local), ("shared", ["--frontier", url])] {
        let out = folder.appendingPathComponent("\(name).jsonl")
        let result = try runMarquee(["reparse", "--out", out.path] + state)
        #expect(result.status == 0, "\(result.stderr)")
        outputs.append(try String(contentsOf: out, encoding: .utf8).split(whereSeparator: \.isNewline).sorted())
    }
    // The crawl records the two diary pages (the fixtures hold no other page its links reach).
    #expect(outputs[0].count == 4 && outputs[0].allSatisfy { $0.contains(#""type":"user_rating""#) }, "\(outputs[0])")
    #expect(outputs[0] == outputs[1])
}
