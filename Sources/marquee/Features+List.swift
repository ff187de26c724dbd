import ArgumentParser
import Foundation
import MarqueeCore
import MarqueeStore

extension Features {
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
                            .init(
                                name: $0.name, rows: $0.rows.rawValue, description: $0.description,
                                features: $0.features)
                        })
                } text: {
                    views.map { view in
                        let ttl = view.ttlSeconds == 0 ? "forever" : "\(view.ttlSeconds)s"
                        return
                            "view \(view.name) (\(view.entity.rawValue), ttl \(ttl)): \(view.features.map(\.name).joined(separator: ", ")) — \(view.description)\n"
                    }.joined()
                        + datasets.map {
                            "dataset \($0.name) (rows: \($0.rows.rawValue)): \($0.features.joined(separator: ", ")) — \($0.description)\n"
                        }.joined()
                }
            }
        }
    }
}
