import Foundation

/// Ids of recorded runs (pipeline runs, scrape monitors).
public enum RunID {
    /// A sortable, unique id: `20261125T204501Z-1a2b3c`.
    public static func make(at date: Date = Date()) -> String {
        let stamp = Microseconds.isoSeconds(Microseconds.from(date)).filter { $0 != "-" && $0 != ":" }
        return stamp + "-" + UUID().uuidString.prefix(6).lowercased()
    }
}
