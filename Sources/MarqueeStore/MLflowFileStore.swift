import Foundation
import MarqueeCore

/// Writes tracked experiments in MLflow's file-store layout (`mlruns/`), so `mlflow ui
/// --backend-store-uri DIR` and `MlflowClient("file://DIR")` show Marquee's runs beside a team's
/// others: one MLflow experiment (`marquee` by default), one run per ``ExperimentRecord`` with
///
/// - params: every hyper-parameter, plus `algorithm`, `kind`, `dataset_version`, `split`;
/// - metrics: every number of the record's metrics, keys joined with `.` (`rmse.mean`), a list
///   of numbers as one metric over steps (`rmse.per_fold` at steps 0…k-1), and `seconds`;
/// - tags: `mlflow.runName` (`evaluate svd`), `mlflow.source.name` (`marquee`), every string of
///   the metrics (`marquee.model`), the model's SHA-256 and Marquee's version.
public enum MLflowFileStore {
    /// Writes `record` under `root` (created when missing) in the experiment `experimentName`.
    /// Returns the experiment id and the run id (32 hex digits, derived from the record's id so
    /// writing the same record twice leaves one run).
    /// - Throws: `MarqueeError` `.cannotCreate` (73) when the folder cannot be written.
    @discardableResult
    public static func write(_ record: ExperimentRecord, to root: URL, experimentName: String = "marquee")
        throws(MarqueeError) -> (experimentID: String, runID: String)
    {
        let root = root.standardizedFileURL
        do {
            let fileManager = FileManager.default
            let now = Int64(Date().timeIntervalSince1970 * 1000)
            if !fileManager.fileExists(atPath: root.appendingPathComponent("0/meta.yaml").path) {
                try experimentMeta(id: "0", name: "Default", root: root, now: now)
            }
            let experimentID = try experiment(named: experimentName, in: root, now: now)
            let runID = String(Hashing.sha256(record.id + experimentID).prefix(32))
            let run = root.appendingPathComponent("\(experimentID)/\(runID)")
            for folder in ["params", "metrics", "tags", "artifacts"] {
                try fileManager.createDirectory(at: run.appendingPathComponent(folder), withIntermediateDirectories: true)
            }
            let start = record.startedAt / 1000
            let end = start + Int64(record.seconds * 1000)
            var params = record.parameters.mapValues { number($0) }
            params["algorithm"] = record.algorithm
            params["kind"] = record.kind
            if let version = record.datasetVersion { params["dataset_version"] = version }
            if let split = record.split { params["split"] = split }
            var metrics: [String: [Double]] = ["seconds": [record.seconds]]
            var tags: [String: String] = [
                "mlflow.runName": "\(record.kind) \(record.algorithm)", "mlflow.source.name": "marquee",
                "mlflow.source.type": "LOCAL", "marquee.experiment_id": record.id,
                "marquee.version": record.marqueeVersion,
            ]
            if let sha = record.modelSHA256 { tags["marquee.model_sha256"] = sha }
            // The summary repeats the parameters; they are MLflow params already.
            var measured = record.metrics
            if case .object(var object) = measured {
                object.members.removeAll { $0.key == "params" }
                measured = .object(object)
            }
            flatten(measured, prefix: "", metrics: &metrics, tags: &tags)
            for (key, value) in params { try write(value, to: run.appendingPathComponent("params/\(safe(key))")) }
            for (key, values) in metrics {
                let lines = values.enumerated().map { "\(end) \(number($0.element)) \($0.offset)\n" }.joined()
                try write(lines, to: run.appendingPathComponent("metrics/\(safe(key))"))
            }
            for (key, value) in tags { try write(value, to: run.appendingPathComponent("tags/\(safe(key))")) }
            try write(
                """
                artifact_uri: \(yaml(run.appendingPathComponent("artifacts").absoluteString))
                end_time: \(end)
                entry_point_name: ''
                experiment_id: '\(experimentID)'
                lifecycle_stage: active
                run_id: \(runID)
                run_name: \(yaml("\(record.kind) \(record.algorithm)"))
                run_uuid: \(runID)
                source_name: ''
                source_type: 4
                source_version: ''
                start_time: \(start)
                status: 3
                tags: []
                user_id: \(yaml(ProcessInfo.processInfo.environment["USER"] ?? "marquee"))

                """, to: run.appendingPathComponent("meta.yaml"))
            return (experimentID, runID)
        } catch let error as MarqueeError {
            throw error
        } catch {
            throw MarqueeError(
                .cannotCreate, "cannot write the MLflow run: \(error.localizedDescription)", location: root.path,
                hint: "give --mlflow a folder you can write")
        }
    }

    /// The id of the experiment called `name` under `root`, created (the next free number) when
    /// there is none.
    static func experiment(named name: String, in root: URL, now: Int64) throws -> String {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: root.path)) ?? []
        var highest = 0
        for entry in entries {
            guard let id = Int(entry) else { continue }
            highest = max(highest, id)
            let meta = (try? String(contentsOf: root.appendingPathComponent("\(entry)/meta.yaml"), encoding: .utf8)) ?? ""
            if meta.split(separator: "\n").contains(where: { $0 == "name: \(yaml(name))" }) { return entry }
        }
        let id = "\(highest + 1)"
        try experimentMeta(id: id, name: name, root: root, now: now)
        return id
    }

    static func experimentMeta(id: String, name: String, root: URL, now: Int64) throws {
        let folder = root.appendingPathComponent(id)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try write(
            """
            artifact_location: \(yaml(folder.absoluteString))
            creation_time: \(now)
            experiment_id: '\(id)'
            last_update_time: \(now)
            lifecycle_stage: active
            name: \(yaml(name))

            """, to: folder.appendingPathComponent("meta.yaml"))
    }

    /// Numbers → metrics (lists of numbers → steps), strings → `marquee.` tags.
    static func flatten(_ value: JSONValue, prefix: String, metrics: inout [String: [Double]], tags: inout [String: String]) {
        switch value {
        case .number(let number) where number.isFinite: metrics[prefix.isEmpty ? "value" : prefix] = [number]
        case .bool(let flag): metrics[prefix] = [flag ? 1 : 0]
        case .string(let text): tags["marquee.\(prefix)"] = text
        case .array(let items):
            let numbers = items.compactMap(\.doubleValue).filter(\.isFinite)
            if !items.isEmpty, numbers.count == items.count { metrics[prefix] = numbers }
        case .object(let object):
            for (key, member) in object.members {
                flatten(member, prefix: prefix.isEmpty ? key : "\(prefix).\(key)", metrics: &metrics, tags: &tags)
            }
        default: break
        }
    }

    /// A metric, param or tag name as a file name: letters, digits, `_`, `-`, `.` and spaces
    /// (names MLflow accepts and no path separator); anything else becomes `_`.
    static func safe(_ key: String) -> String {
        String(key.map { $0.isASCII && ($0.isLetter || $0.isNumber || "_-. ".contains($0)) ? $0 : "_" })
    }

    static func number(_ value: Double) -> String {
        value.rounded() == value && abs(value) < 1e15 ? String(Int64(value)) : "\(value)"
    }

    static func yaml(_ text: String) -> String { JSONValue.string(text).serialized() }

    static func write(_ text: String, to url: URL) throws {
        try Data(text.utf8).write(to: url, options: .atomic)
    }
}
