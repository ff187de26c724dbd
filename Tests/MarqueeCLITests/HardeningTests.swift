import Foundation
import MarqueeTestKit
import Testing

/// Cases a careless or hostile user hit (issue: hardening): each used to crash or to pass
/// garbage on; each must now end with the right exit status and a message that says how to fix it.
private func scratch() throws -> URL { try makeScratchFolder("hard") }

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

/// Commands that only read a store never create one: a mistyped `--store` is an error (66)
/// naming the path, and no empty file is left behind.
@Test(arguments: [
    ["dataset", "list"], ["runs", "list"], ["runs", "show", "x"], ["features", "describe", "film_facts"],
    ["query", "SELECT 1"],
])
func readingCommandsDoNotCreateAStore(_ command: [String]) throws {
    let folder = try scratch()
    defer { try? FileManager.default.removeItem(at: folder) }
    let store = folder.appendingPathComponent("typo.sqlite").path
    let result = try runMarquee(command + ["--store", store])
    #expect(result.status == 66, "\(command): \(result.stderr)")
    #expect(result.stderr.contains("typo.sqlite"))
    #expect(!FileManager.default.fileExists(atPath: store), "\(command) created the store")
}

/// Missing inputs exit 66 everywhere, with the path and no Foundation internals; a folder where a
/// file belongs says so; a URL that is not one is a usage error that says what a URL looks like.
@Test func missingFilesFoldersAndNonURLsGetOneVocabulary() throws {
    let folder = try scratch()
    defer { try? FileManager.default.removeItem(at: folder) }
    let missing = folder.appendingPathComponent("nope").path
    for command in [
        ["select", missing, "--css", "a"], ["parse", missing], ["recommend", missing, "--user", "1"],
        ["export", missing, "--target", "onnx", "--out", folder.appendingPathComponent("x").path],
        ["evaluate", "--dataset", missing + ".csv", "--algorithm", "svd"],
    ] {
        let result = try runMarquee(command)
        #expect(result.status == 66, "\(command): \(result.stderr)")
        #expect(result.stderr.contains(missing) && !result.stderr.contains("NSCocoaErrorDomain"), "\(result.stderr)")
    }
    let directory = try runMarquee(["select", folder.path, "--css", "a"])
    #expect(directory.status == 66 && directory.stderr.contains("is a folder"), "\(directory.stderr)")
    #expect(!directory.stderr.contains("NSCocoaErrorDomain"))
    let url = try runMarquee(["fetch", "not a url"])
    #expect(url.status == 64 && url.stderr.contains("not an absolute URL"), "\(url.stderr)")
}

/// `serve` on a port that is taken says so (69) in words, not NIO's `bind(descriptor:…)`; a
/// port that is not one is a usage error before anything starts.
@Test func serveSaysWhenItsPortIsTakenOrImpossible() throws {
    let folder = try scratch()
    defer { try? FileManager.default.removeItem(at: folder) }
    let model = folder.appendingPathComponent("m.mqm").path
    let trained = try runMarquee([
        "train", "--dataset", "fixtures/movielens-mini/ratings.csv", "--algorithm", "baseline", "--out", model,
    ])
    #expect(trained.status == 0, "\(trained.stderr)")
    let taken = try LoopbackServer { _ in .response(200) }
    defer { taken.stop() }
    let busy = try runMarquee(["serve", model, "--port", "\(taken.port)"])
    #expect(busy.status == 69, "\(busy.stderr)")
    #expect(busy.stderr.contains("port \(taken.port) is already in use") && !busy.stderr.contains("descriptor"))
    let impossible = try runMarquee(["serve", model, "--port", "99999"])
    #expect(impossible.status == 64 && impossible.stderr.contains("not a TCP port"), "\(impossible.stderr)")
}

/// Small things that read wrong: a second import says nothing is new, timeless facts are not
/// "1970-01-01", a run-id prefix shared by two runs is ambiguous rather than missing, and
/// crawl-status's header keeps its column names apart.
@Test func messagesSayWhatHappened() throws {
    let folder = try scratch()
    defer { try? FileManager.default.removeItem(at: folder) }
    let store = folder.appendingPathComponent("s.sqlite").path
    #expect(try runMarquee(["import", "movielens", "fixtures/movielens-mini", "--store", store]).status == 0)
    let again = try runMarquee(["import", "movielens", "fixtures/movielens-mini", "--store", store])
    #expect(again.stdout.contains("nothing new"), "\(again.stdout)")
    let describe = try runMarquee(["features", "describe", "film_facts", "--store", store])
    #expect(describe.stdout.contains("latest event timeless") && !describe.stdout.contains("1970"), "\(describe.stdout)")
    for _ in 0..<2 {
        let run = try runMarquee(
            ["pipeline", "run", "mini", "--pipelines", "fixtures/pipelines", "--store", store, "--work",
             folder.appendingPathComponent("w").path, "--force"], environment: ["MARQUEE_USER_SALT": "s"])
        #expect(run.status == 0, "\(run.stderr)")
    }
    let ambiguous = try runMarquee(["runs", "show", "2", "--store", store])
    #expect(ambiguous.status == 64 && ambiguous.stderr.contains("2 runs start with 2"), "\(ambiguous.stderr)")
    let status = try runMarquee(["crawl-status", "--frontier", folder.appendingPathComponent("s.scrape/letterboxd.sqlite").path])
    #expect(status.stdout.hasPrefix("host") && status.stdout.contains("queued in_flight      done    failed"), "\(status.stdout)")
}

/// `--format json` on the listing commands: one switch, snake_case keys.
@Test func listingCommandsSpeakJSON() throws {
    let folder = try scratch()
    defer { try? FileManager.default.removeItem(at: folder) }
    let store = folder.appendingPathComponent("s.sqlite").path
    let run = try runMarquee(
        ["pipeline", "run", "mini", "--pipelines", "fixtures/pipelines", "--store", store, "--work", folder.path],
        environment: ["MARQUEE_USER_SALT": "s"])
    #expect(run.status == 0, "\(run.stderr)")
    for command in [["runs", "list"], ["dataset", "list"], ["monitor", "report"], ["entities", "conflicts"]] {
        let result = try runMarquee(command + ["--store", store, "--format", "json"])
        #expect(result.status == 0, "\(command): \(result.stderr)")
        #expect((try? JSONSerialization.jsonObject(with: Data(result.stdout.utf8))) != nil, "\(command): \(result.stdout)")
        #expect(!result.stdout.contains("SHA256\"") && !result.stdout.contains("createdAt"), "\(command)")
    }
}

/// Empty files where data belongs: each is a data error (65) naming the file, never a crash.
@Test func emptyInputsAreDataErrors() throws {
    let folder = try scratch()
    defer { try? FileManager.default.removeItem(at: folder) }
    for name in ["e.mqm", "e.csv", "e.html"] {
        FileManager.default.createFile(atPath: folder.appendingPathComponent(name).path, contents: Data())
    }
    let path = { (name: String) in folder.appendingPathComponent(name).path }
    for command in [
        ["parse", path("e.html")], ["recommend", path("e.mqm"), "--user", "1"],
        ["export", path("e.mqm"), "--target", "onnx", "--out", path("x")], ["serve", path("e.mqm")],
        ["evaluate", "--dataset", path("e.csv"), "--algorithm", "svd"],
    ] {
        let result = try runMarquee(command)
        #expect(result.status == 65, "\(command): \(result.stderr)")
        #expect(result.stderr.hasPrefix("marquee: error:") && result.stderr.split(separator: "\n").count == 1)
    }
    let importing = try runMarquee(["import", "movielens", folder.path, "--store", path("s.sqlite")])
    #expect(importing.status == 66 && importing.stderr.contains("movies.csv"), "\(importing.stderr)")
}
