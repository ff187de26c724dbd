import Foundation
import MarqueeCore
import MarqueeML
import MarqueeStore

/// One step at a time, for an orchestrator that runs each step as its own task (ZenML, Airflow):
/// the same work as ``PipelineRunner/run()`` does for the step, with the upstream outputs passed
/// in explicitly instead of read from the run record.
extension PipelineRunner {
    /// What the later steps need from the earlier ones.
    public struct Upstream: Sendable {
        /// The dataset step's version id and file.
        public var datasetVersion, datasetFile: String?
        /// The train step's model file and its SHA-256.
        public var modelFile, modelSHA256: String?

        /// Upstream outputs; see the properties.
        public init(datasetVersion: String? = nil, datasetFile: String? = nil, modelFile: String? = nil, modelSHA256: String? = nil) {
            self.datasetVersion = datasetVersion
            self.datasetFile = datasetFile
            self.modelFile = modelFile
            self.modelSHA256 = modelSHA256
        }
    }

    /// The pipeline's steps in order: `scrape:SITE` for each scrape, `ingest`, `dataset`,
    /// `train`, `evaluate`, `export` (each only when the pipeline has it).
    public var stepNames: [String] {
        spec.scrape.map { "scrape:\($0.site)" } + (spec.movieLens == nil ? [] : ["ingest"]) + ["dataset", "train"]
            + (spec.folds > 0 ? ["evaluate"] : []) + (spec.export == nil ? [] : ["export"])
    }

    /// Runs the step `name` and returns its outputs (what `marquee runs show` records for it).
    /// Steps that write the store hold its lock, as a whole run does.
    /// - Throws: `MarqueeError` `.usage` (64) for a step the pipeline does not have or a missing
    ///   upstream output (naming the option that gives it); the step's own errors otherwise.
    public func runStep(_ name: String, upstream: Upstream) async throws(MarqueeError) -> JSONValue {
        guard stepNames.contains(name) else {
            throw MarqueeError(
                .usage, "pipeline \(spec.name) has no step \"\(name)\"",
                hint: "its steps are: \(stepNames.joined(separator: ", "))")
        }
        func need(_ value: String?, _ option: String) throws(MarqueeError) -> String {
            guard let value, !value.isEmpty else {
                throw MarqueeError(.usage, "step \(name) needs \(option) (an earlier step's output)")
            }
            return value
        }
        do {
            try FileManager.default.createDirectory(at: environment.work, withIntermediateDirectories: true)
        } catch {
            throw MarqueeError(.failure, "cannot create \(environment.work.path)", underlying: error)
        }
        let parameters = try Hyperparameters(spec.algorithm, settings: spec.parameters)
        switch name {
        case "train":
            return try trainStep(
                datasetFile: try need(upstream.datasetFile, "--dataset-file"),
                datasetVersion: try need(upstream.datasetVersion, "--dataset-version"), parameters: parameters
            ).outputs
        case "evaluate":
            return try evaluateStep(
                datasetFile: try need(upstream.datasetFile, "--dataset-file"),
                datasetVersion: try need(upstream.datasetVersion, "--dataset-version"), parameters: parameters
            ).outputs
        case "export":
            return try exportStep(
                spec.export!, modelFile: try need(upstream.modelFile, "--model"),
                modelHash: try need(upstream.modelSHA256, "--model-sha256")
            ).outputs
        default:
            try? FileManager.default.createDirectory(
                at: URL(fileURLWithPath: environment.storePath).deletingLastPathComponent(),
                withIntermediateDirectories: true)
            let lock = try RunLock.acquire(environment.storePath + ".lock", purpose: "marquee pipeline step \(spec.name) \(name)")
            defer { withExtendedLifetime(lock) {} }
            let store = try FeatureStore(path: environment.storePath)
            if name == "dataset" { return try datasetStep(store: store).outputs }
            if name == "ingest" {
                let folder = spec.movieLens!
                return try ingestStep(folder, hash: try Self.folderHash(URL(fileURLWithPath: folder)), store: store).outputs
            }
            let scrape = spec.scrape.first { "scrape:\($0.site)" == name }!
            let replayHash = try scrape.replay.map { path throws(MarqueeError) in
                try Self.folderHash(URL(fileURLWithPath: path))
            }
            return try await scrapeStep(scrape, replayHash: replayHash, store: store).outputs
        }
    }
}
