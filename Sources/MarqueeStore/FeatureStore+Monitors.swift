import GRDB
import MarqueeCore

/// One field's coverage in one scrape or reparse, as recorded.
public struct CoverageRow: Sendable, Hashable, Codable {
    /// The site.
    public var site: String
    /// The page kind.
    public var kind: String
    /// The field.
    public var field: String
    /// Records of the page kind (rejected items included).
    public var records: Int
    /// Records that had the field.
    public var filled: Int
    /// The spec's threshold, if any.
    public var threshold: Double?
    /// The previous run's fill rate for the same field, if one was recorded.
    public var previousRate: Double?
    /// The alarm raised, in words, or `nil`.
    public var alarm: String?

    /// A row as recorded.
    public init(
        site: String, kind: String, field: String, records: Int, filled: Int, threshold: Double?,
        previousRate: Double?, alarm: String?
    ) {
        self.site = site
        self.kind = kind
        self.field = field
        self.records = records
        self.filled = filled
        self.threshold = threshold
        self.previousRate = previousRate
        self.alarm = alarm
    }

    /// `filled / records`.
    public var rate: Double { records == 0 ? 1 : Double(filled) / Double(records) }

    enum CodingKeys: String, CodingKey {
        case site, kind, field, records, filled, threshold, alarm
        case previousRate = "previous_rate"
    }
}

/// A recorded scrape or reparse with its coverage rows.
public struct ScrapeRunRecord: Sendable, Hashable, Codable {
    /// The run's id (`RunID`).
    public var id: String
    /// `scrape letterboxd`, `reparse`, `pipeline demo`.
    public var command: String
    /// When it started (UTC microseconds).
    public var started: Int64
    /// Pages parsed.
    public var pages: Int
    /// Records extracted.
    public var records: Int
    /// Fields that alarmed.
    public var alarms: Int
    /// Every field's row.
    public var coverage: [CoverageRow]
}

extension FeatureStore {
    /// Records a scrape's or reparse's coverage (one transaction).
    public func recordScrapeRun(
        id: String, command: String, started: Int64, pages: Int, records: Int, coverage: [CoverageRow]
    ) throws(MarqueeError) {
        do {
            try writer.write { db in
                try db.execute(
                    sql:
                        "INSERT INTO scrape_runs (id, command, started_ts_us, pages, records, alarms) VALUES (?, ?, ?, ?, ?, ?)",
                    arguments: [id, command, started, pages, records, coverage.count { $0.alarm != nil }])
                for row in coverage {
                    try db.execute(
                        sql: """
                            INSERT INTO scrape_coverage (run_id, site, kind, field, records, filled, threshold, previous_rate, alarm)
                            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                            """,
                        arguments: [
                            id, row.site, row.kind, row.field, row.records, row.filled, row.threshold, row.previousRate,
                            row.alarm,
                        ])
                }
            }
        } catch {
            throw .database(error, "recording the scrape's coverage")
        }
    }

    /// The latest recorded coverage of each (site, kind) in `kinds`: per page kind, the rows of
    /// the newest run that counted it.
    public func previousCoverage(of kinds: Set<[String]>) throws(MarqueeError) -> [CoverageRow] {
        do {
            return try writer.read { db in
                var rows: [CoverageRow] = []
                for kind in kinds.sorted(by: { $0.joined(separator: "\t") < $1.joined(separator: "\t") }) {
                    guard
                        let run = try String.fetchOne(
                            db,
                            sql: """
                                SELECT c.run_id FROM scrape_coverage c JOIN scrape_runs r ON r.id = c.run_id
                                WHERE c.site = ? AND c.kind = ? ORDER BY r.started_ts_us DESC, r.id DESC LIMIT 1
                                """, arguments: [kind[0], kind[1]])
                    else { continue }
                    rows += try Row.fetchAll(
                        db,
                        sql: "SELECT * FROM scrape_coverage WHERE run_id = ? AND site = ? AND kind = ? ORDER BY field",
                        arguments: [run, kind[0], kind[1]]
                    ).map(Self.coverageRow)
                }
                return rows
            }
        } catch {
            throw .database(error, "reading earlier coverage")
        }
    }

    /// Recorded scrape runs, newest first.
    public func scrapeRuns(limit: Int = 20) throws(MarqueeError) -> [ScrapeRunRecord] {
        try readScrapeRuns(sql: "SELECT * FROM scrape_runs ORDER BY started_ts_us DESC, id DESC LIMIT ?", [limit])
    }

    /// One recorded scrape run by id or unique prefix (`nil` if none or ambiguous).
    public func scrapeRun(_ id: String) throws(MarqueeError) -> ScrapeRunRecord? {
        let found = try readScrapeRuns(sql: "SELECT * FROM scrape_runs WHERE id LIKE ? || '%' LIMIT 2", [id])
        return found.count == 1 ? found[0] : nil
    }

    private func readScrapeRuns(sql: String, _ arguments: StatementArguments) throws(MarqueeError)
        -> [ScrapeRunRecord]
    {
        do {
            return try writer.read { db in
                try Row.fetchAll(db, sql: sql, arguments: arguments).map { row in
                    let id: String = row["id"]
                    return ScrapeRunRecord(
                        id: id, command: row["command"], started: row["started_ts_us"], pages: row["pages"],
                        records: row["records"], alarms: row["alarms"],
                        coverage: try Row.fetchAll(
                            db, sql: "SELECT * FROM scrape_coverage WHERE run_id = ? ORDER BY site, kind, field",
                            arguments: [id]
                        ).map(Self.coverageRow))
                }
            }
        } catch {
            throw .database(error, "reading scrape runs")
        }
    }

    private static func coverageRow(_ row: Row) -> CoverageRow {
        CoverageRow(
            site: row["site"], kind: row["kind"], field: row["field"], records: row["records"], filled: row["filled"],
            threshold: row["threshold"], previousRate: row["previous_rate"], alarm: row["alarm"])
    }
}
