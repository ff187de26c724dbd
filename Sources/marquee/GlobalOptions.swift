import ArgumentParser
import Foundation
import Logging
import MarqueeCore
import MarqueePostgres
import MarqueeStore

extension LogFormat: ExpressibleByArgument {}

/// Flags every subcommand takes: how to log.
struct LoggingOptions: ParsableArguments {
    @Option(
        name: .customLong("log-format"),
        help: "Log lines as 'human' text or 'json' lines (to standard error); default: human on a terminal, else json.")
    var logFormatFlag: LogFormat?

    @Flag(name: .shortAndLong, help: "More log output; repeat for more (-vv debug, -vvv trace).")
    var verbose: Int

    @Flag(
        name: .shortAndLong,
        help: "No progress: neither the bar (on a terminal) nor the progress log lines (off one, every 10 s).")
    var quiet = false

    /// A progress meter for long work: a bar on a terminal, `progress` log lines otherwise,
    /// nothing with `--quiet`.
    func progress(_ task: String, unit: String, total: Int? = nil) -> ProgressMeter {
        ProgressMeter(task, unit: unit, total: total, display: .automatic(quiet: quiet))
    }

    /// The log format: the flag, else the configured one, else human on a terminal and JSON lines otherwise.
    var logFormat: LogFormat {
        if let logFormatFlag { return logFormatFlag }
        switch EffectiveConfig.currentOrDefaults["log_format"] {
        case "human": return .human
        case "json": return .json
        default: return isatty(2) != 0 ? .human : .json
        }
    }

    /// Sets up logging and returns the command's logger.
    func makeLogger(_ label: String) -> Logger {
        if case .failure(let error) = EffectiveConfig.current {
            FileHandle.standardError.write(Data("marquee: error: \(error)\n".utf8))
            Foundation.exit(error.code.rawValue)
        }
        LogSetup.bootstrap(format: logFormat, level: LogSetup.level(verbosity: verbose))
        return Logger(label: label)
    }
}

/// Flags of the commands that read or write a feature store: logging, `--store`, `--features`.
/// Commands that touch no store take ``LoggingOptions`` alone, so their help shows no store flags.
/// Logging and `--features`, for commands that read the feature views but not the store.
struct CatalogOptions: ParsableArguments {
    @OptionGroup var logging: LoggingOptions

    @Option(
        name: .customLong("features"),
        help: "The folder of feature views (*.toml) and dataset specs (datasets/*.toml; default from marquee config).")
    var featuresFlag: String?

    /// Sets up logging and returns the command's logger.
    func makeLogger(_ label: String) -> Logger { logging.makeLogger(label) }

    /// Loads the feature catalog from the flag's folder, else `marquee config`'s.
    func loadCatalog() throws(MarqueeError) -> FeatureCatalog {
        try FeatureCatalog.load(
            directory: URL(fileURLWithPath: featuresFlag ?? EffectiveConfig.currentOrDefaults["features"]))
    }
}

struct GlobalOptions: ParsableArguments {
    @OptionGroup var logging: LoggingOptions

    @Option(name: .customLong("store"), help: "The feature store (SQLite file; postgres://… for dataset build; default from marquee config).")
    var storeFlag: String?

    @Option(
        name: .customLong("features"),
        help: "The folder of feature views (*.toml) and dataset specs (datasets/*.toml; default from marquee config).")
    var featuresFlag: String?

    /// Sets up logging and returns the command's logger.
    func makeLogger(_ label: String) -> Logger { logging.makeLogger(label) }

    /// A progress meter (``LoggingOptions/progress(_:unit:total:)``).
    func progress(_ task: String, unit: String, total: Int? = nil) -> ProgressMeter {
        logging.progress(task, unit: unit, total: total)
    }

    /// The store: the flag, else `marquee config`'s value.
    var store: String { storeFlag ?? EffectiveConfig.currentOrDefaults["store"] }

    /// The features folder: the flag, else `marquee config`'s value.
    var features: String { featuresFlag ?? EffectiveConfig.currentOrDefaults["features"] }

    /// Opens the store, creating it when it does not exist (commands that write to it).
    func openStore() throws(MarqueeError) -> FeatureStore {
        try requireSQLite()
        return try FeatureStore(path: store)
    }

    /// The PostgreSQL store `--store` names, connected, or `nil` for a SQLite path.
    func postgresStore(logger: Logger) async throws(MarqueeError) -> PostgresBackend? {
        guard PostgresLocation.isURL(store) else { return nil }
        return try await PostgresBackend(PostgresLocation(url: store), logger: logger)
    }

    /// The store as messages name it: a path, or a PostgreSQL URL without its password.
    var storeShown: String { PostgresLocation.isURL(store) ? PostgresLocation.redacted(store) : store }

    /// Refuses a PostgreSQL `--store` for the commands that run on SQLite only, saying which do not.
    func requireSQLite() throws(MarqueeError) {
        guard store.hasPrefix("postgres://") || store.hasPrefix("postgresql://") else { return }
        throw MarqueeError(
            .usage,
            "this command runs on a SQLite store; on PostgreSQL, import movielens, dataset build, rebuild, list and show and store copy work so far",
            hint: "run it on a SQLite store (marquee store copy --from URL --to FILE makes one from the database)")
    }

    /// Opens a store that must already exist, for reading only (commands that only read: a
    /// mistyped `--store` must not leave an empty store behind and report "nothing there", and a
    /// store on read-only media can still be looked at).
    /// - Throws: `.noInput` (exit 66) naming the path and how to fix it.
    func openExistingStore() throws(MarqueeError) -> FeatureStore {
        try requireSQLite()
        try InputFile.requireDatabase(
            store, what: "feature store",
            hint:
                "check --store (marquee config shows the default); a store is created by marquee import, scrape or pipeline run"
        )
        return try FeatureStore(readingAt: store)
    }

    /// Loads the feature catalog.
    func loadCatalog() throws(MarqueeError) -> FeatureCatalog {
        try FeatureCatalog.load(directory: URL(fileURLWithPath: features))
    }
}

/// Runs a command body, turning Marquee's errors into a one-line message and their exit status.
func reportingErrors(_ body: () async throws -> Void) async throws {
    do {
        try await body()
    } catch let error as MarqueeError {
        FileHandle.standardError.write(Data("marquee: error: \(error)\n".utf8))
        throw ExitCode(error.code.rawValue)
    }
}

/// `--format table|json`: the one output switch of commands that list or show things.
/// `--format text|json`: the one output switch of every command that prints data (`table` is
/// accepted for `text`). JSON is one document, or JSON Lines where the command streams.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json

    init?(argument: String) {
        switch argument {
        case "text", "table": self = .text
        case "json": self = .json
        default: return nil
        }
    }
}

/// Prints `value` as pretty, key-sorted JSON with snake_case keys, as every record Marquee writes
/// (the machine-readable form of `--format json`).
func printJSON(_ value: some Encodable) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    encoder.keyEncodingStrategy = .convertToSnakeCase
    print(String(decoding: try encoder.encode(value), as: UTF8.self))
}

/// Prints `text()` (which ends its own lines) or, with `--format json`, `json()` as one JSON document.
func emit(_ format: OutputFormat, json: () throws -> some Encodable, text: () throws -> String) throws {
    switch format {
    case .text: print(try text(), terminator: "")
    case .json: try printJSON(try json())
    }
}
