import Foundation
import Logging
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// How far a long task has come: what a progress bar or a progress log line shows.
public struct ProgressSnapshot: Sendable, Equatable {
    /// What is being done: `import`, `crawl`, `dataset build`.
    public var task: String
    /// What is counted: `ratings`, `pages`, `rows`, `folds`.
    public var unit: String
    /// Units done so far.
    public var done: Int
    /// Units in all, when known.
    public var total: Int?
    /// Seconds since the task started.
    public var elapsed: Double

    /// Creates a snapshot.
    public init(task: String, unit: String, done: Int, total: Int?, elapsed: Double) {
        self.task = task
        self.unit = unit
        self.done = done
        self.total = total
        self.elapsed = elapsed
    }

    /// Units per second so far (0 before any time has passed).
    public var rate: Double { elapsed > 0 ? Double(done) / elapsed : 0 }

    /// Seconds left at the rate so far; `nil` when the total or the rate is unknown.
    public var remaining: Double? {
        guard let total, rate > 0 else { return nil }
        return max(0, Double(total - done) / rate)
    }

    /// One terminal line: `import [########------------] 41,230/100,836 ratings  20.1k/s  ETA 0:03`
    /// (without a total: count, rate and elapsed time). `width` is the bar's width in cells.
    public func line(width: Int = 24) -> String {
        let count = Self.grouped(done) + (total.map { "/" + Self.grouped($0) } ?? "")
        let speed = "\(Self.compact(rate))/s"
        guard let total, total > 0 else {
            return "\(task) \(count) \(unit)  \(speed)  \(Self.clock(elapsed))"
        }
        let filled = min(width, Int((Double(done) / Double(total) * Double(width)).rounded(.down)))
        let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled)
        let eta = remaining.map { "ETA \(Self.clock($0))" } ?? "ETA ?"
        return "\(task) [\(bar)] \(count) \(unit)  \(speed)  \(eta)"
    }

    /// The snapshot as log metadata (`task`, `unit`, `done`, `total`, `rate`, `eta_s`, `elapsed_s`).
    public var metadata: Logger.Metadata {
        var fields: Logger.Metadata = [
            "task": "\(task)", "unit": "\(unit)", "done": "\(done)",
            "rate": "\(String(format: "%.1f", rate))", "elapsed_s": "\(String(format: "%.1f", elapsed))",
        ]
        if let total { fields["total"] = "\(total)" }
        if let remaining { fields["eta_s"] = "\(String(format: "%.0f", remaining))" }
        return fields
    }

    static func grouped(_ value: Int) -> String {
        let digits = String(value.magnitude)
        var out = ""
        for (index, digit) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { out.append(",") }
            out.append(digit)
        }
        return (value < 0 ? "-" : "") + out
    }

    static func compact(_ value: Double) -> String {
        switch value {
        case ..<10: String(format: "%.1f", value)
        case ..<10_000: String(format: "%.0f", value)
        case ..<10_000_000: String(format: "%.1fk", value / 1000)
        default: String(format: "%.1fM", value / 1_000_000)
        }
    }

    static func clock(_ seconds: Double) -> String {
        let whole = Int(seconds.rounded())
        return whole >= 3600
            ? String(format: "%d:%02d:%02d", whole / 3600, whole / 60 % 60, whole % 60)
            : String(format: "%d:%02d", whole / 60, whole % 60)
    }
}

/// Where progress goes.
public enum ProgressDisplay: Sendable, Equatable {
    /// A bar redrawn in place on standard error (a terminal), at most ten times a second.
    case bar
    /// A `progress` log line at `notice` level every `interval` seconds and when the task ends
    /// (off a terminal: cron mail, CI logs, `--log-format json` collectors).
    case logLines(interval: Double)
    /// Nothing (`--quiet`).
    case none

    /// A bar when standard error is a terminal, log lines every 10 s otherwise, nothing when `quiet`.
    public static func automatic(quiet: Bool, terminal: Bool = isatty(2) != 0) -> ProgressDisplay {
        quiet ? .none : terminal ? .bar : .logLines(interval: 10)
    }
}

/// Counts a long task's progress and shows it as ``ProgressDisplay`` says; safe to advance from
/// many threads. Library functions take an optional meter and advance it; the caller decides
/// where it shows (a command line: bar or log lines; a notebook: none, or its own log handler).
///
/// ```swift
/// let meter = ProgressMeter("import", unit: "ratings", total: 100_836, display: .automatic(quiet: false))
/// for row in rows { …; meter.advance() }
/// meter.finish()
/// ```
public final class ProgressMeter: Sendable {
    private struct State {
        var done = 0
        var total: Int?
        var lastShown = -Double.infinity
        var finished = false
    }

    /// What is being done.
    public let task: String
    /// What is counted.
    public let unit: String
    /// Where it shows.
    public let display: ProgressDisplay
    private let logger: Logger
    private let clock: any WallClock
    private let started: Date
    private let write: @Sendable (String) -> Void
    private let state: Mutex<State>

    /// A meter for `task`, counting `unit`, out of `total` when known.
    /// - Parameters:
    ///   - task: what is being done, shown first (`import`, `dataset ratings`).
    ///   - unit: what is counted (`rows`, `pages`, `epochs`).
    ///   - total: units in all, when known (``update(done:total:)`` can set it later).
    ///   - display: a bar, log lines, or nothing (``ProgressDisplay/automatic(quiet:terminal:)``).
    ///   - logger: where `.logLines` go (label `marquee.progress` by default).
    ///   - clock: the time source (tests pass a ``ManualClock``).
    ///   - write: where `.bar` text goes (standard error by default; tests capture it).
    public init(
        _ task: String, unit: String, total: Int? = nil, display: ProgressDisplay,
        logger: Logger = Logger(label: "marquee.progress"), clock: any WallClock = SystemClock(),
        write: @escaping @Sendable (String) -> Void = { FileHandle.standardError.write(Data($0.utf8)) }
    ) {
        self.task = task
        self.unit = unit
        self.display = display
        self.logger = logger
        self.clock = clock
        self.started = clock.now()
        self.write = write
        // A bar shows at once; log lines only after a first interval (a short task logs one line, its last).
        self.state = Mutex(State(total: total, lastShown: display == .bar ? -Double.infinity : 0))
    }

    /// Where the task stands now.
    public var snapshot: ProgressSnapshot {
        let (done, total) = state.withLock { ($0.done, $0.total) }
        return ProgressSnapshot(
            task: task, unit: unit, done: done, total: total, elapsed: clock.now().timeIntervalSince(started))
    }

    /// Counts `count` more units done.
    public func advance(by count: Int = 1) {
        state.withLock { $0.done += count }
        show(final: false)
    }

    /// Sets the count (and the total, when it became known or changed), e.g. from a frontier's counts.
    public func update(done: Int, total: Int? = nil) {
        state.withLock {
            $0.done = done
            if let total { $0.total = total }
        }
        show(final: false)
    }

    /// Shows the final state (a bar's last line ends with a newline; a last log line with
    /// `finished=true`). Later calls do nothing.
    public func finish() {
        guard
            state.withLock({ state -> Bool in
                defer { state.finished = true }
                return !state.finished
            })
        else { return }
        show(final: true)
    }

    private func show(final: Bool) {
        let interval: Double
        switch display {
        case .none: return
        case .bar: interval = 0.1
        case .logLines(let seconds): interval = seconds
        }
        let now = clock.now().timeIntervalSince(started)
        let due = state.withLock { state -> Bool in
            guard final || (!state.finished && now - state.lastShown >= interval) else { return false }
            state.lastShown = now
            return true
        }
        guard due else { return }
        let current = snapshot
        switch display {
        case .bar: write("\r\u{1B}[K" + current.line() + (final ? "\n" : ""))
        case .logLines:
            var metadata = current.metadata
            if final { metadata["finished"] = "true" }
            logger.notice("progress", metadata: metadata)
        case .none: break
        }
    }
}
