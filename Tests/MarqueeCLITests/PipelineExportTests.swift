import Foundation
import MarqueeCore
import MarqueeTestKit
import Testing

private func venvTool(_ path: String) -> String? {
    let path = SharedData.repositoryRoot.appendingPathComponent(path).path
    return FileManager.default.isExecutableFile(atPath: path) ? path : nil
}

private let zenmlPython = venvTool(".venv-zenml/bin/python")
private let airflow = venvTool(".venv-airflow/bin/airflow")

/// The demo pipeline exported to ZenML and to Airflow runs as generated, offline, and the steps'
/// outputs are the ones `marquee pipeline run demo` produced on the same store: the same dataset
/// version, the same model bytes, the same metrics, the same exported graph.
@Test(
    .enabled(
        if: SharedData.runs(zenmlPython != nil && airflow != nil),
        "needs .venv-zenml with zenml[local] and .venv-airflow with apache-airflow (make setup)"))
func theDemoRunsUnderZenMLAndAirflowWithThePipelinesOutputs() throws {
    let python = try #require(zenmlPython, "CI needs .venv-zenml (make setup)")
    let folder = try makeScratchFolder("zenml")
    defer { try? FileManager.default.removeItem(at: folder) }
    let store = folder.appendingPathComponent("store/marquee.sqlite").path
    let environment = [
        "MARQUEE_USER_SALT": "zenml-test-salt", "ZENML_CONFIG_PATH": folder.appendingPathComponent("zenml").path,
        "ZENML_ANALYTICS_OPT_IN": "false", "ZENML_LOGGING_VERBOSITY": "WARN", "AUTO_OPEN_DASHBOARD": "false",
    ]
    let direct = folder.appendingPathComponent("direct").path
    let run = try runMarquee(["pipeline", "run", "demo", "--store", store, "--work", direct], environment: environment)
    #expect(run.status == 0, "\(run.stderr)")

    let program = folder.appendingPathComponent("demo_pipeline.py").path
    let zenmlWork = folder.appendingPathComponent("zenml-work").path
    let exported = try runMarquee(
        ["pipeline", "export", "demo", "--to", "zenml", "--out", program, "--store", store, "--work", zenmlWork],
        environment: environment)
    #expect(exported.status == 0, "\(exported.stderr)")
    #expect(exported.stdout.contains("scrape:letterboxd → scrape:imdb → ingest → dataset → train → evaluate → export"))

    let zenml = try runMarquee([program], environment: environment, executable: python)
    #expect(zenml.status == 0, "\(zenml.stderr.suffix(3000))")
    let json = try #require(zenml.stdout.range(of: "\n{").map { String(zenml.stdout[$0.lowerBound...]) }, "\(zenml.stdout)")
    let document = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
    #expect(document["status"] as? String == "completed")
    let outputs = try #require(document["outputs"] as? [String: Any])

    // The pipeline run's outputs, from its files and the store.
    let versions = try runMarquee(["dataset", "list", "--store", store, "--format", "json"], environment: environment)
    let versionList = try #require(try JSONSerialization.jsonObject(with: Data(versions.stdout.utf8)) as? [[String: Any]])
    #expect(versionList.count == 1, "one dataset version: the ZenML run found the pipeline run's")
    #expect(outputs["dataset_version"] as? String == versionList.first?["id"] as? String)
    let directModel = try Data(contentsOf: URL(fileURLWithPath: direct + "/models/demo-svd.mqm"))
    let zenmlModel = try Data(contentsOf: URL(fileURLWithPath: try #require(outputs["model_path"] as? String)))
    #expect(zenmlModel == directModel, "the same model, byte for byte")
    let evaluation = try #require(
        try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: direct + "/evaluation.json")))
            as? [String: Any])
    #expect(outputs["rmse"] as? Double == (evaluation["rmse"] as? [String: Any])?["mean"] as? Double)
    #expect(outputs["ndcg"] as? Double != nil)
    #expect(FileManager.default.fileExists(atPath: try #require(outputs["report_path"] as? String)))
    let exportDirectory = try #require(outputs["export_dir"] as? String)
    #expect(
        try Data(contentsOf: URL(fileURLWithPath: exportDirectory + "/model.onnx"))
            == Data(contentsOf: URL(fileURLWithPath: direct + "/export/onnx/model.onnx")))

    // Airflow: `airflow dags test` runs every task of the generated DAG; the train task returns
    // the same model.
    let airflowTool = try #require(airflow, "CI needs .venv-airflow (make setup)")
    let home = folder.appendingPathComponent("airflow")
    try FileManager.default.createDirectory(at: home.appendingPathComponent("dags"), withIntermediateDirectories: true)
    let dag = home.appendingPathComponent("dags/marquee_demo.py").path
    let airflowWork = folder.appendingPathComponent("airflow-work").path
    #expect(
        try runMarquee(
            ["pipeline", "export", "demo", "--to", "airflow", "--out", dag, "--store", store, "--work", airflowWork],
            environment: environment
        ).status == 0)
    let airflowEnvironment = environment.merging([
        "AIRFLOW_HOME": home.path, "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
        "AIRFLOW__CORE__DAGS_FOLDER": home.appendingPathComponent("dags").path,
    ]) { $1 }
    let migrated = try runMarquee(["db", "migrate"], environment: airflowEnvironment, executable: airflowTool)
    #expect(migrated.status == 0, "\(migrated.stderr.suffix(2000))")
    let tested = try runMarquee(
        ["dags", "test", "marquee_demo", "2026-12-06"], environment: airflowEnvironment, executable: airflowTool)
    let log = tested.stdout + tested.stderr
    #expect(tested.status == 0 && log.contains("state=success"), "\(log.suffix(3000))")
    for task in ["scrape_letterboxd", "scrape_imdb", "ingest", "dataset", "train", "evaluate", "export"] {
        #expect(log.contains("Marking task as SUCCESS. dag_id=marquee_demo, task_id=\(task),"), "\(task)")
    }
    #expect(log.contains("'model_sha256': '\(Hashing.sha256(directModel))'"), "the DAG's model is the pipeline's")
}

/// The Airflow DAG: valid Python with the pipeline's schedule, one task per step, the data steps
/// in the pipeline's order and the run lock's `max_active_runs=1`.
@Test func theDemoExportsAsAnAirflowDAG() throws {
    let folder = try makeScratchFolder("airflow")
    defer { try? FileManager.default.removeItem(at: folder) }
    let dag = folder.appendingPathComponent("marquee_demo.py").path
    let exported = try runMarquee(["pipeline", "export", "demo", "--to", "airflow", "--out", dag, "--format", "json"])
    #expect(exported.status == 0, "\(exported.stderr)")
    let text = try String(contentsOfFile: dag, encoding: .utf8)
    for line in [
        #"schedule="0 3 * * *","#, "max_active_runs=1,", #"@task(task_id="dataset", multiple_outputs=True)"#,
        "scrape_letterboxd_result >> scrape_imdb_result", "scrape_imdb_result >> ingest_result",
        #"train_result = train(dataset_result["dataset_version"], dataset_result["dataset_file"])"#,
        #"export_result = export(train_result["model_path"], train_result["model_sha256"])"#,
    ] {
        #expect(text.contains(line), "\(line)")
    }
    let compiled = try runMarquee(["-m", "py_compile", dag], executable: "/usr/bin/python3")
    #expect(compiled.status == 0, "\(compiled.stderr)")
    let unknown = try runMarquee(["pipeline", "step", "demo", "deploy", "--store", folder.path + "/s.sqlite"])
    #expect(unknown.status == 64 && unknown.stderr.contains("scrape:letterboxd, scrape:imdb, ingest"), "\(unknown.stderr)")
    let missing = try runMarquee(["pipeline", "step", "demo", "train", "--store", folder.path + "/s.sqlite"])
    #expect(missing.status == 64 && missing.stderr.contains("--dataset-file"), "\(missing.stderr)")
}
