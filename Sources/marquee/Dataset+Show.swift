import ArgumentParser
import Foundation
import MarqueeCore
import MarqueePostgres
import MarqueeStore

extension Dataset {
    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show everything recorded about a dataset version.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The version id (or a unique prefix).") var id: String
        @Option(help: "text or json.") var format: OutputFormat = .text

        func run() async throws {
            let logger = global.makeLogger("marquee.dataset")
            try await reportingErrors {
                let found =
                    if let backend = try await global.postgresStore(logger: logger) {
                        try await PostgresDatasets.version(id, in: backend)
                    } else {
                        try global.openExistingStore().datasetVersion(id)
                    }
                guard let version = found else {
                    throw MarqueeError(
                        .dataError, "no dataset version \"\(id)\"", hint: "marquee dataset list shows them")
                }
                if format == .json { return try printJSON(version) }
                let fields: [(String, String)] = [
                    ("id", version.id), ("name", version.name), ("format", version.format.rawValue),
                    ("rows", "\(version.rowCount)"), ("as of", version.asOf.map(Microseconds.iso) ?? "latest"),
                    ("observations", "up to id \(version.observationWatermark), sha256 \(version.observationsSHA256)"),
                    ("content sha256", version.contentSHA256), ("spec sha256", Hashing.sha256(Data(version.spec.utf8))),
                    ("created", Microseconds.iso(version.createdAt)), ("marquee", version.codeVersion),
                ]
                for (name, value) in fields { print(name.padding(toLength: 16, withPad: " ", startingAt: 0) + value) }
            }
        }
    }
}
