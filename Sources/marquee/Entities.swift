import ArgumentParser
import Foundation
import MarqueeCore
import MarqueeStore

/// `marquee entities show KEY | conflicts`: audit how records were resolved to films.
struct Entities: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Audit entity resolution: what a key's film holds, and the matches that need a look.",
        subcommands: [Show.self, Conflicts.self])

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Every key of the film a key names, its observations per feature and their sources.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "A key: imdb:tt0113277, movielens:6, rt:m/heat_1995, letterboxd:heat-1995…") var key: String
        @Option(help: "text or json.") var format: OutputFormat = .text

        func run() async throws {
            _ = global.makeLogger("marquee.entities")
            try await reportingErrors {
                guard let colon = key.firstIndex(of: ":"), colon != key.startIndex, key.index(after: colon) != key.endIndex
                else {
                    throw MarqueeError(.usage, "\"\(key)\" is not a key", hint: "write NAMESPACE:VALUE, e.g. imdb:tt0113277")
                }
                let store = try global.openExistingStore()
                let entityKey = EntityKey(String(key[..<colon]), String(key[key.index(after: colon)...]))
                guard let report = try store.entityReport(entityKey) else {
                    throw MarqueeError(.dataError, "no film has the key \(key)", hint: "marquee query \"SELECT * FROM entity_keys LIMIT 20\"")
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
                            "matched \(match.key) by \(match.reason) (score \(match.score.map { String(format: "%.2f", $0) } ?? "—"))")
                    }
                    print("feature                    observations  sources")
                    for feature in report.features {
                        print(
                            feature.feature.padding(toLength: 26, withPad: " ", startingAt: 0)
                                + String(format: " %12d  ", feature.observations) + feature.sources.joined(separator: ", "))
                    }
                    print("source pages and files: \(report.sourceHashes.count)")
                }
            }
        }
    }

    struct Conflicts: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Ambiguous matches left unmerged, and films that two ids of one kind point at.")
        @OptionGroup var global: GlobalOptions
        @Option(help: "text or json.") var format: OutputFormat = .text

        func run() async throws {
            _ = global.makeLogger("marquee.entities")
            try await reportingErrors {
                let store = try global.openExistingStore()
                let ambiguous = try store.entityMatches(status: "ambiguous")
                let shared = try store.keyConflicts()
                switch format {
                case .json:
                    struct Shared: Encodable {
                        var entity: String
                        var namespace: String
                        var values: [String]
                    }
                    struct Output: Encodable {
                        var ambiguous: [EntityMatchRecord]
                        var sharedIDs: [Shared]
                        enum CodingKeys: String, CodingKey {
                            case ambiguous
                            case sharedIDs = "shared_ids"
                        }
                    }
                    let output = Output(
                        ambiguous: ambiguous,
                        sharedIDs: shared.map { Shared(entity: $0.entityKey, namespace: $0.namespace, values: $0.values) })
                    try printJSON(output)
                case .text:
                    if ambiguous.isEmpty, shared.isEmpty { print("no conflicts") }
                    for match in ambiguous {
                        print("ambiguous \(match.key): \(match.reason): \(match.candidates.joined(separator: ", "))")
                    }
                    for conflict in shared {
                        print("one film, several \(conflict.namespace) ids: \(conflict.entityKey) has \(conflict.values.joined(separator: ", "))")
                    }
                }
            }
        }
    }
}
