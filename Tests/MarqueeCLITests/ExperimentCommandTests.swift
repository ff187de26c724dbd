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

private let testPython: String? = {
    let path = SharedData.repositoryRoot.appendingPathComponent(".venv-test/bin/python").path
    return FileManager.default.isExecutableFile(atPath: path) ? path : nil
}()

/// `--mlflow DIR` writes the run in MLflow's file-store layout, and MLflow's own client reads it
/// back: the parameters, the metrics (per-fold values as steps), the run's name and status.
@Test(.enabled(if: SharedData.runs(testPython != nil), "needs .venv-test with mlflow-skinny (make setup)"))
func evaluateWritesARunMLflowReads() throws {
    let python = try #require(testPython, "CI needs .venv-test (make setup)")
    let folder = try makeScratchFolder("mlflow")
    defer { try? FileManager.default.removeItem(at: folder) }
    let mlruns = folder.appendingPathComponent("mlruns").path
    let evaluated = try runMarquee([
        "evaluate", "--dataset", "fixtures/movielens-mini/ratings.csv", "--algorithm", "svd", "--cv", "2",
        "--param", "n_factors=8", "--mlflow", mlruns, "--no-track", "--format", "json",
    ])
    #expect(evaluated.status == 0, "\(evaluated.stderr)")
    let summary = try #require(try JSONSerialization.jsonObject(with: Data(evaluated.stdout.utf8)) as? [String: Any])
    let rmse = try #require(summary["rmse"] as? [String: Any])
    let trained = try runMarquee([
        "train", "--dataset", "fixtures/movielens-mini/ratings.csv", "--algorithm", "svd", "--out",
        folder.appendingPathComponent("m.mqm").path, "--mlflow", mlruns, "--no-track",
    ])
    #expect(trained.status == 0, "\(trained.stderr)")
    let script = """
        import json, sys
        from mlflow.tracking import MlflowClient
        client = MlflowClient(tracking_uri="file://" + sys.argv[1])
        experiment = client.get_experiment_by_name("marquee")
        runs = {run.data.params["kind"]: run for run in client.search_runs([experiment.experiment_id])}
        run = runs["evaluate"]
        print(json.dumps({
            "kinds": sorted(runs), "status": run.info.status, "name": run.info.run_name,
            "params": run.data.params, "rmse": run.data.metrics["rmse.mean"],
            "per_fold": [m.value for m in client.get_metric_history(run.info.run_id, "rmse.per_fold")],
            "sha": runs["train"].data.tags.get("marquee.model_sha256"),
        }))
        """
    let read = try runMarquee(
        ["-c", script, mlruns], environment: ["MLFLOW_ALLOW_FILE_STORE": "true"], executable: python)
    #expect(read.status == 0, "\(read.stderr.suffix(2000))")
    let run = try #require(try JSONSerialization.jsonObject(with: Data(read.stdout.utf8)) as? [String: Any])
    #expect(run["kinds"] as? [String] == ["evaluate", "train"])
    #expect(run["status"] as? String == "FINISHED" && run["name"] as? String == "evaluate svd")
    let params = try #require(run["params"] as? [String: String])
    #expect(params["algorithm"] == "svd" && params["n_factors"] == "8" && params["split"] == "cv:2")
    #expect(run["rmse"] as? Double == rmse["mean"] as? Double)
    #expect(run["per_fold"] as? [Double] == rmse["per_fold"] as? [Double])
    let model = try Data(contentsOf: folder.appendingPathComponent("m.mqm"))
    #expect(run["sha"] as? String == Hashing.sha256(model))
}
