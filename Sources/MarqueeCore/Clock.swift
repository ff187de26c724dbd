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
    /// The seconds since 1970 that the store accepts: years 0001 to 9999, as ISO 8601 writes
    /// them. Anything outside is a typing error (a timestamp in milliseconds, a digit too many),
    /// and its microseconds could overflow 64 bits.
    public static let secondsRange: ClosedRange<Int64> = -62_135_596_800...253_402_300_799

    /// `seconds` since 1970 in microseconds; `nil` outside ``secondsRange`` (never an overflow).
    public static func fromSeconds(_ seconds: Int64) -> Int64? {
        secondsRange.contains(seconds) ? seconds * 1_000_000 : nil
    }

    /// `date` in microseconds since 1970-01-01T00:00:00Z (rounded to the nearest microsecond),
    /// clamped to ``secondsRange`` (a `Date` far outside it cannot come from a page or a file
    /// that passed its checks; clamping keeps the conversion total).
    public static func from(_ date: Date) -> Int64 {
        let seconds = date.timeIntervalSince1970
        guard seconds.isFinite else { return 0 }
        let clamped = min(max(seconds, Double(secondsRange.lowerBound)), Double(secondsRange.upperBound))
        return Int64((clamped * 1_000_000).rounded())
    }

    /// The date for microseconds since 1970.
    public static func date(_ microseconds: Int64) -> Date {
        Date(timeIntervalSince1970: Double(microseconds) / 1_000_000)
    }

    /// ISO 8601 UTC text: `2026-11-25T14:52:36Z`, with six fractional digits only when the time
    /// has a fraction. Computed arithmetically (proleptic Gregorian), so it is fast and the same
    /// on every platform.
    /// ``iso(_:)`` to the whole second (`2026-12-05T18:12:58Z`), for tables and headers.
    public static func isoSeconds(_ microseconds: Int64) -> String {
        iso(microseconds - ((microseconds % 1_000_000) + 1_000_000) % 1_000_000)
    }

    public static func iso(_ microseconds: Int64) -> String {
        let (seconds, fraction) = floorDivide(microseconds, 1_000_000)
        let (days, secondOfDay) = floorDivide(seconds, 86_400)
        // Howard Hinnant's days-to-civil algorithm.
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthPrime = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthPrime + 2) / 5 + 1
        let month = monthPrime < 10 ? monthPrime + 3 : monthPrime - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        // Written digit by digit into one buffer (this runs once per dataset row).
        return String(unsafeUninitializedCapacity: 40) { buffer in
            var at = 0
            // As `String(value)` left-padded with zeros to `width` (a sign counts as a character).
            func put(_ value: Int64, _ width: Int) {
                var count = 1
                var probe = value.magnitude
                while probe >= 10 {
                    probe /= 10
                    count += 1
                }
                let length = count + (value < 0 ? 1 : 0)
                for _ in length..<max(width, length) {
                    buffer[at] = 48
                    at += 1
                }
                if value < 0 {
                    buffer[at] = UInt8(ascii: "-")
                    at += 1
                }
                var rest = value.magnitude
                for offset in stride(from: count - 1, through: 0, by: -1) {
                    buffer[at + offset] = UInt8(truncatingIfNeeded: rest % 10) + 48
                    rest /= 10
                }
                at += count
            }
            func put(_ byte: Unicode.Scalar) {
                buffer[at] = UInt8(ascii: byte)
                at += 1
            }
            put(year, 4)
            put("-")
            put(month, 2)
            put("-")
            put(day, 2)
            put("T")
            put(secondOfDay / 3_600, 2)
            put(":")
            put(secondOfDay / 60 % 60, 2)
            put(":")
            put(secondOfDay % 60, 2)
            if fraction != 0 {
                put(".")
                put(fraction, 6)
            }
            put("Z")
            return at
        }
    }

    private static func floorDivide(_ value: Int64, _ divisor: Int64) -> (Int64, Int64) {
        let (quotient, remainder) = value.quotientAndRemainder(dividingBy: divisor)
        return remainder < 0 ? (quotient - 1, remainder + divisor) : (quotient, remainder)
    }

    /// Parses ISO 8601 (`2019-02-05`, `2019-02-05T10:00:00Z`, with fraction or offset) or
    /// plain integer seconds since 1970; `nil` when it is neither, or when the seconds fall
    /// outside ``secondsRange``.
    public static func parse(_ text: String) -> Int64? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if let seconds = Int64(trimmed) { return fromSeconds(seconds) }
        let withTime = trimmed.count == 10 ? trimmed + "T00:00:00Z" : trimmed
        for style in [Date.ISO8601FormatStyle(includingFractionalSeconds: true), Date.ISO8601FormatStyle()] {
            if let date = try? style.parse(withTime) { return from(date) }
        }
        return nil
    }
}
