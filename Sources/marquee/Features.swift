import ArgumentParser
import Foundation
import MarqueeCore
import MarqueeStore

/// `marquee features list|describe VIEW|materialize`.
struct Features: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Feature views: what exists, how fresh and complete, and the online table.",
        subcommands: [List.self, Describe.self, Materialize.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List feature views and dataset specs.")
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            _ = global.makeLogger("marquee.features")
            try await reportingErrors {
                let catalog = try global.loadCatalog()
                for view in catalog.views.values.sorted(by: { $0.name < $1.name }) {
                    let ttl = view.ttlSeconds == 0 ? "forever" : "\(view.ttlSeconds)s"
                    print(
                        "view \(view.name) (\(view.entity.rawValue), ttl \(ttl)): \(view.features.map(\.name).joined(separator: ", ")) — \(view.description)"
                    )
                }
                for dataset in catalog.datasets.values.sorted(by: { $0.name < $1.name }) {
                    print(
                        "dataset \(dataset.name) (rows: \(dataset.rows.rawValue)): \(dataset.features.joined(separator: ", ")) — \(dataset.description)"
                    )
                }
            }
        }
    }

    struct Describe: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Freshness and completeness of a view's features in the store.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The view's name.") var view: String

        func run() async throws {
            _ = global.makeLogger("marquee.features")
            try await reportingErrors {
                guard let definition = try global.loadCatalog().views[view] else {
                    throw MarqueeError(.dataError, "no feature view \"\(view)\"", hint: "marquee features list")
                }
                for status in try global.openExistingStore().status(of: definition) {
                    // Event time 0 marks a timeless fact (a title, MovieLens's facts), not 1970.
                    let latest = status.latestEvent.map { $0 == 0 ? "timeless" : Microseconds.iso($0) } ?? "never"
                    let created = status.latestCreated.map(Microseconds.iso) ?? "never"
                    print(
                        "\(status.feature): \(status.entitiesWithValue)/\(status.entities) entities have a value (null share \(String(format: "%.3f", status.nullShare))), "
                            + "\(status.observations) observations, latest event \(latest), latest created \(created), \(status.stale) stale"
                    )
                }
            }
        }
    }

    struct Materialize: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Bring the online table up to date from the observations (newer wins).")
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            _ = global.makeLogger("marquee.features")
            try await reportingErrors {
                let views = Array(try global.loadCatalog().views.values)
                let changed = try global.openStore().materialize(views)
                print("online table: \(changed) values updated for \(views.count) view\(views.count == 1 ? "" : "s")")
            }
        }
    }
}
