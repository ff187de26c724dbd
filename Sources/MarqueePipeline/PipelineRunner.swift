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
            var position = 0
            var upstream: [String: String] = [:]  // step → output hash
            var outputs: [String: JSONValue] = [:]

            func step(
                _ name: String, inputs: JSONValue, cacheable: Bool = true,
                _ body: () async throws(MarqueeError) -> (hash: String, outputs: JSONValue)
            ) async throws(MarqueeError) {
                let inputHash = Hashing.sha256(
                    JSONValue.object(JSONObject([("step", .string(name)), ("inputs", inputs)])).serialized())
                let started = Microseconds.from(Date())
                func interrupted(_ when: String) -> MarqueeError {
                    try? store.endRun(id: runID, status: "interrupted")
                    return MarqueeError(
                        .temporary, "interrupted \(when) step \(name)",
                        hint: "run again: finished steps are reused and a crawl resumes where it stopped")
                }
                if shouldStop() { throw interrupted("before") }
                if !force, cacheable, let cached = try store.cachedStep(name, inputHash: inputHash),
                    let hash = cached.outputHash, Self.artefactsExist(cached.outputs)
                {
                    upstream[name] = hash
                    outputs[name] = cached.outputs ?? .null
                    try store.recordStep(
                        run: runID, position: position,
                        RunStep(
                            step: name, status: "cached", started: started, ended: Microseconds.from(Date()),
                            inputHash: inputHash, outputHash: hash, outputs: cached.outputs))
                    logger.info("step cached", metadata: ["step": "\(name)", "output": "\(hash.prefix(16))"])
                    position += 1
                    return
                }
                try store.recordStep(
                    run: runID, position: position,
                    RunStep(step: name, status: "running", started: started, inputHash: inputHash))
                logger.info("step started", metadata: ["step": "\(name)"])
                do throws(MarqueeError) {
                    let (hash, produced) = try await body()
                    if shouldStop() {
                        // Stopped at a safe point (a crawl re-queues what was in flight): not a result to reuse.
                        try? store.recordStep(
                            run: runID, position: position,
                            RunStep(
                                step: name, status: "interrupted", started: started, ended: Microseconds.from(Date()),
                                inputHash: inputHash, outputs: produced))
                        throw interrupted("during")
                    }
                    upstream[name] = hash
                    outputs[name] = produced
                    try store.recordStep(
                        run: runID, position: position,
                        RunStep(
                            step: name, status: "ok", started: started, ended: Microseconds.from(Date()),
                            inputHash: inputHash,
                            outputHash: hash, outputs: produced))
                    logger.info("step done", metadata: ["step": "\(name)", "output": "\(hash.prefix(16))"])
                    position += 1
                } catch {
                    if !shouldStop() {
                        try? store.recordStep(
                            run: runID, position: position,
                            RunStep(
                                step: name, status: "failed", started: started, ended: Microseconds.from(Date()),
                                inputHash: inputHash, error: error.description))
                    }
                    try? store.endRun(id: runID, status: shouldStop() ? "interrupted" : "failed")
                    throw error
                }
            }

            // scrape: replays are content-addressed (cacheable); live scrapes always run (the
            // frontier makes them incremental).
            for scrape in spec.scrape {
                var replayHash: String?
                if let replay = scrape.replay { replayHash = try Self.folderHash(URL(fileURLWithPath: replay)) }
                let inputs = JSONValue.object(
                    JSONObject([
                        ("site", .string(scrape.site)), ("start", .array(scrape.starts.map(JSONValue.string))),
                        ("depth", .number(Double(scrape.depth))), ("replay", replayHash.map(JSONValue.string) ?? .null),
                        ("specs", .string(try Self.folderHash(environment.scrapers))),
                    ]))
                try await step("scrape:\(scrape.site)", inputs: inputs, cacheable: replayHash != nil) {
                    () throws(MarqueeError) in
                    try? FileManager.default.createDirectory(
                        at: environment.scrapeState, withIntermediateDirectories: true)
                    var job = ScrapeJob(
                        site: scrape.site, starts: scrape.starts,
                        frontier: environment.scrapeState.appendingPathComponent("\(scrape.site).sqlite").path,
                        pages: environment.scrapeState.appendingPathComponent("pages"))
                    job.depth = scrape.depth
                    job.maxPages = scrape.maxPages
                    job.replay = scrape.replay.map { URL(fileURLWithPath: $0) }
                    job.salt = environment.salt
                    job.skipUserRatings = environment.skipUserRatings
                    job.rate = environment.rate
                    job.shouldStop = shouldStop
                    let scrapers = try ScraperSet.load(directory: environment.scrapers)
                    let result = try await job.run(scrapers: scrapers, store: store, logger: logger)
                    if let review = result.review { logger.info("\(review.report())", metadata: ["step": "scrape:\(scrape.site)"]) }
                    // Layout drift fails the step (exit 65), so cron reports it the day it happens.
                    if let error = result.review?.error { throw error }
                    let summary = JSONValue.object(
                        JSONObject([
                            ("pages", .number(Double(result.crawl.recorded))),
                            ("unchanged", .number(Double(result.crawl.unchanged))),
                            ("failed", .number(Double(result.crawl.failed))),
                            (
                                "records",
                                .object(
                                    JSONObject(
                                        result.records.records.sorted { $0.key < $1.key }.map {
                                            ($0.key, .number(Double($0.value)))
                                        }))
                            ),
                            (
                                "rejects",
                                .object(
                                    JSONObject(
                                        result.records.rejects.sorted { $0.key < $1.key }.map {
                                            ($0.key, .number(Double($0.value)))
                                        }))
                            ),
                            ("observations", .number(Double(result.records.stored))),
                        ]))
                    return (Hashing.sha256(summary.serialized() + (replayHash ?? UUID().uuidString)), summary)
                }
            }

            if let movieLens = spec.movieLens {
                let hash = try Self.folderHash(URL(fileURLWithPath: movieLens))
                try await step("ingest", inputs: .object(JSONObject([("movielens", .string(hash))]))) {
                    () throws(MarqueeError) in
                    let summary = try store.importMovieLens(directory: URL(fileURLWithPath: movieLens))
                    return (
                        hash,
                        .object(
                            JSONObject([
                                ("ratings", .number(Double(summary.ratings))), ("films", .number(Double(summary.films))),
                                ("users", .number(Double(summary.users))),
                            ]))
                    )
                }
            }

            // dataset: its spec and feature views, and whatever the data steps produced.
            let datasetInputs = JSONValue.object(
                JSONObject([
                    ("name", .string(spec.dataset)), ("features", .string(try Self.folderHash(environment.features))),
                    (
                        "upstream",
                        .object(JSONObject(upstream.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) }))
                    ),
                    // Data added outside the pipeline (a separate scrape or import) also rebuilds the dataset.
                    ("observations", .string(try store.observationsFingerprint())),
                ]))
            try await step("dataset", inputs: datasetInputs) { () throws(MarqueeError) in
                let catalog = try FeatureCatalog.load(directory: environment.features)
                let directory = environment.work.appendingPathComponent("datasets")
                try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
                let (version, file) = try store.materializeDataset(spec.dataset, catalog: catalog, into: directory)
                return (
                    version.id,
                    .object(
                        JSONObject([
                            ("version", .string(version.id)), ("rows", .number(Double(version.rowCount))),
                            ("file", .string(file.path)),
                        ]))
                )
            }
            let datasetVersion = upstream["dataset"]!
            let datasetFile = outputs["dataset"]?["file"]?.stringValue ?? ""
            let training = JSONValue.object(
                JSONObject([
                    ("dataset", .string(datasetVersion)), ("algorithm", .string(spec.algorithm.rawValue)),
                    ("params", .array(spec.parameters.map(JSONValue.string))), ("seed", .number(Double(spec.seed))),
                ]))
            let parameters = try Hyperparameters(spec.algorithm, settings: spec.parameters)

            try await step("train", inputs: training) { () throws(MarqueeError) in
                let table = try RatingTable.load(csv: URL(fileURLWithPath: datasetFile))
                let set = TrainingSet(table: table, rows: Array(0..<table.count))
                let model = try Trainer.fit(spec.algorithm, parameters: parameters, on: set, seed: spec.seed)
                let url = environment.work.appendingPathComponent("models/\(spec.name)-\(spec.algorithm.rawValue).mqm")
                try? FileManager.default.createDirectory(
                    at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                let bytes = try ModelFile.write(model, datasetVersion: datasetVersion, to: url)
                let hash = Hashing.sha256(bytes)
                return (
                    hash,
                    .object(
                        JSONObject([
                            ("file", .string(url.path)), ("sha256", .string(hash)),
                            ("ratings", .number(Double(table.count))),
                        ]))
                )
            }

            if spec.folds > 0 {
                var inputs = training.objectValue!
                inputs.members.append(("cv", .number(Double(spec.folds))))
                inputs.members.append(("k", .number(Double(spec.k))))
                if !spec.compare.isEmpty {
                    inputs.members.append(("compare", .array(spec.compare.map { .string($0.rawValue) })))
                }
                try await step("evaluate", inputs: .object(inputs)) { () throws(MarqueeError) in
                    try evaluateStep(datasetFile: datasetFile, datasetVersion: datasetVersion, parameters: parameters)
                }
            }

            if let format = spec.export {
                let modelHash = upstream["train"]!
                let modelFile = outputs["train"]?["file"]?.stringValue ?? ""
                try await step(
                    "export",
                    inputs: .object(JSONObject([("model", .string(modelHash)), ("format", .string(format.rawValue))]))
                ) { () throws(MarqueeError) in
                    let bytes: Data
                    do { bytes = try Data(contentsOf: URL(fileURLWithPath: modelFile)) } catch {
                        throw MarqueeError(.failure, "cannot read the model", location: modelFile)
                    }
                    let loaded = try ModelFile.decode(bytes, source: modelFile)
                    let directory = environment.work.appendingPathComponent("export/\(format.rawValue)")
                    let result = try Exporter.export(
                        loaded, sourceBytes: bytes, format: format, name: "marquee-\(spec.name)", directory: directory)
                    return (
                        Hashing.sha256(modelHash + format.rawValue),
                        .object(
                            JSONObject([
                                ("directory", .string(directory.path)),
                                ("files", .array(result.files.map(JSONValue.string))),
                            ]))
                    )
                }
            }
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
