import Foundation
import GRDB
import MarqueeCore
import Synchronization

extension FeatureStore {
    /// What writing a dataset produced, before it is moved into place.
    package struct WrittenDataset {
        package var temporary: URL
        package var rows: Int
        package var contentSHA256: String
        package var observationsSHA256: String
        package var violations: [ExpectationViolation]
    }

    /// Runs the plan's join and streams the rows to a temporary file beside `output` (``writeJoined``).
    func write(
        _ plan: DatasetPlan, asOf: Int64?, watermark: Int64, format: DatasetVersion.Format, output: URL,
        progress: ProgressMeter? = nil
    ) throws(MarqueeError) -> WrittenDataset {
        let joined: PointInTimeJoin.Result
        do {
            joined = try writer.read { db in
                // The join reads every observation once, in order: through SQLite's bounded page
                // cache rather than the memory map, so a store larger than memory is not mapped
                // into the process (the pages would count as its resident memory).
                try db.execute(sql: "PRAGMA mmap_size = 0")
                defer { try? db.execute(sql: "PRAGMA mmap_size = \(Self.mappedBytes)") }
                return try PointInTimeJoin(plan: plan, watermark: watermark, asOf: asOf).run(db)
            }
        } catch {
            throw .database(error, "building dataset \(plan.spec.name)")
        }
        return try Self.writeJoined(joined, plan: plan, format: format, output: output, progress: progress)
    }

    /// Streams a joined dataset to a temporary file beside `output`, hashing the bytes and the
    /// selected observation ids and checking expectations on the way; `progress` counts rows
    /// written. The join may come from any store (SQLite's merge, PostgreSQL's SQL).
    package static func writeJoined(
        _ joined: PointInTimeJoin.Result, plan: DatasetPlan, format: DatasetVersion.Format, output: URL,
        progress: ProgressMeter? = nil
    ) throws(MarqueeError) -> WrittenDataset {
        let temporary = output.deletingLastPathComponent().appendingPathComponent(
            ".\(output.lastPathComponent).\(UUID().uuidString).partial")
        guard FileManager.default.createFile(atPath: temporary.path, contents: nil),
            let handle = try? FileHandle(forWritingTo: temporary)
        else {
            throw MarqueeError(
                .failure, "cannot create the output file", location: output.path,
                hint: "does the folder exist and is it writable?")
        }
        var content = Hashing.Stream()
        var selected = Hashing.Stream()
        var checks = plan.columns.map { ExpectationCheck(column: $0) }
        var rows = 0
        func write(_ bytes: [UInt8], ids: [UInt8]) {
            content.update(bytes)
            handle.write(Data(bytes))
            selected.update(ids)
        }
        if format == .csv { write(Array((plan.headers.map(CSVField.escape).joined(separator: ",") + "\n").utf8), ids: []) }
        do {
            progress?.update(done: 0, total: joined.rows.count)
            // Rows are formatted in chunks on every core, a wave of chunks at a time (bounded
            // memory); the chunks are then hashed, written and their checks merged in order, so
            // the bytes are those of one pass.
            let chunk = 32_768
            let chunks = (joined.order.count + chunk - 1) / chunk
            let wave = 2 * ProcessInfo.processInfo.activeProcessorCount
            for first in stride(from: 0, to: chunks, by: wave) {
                let count = min(wave, chunks - first)
                let parts = Mutex<[Int: DatasetChunk]>([:])
                DispatchQueue.concurrentPerform(iterations: count) { offset in
                    let lower = (first + offset) * chunk
                    let part = DatasetChunk(
                        joined, plan: plan, format: format,
                        positions: joined.order[lower..<min(lower + chunk, joined.order.count)])
                    parts.withLock { $0[offset] = part }
                }
                let done = parts.withLock { $0 }
                for offset in 0..<count {
                    let part = done[offset]!
                    write(part.bytes, ids: part.ids)
                    for index in checks.indices { checks[index].merge(part.checks[index]) }
                    rows += part.rows
                }
                progress?.update(done: rows)
            }
            try handle.close()
        } catch {
            try? handle.close()
            try? FileManager.default.removeItem(at: temporary)
            throw .database(error, "building dataset \(plan.spec.name)")
        }
        return WrittenDataset(
            temporary: temporary, rows: rows, contentSHA256: content.finalize(),
            observationsSHA256: selected.finalize(),
            violations: checks.flatMap { $0.violations(rows: rows) })
    }
}

/// One chunk of a dataset's rows, formatted: its bytes, the selected observation ids as hashed
/// text (`row,id|-,…\n`) and its columns' expectation checks.
struct DatasetChunk: Sendable {
    var bytes: [UInt8] = []
    var ids: [UInt8] = []
    var checks: [ExpectationCheck]
    var rows = 0

    init(
        _ joined: PointInTimeJoin.Result, plan: DatasetPlan, format: DatasetVersion.Format,
        positions: ArraySlice<Int32>
    ) {
        checks = plan.columns.map { ExpectationCheck(column: $0) }
        bytes.reserveCapacity(positions.count * 96)
        ids.reserveCapacity(positions.count * 16)
        let source = joined.rows
        let keys = joined.keys
        let columns = plan.columns.indices.map { index in
            (chosen: joined.chosen[index], facts: joined.observations[joined.featureIndex[index]])
        }
        func emit(_ text: String) { bytes.append(contentsOf: text.utf8) }
        var values: [DatabaseValue] = []
        for position in positions {
            let row = Int(position)
            rows += 1
            ids.append(contentsOf: String(source.id[row]).utf8)
            values.removeAll(keepingCapacity: true)
            values.append(keys[Int(source.user[row])]!)
            values.append(keys[Int(source.film[row])]!)
            values.append(source.rating[row])
            values.append(Microseconds.iso(source.time[row]).databaseValue)
            for (index, column) in columns.enumerated() {
                let choice = Int(column.chosen[row])
                ids.append(UInt8(ascii: ","))
                if choice < 0 {
                    ids.append(UInt8(ascii: "-"))
                } else {
                    ids.append(contentsOf: String(column.facts.id[choice]).utf8)
                }
                let value = choice < 0 ? DatabaseValue.null : column.facts.value[choice]
                checks[index].observe(value)
                values.append(value)
            }
            ids.append(UInt8(ascii: "\n"))
            switch format {
            case .csv:
                for (index, value) in values.enumerated() {
                    if index > 0 { emit(",") }
                    emit(CSVField.format(value))
                }
                emit("\n")
            case .jsonl:
                let object = JSONObject(zip(plan.headers, values).map { ($0, CSVField.json($1)) })
                emit(JSONValue.object(object).serialized() + "\n")
            }
        }
    }
}

/// How dataset values are written: the same bytes every time for the same values.
enum CSVField {
    /// RFC 4180 quoting when needed.
    static func escape(_ text: String) -> String {
        // ASCII without a carriage return (nearly every field): one Character per byte, so the
        // byte test and the byte-wise quote doubling below give exactly the Character-based result.
        var special = false, slowPath = false
        for byte in text.utf8 {
            if byte >= 0x80 || byte == 13 {
                slowPath = true
                break
            }
            if byte == 44 || byte == 34 || byte == 10 { special = true }
        }
        if !slowPath {
            guard special else { return text }
            var quoted: [UInt8] = [34]
            quoted.reserveCapacity(text.utf8.count + 4)
            for byte in text.utf8 {
                quoted.append(byte)
                if byte == 34 { quoted.append(34) }
            }
            quoted.append(34)
            return String(decoding: quoted, as: UTF8.self)
        }
        return escapeByCharacters(text)
    }

    /// The Character-based rule, as it always was (a "\r\n" grapheme or a comma with a combining
    /// mark is one Character, equal to none of the four): the reference `escape` must match.
    static func escapeByCharacters(_ text: String) -> String {
        guard text.utf8.contains(where: { $0 == 44 || $0 == 34 || $0 == 10 || $0 == 13 }),
            text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" })
        else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// Integers as digits, reals in Swift's shortest round-trip form, text quoted as needed, NULL empty.
    static func format(_ value: DatabaseValue) -> String {
        switch value.storage {
        case .null: ""
        case .int64(let int): String(int)
        case .double(let double): String(double)
        case .string(let text): escape(text)
        case .blob(let data): data.base64EncodedString()
        }
    }

    static func json(_ value: DatabaseValue) -> JSONValue {
        switch value.storage {
        case .null: .null
        case .int64(let int): .number(Double(int))
        case .double(let double): .number(double)
        case .string(let text): .string(text)
        case .blob(let data): .string(data.base64EncodedString())
        }
    }
}

/// Accumulates one column's expectation checks over the rows of a build.
struct ExpectationCheck {
    let column: DatasetPlan.Column
    var nulls = 0
    var wrongType = 0
    var belowMin = 0
    var aboveMax = 0
    var notAllowed = 0
    var firstBad: String?

    init(column: DatasetPlan.Column) {
        self.column = column
    }

    mutating func observe(_ value: DatabaseValue) {
        let feature = column.feature
        switch value.storage {
        case .null:
            nulls += 1
        case .int64(let int):
            if feature.type == .text { bad(\.wrongType, String(int)) }
            checkRange(Double(int))
        case .double(let double):
            if feature.type != .real { bad(\.wrongType, String(double)) }
            checkRange(double)
        case .string(let text):
            if feature.type != .text { bad(\.wrongType, text) }
            if let allowed = feature.allowed, !allowed.contains(text) { bad(\.notAllowed, text) }
        case .blob:
            bad(\.wrongType, "<blob>")
        }
    }

    private mutating func checkRange(_ number: Double) {
        if let min = column.feature.min, number < min { bad(\.belowMin, String(number)) }
        if let max = column.feature.max, number > max { bad(\.aboveMax, String(number)) }
    }

    /// Adds the counts of the chunk that follows this one (its first bad value counts only if
    /// this one has none, so the first in row order is kept).
    mutating func merge(_ next: ExpectationCheck) {
        nulls += next.nulls
        wrongType += next.wrongType
        belowMin += next.belowMin
        aboveMax += next.aboveMax
        notAllowed += next.notAllowed
        if firstBad == nil { firstBad = next.firstBad }
    }

    private mutating func bad(_ counter: WritableKeyPath<ExpectationCheck, Int>, _ shown: String) {
        self[keyPath: counter] += 1
        if firstBad == nil { firstBad = shown }
    }

    func violations(rows: Int) -> [ExpectationViolation] {
        let feature = column.feature
        let example = firstBad.map { " (first: \($0))" } ?? ""
        var found: [String] = []
        if wrongType > 0 { found.append("\(wrongType) values are not \(feature.type.rawValue)\(example)") }
        if belowMin > 0 { found.append("\(belowMin) values below \(feature.min!)\(example)") }
        if aboveMax > 0 { found.append("\(aboveMax) values above \(feature.max!)\(example)") }
        if notAllowed > 0 { found.append("\(notAllowed) values outside the allowed list\(example)") }
        if let limit = feature.maxNullShare, rows > 0, Double(nulls) / Double(rows) > limit {
            let share = Double(nulls) / Double(rows)
            found.append(
                String(format: "%.1f%% of rows have no value (at most %.1f%% allowed)", share * 100, limit * 100))
        }
        return found.map { ExpectationViolation(feature: column.qualifiedName, message: $0, level: feature.level) }
    }
}
