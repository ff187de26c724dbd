import ArgumentParser
import Foundation
import MarqueeCore
import MarqueeStore

extension Entities {
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
                        sharedIDs: shared.map {
                            Shared(entity: $0.entityKey, namespace: $0.namespace, values: $0.values)
                        })
                    try printJSON(output)
                case .text:
                    if ambiguous.isEmpty, shared.isEmpty { print("no conflicts") }
                    for match in ambiguous {
                        print("ambiguous \(match.key): \(match.reason): \(match.candidates.joined(separator: ", "))")
                    }
                    for conflict in shared {
                        print(
                            "one film, several \(conflict.namespace) ids: \(conflict.entityKey) has \(conflict.values.joined(separator: ", "))"
                        )
                    }
                }
            }
        }
    }
}
