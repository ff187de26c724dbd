// Feature-store benchmarks, run by Benchmarks/store/run.sh beside the peers.
//
//   store-bench ingest N STORE          N film observations through FeatureStore.ingest (batches of 100k;
//                                       the time inside `ingest` is counted, not building the inputs)
//   store-bench pit DIR STORE           load DIR/observations.csv and DIR/rows.csv, then build the
//                                       point-in-time dataset into DIR/marquee.csv
//   store-bench join DIR STORE          only the build, on a STORE loaded before (for profiling)
//
// Prints one JSON line with the timings.
import Foundation
import MarqueeCore
import MarqueeStore

func seconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
}

func lines(_ path: String) throws -> [Substring] {
    let text = try String(contentsOfFile: path, encoding: .utf8)
    return text.split(separator: "\n").dropFirst().map { $0 }
}

func ingestBench(count: Int, path: String) throws {
    try? FileManager.default.removeItem(atPath: path)
    let store = try FeatureStore(path: path)
    let films = max(1, count / 100)
    let clock = ContinuousClock()
    var elapsed = 0.0  // only the time inside `ingest`: the peer's loop has its values at hand too
    var added = 0
    var start = 0
    while start < count {
        let end = min(count, start + 100_000)
        let batch = (start..<end).map { index in
            ObservationInput(
                kind: .film, entity: EntityKey("bench", "f\(index % films)"), feature: "score",
                value: Double(index).databaseValue,
                eventTimestamp: Int64(index) * 1_000_000, source: "bench")
        }
        let started = clock.now
        added += try store.ingest(batch)
        elapsed += seconds(clock.now - started)
        start = end
    }
    print(
        "{\"tool\":\"marquee\",\"rows\":\(added),\"seconds\":\(elapsed),\"rows_per_second\":\(Double(added) / elapsed)}"
    )
}

func pitBench(directory: String, path: String, load: Bool = true) throws {
    if load { try? FileManager.default.removeItem(atPath: path) }
    let store = try FeatureStore(path: path)
    let clock = ContinuousClock()
    var started = clock.now
    if load { try loadPIT(directory: directory, store: store) }
    let loaded = seconds(clock.now - started)
    let view = FeatureView(name: "bench", entity: .film, features: [FeatureDefinition(name: "score", type: .real)])
    let catalog = FeatureCatalog(views: [view], datasets: [DatasetSpec(name: "pit", features: ["bench.score"])])
    started = clock.now
    let result = try store.buildDataset(
        "pit", catalog: catalog, output: URL(fileURLWithPath: "\(directory)/marquee.csv"))
    let built = seconds(clock.now - started)
    print(
        "{\"tool\":\"marquee\",\"load_seconds\":\(loaded),\"join_seconds\":\(built),\"rows\":\(result.version.rowCount)}"
    )
}

func loadPIT(directory: String, store: FeatureStore) throws {
    let observations = try lines("\(directory)/observations.csv")
    var start = 0
    while start < observations.count {
        let end = min(observations.count, start + 200_000)
        let batch = observations[start..<end].map { line -> ObservationInput in
            let fields = line.split(separator: ",")
            return ObservationInput(
                kind: .film, entity: EntityKey("bench", String(fields[0])), feature: "score",
                value: Double(fields[2])!.databaseValue, eventTimestamp: Int64(fields[1])! * 1_000_000, source: "bench")
        }
        _ = try store.ingest(batch)
        start = end
    }
    let rows = try lines("\(directory)/rows.csv")
    start = 0
    while start < rows.count {
        let end = min(rows.count, start + 200_000)
        let batch = rows[start..<end].map { line -> ObservationInput in
            let fields = line.split(separator: ",")
            return ObservationInput(
                kind: .user, entity: EntityKey("bench", String(fields[0])), feature: "rating",
                object: (.film, EntityKey("bench", String(fields[1]))), value: 1.0.databaseValue,
                eventTimestamp: Int64(fields[2])! * 1_000_000, source: "bench")
        }
        _ = try store.ingest(batch)
        start = end
    }
}

let arguments = CommandLine.arguments
do {
    switch arguments.count > 3 ? arguments[1] : "" {
    case "ingest": try ingestBench(count: Int(arguments[2]) ?? 1_000_000, path: arguments[3])
    case "pit": try pitBench(directory: arguments[2], path: arguments[3])
    case "join": try pitBench(directory: arguments[2], path: arguments[3], load: false)
    default:
        FileHandle.standardError.write(Data("usage: store-bench ingest N STORE | store-bench pit DIR STORE\n".utf8))
        exit(64)
    }
} catch {
    FileHandle.standardError.write(Data("store-bench: \(error)\n".utf8))
    exit(1)
}
