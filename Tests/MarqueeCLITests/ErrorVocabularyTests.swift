import Foundation
import MarqueeTestKit
import Testing

/// One error vocabulary across every subcommand (sysexits): a missing input or a folder where a
/// file belongs → 66, an empty or malformed file → 65, an output that cannot be created → 73, a
/// store that cannot be written → 77. Each error is one line naming the path, never Foundation's
/// or SQLite's internal text.

/// A fixture world: a trained model, a store, an empty file, a folder.
private struct World {
    let root: URL
    var missing: String { root.appendingPathComponent("missing").path }
    var folder: String { root.appendingPathComponent("folder").path }
    var empty: String { root.appendingPathComponent("empty").path }
    var readOnly: URL { root.appendingPathComponent("ro") }

    init() throws {
        root = try makeScratchFolder("vocabulary")
        try FileManager.default.createDirectory(atPath: root.appendingPathComponent("folder").path, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: readOnly, withIntermediateDirectories: true)
        FileManager.default.createFile(atPath: empty, contents: Data())
    }
}

/// Asserts the shape every error shares: the code, one line, the path named, no internals.
private func expectError(
    _ result: (status: Int32, stdout: String, stderr: String), _ code: Int32, naming path: String,
    _ command: [String], sourceLocation: SourceLocation = #_sourceLocation
) {
    #expect(result.status == code, "\(command): \(result.stderr)", sourceLocation: sourceLocation)
    #expect(result.stderr.hasPrefix("marquee: error: "), "\(command): \(result.stderr)", sourceLocation: sourceLocation)
    #expect(result.stderr.split(separator: "\n").count == 1, "\(command): \(result.stderr)", sourceLocation: sourceLocation)
    #expect(result.stderr.contains(path), "\(command) does not name \(path): \(result.stderr)", sourceLocation: sourceLocation)
    for leak in ["NSCocoaErrorDomain", "The operation could not be completed", "Foundation.", "NIOCore", "SQLite error"] {
        #expect(!result.stderr.contains(leak), "\(command): \(result.stderr)", sourceLocation: sourceLocation)
    }
}

/// Every subcommand that reads a file, given that file missing, as a folder, and empty.
@Test func everyFileInputMissingFolderOrEmptyGetsTheSameCodes() throws {
    let world = try World()
    defer { try? FileManager.default.removeItem(at: world.root) }
    // The command with INPUT in place of its file, and what an empty file is (nil: a valid input).
    let commands: [(arguments: [String], empty: Int32?)] = [
        (["select", "INPUT", "--css", "a"], nil),  // an empty page is a page with no matches
        (["parse", "INPUT"], 65),
        (["robots", "INPUT", "https://example.com/"], nil),  // an empty robots.txt allows everything
        (["recommend", "INPUT", "--user", "1"], 65),
        (["export", "INPUT", "--target", "onnx", "--out", world.root.appendingPathComponent("x").path], 65),
        (["serve", "INPUT"], 65),
        (["train", "--dataset", "INPUT", "--algorithm", "svd", "--out", world.root.appendingPathComponent("m").path], 65),
        (["evaluate", "--dataset", "INPUT", "--algorithm", "svd"], 65),
        (["query", "SELECT 1", "--store", "INPUT"], 65),
        (["runs", "list", "--store", "INPUT"], 65),
        (["runs", "show", "x", "--store", "INPUT"], 65),
        (["dataset", "list", "--store", "INPUT"], 65),
        (["features", "describe", "film_facts", "--store", "INPUT"], 65),
        (["monitor", "report", "--store", "INPUT"], 65),
        (["entities", "conflicts", "--store", "INPUT"], 65),
        (["crawl-status", "--frontier", "INPUT"], 65),
        (["reparse", "--frontier", "INPUT", "--no-user-ratings"], 65),
    ]
    for (arguments, emptyCode) in commands {
        for (input, code) in [(world.missing, Int32(66)), (world.folder, 66), (world.empty, emptyCode)] {
            let command = arguments.map { $0 == "INPUT" ? input : $0 }
            let result = try runMarquee(command)
            if let code {
                expectError(result, code, naming: input, command)
            } else {
                #expect(result.status == 0, "\(command): \(result.stderr)")
            }
        }
    }
}

/// Every subcommand that reads a folder, given it missing, as a file, and empty.
@Test func everyFolderInputMissingAFileOrEmptyGetsTheSameCodes() throws {
    let world = try World()
    defer { try? FileManager.default.removeItem(at: world.root) }
    let commands: [(arguments: [String], emptyFolder: Int32)] = [
        (["import", "movielens", "INPUT", "--store", world.root.appendingPathComponent("s.sqlite").path], 66),
        (["sites", "--scrapers", "INPUT"], 65),
        (["pipeline", "run", "mini", "--pipelines", "INPUT", "--store", world.root.appendingPathComponent("p.sqlite").path], 66),
        (["dataset", "build", "ratings", "--features", "INPUT", "--store", world.root.appendingPathComponent("d.sqlite").path], 65),
    ]
    for (arguments, emptyCode) in commands {
        for (input, code) in [(world.missing, Int32(66)), (world.empty, 66), (world.folder, emptyCode)] {
            let command = arguments.map { $0 == "INPUT" ? input : $0 }
            expectError(try runMarquee(command, environment: ["MARQUEE_USER_SALT": "s"]), code, naming: input, command)
        }
    }
}

/// Whether the test may make a mount namespace (`unshare -rm`) with a read-only bind mount: a
/// read-only folder that even root cannot write.
private let readOnlyMounts: Bool = {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("marquee-ro-probe-\(getpid())")
    try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/unshare")
    process.arguments = [
        "-rm", "/bin/sh", "-c",
        "mount --bind \(folder.path) \(folder.path) && mount -o remount,bind,ro \(folder.path) && ! touch \(folder.path)/x 2>/dev/null",
    ]
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    guard (try? process.run()) != nil else { return false }
    process.waitUntilExit()
    return process.terminationStatus == 0
}()

/// Runs `marquee ARGS` with `folder` mounted read-only for it alone.
private func runMarqueeReadOnly(_ folder: URL, _ arguments: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
    try runMarquee(
        ["-rm", "/bin/sh", "-c", "mount --bind \"$1\" \"$1\" && mount -o remount,bind,ro \"$1\" && shift && exec \"$@\"", "sh",
         folder.path, try marqueeBinary().path] + arguments,
        environment: ["MARQUEE_USER_SALT": "s"], executable: "/usr/bin/unshare")
}

/// On a read-only folder (a read-only mount, which binds root too): the commands that only read
/// a store work; every command that writes says it cannot (73 for an output it would create,
/// 77 for a store it would change) before any long work, naming the path.
@Test(.enabled(if: SharedData.runs(readOnlyMounts), "needs mount namespaces: unshare -rm (util-linux)"))
func aReadOnlyLocationReadsButNeverWrites() throws {
    #expect(readOnlyMounts, "unshare -rm with a read-only bind mount failed; CI needs mount namespaces")
    let world = try World()
    defer { try? FileManager.default.removeItem(at: world.root) }
    let ro = world.readOnly
    let store = ro.appendingPathComponent("store.sqlite").path
    let model = ro.appendingPathComponent("model.mqm").path
    #expect(try runMarquee(["import", "movielens", "fixtures/movielens-mini", "--store", store]).status == 0)
    #expect(try runMarquee(["dataset", "build", "ratings", "--store", store]).status == 0)
    let trained = try runMarquee([
        "train", "--dataset", "fixtures/movielens-mini/ratings.csv", "--algorithm", "baseline", "--out", model,
    ])
    #expect(trained.status == 0, "\(trained.stderr)")
    for reading in [
        ["query", "SELECT count(*) FROM observations", "--store", store], ["runs", "list", "--store", store],
        ["dataset", "list", "--store", store], ["features", "describe", "film_facts", "--store", store],
        ["entities", "conflicts", "--store", store], ["recommend", model, "--user", "1"],
    ] {
        let result = try runMarqueeReadOnly(ro, reading)
        #expect(result.status == 0, "\(reading): \(result.stderr)")
    }
    let cases: [([String], Int32, String)] = [
        (["import", "movielens", "fixtures/movielens-mini", "--store", ro.appendingPathComponent("new.sqlite").path], 73, "new.sqlite"),
        (["import", "movielens", "fixtures/movielens-mini", "--store", store], 77, store),
        (["dataset", "build", "ratings", "--store", store], 77, store),
        (["features", "materialize", "--store", store], 77, store),
        (["train", "--dataset", "fixtures/movielens-mini/ratings.csv", "--algorithm", "svd", "--out", ro.appendingPathComponent("m.mqm").path], 73, "m.mqm"),
        (["evaluate", "--dataset", "fixtures/movielens-mini/ratings.csv", "--algorithm", "svd", "--report", ro.appendingPathComponent("r.html").path], 73, "r.html"),
        (["export", model, "--target", "onnx", "--out", ro.appendingPathComponent("export").path], 73, "export"),
        (["crawl", "https://example.com/", "--frontier", ro.appendingPathComponent("f.sqlite").path, "--pages", ro.appendingPathComponent("p").path], 73, "f.sqlite"),
        (["pipeline", "run", "mini", "--pipelines", "fixtures/pipelines", "--store", store, "--work", world.root.appendingPathComponent("w").path], 73, store),
        (["pipeline", "run", "mini", "--pipelines", "fixtures/pipelines", "--store", world.root.appendingPathComponent("p.sqlite").path, "--work", ro.appendingPathComponent("w").path], 73, "/w"),
        (["fetch", "https://example.com/", "--out", ro.appendingPathComponent("page.html").path], 73, "page.html"),
    ]
    for (command, code, path) in cases {
        expectError(try runMarqueeReadOnly(ro, command), code, naming: path, command)
    }
}
