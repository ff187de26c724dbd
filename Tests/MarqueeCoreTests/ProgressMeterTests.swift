import Foundation
import Logging
import Synchronization
import Testing

@testable import MarqueeCore

@Suite struct ProgressMeterTests {
    @Test func aLineShowsTheBarTheCountTheRateAndTheTimeLeft() {
        let half = ProgressSnapshot(task: "import", unit: "rows", done: 50_000, total: 100_000, elapsed: 2)
        #expect(half.rate == 25_000)
        #expect(half.remaining == 2)
        #expect(half.line(width: 10) == "import [#####-----] 50,000/100,000 rows  25.0k/s  ETA 0:02")
        let open = ProgressSnapshot(task: "crawl", unit: "pages", done: 1234, total: nil, elapsed: 3725)
        #expect(open.line() == "crawl 1,234 pages  0.3/s  1:02:05")
        let start = ProgressSnapshot(task: "t", unit: "u", done: 0, total: 10, elapsed: 0)
        #expect(start.remaining == nil && start.line(width: 4) == "t [----] 0/10 u  0.0/s  ETA ?")
        #expect(start.metadata["eta_s"] == nil && start.metadata["total"] == "10")
    }

    @Test func offATerminalItLogsOncePerIntervalAndOnceAtTheEnd() {
        let lines = Mutex<[String]>([])
        let logger = Logger(label: "marquee.progress") { label in
            LineLogHandler(label: label, format: .json, sink: .closure { line in lines.withLock { $0.append(line) } })
        }
        let clock = ManualClock(Date(timeIntervalSince1970: 0))
        let meter = ProgressMeter(
            "import", unit: "rows", total: 30, display: .logLines(interval: 10), logger: logger, clock: clock)
        for _ in 0..<10 { meter.advance() }
        #expect(lines.withLock { $0 }.isEmpty, "no line before the first interval")
        clock.advance(by: 10)
        meter.advance()
        clock.advance(by: 5)
        meter.advance(by: 9)
        #expect(lines.withLock { $0.count } == 1)
        clock.advance(by: 5)
        meter.advance(by: 10)
        meter.finish()
        meter.finish()
        let logged = lines.withLock { $0 }
        #expect(logged.count == 3)
        #expect(logged[0].contains("\"done\":\"11\"") && logged[0].contains("\"total\":\"30\""))
        #expect(logged[2].contains("\"done\":\"30\"") && logged[2].contains("\"finished\":\"true\""))
        #expect(logged.allSatisfy { $0.contains("\"message\":\"progress\"") && $0.contains("\"level\":\"notice\"") })
    }

    @Test func aBarRedrawsInPlaceAndEndsWithANewline() {
        let written = Mutex<[String]>([])
        let clock = ManualClock(Date(timeIntervalSince1970: 0))
        let meter = ProgressMeter(
            "reparse", unit: "pages", total: 4, display: .bar, clock: clock,
            write: { text in written.withLock { $0.append(text) } })
        meter.advance()
        meter.advance()  // within 0.1 s: not redrawn
        clock.advance(by: 1)
        meter.advance(by: 2)
        meter.finish()
        let frames = written.withLock { $0 }
        #expect(frames.count == 3)
        #expect(frames.allSatisfy { $0.hasPrefix("\r\u{1B}[K") })
        #expect(frames[2].hasSuffix("4/4 pages  4.0/s  ETA 0:00\n"))
    }

    @Test func quietShowsNothingAndCountsStayExactAcrossThreads() {
        #expect(ProgressDisplay.automatic(quiet: true, terminal: true) == .none)
        #expect(ProgressDisplay.automatic(quiet: false, terminal: true) == .bar)
        #expect(ProgressDisplay.automatic(quiet: false, terminal: false) == .logLines(interval: 10))
        let written = Mutex(0)
        let meter = ProgressMeter(
            "t", unit: "u", display: .none, write: { _ in written.withLock { $0 += 1 } })
        DispatchQueue.concurrentPerform(iterations: 8) { _ in
            for _ in 0..<10_000 { meter.advance() }
        }
        meter.finish()
        #expect(meter.snapshot.done == 80_000)
        #expect(written.withLock { $0 } == 0)
    }
}
