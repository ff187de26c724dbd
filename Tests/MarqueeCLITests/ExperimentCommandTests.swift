import Foundation
import MarqueeCore
import MarqueeTestKit
import Testing

/// evaluate, tune and train record themselves in the store; `experiments list`, `show` and
/// `compare` read them back; `--no-track` records nothing.
@Test func experimentsAreRecordedListedShownAndCompared() throws {
    let folder = try makeScratchFolder("experiments")
    defer { try? FileManager.default.removeItem(at: folder) }
    let store = folder.appendingPathComponent("s.sqlite").path
    let ratings = "fixtures/movielens-mini/ratings.csv"
    for algorithm in ["ease", "itemknn"] {
        let evaluated = try runMarquee([
            "evaluate", "--dataset", ratings, "--algorithm", algorithm, "--cv", "2", "-k", "3", "--store", store,
        ])
        #expect(evaluated.status == 0, "\(evaluated.stderr)")
    }
    let model = folder.appendingPathComponent("m.mqm")
    #expect(
        try runMarquee(["train", "--dataset", ratings, "--algorithm", "ease", "--out", model.path, "--store", store])
            .status == 0)
    #expect(
        try runMarquee([
            "tune", "--dataset", ratings, "--algorithm", "itemknn", "--grid", "k=1,2", "--metric", "ndcg@3", "--store",
            store,
        ]).status == 0)
    #expect(
        try runMarquee([
            "evaluate", "--dataset", ratings, "--algorithm", "ease", "--cv", "2", "--store", store, "--no-track",
        ]).status == 0)

    let listed = try runMarquee(["experiments", "list", "--store", store, "--format", "json"])
    #expect(listed.status == 0, "\(listed.stderr)")
    let records = try #require(try JSONSerialization.jsonObject(with: Data(listed.stdout.utf8)) as? [[String: Any]])
    #expect(records.map { $0["kind"] as? String } == ["tune", "train", "evaluate", "evaluate"], "\(records)")
    let trainID = try #require(records[1]["id"] as? String)
    let evaluateIDs = records[2...].compactMap { $0["id"] as? String }

    let shown = try runMarquee([
        "experiments", "show", String(trainID.prefix(22)), "--store", store, "--format", "json",
    ])
    let train = try #require(try JSONSerialization.jsonObject(with: Data(shown.stdout.utf8)) as? [String: Any])
    #expect(train["model_sha256"] as? String == Hashing.sha256(try Data(contentsOf: model)))
    #expect((train["parameters"] as? [String: Any])?["reg"] as? Double == 500)
    #expect((train["dataset_version"] as? String)?.hasPrefix("file:") == true && train["marquee_version"] is String)
    let evaluation = try runMarquee(["experiments", "show", evaluateIDs[0], "--store", store, "--format", "json"])
    let metrics = try #require(
        (try JSONSerialization.jsonObject(with: Data(evaluation.stdout.utf8)) as? [String: Any])?["metrics"]
            as? [String: Any])
    #expect(((metrics["ranking"] as? [String: Any])?["ndcg_per_fold"] as? [Double])?.count == 2)

    let report = folder.appendingPathComponent("compare.html")
    let compared = try runMarquee(
        ["experiments", "compare"] + evaluateIDs + ["--store", store, "--report", report.path])
    #expect(compared.status == 0, "\(compared.stderr)")
    #expect(
        compared.stdout.contains("ease") && compared.stdout.contains("itemknn")
            && compared.stdout.contains("nDCG@3 folds"))
    let html = try String(contentsOf: report, encoding: .utf8)
    #expect(html.contains("<svg") && html.contains("nDCG per fold") && !html.contains("<script"))
    let mixed = try runMarquee(["experiments", "compare", evaluateIDs[0], trainID, "--store", store])
    #expect(mixed.status == 64 && mixed.stderr.contains("not an evaluate run"), "\(mixed.stderr)")
    let missing = try runMarquee(["experiments", "show", "19990101", "--store", store])
    #expect(missing.status == 65 && missing.stderr.contains("experiments list"), "\(missing.stderr)")
}
