import Foundation
import GRDB
import MarqueeCore

/// One tracked `evaluate`, `tune` or `train`: what ran, on what, with what result — MLflow's run,
/// kept in the store beside the data it used.
public struct ExperimentRecord: Sendable, Hashable, Codable {
    /// A sortable id (`20261206T091700Z-1a2b3c`).
    public var id: String
    /// `evaluate`, `tune` or `train`.
    public var kind: String
    /// The algorithm.
    public var algorithm: String
    /// Every hyper-parameter, resolved (for `tune`, the best trial's).
    public var parameters: [String: Double]
    /// The dataset version (or `file:…` for files).
    public var datasetVersion: String?
    /// The split (`cv:5`, `files`, …); `nil` for `train`.
    public var split: String?
    /// What it measured: `evaluate --format json`'s summary for an evaluation, the trials and the
    /// best for a search, the sizes for a training.
    public var metrics: JSONValue
    /// When it started (UTC microseconds).
    public var startedAt: Int64
    /// How long it took.
    public var seconds: Double
    /// SHA-256 of the model file `train` wrote.
    public var modelSHA256: String?
    /// The Marquee that ran it.
    public var marqueeVersion: String

    enum CodingKeys: String, CodingKey {
        case id, kind, algorithm, parameters, split, metrics, seconds
        case datasetVersion = "dataset_version"
        case startedAt = "started_ts_us"
        case modelSHA256 = "model_sha256"
        case marqueeVersion = "marquee_version"
    }
}

extension ExperimentRecord {
    /// Creates a record with a new id.
    public init(
        kind: String, algorithm: String, parameters: [String: Double], datasetVersion: String?, split: String?,
        metrics: JSONValue, startedAt: Date, seconds: Double, modelSHA256: String? = nil
    ) {
        id = RunID.make(at: startedAt)
        self.kind = kind
        self.algorithm = algorithm
        self.parameters = parameters
        self.datasetVersion = datasetVersion
        self.split = split
        self.metrics = metrics
        self.startedAt = Microseconds.from(startedAt)
        self.seconds = seconds
        self.modelSHA256 = modelSHA256
        marqueeVersion = MarqueeVersion.current
    }
}

extension FeatureStore {
    /// Records an experiment.
    public func recordExperiment(_ record: ExperimentRecord) throws(MarqueeError) {
        do {
            let parameters = String(decoding: try JSONEncoder.sorted.encode(record.parameters), as: UTF8.self)
            try writer.write { db in
                try db.execute(
                    sql: """
                        INSERT INTO experiments (id, kind, algorithm, parameters, dataset_version, split, metrics,
                            started_ts_us, seconds, model_sha256, marquee_version)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [
                        record.id, record.kind, record.algorithm, parameters, record.datasetVersion, record.split,
                        record.metrics.serialized(), record.startedAt, record.seconds, record.modelSHA256,
                        record.marqueeVersion,
                    ])
            }
        } catch {
            throw .database(error, "recording experiment \(record.id)")
        }
    }

    /// The newest experiments first.
    public func experiments(limit: Int = 50) throws(MarqueeError) -> [ExperimentRecord] {
        try readExperiments("ORDER BY started_ts_us DESC, id DESC LIMIT ?", [limit])
    }

    /// The experiment whose id is or starts with `id`.
    /// - Throws: `.dataError` when no experiment or several match (naming them).
    public func experiment(_ id: String) throws(MarqueeError) -> ExperimentRecord {
        let escaped = id.replacingOccurrences(of: "%", with: "").replacingOccurrences(of: "_", with: "")
        let found = try readExperiments("WHERE id LIKE ? ORDER BY id LIMIT 5", [escaped + "%"])
        guard found.count == 1 || found.first?.id == id else {
            throw MarqueeError(
                .dataError,
                found.isEmpty
                    ? "no experiment \(id) in \(path ?? "the store")"
                    : "experiment \(id) is ambiguous: \(found.map(\.id).joined(separator: ", "))",
                hint: found.isEmpty ? "marquee experiments list shows the recorded ones" : "give more of the id")
        }
        return found[0]
    }

    private func readExperiments(_ clause: String, _ arguments: StatementArguments) throws(MarqueeError)
        -> [ExperimentRecord]
    {
        do {
            return try writer.read { db in
                try Row.fetchAll(db, sql: "SELECT * FROM experiments \(clause)", arguments: arguments).map { row in
                    let parameters = try JSONDecoder().decode(
                        [String: Double].self, from: Data((row["parameters"] as String).utf8))
                    return ExperimentRecord(
                        id: row["id"], kind: row["kind"], algorithm: row["algorithm"], parameters: parameters,
                        datasetVersion: row["dataset_version"], split: row["split"],
                        metrics: try JSONParser().parse(row["metrics"] as String).value,
                        startedAt: row["started_ts_us"], seconds: row["seconds"], modelSHA256: row["model_sha256"],
                        marqueeVersion: row["marquee_version"])
                }
            }
        } catch let error as MarqueeError {
            throw error
        } catch {
            throw .database(error, "reading experiments")
        }
    }
}

extension JSONEncoder {
    /// Sorted keys, so equal values give equal text.
    static var sorted: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }
}
