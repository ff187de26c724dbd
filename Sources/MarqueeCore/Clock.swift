import Foundation
import Synchronization

/// Where "now" comes from; tests pass a fixed or stepping clock.
public protocol WallClock: Sendable {
    /// The current time.
    func now() -> Date
}

/// The system's wall clock.
public struct SystemClock: WallClock {
    /// Creates the system clock.
    public init() {}
    /// `Date()`.
    public func now() -> Date { Date() }
}

/// A clock that returns a set time until moved; for tests.
public final class ManualClock: WallClock {
    private let current: Mutex<Date>

    /// Starts at `date`.
    public init(_ date: Date) { current = Mutex(date) }

    /// The set time.
    public func now() -> Date { current.withLock { $0 } }

    /// Moves the clock by `seconds`.
    public func advance(by seconds: TimeInterval) { current.withLock { $0 += seconds } }
}

/// UTC timestamps as integer microseconds since 1970, the store's time unit.
public enum Microseconds {
    /// `date` in microseconds since 1970-01-01T00:00:00Z (rounded to the nearest microsecond).
    public static func from(_ date: Date) -> Int64 { Int64((date.timeIntervalSince1970 * 1_000_000).rounded()) }

    /// The date for microseconds since 1970.
    public static func date(_ microseconds: Int64) -> Date {
        Date(timeIntervalSince1970: Double(microseconds) / 1_000_000)
    }

    /// ISO 8601 UTC text: `2026-11-25T14:52:36Z`, with fractional seconds only when present.
    public static func iso(_ microseconds: Int64) -> String {
        let seconds = microseconds.quotientAndRemainder(dividingBy: 1_000_000)
        var whole = seconds.quotient
        var fraction = seconds.remainder
        if fraction < 0 {
            whole -= 1
            fraction += 1_000_000
        }
        let base = Date(timeIntervalSince1970: Double(whole)).formatted(.iso8601)
        guard fraction != 0 else { return base }
        return String(base.dropLast()) + String(format: ".%06dZ", fraction)
    }

    /// Parses ISO 8601 (`2019-02-05`, `2019-02-05T10:00:00Z`, with fraction or offset) or
    /// plain integer seconds since 1970; `nil` when it is neither.
    public static func parse(_ text: String) -> Int64? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if let seconds = Int64(trimmed) { return seconds * 1_000_000 }
        let withTime = trimmed.count == 10 ? trimmed + "T00:00:00Z" : trimmed
        for style in [Date.ISO8601FormatStyle(includingFractionalSeconds: true), Date.ISO8601FormatStyle()] {
            if let date = try? style.parse(withTime) { return from(date) }
        }
        return nil
    }
}
