import Foundation
import MarqueeCore
import MarqueeExport
import MarqueeML
import MarqueeScrape
import MarqueeStore

/// The steps' work, each returning the hash of what it produced and the outputs recorded with it.
extension PipelineRunner {
    /// A scrape step: crawls (or replays) the site into the store with its frontier and page
    /// bodies beside the store. Layout drift (a monitor alarm) fails the step with exit 65, so
    /// cron reports it the day it happens.
    /// - Parameter replayHash: the hash of the replayed recordings; `nil` for a live scrape,
    ///   whose output hash is then unique (a live scrape is never reused).
    func scrapeStep(_ scrape: PipelineSpec.Scrape, replayHash: String?, store: FeatureStore) async throws(MarqueeError)
        -> (hash: String, outputs: JSONValue)
    {
        try? FileManager.default.createDirectory(at: environment.scrapeState, withIntermediateDirectories: true)
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
        if let error = result.review?.error { throw error }
        func counts(_ values: [String: Int]) -> JSONValue {
            .object(JSONObject(values.sorted { $0.key < $1.key }.map { ($0.key, .number(Double($0.value))) }))
        }
        let summary = JSONValue.object(
            JSONObject([
                ("pages", .number(Double(result.crawl.recorded))),
                ("unchanged", .number(Double(result.crawl.unchanged))),
                ("failed", .number(Double(result.crawl.failed))),
                ("records", counts(result.records.records)), ("rejects", counts(result.records.rejects)),
                ("observations", .number(Double(result.records.stored))),
            ]))
        return (Hashing.sha256(summary.serialized() + (replayHash ?? UUID().uuidString)), summary)
    }

    /// The ingest step: imports a MovieLens folder (idempotent); its hash is the folder's.
    func ingestStep(_ folder: String, hash: String, store: FeatureStore) throws(MarqueeError)
        -> (hash: String, outputs: JSONValue)
    {
        let summary = try store.importMovieLens(directory: URL(fileURLWithPath: folder))
        return (
            hash,
            .object(
                JSONObject([
                    ("ratings", .number(Double(summary.ratings))), ("films", .number(Double(summary.films))),
                    ("users", .number(Double(summary.users))),
                ]))
        )
    }

    /// The dataset step: builds (or finds) the spec's dataset version into `work/datasets`; its
    /// hash is the version id.
    func datasetStep(store: FeatureStore) throws(MarqueeError) -> (hash: String, outputs: JSONValue) {
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

    /// The train step: fits the `[train]` algorithm on the whole dataset file and writes the model
    /// into `work/models`; its hash is the model file's SHA-256.
    func trainStep(datasetFile: String, datasetVersion: String, parameters: Hyperparameters) throws(MarqueeError)
        -> (hash: String, outputs: JSONValue)
    {
        let started = Date()
        let table = try RatingTable.load(csv: URL(fileURLWithPath: datasetFile))
        let set = TrainingSet(table: table, rows: Array(0..<table.count))
        let model = try Trainer.fit(spec.algorithm, parameters: parameters, on: set, seed: spec.seed)
        let url = environment.work.appendingPathComponent("models/\(spec.name)-\(spec.algorithm.rawValue).mqm")
        try? FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        let bytes = try ModelFile.write(model, datasetVersion: datasetVersion, to: url)
        let hash = Hashing.sha256(bytes)
        track(
            .training(
                model, on: set, path: url.path, bytes: bytes, datasetVersion: datasetVersion, started: started,
                extra: [("pipeline", .string(spec.name))]))
        return (
            hash,
            .object(
                JSONObject([
                    ("file", .string(url.path)), ("sha256", .string(hash)), ("ratings", .number(Double(table.count))),
                ]))
        )
    }

    /// Records `record` in the store's experiments (`marquee experiments list`), as `train` and
    /// `evaluate` do; a store that cannot take it is a warning, never a failed step.
    func track(_ record: ExperimentRecord) {
        do {
            try FeatureStore(path: environment.storePath).recordExperiment(record)
        } catch {
            logger.warning("the experiment was not recorded", metadata: ["error": "\(error)"])
        }
    }

    /// The export step: the trained model in `format` under `work/export/FORMAT`.
    func exportStep(_ format: ExportFormat, modelFile: String, modelHash: String) throws(MarqueeError)
        -> (hash: String, outputs: JSONValue)
    {
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
                    ("directory", .string(directory.path)), ("files", .array(result.files.map(JSONValue.string))),
                ]))
        )
    }
}
