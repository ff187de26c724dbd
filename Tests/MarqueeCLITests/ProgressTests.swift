import Foundation
import MarqueeTestKit
import Testing

/// The `progress` log lines a run wrote to standard error, as JSON objects.
private func progressLines(_ stderr: String) -> [[String: Any]] {
    stderr.split(separator: "\n").compactMap { line in
        guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
            object["message"] as? String == "progress"
        else { return nil }
        return object["metadata"] as? [String: Any]
    }
}

/// Off a terminal (the tests' pipes, cron, CI), every long command logs its progress as JSON lines
/// — at least the last, with `finished` and the count — and `--quiet` silences them; the
/// results on standard output are unchanged.
@Test func longCommandsLogProgressOffATerminalAndQuietSilencesIt() throws {
    let folder = try makeScratchFolder("progress")
    defer { try? FileManager.default.removeItem(at: folder) }
    let path = { (name: String) in folder.appendingPathComponent(name).path }
    let salt = ["MARQUEE_USER_SALT": "s"]
    let store = path("s.sqlite")
    let scrape = [
        "scrape", "imdb", "--replay", "fixtures/demo/imdb", "--start", "https://www.imdb.com/title/tt0075686/",
        "--max-depth", "0", "--frontier", path("f.sqlite"), "--pages", path("pages"), "--store", store,
    ]
    let commands: [(task: String, unit: String, arguments: [String])] = [
        ("import", "rows", ["import", "movielens", "fixtures/movielens-mini", "--store", store]),
        ("dataset ratings", "rows", ["dataset", "build", "ratings", "--store", store, "--out", path("r.csv")]),
        ("train svd", "epochs", ["train", "--dataset", path("r.csv"), "--algorithm", "svd", "--out", path("m.mqm")]),
        ("evaluate svd", "epochs", ["evaluate", "--dataset", path("r.csv"), "--algorithm", "svd", "--cv", "2"]),
        ("scrape imdb", "pages", scrape),
        ("reparse", "pages", ["reparse", "--frontier", path("f.sqlite"), "--pages", path("pages"), "--store", store]),
    ]
    for (task, unit, arguments) in commands {
        let run = try runMarquee(arguments, environment: salt)
        #expect(run.status == 0, "\(arguments.prefix(2)): \(run.stderr)")
        let last = progressLines(run.stderr).last
        #expect(last?["task"] as? String == task, "\(task): \(run.stderr)")
        #expect(last?["unit"] as? String == unit && last?["finished"] as? String == "true")
        if let done = last?["done"] as? String, let total = last?["total"] as? String {
            #expect(done == total && Int(done)! > 0, "\(task): done \(done) of \(total)")
        } else if task != "scrape imdb" {  // a scrape without --max-pages has no total
            Issue.record("\(task): no done/total in \(String(describing: last))")
        }
        let quiet = try runMarquee(arguments + ["--quiet"], environment: salt)
        #expect(quiet.status == 0)
        #expect(progressLines(quiet.stderr).isEmpty, "\(task) --quiet: \(quiet.stderr)")
        #expect(quiet.stdout.count > 0)
    }
}

/// On a terminal (a pseudo-terminal made by util-linux's `script`), the progress is a bar redrawn
/// in place with the count, the rate and the time left; `--quiet` silences it.
@Test(
    .enabled(
        if: SharedData.runs(FileManager.default.isExecutableFile(atPath: "/usr/bin/script")), "needs script (bsdutils)")
)
func aTerminalGetsABar() throws {
    let folder = try makeScratchFolder("progress-bar")
    defer { try? FileManager.default.removeItem(at: folder) }
    let binary = try marqueeBinary().path
    let store = folder.appendingPathComponent("s.sqlite").path
    let command = "\(binary) import movielens fixtures/movielens-mini --store \(store)"
    let bar = try runMarquee(["-qec", command, "/dev/null"], executable: "/usr/bin/script")
    #expect(bar.status == 0, "\(bar.stderr)")
    #expect(bar.stdout.contains("\r\u{1B}[Kimport ["), "\(bar.stdout.debugDescription)")
    #expect(
        bar.stdout.range(of: #"\] [0-9,]+/[0-9,]+ rows  [0-9.k]+/s  ETA \d+:\d\d"#, options: .regularExpression) != nil)
    let quiet = try runMarquee(["-qec", command + " -q", "/dev/null"], executable: "/usr/bin/script")
    #expect(quiet.status == 0 && !quiet.stdout.contains("import ["), "\(quiet.stdout.debugDescription)")
}
