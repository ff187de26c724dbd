import ArgumentParser
import Foundation
import MarqueeCore
import MarqueeStore

extension DatasetVersion.Format: ExpressibleByArgument {}

/// `marquee dataset build|list|show|rebuild`: versioned training datasets.
struct Dataset: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Build point-in-time datasets and rebuild any recorded version byte for byte.",
        subcommands: [Build.self, List.self, Show.self, Rebuild.self])

    struct Build: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Build a dataset from features/datasets/NAME.toml and record its version.",
            discussion: "Exit 65 when an error-level expectation fails (no file is written).")

        @OptionGroup var global: GlobalOptions
        @Argument(help: "The dataset spec's name.") var name: String
        @Option(help: "Use only observations created by this time (ISO 8601 or seconds since 1970).") var asOf: String?
        @Option(help: "The dataset file: csv or jsonl.") var fileFormat: DatasetVersion.Format = .csv
        @Option(help: "Output file (default: NAME.csv or NAME.jsonl).") var out: String?
        @Option(help: "text or json (the version recorded, as dataset show prints it).") var format: OutputFormat = .text

        func validate() throws {
            if let asOf, Microseconds.parse(asOf) == nil {
                throw ValidationError("--as-of \(asOf) is not ISO 8601 or seconds since 1970 within years 1 to 9999")
            }
        }

        func run() async throws {
            _ = global.makeLogger("marquee.dataset")
            try await reportingErrors {
                let output = URL(fileURLWithPath: out ?? "\(name).\(fileFormat.rawValue)")
                try OutputLocation.check(output, what: "the dataset")
                let result = try global.openStore().buildDataset(
                    name, catalog: try global.loadCatalog(), asOf: asOf.flatMap(Microseconds.parse),
                    format: fileFormat, output: output)
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

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List recorded dataset versions, newest first.")
        @OptionGroup var global: GlobalOptions
        @Option(help: "text or json.") var format: OutputFormat = .text

        func run() async throws {
            _ = global.makeLogger("marquee.dataset")
            try await reportingErrors {
                let versions = try global.openExistingStore().datasetVersions()
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

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show everything recorded about a dataset version.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The version id (or a unique prefix).") var id: String
        @Option(help: "text or json.") var format: OutputFormat = .text

        func run() async throws {
            _ = global.makeLogger("marquee.dataset")
            try await reportingErrors {
                guard let version = try global.openExistingStore().datasetVersion(id) else {
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

    struct Rebuild: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write a recorded dataset version again, byte for byte, or say exactly why it cannot.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The version id (or a unique prefix).") var id: String
        @Option(help: "Output file.") var out: String
        @Option(help: "text or json (the version, as dataset show prints it).") var format: OutputFormat = .text

        func run() async throws {
            _ = global.makeLogger("marquee.dataset")
            try await reportingErrors {
                try OutputLocation.check(URL(fileURLWithPath: out), what: "the dataset")
                let version = try global.openExistingStore().rebuildDataset(
                    id, catalog: try global.loadCatalog(), output: URL(fileURLWithPath: out))
                if format == .json { return try printJSON(version) }
                print("rebuilt \(version.name) version \(version.id): \(version.rowCount) rows → \(out)")
                print("sha256 \(version.contentSHA256) (identical)")
            }
        }
    }
}
