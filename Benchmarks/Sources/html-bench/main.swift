// Throughput of "parse + 10 typical selectors" over a folder of saved pages.
//
//   html-bench PAGES_DIR SELECTORS_FILE [--seconds S] [--iterations N] [--threads T]
//
// Prints one JSON line: {"tool":"marquee","workers":T,"pages":…,"seconds":…,"pages_per_second":…,"matches":…}.
// With T threads each thread works through its share of the pages on its own (documents are per thread).
// `--iterations N` runs exactly N passes (used by `make leakcheck` under valgrind).
import Dispatch
import Foundation
import MarqueeHTML
import Synchronization

// As the marquee command does: documents parse into arenas (the executable opts in).
XMLArena.install()

struct Options {
    var directory = ""
    var selectorsFile = ""
    var seconds = 5.0
    var iterations: Int?
    var threads = 1

    init(_ arguments: [String]) {
        var positional: [String] = []
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            let value = index + 1 < arguments.count ? arguments[index + 1] : ""
            switch argument {
            case "--seconds": seconds = Double(value) ?? seconds; index += 1
            case "--iterations": iterations = Int(value); index += 1
            case "--threads": threads = max(1, Int(value) ?? 1); index += 1
            default: positional.append(argument)
            }
            index += 1
        }
        guard positional.count == 2 else {
            FileHandle.standardError.write(
                Data("usage: html-bench PAGES_DIR SELECTORS_FILE [--seconds S] [--iterations N] [--threads T]\n".utf8))
            exit(64)
        }
        (directory, selectorsFile) = (positional[0], positional[1])
    }
}

/// One pass over `pages`; returns the number of matches so the work cannot be optimised away.
func pass(_ pages: ArraySlice<Data>, selectors: [String]) -> Int {
    var matches = 0
    for page in pages {
        let document = HTMLDocument(data: page)
        for selector in selectors { matches += (try? document.css(selector).getAll().count) ?? 0 }
    }
    return matches
}

struct WorkerResult: Sendable {
    var pages = 0
    var seconds = 0.0
    var matches = 0
}

func main() throws {
    let options = Options(Array(CommandLine.arguments.dropFirst()))
    let selectors = try String(contentsOfFile: options.selectorsFile, encoding: .utf8)
        .split(separator: "\n").map(String.init).filter { !$0.isEmpty && !$0.hasPrefix("#") }
    let enumerator = FileManager.default.enumerator(
        at: URL(fileURLWithPath: options.directory), includingPropertiesForKeys: nil)!
    let files = enumerator.compactMap { $0 as? URL }.filter { $0.pathExtension == "html" }.sorted { $0.path < $1.path }
    let pages = try files.map { try Data(contentsOf: $0) }

    // Like the Python workers: each thread takes every T-th page, warms up with one pass, then
    // times its own passes; throughputs add.
    let results = Mutex<[WorkerResult]>([])
    DispatchQueue.concurrentPerform(iterations: options.threads) { worker in
        let share = ArraySlice(stride(from: worker, to: pages.count, by: options.threads).map { pages[$0] })
        var result = WorkerResult(matches: pass(share, selectors: selectors))
        var passes = 0
        let clock = ContinuousClock()
        let started = clock.now
        repeat {
            _ = pass(share, selectors: selectors)
            passes += 1
        } while options.iterations.map { passes < $0 } ?? (clock.now - started < .seconds(options.seconds))
        result.seconds = (clock.now - started) / .seconds(1)
        result.pages = passes * share.count
        results.withLock { $0.append(result) }
    }
    let all = results.withLock { $0 }
    let throughput = all.reduce(0) { $0 + Double($1.pages) / $1.seconds }
    print(
        "{\"tool\":\"marquee\",\"libxml2\":\"\(HTMLDocument.libxmlVersion)\",\"workers\":\(options.threads),\"pages\":\(all.reduce(0) { $0 + $1.pages }),"
            + "\"seconds\":\(all.map(\.seconds).max() ?? 0),\"pages_per_second\":\(throughput),"
            + "\"matches\":\(all.reduce(0) { $0 + $1.matches })}")
}

try main()
