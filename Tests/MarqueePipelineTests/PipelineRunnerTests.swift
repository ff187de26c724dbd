import Foundation
import Logging
import MarqueeCore
import MarqueePipeline
import MarqueeStore
import MarqueeTestKit
import Testing

private func environment(_ folder: URL) -> PipelineRunner.Environment {
    let root = SharedData.repositoryRoot
    return .init(
        storePath: folder.appendingPathComponent("store.sqlite").path,
        features: root.appendingPathComponent("features"), scrapers: root.appendingPathComponent("scrapers"),
        work: folder.appendingPathComponent("work"), salt: "test-salt")
}

private func miniSpec() throws -> PipelineSpec {
    try PipelineSpec.load(SharedData.repositoryRoot.appendingPathComponent("fixtures/pipelines/mini.toml"))
}

@Test func aCancelledRunStopsAtASafePointAndIsRecordedAsInterrupted() async throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("marquee-runner-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: folder) }
    var runner = PipelineRunner(spec: try miniSpec(), environment: environment(folder), logger: Logger(label: "test"))
    runner.shouldStop = { true }  // as after SIGTERM, before the first step
    let stopped = runner
    do {
        _ = try await stopped.run()
        Issue.record("a stopped run must throw")
    } catch {
        #expect(error.code == .temporary, "\(error)")
    }
    let store = try FeatureStore(path: folder.appendingPathComponent("store.sqlite").path)
    let runs = try store.runs()
    #expect(runs.map(\.status) == ["interrupted"])
    #expect(runs.first?.steps.isEmpty == true, "no step started")
    // The next run goes ahead normally.
    runner.shouldStop = { false }
    let record = try await runner.run()
    #expect(record.status == "ok")
    #expect(record.steps.map(\.status) == Array(repeating: "ok", count: 6))
}

@Test func pipelineFilesAreCheckedWithFileAndLine() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("marquee-spec-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let file = folder.appendingPathComponent("bad.toml")
    try "name = \"bad\"\n[dataset]\nname = \"ratings\"\n[train]\nalgorithm = \"svdd\"\n".write(
        to: file, atomically: true, encoding: .utf8)
    #expect {
        try PipelineSpec.load(file)
    } throws: { error in
        let error = error as? MarqueeError
        return error?.code == .dataError && error?.location == "\(file.path):5"
            && error?.message.contains("unknown algorithm \"svdd\"") == true
    }
}

@Test func aRunThatDiedWithoutEndingIsMarkedAbandonedByTheNextRun() async throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("marquee-abandon-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let store = try FeatureStore(path: folder.appendingPathComponent("store.sqlite").path)
    try store.beginRun(id: "20260101T000000Z-dead00", pipeline: "mini", detail: .null)  // as kill -9 leaves it
    let runner = PipelineRunner(spec: try miniSpec(), environment: environment(folder), logger: Logger(label: "test"))
    let record = try await runner.run()
    #expect(record.status == "ok")
    #expect(try store.run("20260101T000000Z-dead00")?.status == "abandoned")
}

/// A value of the wrong type is an error with `file:line`, never ignored for a default
/// (`cv = "two"` used to run 5 folds).
@Test(arguments: [
    ("[evaluate]\ncv = \"two\"\n", "cv must be a whole number"), ("[evaluate]\ncv = 1\n", "cv = 1 is out of range"),
    ("[train]\nalgorithm = \"svd\"\nseed = -1\n", "seed = -1 is out of range"),
    ("[evaluate]\ncompare = [\"svdd\"]\n", "unknown algorithm \"svdd\" in compare"),
])
func wronglyTypedPipelineValuesAreErrors(_ section: String, _ message: String) throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("marquee-types-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let file = folder.appendingPathComponent("typed.toml")
    let train = section.hasPrefix("[train]") ? "" : "[train]\nalgorithm = \"svd\"\n"
    try "name = \"typed\"\n[dataset]\nname = \"ratings\"\n\(train)\(section)".write(
        to: file, atomically: true, encoding: .utf8)
    #expect {
        try PipelineSpec.load(file)
    } throws: { error in
        let error = error as? MarqueeError
        return error?.code == .dataError && error?.message.contains(message) == true
            && error?.location?.hasPrefix(file.path + ":") == true
    }
}

/// Every input the pipeline fuzz harness crashed on (fixtures/fuzz/pipeline; the first byte picks
/// the loader, as in the harness) is now an error with a place.
@Test func pipelineInputsThatCrashedTheFuzzerAreErrors() throws {
    let folder = SharedData.fixtures.appendingPathComponent("fuzz/pipeline")
    let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
    #expect(!names.isEmpty)
    for name in names {
        let bytes = try Data(contentsOf: folder.appendingPathComponent(name))
        let text = String(decoding: bytes.dropFirst(), as: UTF8.self)
        #expect(throws: MarqueeError.self, "\(name)") {
            switch (bytes.first ?? 0) % 3 {
            case 0: _ = try PipelineSpec.parse(text: text, path: "pipelines/fuzz.toml")
            case 1: _ = try FeatureCatalog.parseView(text: text, path: "features/fuzz.toml")
            default: _ = try FeatureCatalog.parseDataset(text: text, path: "features/datasets/fuzz.toml")
            }
        }
    }
}

/// A run's train and evaluate steps are tracked experiments, as `marquee train` and `evaluate`
/// are (tagged with the pipeline); a second run that reuses them records nothing new. The same
/// steps run one at a time (`runStep`, what orchestrators call) are tracked too.
@Test func pipelineStepsAreTrackedExperiments() async throws {
    let folder = try makeScratchFolder("pipeline-experiments")
    defer { try? FileManager.default.removeItem(at: folder) }
    let runner = PipelineRunner(spec: try miniSpec(), environment: environment(folder), logger: Logger(label: "test"))
    _ = try await runner.run()
    let store = try FeatureStore(path: folder.appendingPathComponent("store.sqlite").path)
    let recorded = try store.experiments()
    #expect(Set(recorded.map(\.kind)) == (runner.spec.folds > 0 ? ["train", "evaluate"] : ["train"]), "\(recorded.map(\.kind))")
    for record in recorded {
        #expect(record.metrics["pipeline"] == .string("mini") && record.datasetVersion != nil)
        #expect(record.algorithm == runner.spec.algorithm.rawValue || runner.spec.compare.map(\.rawValue).contains(record.algorithm))
    }
    let train = try #require(recorded.first { $0.kind == "train" })
    let model = try Data(contentsOf: folder.appendingPathComponent("work/models/mini-\(runner.spec.algorithm.rawValue).mqm"))
    #expect(train.modelSHA256 == Hashing.sha256(model))
    _ = try await runner.run()
    #expect(try store.experiments().count == recorded.count, "cached steps record nothing")

    let dataset = try await runner.runStep("dataset", upstream: .init())
    _ = try await runner.runStep(
        "train", upstream: .init(datasetVersion: dataset["version"]?.stringValue, datasetFile: dataset["file"]?.stringValue))
    #expect(try store.experiments().count == recorded.count + 1)
}
