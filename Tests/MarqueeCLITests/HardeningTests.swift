import Foundation
import MarqueeTestKit
import Testing

/// Cases a careless or hostile user hit (issue: hardening): each used to crash or to pass
/// garbage on; each must now end with the right exit status and a message that says how to fix it.
private func scratch() throws -> URL {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("marquee-hard-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    return folder
}

@Test func aMovieLensTimestampBeyondTheCalendarIsAnErrorNotACrash() throws {
    let folder = try scratch()
    defer { try? FileManager.default.removeItem(at: folder) }
    try "movieId,title,genres\n1,Heat (1995),Crime\n".write(
        to: folder.appendingPathComponent("movies.csv"), atomically: true, encoding: .utf8)
    try "userId,movieId,rating,timestamp\n1,1,4.0,99999999999999\n".write(
        to: folder.appendingPathComponent("ratings.csv"), atomically: true, encoding: .utf8)
    let result = try runMarquee([
        "import", "movielens", folder.path, "--store", folder.appendingPathComponent("s.sqlite").path,
    ])
    #expect(result.status == 65, "\(result.stderr)")
    #expect(result.stderr.contains("ratings.csv:2") && result.stderr.contains("99999999999999"), "\(result.stderr)")
}

@Test func anAsOfBeyondTheCalendarIsAUsageError() throws {
    let folder = try scratch()
    defer { try? FileManager.default.removeItem(at: folder) }
    let result = try runMarquee([
        "dataset", "build", "ratings", "--as-of", "99999999999999", "--store",
        folder.appendingPathComponent("s.sqlite").path,
    ])
    #expect(result.status == 64, "\(result.stderr)")
    #expect(result.stderr.contains("--as-of 99999999999999"))
}

@Test func aDivergedFitIsAnErrorAndNeverAModel() throws {
    let folder = try scratch()
    defer { try? FileManager.default.removeItem(at: folder) }
    let ratings = "fixtures/movielens-mini/ratings.csv"
    for format in ["table", "json"] {
        let evaluate = try runMarquee([
            "evaluate", "--dataset", ratings, "--algorithm", "svd", "--cv", "2", "--param", "lr_all=1e6",
            "--format", format,
        ])
        #expect(evaluate.status == 65, "\(evaluate.stdout) \(evaluate.stderr)")
        #expect(evaluate.stderr.contains("diverged at epoch") && evaluate.stderr.contains("lower lr_all"))
        #expect(!evaluate.stdout.contains("nan"))
    }
    let model = folder.appendingPathComponent("m.mqm").path
    let train = try runMarquee([
        "train", "--dataset", ratings, "--algorithm", "svdpp", "--param", "lr_all=1e6", "--out", model,
    ])
    #expect(train.status == 65, "\(train.stderr)")
    #expect(train.stderr.contains("training svdpp diverged at epoch"))
    #expect(!FileManager.default.fileExists(atPath: model))
}

@Test func trainChecksItsOutputFolderBeforeFitting() throws {
    let result = try runMarquee([
        "train", "--dataset", "fixtures/movielens-mini/ratings.csv", "--algorithm", "svd", "--out",
        "/nonexistent-\(UUID().uuidString)/m.mqm",
    ])
    #expect(result.status == 73, "\(result.stderr)")
    #expect(result.stderr.contains("does not exist") && result.stderr.contains("mkdir -p"))
    #expect(!result.stderr.contains("epoch"), "no fit ran")
}
