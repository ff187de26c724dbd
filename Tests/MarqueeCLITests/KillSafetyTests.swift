import Foundation
import MarqueeTestKit
import Testing

/// SIGKILL at random moments during the store-writing commands (5 kills each): afterwards the
/// store opens, `PRAGMA integrity_check` is `ok`, nothing half-written is visible, and a rerun
/// completes with the same result as a run that was never killed.
private func killed(_ arguments: [String], times: Int = 5, within: ClosedRange<Double>) throws {
    var generator = SystemRandomNumberGenerator()
    for _ in 0..<times {
        let (process, _) = try startMarquee(arguments)
        Thread.sleep(forTimeInterval: Double.random(in: within, using: &generator))
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }
}

private func query(_ store: String, _ sql: String) throws -> String {
    let result = try runMarquee(["query", "--store", store, "--format", "csv", sql])
    #expect(result.status == 0, "\(sql): \(result.stderr)")
    return String(result.stdout.split(whereSeparator: \.isNewline).last ?? "")
}

@Test func importAndDatasetBuildSurviveSIGKILL() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("marquee-kill-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let store = folder.appendingPathComponent("s.sqlite").path
    // The import is one transaction: a kill leaves all of it or none.
    try killed(["import", "movielens", "data/ml-latest-small", "--store", store], within: 0.05...2.5)
    if FileManager.default.fileExists(atPath: store) {
        #expect(try query(store, "PRAGMA integrity_check") == "ok")
        let ratings = try query(store, "SELECT COUNT(*) FROM observations WHERE feature = 'rating'")
        #expect(ratings == "0" || ratings == "100836", "half an import is visible: \(ratings)")
    }
    let imported = try runMarquee(["import", "movielens", "data/ml-latest-small", "--store", store])
    #expect(imported.status == 0, "\(imported.stderr)")
    #expect(try query(store, "SELECT COUNT(*) FROM observations WHERE feature = 'rating'") == "100836")

    // A dataset version is recorded only with its file in place.
    let out = folder.appendingPathComponent("ratings.csv").path
    try killed(["dataset", "build", "ratings", "--store", store, "--out", out], within: 0.05...1.5)
    #expect(try query(store, "PRAGMA integrity_check") == "ok")
    let versions = Int(try query(store, "SELECT COUNT(*) FROM dataset_versions")) ?? -1
    #expect(versions == 0 || FileManager.default.fileExists(atPath: out), "a version without its file")
    let built = try runMarquee(["dataset", "build", "ratings", "--store", store, "--out", out])
    #expect(built.status == 0, "\(built.stderr)")
    let lines = try String(contentsOfFile: out, encoding: .utf8).split(whereSeparator: \.isNewline).count
    #expect(lines == 100_837)
}

@Test func scrapeAndPipelineRunSurviveSIGKILL() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("marquee-kill-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let store = folder.appendingPathComponent("s.sqlite").path
    let arguments = [
        "pipeline", "run", "mini", "--pipelines", "fixtures/pipelines", "--store", store, "--work",
        folder.appendingPathComponent("work").path,
    ]
    setenv("MARQUEE_USER_SALT", "test-salt", 1)
    defer { unsetenv("MARQUEE_USER_SALT") }
    try killed(arguments, within: 0.02...0.6)
    if FileManager.default.fileExists(atPath: store) {
        #expect(try query(store, "PRAGMA integrity_check") == "ok")
    }
    let rerun = try runMarquee(arguments)
    #expect(rerun.status == 0, "\(rerun.stderr)")
    // Every run has a status: the killed ones were marked abandoned by the run that followed.
    #expect(try query(store, "SELECT COUNT(*) FROM runs WHERE status = 'running'") == "0")
    #expect((Int(try query(store, "SELECT COUNT(*) FROM runs WHERE status = 'ok'")) ?? 0) >= 1)
    #expect(try query(store, "SELECT COUNT(*) FROM runs WHERE status NOT IN ('ok', 'abandoned')") == "0")
    // The scraped observations are those of one clean scrape (re-parsing after a kill adds none).
    let clean = folder.appendingPathComponent("clean.sqlite").path
    let once = try runMarquee([
        "pipeline", "run", "mini", "--pipelines", "fixtures/pipelines", "--store", clean, "--work",
        folder.appendingPathComponent("work-clean").path,
    ])
    #expect(once.status == 0, "\(once.stderr)")
    let count = "SELECT COUNT(*) FROM observations WHERE source = 'letterboxd'"
    #expect(try query(store, count) == query(clean, count))
}
