import Foundation
import GRDB
import GRDBSQLite
import MarqueeCore

/// The point-in-time join of a dataset as a merge, not a lookup per row and feature (as DuckDB's
/// ASOF join and Feast's offline joins do): the rating rows and each feature's observations are
/// read once, grouped by entity (a counting sort on entity ids), ordered by time within an
/// entity, and swept together.
///
/// For a row at time T, a feature's candidates are its observations of the row's user or film
/// with event time ≤ T (and, with `created_cutoff`, created ≤ T), restricted once to ids ≤ the
/// watermark and, with `as of`, to those created by then. Both conditions only admit more
/// observations as T grows, so sweeping an entity's rows in time order while admitting its
/// observations in order of the time they become eligible (event time, or the later of event
/// and created time with the cut-off) keeps the winner as a running maximum of
/// (event time, created time, id) — the SQL reference's `ORDER BY … DESC LIMIT 1`. The TTL bound
/// (event ≥ T − ttl) then only needs checking on the winner: if the newest event is too old, all are.
package struct PointInTimeJoin {
    let plan: DatasetPlan
    let watermark: Int64
    let asOf: Int64?

    /// The rating rows, in columns.
    package struct Rows {
        package var id: [Int64] = []
        package var user: [Int64] = []
        package var film: [Int64] = []
        package var rating: [DatabaseValue] = []
        package var time: [Int64] = []
        var count: Int { id.count }
        package init() {}
    }

    /// One feature's eligible observations, in columns.
    package struct Observations {
        package var entity: [Int64] = []
        package var event: [Int64] = []
        package var created: [Int64] = []
        package var id: [Int64] = []
        package var value: [DatabaseValue] = []
        package init() {}
    }

    /// The joined dataset: the rows in output order (time, user key, film key, row id — byte
    /// order for keys, as SQLite's `BINARY` collation) and, per column, the chosen observation
    /// index of each row (−1: none qualifies).
    package struct Result {
        package var rows: Rows
        /// Entity keys by entity id (the rows' users and films are looked up here, not copied
        /// into every row).
        package var keys: [DatabaseValue?]
        package var order: [Int32]
        package var observations: [Observations]
        /// Per column, its feature's entry in `observations`.
        package var featureIndex: [Int]
        /// Per column, per row.
        package var chosen: [[Int32]]

        package init(
            rows: Rows, keys: [DatabaseValue?], order: [Int32], observations: [Observations], featureIndex: [Int],
            chosen: [[Int32]]
        ) {
            self.rows = rows
            self.keys = keys
            self.order = order
            self.observations = observations
            self.featureIndex = featureIndex
            self.chosen = chosen
        }
    }

    func run(_ db: Database) throws -> Result {
        var byFeature: [String: Int] = [:]
        for column in plan.columns where byFeature[column.feature.name] == nil {
            byFeature[column.feature.name] = byFeature.count
        }
        let (rows, keys, observations, maxEntity) = try scan(db, features: byFeature)
        var rowGroups: [Bool: Groups] = [:]  // by user (true) or by film (false)
        var observationGroups: [String: Groups] = [:]
        var chosen: [[Int32]] = []
        for column in plan.columns {
            let byUser = column.view.entity == .user
            if rowGroups[byUser] == nil {
                rowGroups[byUser] = Groups(
                    keys: byUser ? rows.user : rows.film, maxKey: maxEntity, within: rows.time)
            }
            let index = byFeature[column.feature.name]!
            let cutoff = plan.spec.createdCutoff
            let groupKey = "\(index)/\(cutoff)"
            let facts = observations[index]
            if observationGroups[groupKey] == nil {
                let eligible = cutoff ? zip(facts.event, facts.created).map { max($0, $1) } : facts.event
                observationGroups[groupKey] = Groups(keys: facts.entity, maxKey: maxEntity, within: eligible)
            }
            chosen.append(
                sweep(
                    rows: rows, rowGroups: rowGroups[byUser]!, facts: facts,
                    factGroups: observationGroups[groupKey]!, ttl: Int64(column.view.ttlSeconds) * 1_000_000))
        }
        return Result(
            rows: rows, keys: keys, order: Self.outputOrder(rows, keys: keys), observations: observations,
            featureIndex: plan.columns.map { byFeature[$0.feature.name]! }, chosen: chosen)
    }

    /// Items grouped by an integer key (a counting sort) and ordered by `within` inside a group.
    struct Groups {
        var order: [Int32]
        /// Group `k` is `order[start[k]..<start[k + 1]]`.
        var start: [Int32]
        var within: [Int64]

        init(keys: [Int64], maxKey: Int64, within: [Int64]) {
            let size = Int(max(maxKey, keys.max() ?? 0)) + 2
            var start = [Int32](repeating: 0, count: size)
            for key in keys { start[Int(key) + 1] += 1 }
            for k in 1..<size { start[k] += start[k - 1] }
            var next = start
            var order = [Int32](repeating: 0, count: keys.count)
            for (item, key) in keys.enumerated() {
                order[Int(next[Int(key)])] = Int32(item)
                next[Int(key)] += 1
            }
            order.withUnsafeMutableBufferPointer { buffer in
                for k in 0..<(size - 1) where start[k + 1] - start[k] > 1 {
                    let range = Int(start[k])..<Int(start[k + 1])
                    buffer[range].sort { within[Int($0)] < within[Int($1)] }
                }
            }
            self.order = order
            self.start = start
            self.within = within
        }
    }

    /// For each row, the index of the observation it gets (−1 for none).
    private func sweep(rows: Rows, rowGroups: Groups, facts: Observations, factGroups: Groups, ttl: Int64) -> [Int32] {
        var chosen = [Int32](repeating: -1, count: rows.count)
        let groups = min(rowGroups.start.count, factGroups.start.count) - 1
        for key in 0..<groups {
            let rowRange = Int(rowGroups.start[key])..<Int(rowGroups.start[key + 1])
            let factRange = Int(factGroups.start[key])..<Int(factGroups.start[key + 1])
            guard !rowRange.isEmpty, !factRange.isEmpty else { continue }
            var next = factRange.lowerBound
            var best = -1
            for position in rowRange {
                let row = Int(rowGroups.order[position])
                let time = rows.time[row]
                while next < factRange.upperBound, factGroups.within[Int(factGroups.order[next])] <= time {
                    let candidate = Int(factGroups.order[next])
                    if best < 0
                        || (facts.event[candidate], facts.created[candidate], facts.id[candidate])
                            > (facts.event[best], facts.created[best], facts.id[best])
                    {
                        best = candidate
                    }
                    next += 1
                }
                if best >= 0, ttl == 0 || facts.event[best] >= time - ttl { chosen[row] = Int32(best) }
            }
        }
        return chosen
    }

    /// Row positions in output order: time, user key, film key (UTF-8 byte order), row id.
    package static func outputOrder(_ rows: Rows, keys: [DatabaseValue?]) -> [Int32] {
        func bytesPrecede(_ a: DatabaseValue, _ b: DatabaseValue) -> Bool? {
            let x = String.fromDatabaseValue(a) ?? ""
            let y = String.fromDatabaseValue(b) ?? ""
            if x == y { return nil }
            return x.utf8.lexicographicallyPrecedes(y.utf8)
        }
        var order = (0..<Int32(rows.count)).map { $0 }
        order.sort { a, b in
            let (i, j) = (Int(a), Int(b))
            if rows.time[i] != rows.time[j] { return rows.time[i] < rows.time[j] }
            if let user = bytesPrecede(keys[Int(rows.user[i])]!, keys[Int(rows.user[j])]!) { return user }
            if let film = bytesPrecede(keys[Int(rows.film[i])]!, keys[Int(rows.film[j])]!) { return film }
            return rows.id[i] < rows.id[j]
        }
        return order
    }

    private var arguments: StatementArguments { ["watermark": watermark, "as_of": asOf] }

    /// One pass over the observations in table order (sequential reads, no lookup per row): the
    /// rating rows (with their user's and film's keys from an in-memory id → key table) and, per
    /// feature, its eligible observations (no object, id ≤ watermark, created by `as of`).
    private func scan(_ db: Database, features: [String: Int]) throws -> (
        Rows, [DatabaseValue?], [Observations], Int64
    ) {
        let maxEntity = try Int64.fetchOne(db, sql: "SELECT COALESCE(MAX(id), 0) FROM entities")!
        var keys = [DatabaseValue?](repeating: nil, count: Int(maxEntity) + 1)
        let entities = try db.makeStatement(sql: "SELECT id, key FROM entities")
        try step(entities.sqliteStatement, db) {
            keys[Int(sqlite3_column_int64(entities.sqliteStatement, 0))] = DatabaseValue(
                sqliteStatement: entities.sqliteStatement, index: 1)
        }
        // Feature names as bytes, matched against each row's without making a String.
        let names = ["rating"] + features.sorted { $0.value < $1.value }.map(\.key)
        let wanted = names.map { Array($0.utf8) }
        let placeholders = names.indices.map { ":f\($0)" }.joined(separator: ", ")
        let statement = try db.makeStatement(
            sql: """
                SELECT id, entity_id, object_id, feature, value, event_ts_us, created_ts_us
                FROM observations NOT INDEXED
                WHERE id <= :watermark AND (:as_of IS NULL OR created_ts_us <= :as_of)
                  AND feature IN (\(placeholders))
                """)
        var values = arguments
        for (index, name) in names.enumerated() { values += ["f\(index)": name] }
        try statement.setArguments(values)
        var rows = Rows()
        var observations = [Observations](repeating: Observations(), count: features.count)
        let raw = statement.sqliteStatement
        try step(raw, db) {
            let length = Int(sqlite3_column_bytes(raw, 3))
            guard let text = sqlite3_column_text(raw, 3) else { return }
            let object = sqlite3_column_int64(raw, 2)
            for (index, name) in wanted.enumerated() where name.count == length && memcmp(text, name, length) == 0 {
                let entity = sqlite3_column_int64(raw, 1)
                // A rating row: its user and film must be known entities (as a join on them).
                if index == 0, entity <= maxEntity, object > 0, object <= maxEntity, keys[Int(entity)] != nil,
                    keys[Int(object)] != nil
                {
                    rows.id.append(sqlite3_column_int64(raw, 0))
                    rows.user.append(entity)
                    rows.film.append(object)
                    rows.rating.append(DatabaseValue(sqliteStatement: raw, index: 4))
                    rows.time.append(sqlite3_column_int64(raw, 5))
                }
                if index > 0 || features["rating"] != nil, object == 0 {
                    let slot = index > 0 ? index - 1 : features["rating"]!
                    observations[slot].entity.append(entity)
                    observations[slot].event.append(sqlite3_column_int64(raw, 5))
                    observations[slot].created.append(sqlite3_column_int64(raw, 6))
                    observations[slot].id.append(sqlite3_column_int64(raw, 0))
                    observations[slot].value.append(DatabaseValue(sqliteStatement: raw, index: 4))
                }
                break
            }
        }
        return (rows, keys, observations, maxEntity)
    }

    /// Steps `statement` to its end, calling `row` for each row.
    private func step(_ statement: SQLiteStatement, _ db: Database, _ row: () -> Void) throws {
        sqlite3_reset(statement)
        while true {
            switch sqlite3_step(statement) {
            case SQLITE_ROW: row()
            case SQLITE_DONE: return
            case let code:
                throw DatabaseError(
                    resultCode: ResultCode(rawValue: code),
                    message: String(cString: sqlite3_errmsg(db.sqliteConnection)))
            }
        }
    }
}
