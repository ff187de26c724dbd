import ArgumentParser
import Foundation
import Logging
import MarqueeCore
import MarqueeStore

extension LogFormat: ExpressibleByArgument {}

/// Flags every subcommand takes.
struct GlobalOptions: ParsableArguments {
    @Option(name: .long, help: "Log lines as 'human' text or 'json' lines (to standard error).")
    var logFormat: LogFormat = .human

    @Flag(name: .shortAndLong, help: "More log output; repeat for more (-vv debug, -vvv trace).")
    var verbose: Int

    @Option(help: "The feature store (SQLite file).")
    var store = "marquee.sqlite"

    @Option(help: "The folder of feature views (*.toml) and dataset specs (datasets/*.toml).")
    var features = "features"

    /// Opens the store.
    func openStore() throws(MarqueeError) -> FeatureStore { try FeatureStore(path: store) }

    /// Loads the feature catalog.
    func loadCatalog() throws(MarqueeError) -> FeatureCatalog {
        try FeatureCatalog.load(directory: URL(fileURLWithPath: features))
    }

    /// Sets up logging and returns the command's logger.
    func makeLogger(_ label: String) -> Logger {
        LogSetup.bootstrap(format: logFormat, level: LogSetup.level(verbosity: verbose))
        return Logger(label: label)
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
