import Foundation
import MarqueeCore
import MarqueeStore

/// Which field of which page kind of which site.
public struct CoverageKey: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The site (`letterboxd`).
    public var site: String
    /// The page kind (`film`).
    public var kind: String
    /// The field as the spec names it (`rating.count`).
    public var field: String

    /// A key.
    public init(site: String, kind: String, field: String) {
        self.site = site
        self.kind = kind
        self.field = field
    }

    /// Site, then kind, then field.
    public static func < (a: Self, b: Self) -> Bool { (a.site, a.kind, a.field) < (b.site, b.kind, b.field) }
    /// `site kind field`.
    public var description: String { "\(site) \(kind) \(field)" }
}

/// How many records of a page kind a run produced (rejected items included) and how many had
/// the field: its fill rate.
public struct FieldCoverage: Sendable, Hashable {
    /// Records of the page kind, rejected items included.
    public var records: Int
    /// Records that had the field.
    public var filled: Int

    /// Counts.
    public init(records: Int = 0, filled: Int = 0) {
        self.records = records
        self.filled = filled
    }

    /// `filled / records` (1 for no records: nothing was missing).
    public var rate: Double { records == 0 ? 1 : Double(filled) / Double(records) }
}

/// Field fill rates of one scrape or reparse, per site, page kind and field — what the drift
/// monitors compare with the spec's thresholds and with the previous run (as Spidermon does for
/// Scrapy, built in).
public struct CoverageReport: Sendable, Hashable {
    /// Per site, kind and field.
    public var fields: [CoverageKey: FieldCoverage] = [:]

    /// A report of `fields`.
    public init(fields: [CoverageKey: FieldCoverage] = [:]) { self.fields = fields }

    /// Counts one page's extraction against its page kind's fields: each record, and each item
    /// rejected for a missing or bad value (which has none of its fields).
    public mutating func add(_ extraction: PageExtraction, spec: PageSpec) {
        let rejectedItems = Set(extraction.rejects.map { $0.item ?? -1 }).count
        let total = extraction.records.count + rejectedItems
        guard total > 0 else { return }
        for field in spec.fields {
            let path = field.name.split(separator: ".").map(String.init)
            let filled = extraction.records.count { record in
                var value: JSONValue? = record.json
                for key in path { value = value?[key] }
                switch value {
                case nil, .null?: return false
                case .array(let items)?: return !items.isEmpty
                default: return true
                }
            }
            fields[CoverageKey(site: extraction.site, kind: extraction.kind, field: field.name), default: .init()]
                .add(records: total, filled: filled)
        }
    }

    /// Adds another report's counts.
    public mutating func merge(_ other: CoverageReport) {
        for (key, value) in other.fields {
            fields[key, default: .init()].add(records: value.records, filled: value.filled)
        }
    }
}

extension FieldCoverage {
    mutating func add(records: Int, filled: Int) {
        self.records += records
        self.filled += filled
    }
}

/// A field whose fill rate broke its threshold or fell against the previous run.
public struct CoverageAlarm: Sendable, Hashable, CustomStringConvertible {
    /// The field.
    public var key: CoverageKey
    /// Its fill rate in this run.
    public var rate: Double
    /// The spec's threshold that was broken, if that is the alarm.
    public var threshold: Double?
    /// The previous run's rate, if the alarm is a drop against it.
    public var previous: Double?
    /// `file:line` of the field in its spec.
    public var location: String

    /// The alarm in words, with the spec's place.
    public var description: String {
        let now = CoverageMonitor.percent(rate)
        if let threshold {
            return
                "\(key): filled on \(now) of records, below its threshold \(CoverageMonitor.percent(threshold)) (\(location))"
        }
        return
            "\(key): filled on \(now) of records, down from \(CoverageMonitor.percent(previous ?? 0)) in the previous run (\(location))"
    }
}

/// Compares a run's field coverage with the thresholds of the specs and with the previous run.
public enum CoverageMonitor {
    /// The alarms of `report`: every field below its ``FieldSpec/expectedCoverage``, and every
    /// field that fell more than `maximumDrop` (0.2 = 20 points) below `previous` when both runs
    /// counted at least `minimumRecords` records of its kind.
    public static func alarms(
        _ report: CoverageReport, scrapers: ScraperSet, previous: [CoverageKey: FieldCoverage] = [:],
        maximumDrop: Double = 0.2, minimumRecords: Int = 10
    ) -> [CoverageAlarm] {
        var alarms: [CoverageAlarm] = []
        for (key, coverage) in report.fields.sorted(by: { $0.key < $1.key }) {
            guard
                let field = scrapers.site(key.site)?.pages.first(where: { $0.kind == key.kind })?
                    .fields.first(where: { $0.name == key.field })
            else { continue }
            if let threshold = field.expectedCoverage, coverage.rate < threshold {
                alarms.append(
                    CoverageAlarm(
                        key: key, rate: coverage.rate, threshold: threshold, previous: previous[key]?.rate,
                        location: field.location))
            } else if let before = previous[key], before.records >= minimumRecords,
                coverage.records >= minimumRecords, before.rate - coverage.rate > maximumDrop
            {
                alarms.append(
                    CoverageAlarm(
                        key: key, rate: coverage.rate, threshold: nil, previous: before.rate, location: field.location))
            }
        }
        return alarms
    }

    static func percent(_ share: Double) -> String {
        let value = share * 100
        return value.rounded() == value ? "\(Int(value)) %" : String(format: "%.1f %%", value)
    }
}

/// What the monitors concluded about one run.
public struct CoverageReview: Sendable {
    /// The alarms raised (empty: all clear).
    public var alarms: [CoverageAlarm]
    /// Every field's row as recorded (with its previous rate and alarm).
    public var rows: [CoverageRow]
    /// The run's id in the store's `scrape_runs` (`nil` when there was no store to record in).
    public var runID: String?

    /// Alarms as lines for the terminal, or "monitors: N fields checked, no alarm".
    public func report() -> String {
        alarms.isEmpty
            ? "monitors: \(rows.count) fields checked, no alarm"
            : "monitors: \(alarms.count) alarm\(alarms.count == 1 ? "" : "s")\n"
                + alarms.map { "  ALARM \($0)" }.joined(separator: "\n")
    }

    /// The error a command exits with (65) when any alarm was raised.
    public var error: MarqueeError? {
        guard let first = alarms.first else { return nil }
        return MarqueeError(
            .dataError,
            "layout drift: \(alarms.count) field\(alarms.count == 1 ? "" : "s") below coverage — \(first)",
            hint:
                "compare a page with its spec (marquee parse FILE --url URL), fix the rules, then marquee reparse; marquee monitor report shows the table"
        )
    }
}

extension CoverageMonitor {
    /// Reviews a run: compares its coverage with the thresholds and with the previous recorded
    /// run of each page kind (when `store` is given), and records the rows there.
    public static func review(
        _ report: CoverageReport, scrapers: ScraperSet, store: FeatureStore?, command: String, pages: Int,
        records: Int, started: Int64
    ) throws(MarqueeError) -> CoverageReview {
        let kinds = Set(report.fields.keys.map { [$0.site, $0.kind] })
        let earlier = try store?.previousCoverage(of: kinds) ?? []
        var previous: [CoverageKey: FieldCoverage] = [:]
        for row in earlier {
            previous[CoverageKey(site: row.site, kind: row.kind, field: row.field)] = FieldCoverage(
                records: row.records, filled: row.filled)
        }
        let alarms = Self.alarms(report, scrapers: scrapers, previous: previous)
        let alarmByKey = Dictionary(alarms.map { ($0.key, $0) }, uniquingKeysWith: { first, _ in first })
        let rows = report.fields.sorted { $0.key < $1.key }.map { key, coverage in
            let field = scrapers.site(key.site)?.pages.first { $0.kind == key.kind }?.fields.first {
                $0.name == key.field
            }
            return CoverageRow(
                site: key.site, kind: key.kind, field: key.field, records: coverage.records, filled: coverage.filled,
                threshold: field?.expectedCoverage, previousRate: previous[key]?.rate,
                alarm: alarmByKey[key].map(\.description))
        }
        var runID: String?
        if let store {
            let id = RunID.make()
            try store.recordScrapeRun(
                id: id, command: command, started: started, pages: pages, records: records, coverage: rows)
            runID = id
        }
        return CoverageReview(alarms: alarms, rows: rows, runID: runID)
    }
}
