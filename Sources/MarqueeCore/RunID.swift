import Foundation

/// Ids of recorded runs (pipeline runs, scrape monitors).
public enum RunID {
    /// A sortable, unique id: `20261125T204501Z-1a2b3c`.
    public static func make(at date: Date = Date()) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd'T'HHmmss'Z'"
        return formatter.string(from: date) + "-" + UUID().uuidString.prefix(6).lowercased()
    }
}
