import ArgumentParser
import Foundation
import MarqueeCore
import MarqueePostgres
import MarqueeStore

/// The configuration this process runs with: loaded once from the environment and
/// `marquee.toml` (``MarqueeConfiguration/load(environment:directory:)``); each command applies its
/// flags and passes the values it needs into the libraries.
enum EffectiveConfig {
    /// Every key, in display order.
    static var keys: [MarqueeConfiguration.Key] { MarqueeConfiguration.keys }

    /// The loaded configuration, or why it could not be loaded (``LoggingOptions/makeLogger(_:)`` reports it).
    static let current: Result<MarqueeConfiguration, MarqueeError> = {
        do throws(MarqueeError) {
            return .success(try MarqueeConfiguration.load())
        } catch {
            return .failure(error)
        }
    }()

    /// `current`, or the defaults when the file is broken (``LoggingOptions/makeLogger(_:)`` reports that).
    static var currentOrDefaults: MarqueeConfiguration { (try? current.get()) ?? .defaults }

    /// The salt for users' handles, or `nil`.
    static var userSalt: String? { currentOrDefaults.userSalt }

    /// The User-Agent with the contact appended.
    static var userAgent: String { currentOrDefaults.userAgent }

    /// The configured requests per second per host, or `nil`.
    static var rate: Double? { currentOrDefaults.rate }
}

/// `marquee config`: the effective configuration and where each value came from.
struct Config: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print the effective configuration and where each value comes from.",
        discussion: """
            Precedence: a flag, then MARQUEE_<KEY> in the environment, then marquee.toml in the working \
            directory (or the file MARQUEE_CONFIG names), then the default. Secrets are shown as set/unset.
            """)

    @OptionGroup var global: GlobalOptions
    @Option(help: "text or json (each key's value and source; secrets as set/unset).") var format: OutputFormat = .text

    struct Setting: Encodable {
        var value, source: String
    }

    func run() async throws {
        _ = global.makeLogger("marquee.config")
        try await reportingErrors {
            var config = try EffectiveConfig.current.get()
            if let flag = global.storeFlag { config.set("store", to: flag, source: "flag --store") }
            if let flag = global.featuresFlag {
                config.set("features", to: flag, source: "flag --features")
            }
            if let flag = global.logging.logFormatFlag {
                config.set("log_format", to: flag.rawValue, source: "flag --log-format")
            }
            if format == .json {
                return try printJSON(
                    Dictionary(
                        uniqueKeysWithValues: EffectiveConfig.keys.map { key in
                            let value = config.values[key.name]!
                            let shown =
                                key.secret ? (value.value.isEmpty ? "unset" : "set") : PostgresLocation.redacted(value.value)
                            return (key.name, Setting(value: shown, source: value.source))
                        }))
            }
            let rows = EffectiveConfig.keys.map { key in
                let value = config.values[key.name]!
                // A database URL's password is never printed.
                let shown = key.secret ? (value.value.isEmpty ? "(unset)" : "(set)") : PostgresLocation.redacted(value.value)
                return (key.name, shown, "\(value.source); \(key.help)")
            }
            // Aligned, never cut: a long path widens the column.
            let width = max(28, rows.map(\.1.count).max() ?? 0)
            for (name, shown, comment) in rows {
                let padded = shown + String(repeating: " ", count: width - shown.count)
                print("\(name.padding(toLength: 12, withPad: " ", startingAt: 0)) = \(padded)  # \(comment)")
            }
        }
    }
}
