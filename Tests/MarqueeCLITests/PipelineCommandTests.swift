import Foundation
import MarqueeCore
import MarqueeTestKit
import Testing

/// A temporary folder with a copy of `features/` (so a test can change a dataset spec).
private func pipelineFolder() throws -> URL {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("marquee-pipeline-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    try FileManager.default.copyItem(
        at: SharedData.repositoryRoot.appendingPathComponent("features"), to: folder.appendingPathComponent("features"))
    return folder
}

private func statuses(_ output: String) -> [String: String] {
    var result: [String: String] = [:]
    for line in output.split(whereSeparator: \.isNewline) {
        let words = line.split(separator: " ", omittingEmptySubsequences: true)
        if words.count > 2, ["ok", "cached", "failed"].contains(String(words[1])), line.hasPrefix("  ") {
            result[String(words[0])] = String(words[1])
        }
    }
    return result
}

@Test func demoPipelineRunsThenHitsTheCacheThenRerunsFromTheChangedDataset() throws {
    let folder = try pipelineFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let arguments = [
        "pipeline", "run", "demo", "--store", folder.appendingPathComponent("store.sqlite").path, "--features",
        folder.appendingPathComponent("features").path, "--work", folder.appendingPathComponent("work").path,
    ]
    let first = try runMarquee(arguments)
    #expect(first.status == 0, "\(first.stderr)")
    let steps = ["scrape:letterboxd", "ingest", "dataset", "train", "evaluate", "export"]
    #expect(statuses(first.stdout) == Dictionary(uniqueKeysWithValues: steps.map { ($0, "ok") }), "\(first.stdout)")
    for artefact in [
        "work/report.html", "work/evaluation.json", "work/export/onnx/model.onnx", "work/models/demo-svd.mqm",
    ] {
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent(artefact).path), "\(artefact)")
    }

    let second = try runMarquee(arguments)
    #expect(second.status == 0, "\(second.stderr)")
    #expect(
        statuses(second.stdout) == Dictionary(uniqueKeysWithValues: steps.map { ($0, "cached") }), "\(second.stdout)")

    // A different dataset spec: the data steps stay cached, everything from the dataset on reruns.
    let spec = folder.appendingPathComponent("features/datasets/ratings.toml")
    let text = try String(contentsOf: spec, encoding: .utf8)
    try text.replacingOccurrences(of: #", "film_facts.genres""#, with: "").write(
        to: spec, atomically: true, encoding: .utf8)
    let third = try runMarquee(arguments)
    #expect(third.status == 0, "\(third.stderr)")
    #expect(
        statuses(third.stdout)
            == [
                "scrape:letterboxd": "cached", "ingest": "cached", "dataset": "ok", "train": "ok", "evaluate": "ok",
                "export": "ok",
            ], "\(third.stdout)")

    // Every run is recorded, newest first, with its lineage.
    let list = try runMarquee(["runs", "list", "--store", folder.appendingPathComponent("store.sqlite").path])
    #expect(list.stdout.split(whereSeparator: \.isNewline).count == 3)
    let newest = try #require(list.stdout.split(separator: " ").first).description
    let show = try runMarquee(["runs", "show", newest, "--store", folder.appendingPathComponent("store.sqlite").path])
    #expect(show.stdout.contains("\"git_commit\""))
    #expect(show.stdout.contains("dataset              ok"))
}

@Test func anOverlappingPipelineRunExits75() throws {
    let folder = try pipelineFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let store = folder.appendingPathComponent("store.sqlite").path
    let held = try RunLock.acquire(store + ".lock", purpose: "marquee pipeline run demo")
    let refused = try runMarquee([
        "pipeline", "run", "demo", "--store", store, "--features", folder.appendingPathComponent("features").path,
        "--work", folder.appendingPathComponent("work").path,
    ])
    withExtendedLifetime(held) {}
    #expect(refused.status == 75)
    #expect(refused.stderr.contains("another run holds the lock"))
    #expect(refused.stderr.split(whereSeparator: \.isNewline).count == 1)
}
