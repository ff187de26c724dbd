// Throughput of "parse + 10 typical selectors" over a folder of saved pages.
//
//   html-bench PAGES_DIR SELECTORS_FILE [--seconds S] [--iterations N] [--threads T]
//
// Prints one JSON line: {"tool":"marquee","workers":T,"pages":…,"seconds":…,"pages_per_second":…,"matches":…}.
// With T threads each pass splits the pages between T threads (documents are per thread).
// `--iterations N` runs exactly N passes (used by `make leakcheck` under valgrind).
import Dispatch
import Foundation
import MarqueeHTML
import Synchronization

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

/// One pass over every page, split between `threads` threads; returns the number of matches.
func pass(pages: [Data], selectors: [String], threads: Int) -> Int {
    let total = Mutex(0)
    DispatchQueue.concurrentPerform(iterations: threads) { worker in
        var matches = 0
        for index in stride(from: worker, to: pages.count, by: threads) {
            let document = HTMLDocument(data: pages[index])
            for selector in selectors { matches += (try? document.css(selector).getAll().count) ?? 0 }
        }
        total.withLock { $0 += matches }
    }
    return total.withLock { $0 }
}

func main() throws {
    let options = Options(Array(CommandLine.arguments.dropFirst()))
    let selectors = try String(contentsOfFile: options.selectorsFile, encoding: .utf8)
        .split(separator: "\n").map(String.init).filter { !$0.isEmpty && !$0.hasPrefix("#") }
    let enumerator = FileManager.default.enumerator(at: URL(fileURLWithPath: options.directory), includingPropertiesForKeys: nil)!
    let files = enumerator.compactMap { $0 as? URL }.filter { $0.pathExtension == "html" }.sorted { $0.path < $1.path }
    let pages = try files.map { try Data(contentsOf: $0) }

    let matchesPerPass = pass(pages: pages, selectors: selectors, threads: options.threads)  // warm-up
    var passes = 0
    let clock = ContinuousClock()
    let started = clock.now
    repeat {
        _ = pass(pages: pages, selectors: selectors, threads: options.threads)
        passes += 1
    } while options.iterations.map { passes < $0 } ?? (clock.now - started < .seconds(options.seconds))
    let seconds = (clock.now - started) / .seconds(1)
    let parsed = passes * pages.count
    print(
        "{\"tool\":\"marquee\",\"workers\":\(options.threads),\"pages\":\(parsed),\"seconds\":\(seconds),"
            + "\"pages_per_second\":\(Double(parsed) / seconds),\"matches\":\(matchesPerPass)}")
}

try main()
