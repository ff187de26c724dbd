// Entity matching, measured: the matcher resolves each labelled page's film (ids hidden) among
// MovieLens ml-latest-small's 9,742 films; prints precision, recall and every decision.
//   swift run -c release --package-path Benchmarks entity-bench [REPO] [REALPAGES]
import Foundation
import MarqueeScrape

let arguments = CommandLine.arguments
let repository = URL(fileURLWithPath: arguments.count > 1 ? arguments[1] : FileManager.default.currentDirectoryPath)
let realPages = URL(
    fileURLWithPath: arguments.count > 2 ? arguments[2] : repository.appendingPathComponent("../shared/realpages").path)
let started = Date()
let score = try EntityMatcher.evaluate(
    labels: repository.appendingPathComponent("fixtures/entities/labels.tsv"), realPages: realPages,
    repository: repository, movieLens: repository.appendingPathComponent("data/ml-latest-small"),
    scrapers: try ScraperSet.load(directory: repository.appendingPathComponent("scrapers")))
for line in score.lines { print(line) }
print(score)
print(String(format: "labelled pages: %d, seconds: %.2f", score.lines.count, Date().timeIntervalSince(started)))
