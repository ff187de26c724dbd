import Foundation
import MarqueeTestKit
import Testing

/// The leaf subcommands `marquee --help` lists (with their parents: `dataset build`).
private func subcommands(_ path: [String] = []) throws -> [[String]] {
    let help = try runMarquee(path + ["--help"]).stdout
    guard let section = help.range(of: "SUBCOMMANDS:") else { return [path] }
    var names: [String] = []
    for line in help[section.upperBound...].split(separator: "\n") {
        // "  name[, alias]   abstract": exactly two spaces, then the name.
        guard line.hasPrefix("  "), !line.hasPrefix("   "), !line.contains("See 'marquee help") else { continue }
        let name = line.dropFirst(2).prefix { $0 != " " && $0 != "," }
        if !name.isEmpty { names.append(String(name)) }
    }
    return try names.flatMap { try subcommands(path + [$0]) }
}

/// Whether `text` is one JSON document, or (for commands that stream) JSON Lines.
private func isJSON(_ text: String, lines: Bool) -> Bool {
    let documents = lines ? text.split(separator: "\n").map(String.init) : [text]
    return !documents.isEmpty
        && documents.allSatisfy {
            (try? JSONSerialization.jsonObject(with: Data($0.utf8), options: .fragmentsAllowed)) != nil
        }
}

/// Every subcommand that prints data takes `--format json` and prints valid JSON: the test walks
/// `marquee --help`, so a new subcommand without an entry here (or an exemption with its reason)
/// fails it.
@Test func everyDataPrintingSubcommandSpeaksJSON() throws {
    let folder = try makeScratchFolder("vocabulary-json")
    defer { try? FileManager.default.removeItem(at: folder) }
    let path = { (name: String) in folder.appendingPathComponent(name).path }
    let salt = ["MARQUEE_USER_SALT": "s"]
    // A world: a store with a pipeline run (scrape, ingest, dataset, train, evaluate, export), a model.
    let store = path("s.sqlite")
    let run = try runMarquee(
        [
            "pipeline", "run", "mini", "--pipelines", "fixtures/pipelines", "--store", store, "--work", path("w"),
            "--format", "json",
        ],
        environment: salt)
    #expect(run.status == 0 && isJSON(run.stdout, lines: false), "\(run.stderr)")
    let model = path("m.mqm")
    #expect(
        try runMarquee([
            "train", "--dataset", "fixtures/movielens-mini/ratings.csv", "--algorithm", "svd", "--out", model,
        ]).status == 0)
    for algorithm in ["baseline", "popularity"] {
        #expect(
            try runMarquee([
                "evaluate", "--dataset", "fixtures/movielens-mini/ratings.csv", "--algorithm", algorithm, "--cv", "2",
                "--store", store,
            ]).status == 0)
    }
    let experiments = try runMarquee(["experiments", "list", "--store", store, "--format", "json"]).stdout
    // The two evaluations above (the world's pipeline run records its own train and evaluate too).
    let experimentIDs = try #require(
        try JSONSerialization.jsonObject(with: Data(experiments.utf8)) as? [[String: Any]]
    ).filter { $0["kind"] as? String == "evaluate" && ($0["metrics"] as? [String: Any])?["pipeline"] == nil }
        .compactMap { $0["id"] as? String }
    #expect(experimentIDs.count == 2, "\(experiments)")
    let versions = try runMarquee(["dataset", "list", "--store", store, "--format", "json"]).stdout
    let version = try #require(versions.firstMatch(of: /"id" : "([0-9a-f]+)"/)?.1).description
    let runs = try runMarquee(["runs", "list", "--store", store, "--format", "json"]).stdout
    let runID = try #require(runs.firstMatch(of: /"id" : "([^"]+)"/)?.1).description
    try "User-agent: *\nDisallow: /private/\n".write(toFile: path("robots.txt"), atomically: true, encoding: .utf8)
    let server = try LoopbackServer { _ in
        .response(200, headers: [("Content-Type", "text/html")], body: Data("<p>hi</p>".utf8))
    }
    defer { server.stop() }
    let diary = "https://letterboxd.com/marqueedemo/films/diary/"

    let exempt: [String: String] = [
        "serve": "a server: what it serves is the HTTP API (Open Inference Protocol V2), JSON already",
        "pipeline run": "run above, to build the world",
        "pipeline step": "runs a pipeline's step: its --format json is read by the generated programs in PipelineExportTests",
        "store copy": "needs a PostgreSQL database: its --format json is checked in StoreCopyTests",
        "publish": "needs an S3 server: its --format json is checked in PublishCommandTests",
    ]
    let commands: [String: (arguments: [String], lines: Bool)] = [
        "select": (["fixtures/demo/film.html", "--css", "h1::text"], false),
        "normalise": (["duration", "2h 22m", "PT1H"], true),
        "import movielens": (["fixtures/movielens-mini", "--store", path("i.sqlite")], false),
        "dataset build": (["ratings", "--store", store, "--out", path("d.csv")], false),
        "dataset list": (["--store", store], false),
        "dataset show": ([version, "--store", store], false),
        "dataset rebuild": ([version, "--store", store, "--out", path("again.csv")], false),
        "query": (["SELECT count(*) AS n FROM observations", "--store", store], false),
        "features list": ([], false),
        "features describe": (["film_facts", "--store", store], false),
        "features materialize": (["--store", store], false),
        "robots": ([path("robots.txt"), "/private/a", "/public"], false),
        "fetch": ([server.base + "/page"], false),
        "crawl": (
            [
                diary, "--replay", "fixtures/letterboxd/diary", "--max-depth", "0", "--frontier", path("c.sqlite"),
                "--pages", path("cp"),
            ], false
        ),
        "crawl-status": (["--frontier", path("c.sqlite")], false),
        "parse": (["fixtures/demo/film.html"], true),
        "sites": ([], false),
        "scrape": (
            [
                "letterboxd", "--start", diary, "--replay", "fixtures/letterboxd", "--depth", "1", "--out",
                path("r.jsonl"), "--frontier", path("sc.sqlite"), "--pages", path("sp"),
            ], false
        ),
        "reparse": (["--frontier", path("sc.sqlite"), "--pages", path("sp"), "--out", path("r2.jsonl")], false),
        "runs list": (["--store", store], false),
        "runs show": ([runID, "--store", store], false),
        "monitor report": (["--store", store], false),
        "entities show": (["movielens:1", "--store", store], false),
        "entities conflicts": (["--store", store], false),
        "config": ([], false),
        "demo": (["--store", path("demo.sqlite")], false),
        "train": (
            ["--dataset", "fixtures/movielens-mini/ratings.csv", "--algorithm", "baseline", "--out", path("b.mqm")],
            false
        ),
        "evaluate": (
            ["--dataset", "fixtures/movielens-mini/ratings.csv", "--algorithm", "baseline", "--cv", "2"], false
        ),
        "tune": (
            [
                "--dataset", "fixtures/movielens-mini/ratings.csv", "--algorithm", "itemknn", "--grid", "k=1,3",
                "--metric", "ndcg@3",
            ], false
        ),
        "experiments list": (["--store", store], false),
        "experiments show": ([experimentIDs.first ?? "", "--store", store], false),
        "experiments compare": (experimentIDs + ["--store", store], false),
        "recommend": ([model, "--user", "1"], false),
        "export": ([model, "--out", path("export")], false),
        "pipeline export": (["demo", "--to", "zenml", "--out", path("demo_pipeline.py")], false),
        "manifests": (["--target", "cronjob", "--image", "registry.example/marquee:1", "--out", path("cron")], false),
    ]
    let listed = try subcommands().map { $0.joined(separator: " ") }
    #expect(listed.count >= 30, "\(listed)")
    // `crawl` must run before `crawl-status`, `scrape` before `reparse`.
    for name in listed.sorted(by: {
        ($0.hasPrefix("crawl-") || $0 == "reparse" ? 1 : 0, $0) < (
            $1.hasPrefix("crawl-") || $1 == "reparse" ? 1 : 0, $1
        )
    }) {
        if exempt[name] != nil { continue }
        guard let (arguments, lines) = commands[name] else {
            Issue.record("marquee \(name) has no --format json case here: add one, or an exemption with its reason")
            continue
        }
        let result = try runMarquee(
            name.split(separator: " ").map(String.init) + arguments + ["--format", "json"], environment: salt)
        #expect(result.status == 0, "\(name): \(result.stderr)")
        #expect(
            isJSON(result.stdout, lines: lines), "marquee \(name) --format json printed: \(result.stdout.prefix(300))")
    }
}

/// `train --help` and `evaluate --help` list every algorithm's parameters with their defaults,
/// generated from the algorithms' own parameter lists (not only in the error for a wrong one).
@Test(arguments: ["train", "evaluate"])
func helpListsEveryAlgorithmsParametersAndDefaults(command: String) throws {
    let help = try runMarquee([command, "--help"]).stdout
    for (algorithm, setting) in [
        ("svd", "n_factors=100"), ("svd", "lr_all=0.005"), ("svdpp", "n_factors=20"), ("svdpp", "reg_yj=…"),
        ("baseline", "reg_u=15"), ("hybrid", "min_films=5"), ("popularity", "damping=0"),
    ] {
        let section = help.components(separatedBy: "\n\(algorithm):\n").dropFirst().first ?? ""
        let paragraph = section.components(separatedBy: ":\n").first ?? ""
        #expect(paragraph.contains("  \(setting) "), "\(command) --help: no \(setting) under \(algorithm):")
    }
    // A typo names the parameters too (unchanged behaviour).
    let typo = try runMarquee([
        command, "--dataset", "x.csv", "--algorithm", "svd", "--param", "n_factor=5", "--out", "/tmp/m",
    ])
    #expect(typo.status != 0)
}
