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
        @OptionGroup var global: CatalogOptions
        @Option(help: "text or json.") var format: OutputFormat = .text

        struct Listing: Encodable {
            struct View: Encodable {
                var name, entity, description: String
                var ttlSeconds: Int64
                var features: [String]
            }
            struct Dataset: Encodable {
                var name, rows, description: String
                var features: [String]
            }
            var views: [View]
            var datasets: [Dataset]
        }

        func run() async throws {
            _ = global.makeLogger("marquee.features")
            try await reportingErrors {
                let catalog = try global.loadCatalog()
                let views = catalog.views.values.sorted { $0.name < $1.name }
                let datasets = catalog.datasets.values.sorted { $0.name < $1.name }
                try emit(format) {
                    Listing(
                        views: views.map {
                            .init(
                                name: $0.name, entity: $0.entity.rawValue, description: $0.description,
                                ttlSeconds: Int64($0.ttlSeconds), features: $0.features.map(\.name))
                        },
                        datasets: datasets.map {
                            .init(name: $0.name, rows: $0.rows.rawValue, description: $0.description, features: $0.features)
                        })
                } text: {
                    views.map { view in
                        let ttl = view.ttlSeconds == 0 ? "forever" : "\(view.ttlSeconds)s"
                        return "view \(view.name) (\(view.entity.rawValue), ttl \(ttl)): \(view.features.map(\.name).joined(separator: ", ")) — \(view.description)\n"
                    }.joined()
                        + datasets.map {
                            "dataset \($0.name) (rows: \($0.rows.rawValue)): \($0.features.joined(separator: ", ")) — \($0.description)\n"
                        }.joined()
                }
            }
        }
    }

    struct Describe: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Freshness and completeness of a view's features in the store.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The view's name.") var view: String
        @Option(help: "text or json (event times in microseconds since 1970; 0 marks a timeless fact).")
        var format: OutputFormat = .text

        func run() async throws {
            _ = global.makeLogger("marquee.features")
            try await reportingErrors {
                guard let definition = try global.loadCatalog().views[view] else {
                    throw MarqueeError(.dataError, "no feature view \"\(view)\"", hint: "marquee features list")
                }
                let statuses = try global.openExistingStore().status(of: definition)
                if format == .json { return try printJSON(statuses) }
                for status in statuses {
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
        @Option(help: "text or json.") var format: OutputFormat = .text

        struct Outcome: Encodable {
            var valuesUpdated, views: Int
        }

        func run() async throws {
            _ = global.makeLogger("marquee.features")
            try await reportingErrors {
                let views = Array(try global.loadCatalog().views.values)
                let changed = try global.openStore().materialize(views)
                try emit(format) { Outcome(valuesUpdated: changed, views: views.count) } text: {
                    "online table: \(changed) values updated for \(views.count) view\(views.count == 1 ? "" : "s")\n"
                }
            }
        }
    }
}
