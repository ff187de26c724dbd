import ArgumentParser
import Foundation
import MarqueeCore
import MarqueePostgres
import MarqueeStore

extension Dataset {
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List recorded dataset versions, newest first.")
        @OptionGroup var global: GlobalOptions
        @Option(help: "text or json.") var format: OutputFormat = .text

        func run() async throws {
            let logger = global.makeLogger("marquee.dataset")
            try await reportingErrors {
                let versions =
                    if let backend = try await global.postgresStore(logger: logger) {
                        try await PostgresDatasets.versions(in: backend)
                    } else {
                        try global.openExistingStore().datasetVersions()
                    }
                if format == .json { return try printJSON(versions) }
                if versions.isEmpty { print("no dataset versions yet: marquee dataset build NAME") }
                for version in versions {
                    print(
                        "\(version.id)  \(version.name.padding(toLength: 12, withPad: " ", startingAt: 0)) \(Microseconds.iso(version.createdAt))  \(version.rowCount) rows  \(version.format.rawValue)  sha256 \(version.contentSHA256.prefix(16))…"
                    )
                }
            }
        }
    }
}
