import ArgumentParser
import Foundation
import MarqueeCore
import MarqueePostgres
import MarqueeStore

extension Dataset {
    struct Build: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Build a dataset from features/datasets/NAME.toml and record its version.",
            discussion: """
                Exit 65 when an error-level expectation fails (no file is written). With --store \
                postgres://… the point-in-time join runs as SQL inside PostgreSQL on a store that \
                marquee store copy put there; the file and the version id are those a SQLite build \
                of the same observations gives.
                """)

        @OptionGroup var global: GlobalOptions
        @Argument(help: "The dataset spec's name.") var name: String
        @Option(help: "Use only observations created by this time (ISO 8601 or seconds since 1970).") var asOf: String?
        @Option(help: "The dataset file: csv or jsonl.") var fileFormat: DatasetVersion.Format = .csv
        @Option(help: "Output file (default: NAME.csv or NAME.jsonl).") var out: String?
        @Option(help: "text or json (the version recorded, as dataset show prints it).") var format: OutputFormat =
            .text

        func validate() throws {
            if let asOf, Microseconds.parse(asOf) == nil {
                throw ValidationError("--as-of \(asOf) is not ISO 8601 or seconds since 1970 within years 1 to 9999")
            }
        }

        func run() async throws {
            let logger = global.makeLogger("marquee.dataset")
            try await reportingErrors {
                let output = URL(fileURLWithPath: out ?? "\(name).\(fileFormat.rawValue)")
                try OutputLocation.check(output, what: "the dataset")
                let progress = global.progress("dataset \(name)", unit: "rows")
                let result: DatasetBuildResult
                if let backend = try await global.postgresStore(logger: logger) {
                    result = try await PostgresDatasets.build(
                        name, catalog: try global.loadCatalog(), asOf: asOf.flatMap(Microseconds.parse),
                        format: fileFormat, output: output, backend: backend, progress: progress)
                } else {
                    result = try global.openStore().buildDataset(
                        name, catalog: try global.loadCatalog(), asOf: asOf.flatMap(Microseconds.parse),
                        format: fileFormat, output: output, progress: progress)
                }
                progress.finish()
                for warning in result.warnings {
                    FileHandle.standardError.write(Data("marquee: warning: \(warning)\n".utf8))
                }
                let version = result.version
                if format == .json { return try printJSON(version) }
                print(
                    "dataset \(version.name) version \(version.id)\(result.isNew ? "" : " (already recorded)"): \(version.rowCount) rows → \(output.path)"
                )
                print("sha256 \(version.contentSHA256)")
            }
        }
    }
}
