import Foundation
import Logging
import MarqueeCore
import MarqueeExport
import MarqueeML
import MarqueeScrape
import MarqueeStore

/// Runs a ``PipelineSpec`` step by step — scrape → ingest → dataset → train → evaluate → export —
/// as ZenML runs a pipeline: each step is a function of typed inputs, skipped when a previous
/// successful run had the same input hash (its recorded outputs are reused), and every run leaves
/// a record in the store (`marquee runs`). The store's lock is held for the whole run.
public struct PipelineRunner: Sendable {
    /// Where things are.
    public struct Environment: Sendable {
        /// The feature store the run writes (SQLite file).
        public var storePath: String
        /// `features/` (views and `datasets/*.toml`).
        public var features: URL
        /// `scrapers/`.
        public var scrapers: URL
        /// Where artefacts go (datasets, models, reports, exports, crawl state).
        public var work: URL
        /// Salt for users' handles: a scrape step of a site with user ratings fails with exit 78
        /// without one, unless `skipUserRatings`.
        public var salt: String?
        /// Skip (and count) scraped user ratings instead of requiring a salt.
        public var skipUserRatings = false
        /// Requests per second per host for live scrapes; `nil` uses each site spec's rate.
        public var rate: Double?

        /// Where scrapes keep their frontiers and page bodies: beside the store they write
        /// (`marquee.sqlite` → `marquee.scrape/`), so a run against another store starts its own
        /// crawl rather than finding every page done.
        public var scrapeState: URL {
            let store = URL(fileURLWithPath: storePath)
            return store.deletingLastPathComponent().appendingPathComponent(
                store.deletingPathExtension().lastPathComponent + ".scrape")
        }

        /// Where things are; see the properties.
        public init(storePath: String, features: URL, scrapers: URL, work: URL, salt: String?) {
            self.storePath = storePath
            self.features = features
            self.scrapers = scrapers
            self.work = work
            self.salt = salt
        }
    }

    /// The pipeline to run.
    public let spec: PipelineSpec
    /// Its store, specs, views and work folder.
    public var environment: Environment
    /// Run every step even when its inputs match a previous run.
    public var force = false
    /// Polled between steps (and by the crawl between fetches): `true` stops at a safe point.
    public var shouldStop: @Sendable () -> Bool = { StopRequest.isRequested }
    /// Where step progress is logged.
    public var logger: Logger

    /// A runner for `spec` in `environment`.
    public init(spec: PipelineSpec, environment: Environment, logger: Logger) {
        self.spec = spec
        self.environment = environment
        self.logger = logger
    }

    /// Runs the pipeline and returns its record. ``shouldStop`` turning true (the CLI's SIGINT and
    /// SIGTERM handling) stops at a safe point: a crawl finishes what is in flight and leaves its frontier
    /// resumable, no further step starts, and the run is recorded as `interrupted`.
    /// - Throws: `MarqueeError`: `.temporary` (75) when another run holds the store's lock or
    ///   the run was interrupted; the failing step's error otherwise (recorded as failed first).
    public func run() async throws(MarqueeError) -> RunRecord {
        try? FileManager.default.createDirectory(
            at: URL(fileURLWithPath: environment.storePath).deletingLastPathComponent(),
            withIntermediateDirectories: true)
        let lock = try RunLock.acquire(environment.storePath + ".lock", purpose: "marquee pipeline run \(spec.name)")
        defer { withExtendedLifetime(lock) {} }
        do {
            try FileManager.default.createDirectory(at: environment.work, withIntermediateDirectories: true)
        } catch {
            throw MarqueeError(.failure, "cannot create \(environment.work.path)", underlying: error)
        }
        let store = try FeatureStore(path: environment.storePath)
        // We hold the lock, so a run still marked running died without ending (kill -9).
        let abandoned = try store.abandonStaleRuns(pipeline: spec.name)
        if abandoned > 0 { logger.warning("marked \(abandoned) earlier run(s) that never ended as abandoned") }
        let runID = RunID.make()
        try store.beginRun(
            id: runID, pipeline: spec.name,
            detail: .object(
                JSONObject([
                    ("marquee", .string(MarqueeVersion.current)),
                    ("git_commit", MarqueeVersion.gitCommit.map(JSONValue.string) ?? .null),
                    ("pipeline_file", .string(spec.file)), ("force", .bool(force)),
                ])))
        // Whatever ends the run early — a step's error, or one before any step (a bad parameter,
        // an unreadable folder) — is recorded with the run, never left `running`.
        do throws(MarqueeError) {
            try await runSteps(
                StepRecorder(
                    store: store, runID: runID, force: force, shouldStop: shouldStop, logger: logger))
            try store.endRun(id: runID, status: "ok")
        } catch {
            try? store.failRun(id: runID, error: error.description, exitCode: Int(error.code.rawValue))
            throw error
        }
        guard let record = try store.run(runID) else {
            throw MarqueeError(.failure, "the run record \(runID) vanished")
        }
        return record
    }

    /// The steps in order — each scrape, the MovieLens ingest, dataset, train, evaluate, export —
    /// with the inputs that decide whether a previous run's result can be reused.
    private func runSteps(_ steps: StepRecorder) async throws(MarqueeError) {
        let store = steps.store
        // Replays are content-addressed (cacheable); live scrapes always run (the frontier makes
        // them incremental).
        for scrape in spec.scrape {
            let replayHash = try scrape.replay.map { path throws(MarqueeError) in
                try Self.folderHash(URL(fileURLWithPath: path))
            }
            let inputs = JSONValue.object(
                JSONObject([
                    ("site", .string(scrape.site)), ("start", .array(scrape.starts.map(JSONValue.string))),
                    ("depth", .number(Double(scrape.depth))), ("replay", replayHash.map(JSONValue.string) ?? .null),
                    ("specs", .string(try Self.folderHash(environment.scrapers))),
                ]))
            try await steps.step("scrape:\(scrape.site)", inputs: inputs, cacheable: replayHash != nil) {
                () async throws(MarqueeError) in
                try await scrapeStep(scrape, replayHash: replayHash, store: store)
            }
        }
        if let movieLens = spec.movieLens {
            let hash = try Self.folderHash(URL(fileURLWithPath: movieLens))
            try await steps.step("ingest", inputs: .object(JSONObject([("movielens", .string(hash))]))) {
                () throws(MarqueeError) in try ingestStep(movieLens, hash: hash, store: store)
            }
        }
        // The dataset: its spec and feature views, and whatever the data steps produced.
        let datasetInputs = JSONValue.object(
            JSONObject([
                ("name", .string(spec.dataset)), ("features", .string(try Self.folderHash(environment.features))),
                (
                    "upstream",
                    .object(JSONObject(steps.upstream.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) }))
                ),
                // Data added outside the pipeline (a separate scrape or import) also rebuilds the dataset.
                ("observations", .string(try store.observationsFingerprint())),
            ]))
        try await steps.step("dataset", inputs: datasetInputs) { () throws(MarqueeError) in
            try datasetStep(store: store)
        }
        let datasetVersion = steps.upstream["dataset"]!
        let datasetFile = steps.outputs["dataset"]?["file"]?.stringValue ?? ""
        let training = JSONValue.object(
            JSONObject([
                ("dataset", .string(datasetVersion)), ("algorithm", .string(spec.algorithm.rawValue)),
                ("params", .array(spec.parameters.map(JSONValue.string))), ("seed", .number(Double(spec.seed))),
            ]))
        let parameters = try Hyperparameters(spec.algorithm, settings: spec.parameters)
        try await steps.step("train", inputs: training) { () throws(MarqueeError) in
            try trainStep(datasetFile: datasetFile, datasetVersion: datasetVersion, parameters: parameters)
        }
        if spec.folds > 0 {
            var inputs = training.objectValue!
            inputs.members.append(("cv", .number(Double(spec.folds))))
            inputs.members.append(("k", .number(Double(spec.k))))
            if !spec.compare.isEmpty {
                inputs.members.append(("compare", .array(spec.compare.map { .string($0.rawValue) })))
            }
            try await steps.step("evaluate", inputs: .object(inputs)) { () throws(MarqueeError) in
                try evaluateStep(datasetFile: datasetFile, datasetVersion: datasetVersion, parameters: parameters)
            }
        }
        if let format = spec.export {
            let modelHash = steps.upstream["train"]!
            let modelFile = steps.outputs["train"]?["file"]?.stringValue ?? ""
            let inputs = JSONValue.object(
                JSONObject([("model", .string(modelHash)), ("format", .string(format.rawValue))]))
            try await steps.step("export", inputs: inputs) { () throws(MarqueeError) in
                try exportStep(format, modelFile: modelFile, modelHash: modelHash)
            }
        }
    }

    // MARK: helpers

    /// SHA-256 over every file below `folder` (relative path and bytes), in path order.
    static func folderHash(_ folder: URL) throws(MarqueeError) -> String {
        guard let paths = FileManager.default.subpaths(atPath: folder.path) else {
            throw MarqueeError(.dataError, "cannot read the folder", location: folder.path)
        }
        var text = ""
        for path in paths.sorted() {
            var isDirectory: ObjCBool = false
            let url = folder.appendingPathComponent(path)
            guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), !isDirectory.boolValue,
                let data = try? Data(contentsOf: url)
            else { continue }
            text += "\(path)\t\(Hashing.sha256(data))\n"
        }
        return Hashing.sha256(text)
    }

    /// Whether the files a cached step produced are still there.
    static func artefactsExist(_ outputs: JSONValue?) -> Bool {
        guard case .object(let object)? = outputs else { return true }
        for key in ["file", "directory", "report", "comparison"] {
            if let path = object[key]?.stringValue, !FileManager.default.fileExists(atPath: path) { return false }
        }
        return true
    }

}
