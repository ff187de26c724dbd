import Foundation
import MarqueeTestKit
import Testing

/// `evaluate --algorithm RANKER` prints ranking metrics and the comparison with popularity on
/// the same folds, and says a ranker has no RMSE (its scores are not ratings); the JSON leaves
/// `rmse` out and carries `popularity`.
@Test(arguments: ["ease", "ials", "bpr", "itemknn"])
func evaluateARankerAgainstPopularity(_ algorithm: String) throws {
    let folder = try makeScratchFolder("ranker-cli")
    defer { try? FileManager.default.removeItem(at: folder) }
    let store = folder.appendingPathComponent("s.sqlite").path
    #expect(try runMarquee(["import", "movielens", "fixtures/movielens-mini", "--store", store]).status == 0)
    let params = ["ials", "bpr"].contains(algorithm) ? ["--param", "n_factors=4", "--param", "n_epochs=5"] : []
    let arguments =
        ["evaluate", "--dataset", "ratings", "--algorithm", algorithm, "--cv", "2", "--store", store] + params
    let text = try runMarquee(arguments + ["-k", "3"])
    #expect(text.status == 0, "\(text.stderr)")
    #expect(text.stdout.contains("nDCG@3") && text.stdout.contains("beats popularity? "), "\(text.stdout)")
    #expect(text.stdout.contains("RMSE") && text.stdout.contains("ranks films; it does not predict ratings"))
    let json = try runMarquee(
        arguments + ["--format", "json", "--report", folder.appendingPathComponent("r.html").path])
    #expect(json.status == 0, "\(json.stderr)")
    let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
    #expect(object["rmse"] == nil && object["mae"] == nil)
    #expect((object["popularity"] as? [String: Any])?["ndcg"] is Double)
    #expect((object["ranking"] as? [String: Any])?["ndcg"] is Double)
    let html = try String(contentsOf: folder.appendingPathComponent("r.html"), encoding: .utf8)
    #expect(html.contains("beats popularity?") && !html.contains("Rating distribution"))
}

/// A ranker trains, recommends unseen films, and exports to ONNX whose scores onnxruntime
/// reproduces (`--verify`), like the rating models.
@Test(arguments: ["ease", "bpr", "itemknn"])
func aRankerTrainsRecommendsAndExports(_ algorithm: String) throws {
    let folder = try makeScratchFolder("ranker-export")
    defer { try? FileManager.default.removeItem(at: folder) }
    let model = folder.appendingPathComponent("m.mqm").path
    let params = algorithm == "bpr" ? ["--param", "n_factors=4", "--param", "n_epochs=20"] : []
    let trained = try runMarquee(
        ["train", "--dataset", "fixtures/movielens-mini/ratings.csv", "--algorithm", algorithm, "--out", model] + params
    )
    #expect(trained.status == 0, "\(trained.stderr)")
    let recommended = try runMarquee(["recommend", model, "--user", "1", "-k", "2", "--format", "json"])
    #expect(recommended.status == 0, "\(recommended.stderr)")
    let films = try #require(try JSONSerialization.jsonObject(with: Data(recommended.stdout.utf8)) as? [[String: Any]])
    #expect(films.count == 2 && !films.contains { ["1", "2", "5"].contains($0["film"] as? String) }, "\(films)")
    if algorithm == "itemknn" {
        // Its similar films are the film's kept neighbours, most similar first.
        let similar = try runMarquee(["recommend", model, "--film", "1", "--min-ratings", "0", "--format", "json"])
        #expect(similar.status == 0, "\(similar.stderr)")
        let list = try #require(try JSONSerialization.jsonObject(with: Data(similar.stdout.utf8)) as? [[String: Any]])
        let scores = list.compactMap { $0["score"] as? Double }
        #expect(!list.isEmpty && scores == scores.sorted(by: >) && !list.contains { $0["film"] as? String == "1" })
    }
    let exported = try runMarquee(["export", model, "--out", folder.appendingPathComponent("x").path, "--verify"])
    #expect(exported.status == 0, "\(exported.stdout) \(exported.stderr)")
}

/// `evaluate --train A --test B` scores the very split the files hold (films of B unseen in A
/// are misses), and refuses half a split or a split given twice with a usage error.
@Test func evaluateOnAFixedSplitFromFiles() throws {
    let folder = try makeScratchFolder("ranker-files")
    defer { try? FileManager.default.removeItem(at: folder) }
    let lines = try String(contentsOfFile: "fixtures/movielens-mini/ratings.csv", encoding: .utf8)
        .split(separator: "\n").map(String.init)
    let train = folder.appendingPathComponent("train.csv"), test = folder.appendingPathComponent("test.csv")
    try ([lines[0]] + lines[1..<9]).joined(separator: "\n").write(to: train, atomically: true, encoding: .utf8)
    try ([lines[0]] + lines[9...]).joined(separator: "\n").write(to: test, atomically: true, encoding: .utf8)
    let result = try runMarquee([
        "evaluate", "--train", train.path, "--test", test.path, "--algorithm", "itemknn", "-k", "3", "--format", "json",
    ])
    #expect(result.status == 0, "\(result.stderr)")
    let json = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
    #expect((json["split"] as? [String: Any])?["method"] as? String == "files")
    #expect(json["ratings"] as? Int == 11)
    #expect((json["dataset_version"] as? String)?.hasPrefix("file:") == true)
    let half = try runMarquee(["evaluate", "--train", train.path, "--algorithm", "ease"])
    #expect(half.status == 64 && half.stderr.contains("--train and --test together"), "\(half.stderr)")
    let twice = try runMarquee([
        "evaluate", "--train", train.path, "--test", test.path, "--cv", "3", "--algorithm", "ease",
    ])
    #expect(twice.status == 64, "\(twice.stderr)")
}

/// `tune` prints its trials and writes the best settings; `train --params` takes them (and
/// refuses them for another algorithm); a malformed grid is a usage error.
@Test func tuneWritesAParameterFileThatTrainTakes() throws {
    let folder = try makeScratchFolder("tune-cli")
    defer { try? FileManager.default.removeItem(at: folder) }
    let best = folder.appendingPathComponent("best.json").path
    let ratings = "fixtures/movielens-mini/ratings.csv"
    let tuned = try runMarquee([
        "tune", "--dataset", ratings, "--algorithm", "itemknn", "--grid", "k=1,3 shrink=0,5", "--metric", "ndcg@3",
        "--out", best,
    ])
    #expect(tuned.status == 0, "\(tuned.stderr)")
    #expect(tuned.stdout.contains("4 trials") && tuned.stdout.contains("← best"), "\(tuned.stdout)")
    let file = try #require(
        try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: best))) as? [String: Any])
    #expect(file["algorithm"] as? String == "itemknn" && (file["settings"] as? [String])?.count == 2)
    let model = folder.appendingPathComponent("m.mqm").path
    let trained = try runMarquee([
        "train", "--dataset", ratings, "--algorithm", "itemknn", "--params", best, "--out", model, "--format", "json",
    ])
    #expect(trained.status == 0, "\(trained.stderr)")
    let other = try runMarquee(["train", "--dataset", ratings, "--algorithm", "ease", "--params", best, "--out", model])
    #expect(other.status == 65 && other.stderr.contains("for itemknn, not ease"), "\(other.stderr)")
    let bad = try runMarquee(["tune", "--dataset", ratings, "--algorithm", "itemknn", "--grid", "k=one"])
    #expect(bad.status == 64 && bad.stderr.contains("name=value"), "\(bad.stderr)")
}

/// `-k 5,10,20` reports every cut-off (JSON `rankings`, with novelty and popularity; a table;
/// the report's chart by cut-off); a malformed list is a usage error.
@Test func evaluateAtSeveralCutoffs() throws {
    let folder = try makeScratchFolder("cutoffs")
    defer { try? FileManager.default.removeItem(at: folder) }
    let arguments = [
        "evaluate", "--dataset", "fixtures/movielens-mini/ratings.csv", "--algorithm", "ease", "--cv", "2",
        "--no-track",
    ]
    let json = try runMarquee(
        arguments + ["-k", "3,1,5", "--format", "json", "--report", folder.appendingPathComponent("r.html").path])
    #expect(json.status == 0, "\(json.stderr)")
    let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
    let rankings = try #require(object["rankings"] as? [[String: Any]])
    #expect(rankings.map { $0["k"] as? Int } == [1, 3, 5])
    #expect(rankings.allSatisfy { $0["novelty"] is Double && $0["mean_popularity"] is Double })
    #expect((object["ranking"] as? [String: Any])?["k"] as? Int == 3)
    let html = try String(contentsOf: folder.appendingPathComponent("r.html"), encoding: .utf8)
    #expect(html.contains("Ranking metrics by cut-off"))
    let text = try runMarquee(arguments + ["-k", "5,10,20"])
    #expect(text.stdout.contains("@20") && text.stdout.contains("novelty"), "\(text.stdout)")
    let bad = try runMarquee(arguments + ["-k", "5,ten"])
    #expect(bad.status == 64 && bad.stderr.contains("-k 5,ten"), "\(bad.stderr)")
}
