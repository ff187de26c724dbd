// Marquee's steps as plain function calls, cell by cell, on the data that ships with the
// repository: a saved film page, the MovieLens-shaped fixture and the feature views.
//
//   swift run --package-path Examples/notebook [OUTPUT_FOLDER]
import Foundation
import MarqueeExport
import MarqueeHTML
import MarqueeML
import MarqueeNormalize
import MarqueeStore

let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent()  // Sources/notebook
    .deletingLastPathComponent().deletingLastPathComponent()  // Examples/notebook
    .deletingLastPathComponent().deletingLastPathComponent()  // the repository
let output =
    CommandLine.arguments.dropFirst().first.map { URL(fileURLWithPath: $0) }
    ?? FileManager.default.temporaryDirectory.appendingPathComponent("marquee-notebook-\(getpid())")
try FileManager.default.createDirectory(at: output, withIntermediateDirectories: true)

// 1. A saved page (a Letterboxd film page) → CSS selection → typed values.
let page = try HTMLDocument(
    data: Data(contentsOf: repository.appendingPathComponent("fixtures/demo/film.html")),
    url: "https://letterboxd.com/film/lost-highway/")
let title = try page.css("h1.primaryname .name::text").get() ?? "?"
let footer = try page.css("p.text-footer::text").get() ?? ""
let minutes = try Normalize.duration(footer.replacingOccurrences(of: "\u{A0}", with: " ").components(separatedBy: "More")[0])
let rating = try page.css("meta[name='twitter:data2']::attr(content)").get().map { raw in try Normalize.rating(raw) }
print("page: \(title), \(minutes) min, rated \(rating.map { "\($0.value) of \($0.scale)" } ?? "—")")

// 2. A feature store: import MovieLens-shaped ratings, then ask it a parameterised question.
let storePath = output.appendingPathComponent("store.sqlite").path
let store = try FeatureStore(path: storePath)
let imported = try store.importMovieLens(directory: repository.appendingPathComponent("fixtures/movielens-mini"))
print("store: \(imported.ratings) ratings of \(imported.films) films by \(imported.users) users")
let busiest = try ReadOnlyQuery.run(
    """
    SELECT e.key AS user, count(*) AS ratings FROM observations o JOIN entities e ON e.id = o.entity_id
    WHERE o.feature = ? AND e.kind = 'user' GROUP BY e.key ORDER BY ratings DESC, e.key LIMIT ?
    """, arguments: ["rating", 3], storePath: storePath)
print(QueryOutput.render(busiest, format: "table"), terminator: "")

// 3. A point-in-time dataset, versioned: the same observations give the same bytes.
let catalog = try FeatureCatalog.load(directory: repository.appendingPathComponent("features"))
let csv = output.appendingPathComponent("ratings.csv")
let dataset = try store.buildDataset("ratings", catalog: catalog, output: csv)
print("dataset: ratings \(dataset.version.id), \(dataset.version.rowCount) rows")

// 4. Fit and evaluate a model on it.
let table = try RatingTable.load(csv: csv)
let parameters = try Hyperparameters(.svd, settings: ["n_factors=16", "n_epochs=20"])
let evaluation = try Evaluator.evaluate(
    EvaluationRequest(algorithm: .svd, parameters: parameters, split: .kFold(3), seed: 7), on: table,
    datasetVersion: dataset.version.id)
let summary = evaluation.summary
// A rating model reports RMSE and MAE; a ranker (ials, bpr, ease, itemknn) has none.
if let rmse = summary.rmse, let mae = summary.mae {
    print(String(format: "evaluate: svd, 3 folds, RMSE %.4f ± %.4f, MAE %.4f", rmse.mean, rmse.std, mae.mean))
}
let model = try Trainer.fit(.svd, parameters: parameters, on: TrainingSet(table: table, rows: Array(0..<table.count)), seed: 7)

// 5. Export it as ONNX (a rating model and a top-k model) for a model server.
let bytes = ModelFile.encode(model, datasetVersion: dataset.version.id)
let exported = try Exporter.export(
    try ModelFile.decode(bytes, source: "notebook"), sourceBytes: bytes, format: .onnx, name: "films",
    directory: output.appendingPathComponent("export"))
print("export: \(exported.files.joined(separator: ", ")) in \(output.appendingPathComponent("export").path)")
