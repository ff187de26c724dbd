import ArgumentParser
import Foundation
import MarqueeCore
import MarqueePostgres
import MarqueeStore

extension Dataset {
    struct Rebuild: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write a recorded dataset version again, byte for byte, or say exactly why it cannot.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The version id (or a unique prefix).") var id: String
        @Option(help: "Output file.") var out: String
        @Option(help: "text or json (the version, as dataset show prints it).") var format: OutputFormat = .text

        func run() async throws {
            let logger = global.makeLogger("marquee.dataset")
            try await reportingErrors {
                try OutputLocation.check(URL(fileURLWithPath: out), what: "the dataset")
                let output = URL(fileURLWithPath: out)
                let version =
                    if let backend = try await global.postgresStore(logger: logger) {
                        try await PostgresDatasets.rebuild(
                            id, catalog: try global.loadCatalog(), output: output, backend: backend)
                    } else {
                        try global.openExistingStore().rebuildDataset(id, catalog: try global.loadCatalog(), output: output)
                    }
                if format == .json { return try printJSON(version) }
                print("rebuilt \(version.name) version \(version.id): \(version.rowCount) rows → \(out)")
                print("sha256 \(version.contentSHA256) (identical)")
            }
        }
    }
}
