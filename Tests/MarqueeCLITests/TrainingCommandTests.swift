import Foundation
import MarqueeTestKit
import Testing

private func scratchFolder() -> String {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("marquee-ml-cli-\(UUID().uuidString)")
    try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    return folder.path
}

/// `evaluate --dataset NAME` builds the dataset from the store and prints the stable JSON.
@Test func evaluateBuildsTheDatasetAndPrintsTheJSONInterface() throws {
    let folder = scratchFolder()
    let store = "\(folder)/store.sqlite"
    #expect(try runMarquee(["import", "movielens", "fixtures/movielens-mini", "--store", store]).status == 0)
    let result = try runMarquee([
        "evaluate", "--dataset", "ratings", "--algorithm", "svd", "--cv", "2", "--seed", "0", "--format", "json",
        "--store", store, "--param", "n_factors=4", "--report", "\(folder)/report.html",
    ])
    #expect(result.status == 0, "\(result.stderr)")
    let json = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
    #expect(json["algorithm"] as? String == "svd")
    #expect((json["params"] as? [String: Any])?["n_factors"] as? Double == 4)
    #expect((json["split"] as? [String: Any])?["method"] as? String == "kfold")
    let rmse = try #require(json["rmse"] as? [String: Any])
    #expect((rmse["per_fold"] as? [Double])?.count == 2)
    #expect(rmse["mean"] is Double && rmse["std"] is Double)
    #expect((json["mae"] as? [String: Any])?["mean"] is Double)
    let ranking = try #require(json["ranking"] as? [String: Any])
    for key in ["k", "precision", "recall", "ndcg", "map", "hit_rate"] { #expect(ranking[key] != nil, "\(key)") }
    #expect(json["fit_seconds"] is Double && json["predict_seconds"] is Double)
    #expect((json["dataset_version"] as? String)?.count == 16)

    let html = try String(contentsOfFile: "\(folder)/report.html", encoding: .utf8)
    #expect(html.hasPrefix("<!doctype html>"))
    #expect(html.components(separatedBy: "<svg").count - 1 == 5)  // RMSE, MAE, nDCG per fold, distribution, popularity
    #expect(html.contains("RMSE") && html.contains("n_factors"))
    #expect(!html.contains("<script"))
}

@Test func evaluateRejectsBadSplitsAndParametersWithUsageErrors() throws {
    let folder = scratchFolder()
    let both = try runMarquee([
        "evaluate", "--dataset", "x.csv", "--algorithm", "svd", "--cv", "3", "--split", "random:0.8",
    ])
    #expect(both.status == 64)
    let split = try runMarquee([
        "evaluate", "--dataset", "fixtures/movielens-mini/ratings.csv", "--algorithm", "svd", "--split", "holdout:0.8",
    ])
    #expect(split.status == 64)
    #expect(split.stderr.contains("unknown split \"holdout:0.8\""))
    let parameter = try runMarquee([
        "evaluate", "--dataset", "fixtures/movielens-mini/ratings.csv", "--algorithm", "svd", "--param", "nfactors=3",
    ])
    #expect(parameter.status == 64)
    #expect(parameter.stderr.contains("did you mean n_factors"))
    let missing = try runMarquee([
        "evaluate", "--dataset", "nope", "--algorithm", "svd", "--store", "\(folder)/s.sqlite",
    ])
    #expect(missing.status == 65)
    #expect(missing.stderr.contains("no dataset spec or recorded version \"nope\""))
}

/// Acceptance: train on MovieLens, then ten films the user has not rated.
@Test(.enabled(if: SharedData.runs(SharedData.movieLensSmall != nil), "needs ../shared/movielens/ml-latest-small"))
func trainThenRecommendTenUnseenFilms() throws {
    let folder = scratchFolder()
    let ratings = SharedData.movieLensSmall!.appendingPathComponent("ratings.csv").path
    let trained = try runMarquee([
        "train", "--dataset", ratings, "--algorithm", "svd", "--param", "n_epochs=5", "--out", "\(folder)/m.mqm",
    ])
    #expect(trained.status == 0, "\(trained.stderr)")
    let result = try runMarquee(["recommend", "\(folder)/m.mqm", "--user", "1", "-k", "10", "--format", "json"])
    #expect(result.status == 0, "\(result.stderr)")
    let entries = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]])
    #expect(entries.count == 10)
    let recommended = Set(entries.compactMap { $0["film"] as? String })
    #expect(recommended.count == 10)
    var seen = Set<String>()
    for line in try String(contentsOfFile: ratings, encoding: .utf8).split(whereSeparator: \.isNewline).dropFirst() {
        let fields = line.split(separator: ",")
        if fields[0] == "1" { seen.insert(String(fields[1])) }
    }
    #expect(seen.count == 232)
    #expect(recommended.isDisjoint(with: seen))
    let similar = try runMarquee(["recommend", "\(folder)/m.mqm", "--film", "2571", "-k", "3"])  // The Matrix
    #expect(similar.status == 0, "\(similar.stderr)")
    #expect(similar.stdout.split(separator: "\n").count == 5)
    let unknown = try runMarquee(["recommend", "\(folder)/m.mqm", "--user", "999999"])
    #expect(unknown.status == 65)
}
