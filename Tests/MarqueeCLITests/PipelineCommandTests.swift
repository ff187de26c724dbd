import Foundation
import MarqueeCore
import MarqueeStore
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

private let salted = ["MARQUEE_USER_SALT": "test-salt"]

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
        "pipeline", "run", "mini", "--pipelines", "fixtures/pipelines", "--store", folder.appendingPathComponent("store.sqlite").path, "--features",
        folder.appendingPathComponent("features").path, "--work", folder.appendingPathComponent("work").path,
    ]
    let first = try runMarquee(arguments, environment: salted)
    #expect(first.status == 0, "\(first.stderr)")
    let steps = ["scrape:letterboxd", "ingest", "dataset", "train", "evaluate", "export"]
    #expect(statuses(first.stdout) == Dictionary(uniqueKeysWithValues: steps.map { ($0, "ok") }), "\(first.stdout)")
    for artefact in [
        "work/report.html", "work/evaluation.json", "work/export/onnx/model.onnx", "work/models/mini-svd.mqm",
    ] {
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent(artefact).path), "\(artefact)")
    }

    let second = try runMarquee(arguments, environment: salted)
    #expect(second.status == 0, "\(second.stderr)")
    #expect(
        statuses(second.stdout) == Dictionary(uniqueKeysWithValues: steps.map { ($0, "cached") }), "\(second.stdout)")

    // A different dataset spec: the data steps stay cached, everything from the dataset on reruns.
    let spec = folder.appendingPathComponent("features/datasets/ratings.toml")
    let text = try String(contentsOf: spec, encoding: .utf8)
    try text.replacingOccurrences(of: #", "film_facts.genres""#, with: "").write(
        to: spec, atomically: true, encoding: .utf8)
    let third = try runMarquee(arguments, environment: salted)
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
    let held = try RunLock.acquire(store + ".lock", purpose: "marquee pipeline run mini")
    let refused = try runMarquee([
        "pipeline", "run", "mini", "--pipelines", "fixtures/pipelines", "--store", store, "--features", folder.appendingPathComponent("features").path,
        "--work", folder.appendingPathComponent("work").path,
    ])
    withExtendedLifetime(held) {}
    #expect(refused.status == 75)
    #expect(refused.stderr.contains("another run holds the lock"))
    #expect(refused.stderr.split(whereSeparator: \.isNewline).count == 1)
}

/// A pipeline's scrape state lives beside the store it writes: a run against a second store
/// crawls (replays) again and that store holds its own scraped observations.
@Test func twoStoresEachHoldTheirOwnScrapedObservations() throws {
    let folder = try pipelineFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    var counts: [String] = []
    for name in ["a", "b"] {
        let store = folder.appendingPathComponent("\(name).sqlite").path
        let run = try runMarquee(
            [
                "pipeline", "run", "mini", "--pipelines", "fixtures/pipelines", "--store", store, "--features", folder.appendingPathComponent("features").path,
                "--work", folder.appendingPathComponent("work").path,
            ], environment: salted)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("\(name).scrape").path))
        let query = try runMarquee([
            "query", "--store", store, "--format", "csv", "SELECT COUNT(*) FROM observations WHERE source = 'letterboxd'",
        ])
        counts.append(String(query.stdout.split(whereSeparator: \.isNewline).last ?? ""))
    }
    #expect(counts[0] == counts[1] && Int(counts[0]) ?? 0 > 0, "\(counts)")
}

/// A run that fails is recorded as `failed` with its error and exit status — also when it fails
/// before any step starts — and `runs list` shows it.
@Test func aFailedRunIsRecordedAsFailedWithItsError() throws {
    let folder = try pipelineFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let store = folder.appendingPathComponent("store.sqlite").path
    let pipeline = folder.appendingPathComponent("broken.toml")
    let demo = try String(
        contentsOf: SharedData.repositoryRoot.appendingPathComponent("fixtures/pipelines/mini.toml"), encoding: .utf8)
    try demo.replacingOccurrences(of: #"name = "ratings""#, with: #"name = "no_such_dataset""#)
        .replacingOccurrences(of: #"name = "mini""#, with: #"name = "broken""#)
        .write(to: pipeline, atomically: true, encoding: .utf8)
    let run = try runMarquee(
        [
            "pipeline", "run", pipeline.path, "--store", store, "--features",
            folder.appendingPathComponent("features").path, "--work", folder.appendingPathComponent("work").path,
        ], environment: salted)
    #expect(run.status != 0)
    let list = try runMarquee(["runs", "list", "--store", store])
    let lines = list.stdout.split(whereSeparator: \.isNewline)
    #expect(lines.first?.contains("  broken  failed  ") == true, "\(list.stdout)")
    #expect(lines.count == 2 && lines[1].contains("error (exit \(run.status)):") && lines[1].contains("no_such_dataset"), "\(list.stdout)")
}

/// `marquee demo` on the bundled real-sized data, offline and without any configuration: all of
/// MovieLens ml-latest-small, scraped credits joined to the films they describe, SVD, the hybrid
/// and ItemKNN compared on the same folds (cold films too; ItemKNN beats popularity), an ONNX export.
@Test func theDemoRunsTheWholeChainOnRealSizedData() throws {
    let folder = try pipelineFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let demo = try runMarquee(["demo"], environment: ["MARQUEE_WORK": folder.path])
    #expect(demo.status == 0, "\(demo.stderr)")
    // 9,742 films, of which the 80 scraped first already existed (adopted, not new).
    #expect(demo.stdout.contains(#"{"ratings":100836,"films":9662,"users":610}"#), "\(demo.stdout)")
    #expect(demo.stdout.contains("scrape:imdb          ok"))
    let cold = demo.stdout.split(whereSeparator: \.isNewline).filter { $0.contains("cold-film RMSE") }
    #expect(cold.count == 2 && cold[0].contains("svd") && cold[1].contains("hybrid"), "\(demo.stdout)")
    // The ranker on the same folds: no RMSE, and an nDCG above popularity's.
    let ranker = try #require(demo.stdout.split(whereSeparator: \.isNewline).first { $0.contains("itemknn  ranks films") })
    let ratio = try #require(ranker.split(separator: "(").last?.split(separator: "×").first.flatMap { Double($0) })
    #expect(ratio > 1, "\(ranker)")
    let work = folder.appendingPathComponent("pipelines/demo")
    let comparison = try String(contentsOf: work.appendingPathComponent("comparison.html"), encoding: .utf8)
    #expect(comparison.contains("svd vs hybrid vs itemknn") && comparison.contains("Cold-film RMSE"))
    // The ranker has no RMSE, so no bars in the error chart (not bars at 0).
    #expect(comparison.contains("svd 0 (n=") && !comparison.contains("itemknn 0 (n="))
    #expect(FileManager.default.fileExists(atPath: work.appendingPathComponent("export/onnx/model.onnx").path))
    // Fargo (imdb:tt0116282, MovieLens 608): its scraped credits are in every one of its rating rows.
    let rows = CSVReader(data: try Data(contentsOf: work.appendingPathComponent("datasets/ratings_enriched.csv")))
        .map(\.fields)
    let header = rows[0]
    let film = try #require(header.firstIndex(of: "film"))
    let directors = try #require(header.firstIndex(of: "directors"))
    let fargo = rows.dropFirst().filter { $0[film] == "imdb:tt0116282" }
    #expect(fargo.count == 181)
    #expect(fargo.allSatisfy { $0[directors] == "Joel Coen|Ethan Coen" })
    #expect(rows.dropFirst().filter { !$0[directors].isEmpty }.count > 2_000)
}
