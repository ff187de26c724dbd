import ArgumentParser
import Foundation
import MarqueeCore
import MarqueeStore
import TOMLKit

/// The effective configuration: every key from a flag, else a `MARQUEE_<KEY>` environment
/// variable, else `marquee.toml` in the working directory (or the file `MARQUEE_CONFIG` names),
/// else the default — and where each value came from (`marquee config` prints it).
struct EffectiveConfig: Sendable {
    struct Key: Sendable {
        var name: String
        var defaultValue: String
        var help: String
        var secret = false
    }

    static let keys: [Key] = [
        Key(name: "store", defaultValue: "marquee.sqlite", help: "the feature store (SQLite file)"),
        Key(name: "features", defaultValue: "features", help: "feature views and dataset specs"),
        Key(name: "scrapers", defaultValue: "scrapers", help: "site specs"),
        Key(name: "pipelines", defaultValue: "pipelines", help: "pipeline files"),
        Key(name: "work", defaultValue: "out", help: "artefacts of pipeline runs (<work>/pipelines/<name>)"),
        Key(name: "user_agent", defaultValue: "Marquee/\(MarqueeVersion.current)", help: "User-Agent of every request"),
        Key(name: "contact", defaultValue: "", help: "contact URL or e-mail appended to the User-Agent"),
        Key(name: "rate", defaultValue: "", help: "requests per second per host (default: each site spec's rate)"),
        Key(name: "log_format", defaultValue: "auto", help: "human, json, or auto (human on a terminal)"),
        Key(
            name: "user_salt", defaultValue: "", help: "salt for users' handles in the store (never printed)",
            secret: true),
    ]

    struct Value: Sendable {
        var value: String
        var source: String
    }

    var values: [String: Value]

    subscript(_ key: String) -> String { values[key]?.value ?? "" }

    /// Reads the environment and the configuration file (flags are applied by the caller).
    static func load(
        environment: [String: String] = ProcessInfo.processInfo.environment,
        directory: String = FileManager.default.currentDirectoryPath
    ) throws(MarqueeError) -> EffectiveConfig {
        var values: [String: Value] = [:]
        for key in keys { values[key.name] = Value(value: key.defaultValue, source: "default") }
        // The shipped specs, views and pipelines when the working directory has none of its own.
        for name in ["features", "scrapers", "pipelines"] {
            if let found = ShippedFiles.locate(name, workingDirectory: directory), found != name {
                values[name] = Value(value: found, source: "default (shipped with marquee)")
            }
        }
        let path = environment["MARQUEE_CONFIG"] ?? (directory as NSString).appendingPathComponent("marquee.toml")
        if let text = try? String(contentsOfFile: path, encoding: .utf8) {
            let table = try TOMLText.parse(text, path: path)
            let lines = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
            for name in table.keys.sorted() {
                let line = lines.firstIndex { $0.trimmingCharacters(in: .whitespaces).hasPrefix(name) }.map { $0 + 1 }
                let location = line.map { "\(path):\($0)" } ?? path
                guard keys.contains(where: { $0.name == name }) else {
                    throw MarqueeError(
                        .configuration, "unknown key \"\(name)\"", location: location,
                        hint: "keys: \(keys.map(\.name).joined(separator: ", "))")
                }
                let raw = table[name]!
                guard let value = raw.string ?? raw.int.map(String.init) ?? raw.double.map({ "\($0)" }) else {
                    throw MarqueeError(
                        .configuration, "\"\(name)\" must be a string or a number, not \(raw)", location: location,
                        hint: name == "rate" ? "rate = 0.5 (requests per second per host)" : "\(name) = \"…\"")
                }
                values[name] = Value(value: value, source: location)
            }
        }
        for key in keys {
            let variable = "MARQUEE_" + key.name.uppercased()
            if let value = environment[variable], !value.isEmpty {
                values[key.name] = Value(value: value, source: "environment \(variable)")
            }
        }
        if let rate = values["rate"], !rate.value.isEmpty, !((Double(rate.value) ?? -1) > 0) {
            throw MarqueeError(
                .configuration, "rate must be a positive number, not \"\(rate.value)\"", location: rate.source)
        }
        if let format = values["log_format"]?.value, !["auto", "human", "json"].contains(format) {
            throw MarqueeError(
                .configuration, "log_format must be auto, human or json, not \"\(format)\"",
                location: values["log_format"]?.source)
        }
        return EffectiveConfig(values: values)
    }

    /// The configuration this process runs with (flags applied by ``GlobalOptions``).
    static let current: Result<EffectiveConfig, MarqueeError> = {
        do throws(MarqueeError) {
            return .success(try load())
        } catch {
            return .failure(error)
        }
    }()

    /// The salt for users' handles (`user_salt`, e.g. from `MARQUEE_USER_SALT`), or `nil`.
    static var userSalt: String? {
        let salt = currentOrDefaults["user_salt"]
        return salt.isEmpty ? nil : salt
    }

    /// The User-Agent: `user_agent`, with `(+contact)` when a contact is configured.
    static var userAgent: String {
        let contact = currentOrDefaults["contact"]
        return currentOrDefaults["user_agent"] + (contact.isEmpty ? "" : " (+\(contact))")
    }

    /// The configured requests per second per host, or `nil` (the site spec's rate applies).
    static var rate: Double? { Double(currentOrDefaults["rate"]) }

    /// `current`, or the defaults when the file is broken (``GlobalOptions/makeLogger(_:)`` reports that).
    static var currentOrDefaults: EffectiveConfig {
        (try? current.get())
            ?? EffectiveConfig(
                values: Dictionary(
                    uniqueKeysWithValues: keys.map { ($0.name, Value(value: $0.defaultValue, source: "default")) }))
    }
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
            if let flag = global.storeFlag { config.values["store"] = .init(value: flag, source: "flag --store") }
            if let flag = global.featuresFlag {
                config.values["features"] = .init(value: flag, source: "flag --features")
            }
            if let flag = global.logging.logFormatFlag {
                config.values["log_format"] = .init(value: flag.rawValue, source: "flag --log-format")
            }
            if format == .json {
                return try printJSON(
                    Dictionary(
                        uniqueKeysWithValues: EffectiveConfig.keys.map { key in
                            let value = config.values[key.name]!
                            let shown = key.secret ? (value.value.isEmpty ? "unset" : "set") : value.value
                            return (key.name, Setting(value: shown, source: value.source))
                        }))
            }
            let rows = EffectiveConfig.keys.map { key in
                let value = config.values[key.name]!
                let shown = key.secret ? (value.value.isEmpty ? "(unset)" : "(set)") : value.value
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
