import ArgumentParser
import Foundation
import MarqueeCore
import MarqueeStore

extension Entities {
    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Every key of the film a key names, its observations per feature and their sources.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "A key: imdb:tt0113277, movielens:6, rt:m/heat_1995, letterboxd:heat-1995…") var key: String
        @Option(help: "text or json.") var format: OutputFormat = .text

        func run() async throws {
            _ = global.makeLogger("marquee.entities")
            try await reportingErrors {
                guard let colon = key.firstIndex(of: ":"), colon != key.startIndex,
                    key.index(after: colon) != key.endIndex
                else {
                    throw MarqueeError(
                        .usage, "\"\(key)\" is not a key", hint: "write NAMESPACE:VALUE, e.g. imdb:tt0113277")
                }
                let store = try global.openExistingStore()
                let entityKey = EntityKey(String(key[..<colon]), String(key[key.index(after: colon)...]))
                guard let report = try store.entityReport(entityKey) else {
                    throw MarqueeError(
                        .dataError, "no film has the key \(key)",
                        hint: "marquee query \"SELECT * FROM entity_keys LIMIT 20\"")
                }
                let matches = try store.entityMatches().filter { match in
                    report.keys.contains(match.key) || match.entityKey == report.key
                }
                switch format {
                case .json:
                    struct Output: Encodable {
                        var entity: EntityReport
                        var matches: [EntityMatchRecord]
                    }
                    try printJSON(Output(entity: report, matches: matches))
                case .text:
                    print("film \(report.key)")
                    print("keys: \(report.keys.joined(separator: ", "))")
                    for match in matches {
                        print(
                            "matched \(match.key) by \(match.reason) (score \(match.score.map { String(format: "%.2f", $0) } ?? "—"))"
                        )
                    }
                    print("feature                    observations  sources")
                    for feature in report.features {
                        print(
                            feature.feature.padding(toLength: 26, withPad: " ", startingAt: 0)
                                + String(format: " %12d  ", feature.observations)
                                + feature.sources.joined(separator: ", "))
                    }
                    print("source pages and files: \(report.sourceHashes.count)")
                }
            }
        }
    }
}
