import Foundation
import MarqueeCore

/// Marquee's layered configuration: every key from a flag, else a `MARQUEE_<KEY>` environment
/// variable, else `marquee.toml` in the working directory (or the file `MARQUEE_CONFIG` names),
/// else the shipped default — and where each value came from.
///
/// A value type: a library function that needs a setting takes it as a parameter; only the
/// command line loads this once per process and passes values on.
///
/// ```swift
/// var config = try MarqueeConfiguration.load()
/// config.set("store", to: "/data/films.sqlite", source: "flag --store")
/// let store = try FeatureStore(path: config["store"])
/// ```
public struct MarqueeConfiguration: Sendable {
    /// One configuration key.
    public struct Key: Sendable {
        /// The key as written in `marquee.toml` (`user_agent`); the variable is `MARQUEE_USER_AGENT`.
        public var name: String
        /// The value when nothing sets it.
        public var defaultValue: String
        /// One line saying what it is.
        public var help: String
        /// Whether the value is never printed (`marquee config` shows set/unset).
        public var secret = false
    }

    /// Every key Marquee reads, in display order.
    public static let keys: [Key] = [
        Key(name: "store", defaultValue: "marquee.sqlite", help: "the feature store (SQLite file)"),
        Key(
            name: "frontier", defaultValue: "crawl.sqlite",
            help: "the crawl frontier of crawl and crawl-status (SQLite file, or postgres://… shared by many workers)"),
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

    /// A value and where it came from (`default`, `marquee.toml:3`, `environment MARQUEE_STORE`, `flag --store`).
    public struct Value: Sendable {
        /// The value, as text.
        public var value: String
        /// Where it came from, for `marquee config` and error messages.
        public var source: String

        /// A value from `source`.
        public init(value: String, source: String) {
            self.value = value
            self.source = source
        }
    }

    /// Every key's value, by key name.
    public var values: [String: Value]

    /// The configuration with every key at its default (no file, no environment).
    public static var defaults: MarqueeConfiguration {
        MarqueeConfiguration(
            values: Dictionary(
                uniqueKeysWithValues: keys.map { ($0.name, Value(value: $0.defaultValue, source: "default")) }))
    }

    /// A configuration with these values (keys not given read as empty).
    public init(values: [String: Value]) { self.values = values }

    /// The value of `key` (empty for an unknown key).
    public subscript(_ key: String) -> String { values[key]?.value ?? "" }

    /// Overrides `key` (a flag the caller parsed), remembering `source`.
    public mutating func set(_ key: String, to value: String, source: String) {
        values[key] = Value(value: value, source: source)
    }

    /// Reads the defaults (the shipped specs, views and pipelines when `directory` has none of its
    /// own), then the configuration file, then the environment. Flags are the caller's to apply.
    /// - Parameters:
    ///   - environment: the process environment (`MARQUEE_CONFIG`, `MARQUEE_<KEY>`).
    ///   - directory: the working directory, where `marquee.toml` and the folders are looked for.
    /// - Throws: `.configuration` (exit 78) for an unknown key, a value of the wrong type, a rate
    ///   that is not a positive number or an unknown log format, naming the file and line; a TOML
    ///   syntax error with its line.
    public static func load(
        environment: [String: String] = ProcessInfo.processInfo.environment,
        directory: String = FileManager.default.currentDirectoryPath
    ) throws(MarqueeError) -> MarqueeConfiguration {
        var config = defaults
        for name in ["features", "scrapers", "pipelines"] {
            if let found = ShippedFiles.locate(name, workingDirectory: directory), found != name {
                config.set(name, to: found, source: "default (shipped with marquee)")
            }
        }
        let path = environment["MARQUEE_CONFIG"] ?? (directory as NSString).appendingPathComponent("marquee.toml")
        if let text = try? String(contentsOfFile: path, encoding: .utf8) {
            try config.apply(file: text, path: path)
        }
        for key in keys {
            let variable = "MARQUEE_" + key.name.uppercased()
            if let value = environment[variable], !value.isEmpty {
                config.set(key.name, to: value, source: "environment \(variable)")
            }
        }
        try config.validate()
        return config
    }

    private mutating func apply(file text: String, path: String) throws(MarqueeError) {
        let table = try TOMLText.parse(text, path: path)
        let lines = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
        for name in table.keys.sorted() {
            let line = lines.firstIndex { $0.trimmingCharacters(in: .whitespaces).hasPrefix(name) }.map { $0 + 1 }
            let location = line.map { "\(path):\($0)" } ?? path
            guard Self.keys.contains(where: { $0.name == name }) else {
                throw MarqueeError(
                    .configuration, "unknown key \"\(name)\"", location: location,
                    hint: "keys: \(Self.keys.map(\.name).joined(separator: ", "))")
            }
            let raw = table[name]!
            guard let value = raw.string ?? raw.int.map(String.init) ?? raw.double.map({ "\($0)" }) else {
                throw MarqueeError(
                    .configuration, "\"\(name)\" must be a string or a number, not \(raw)", location: location,
                    hint: name == "rate" ? "rate = 0.5 (requests per second per host)" : "\(name) = \"…\"")
            }
            set(name, to: value, source: location)
        }
    }

    private func validate() throws(MarqueeError) {
        if let rate = values["rate"], !rate.value.isEmpty, !((Double(rate.value) ?? -1) > 0) {
            throw MarqueeError(
                .configuration, "rate must be a positive number, not \"\(rate.value)\"", location: rate.source)
        }
        if let format = values["log_format"], !["auto", "human", "json"].contains(format.value) {
            throw MarqueeError(
                .configuration, "log_format must be auto, human or json, not \"\(format.value)\"",
                location: format.source)
        }
    }

    /// The salt for users' handles (`user_salt`), or `nil` when none is set.
    public var userSalt: String? { self["user_salt"].isEmpty ? nil : self["user_salt"] }

    /// The User-Agent: `user_agent`, with `(+contact)` when a contact is configured.
    public var userAgent: String {
        self["user_agent"] + (self["contact"].isEmpty ? "" : " (+\(self["contact"]))")
    }

    /// The configured requests per second per host, or `nil` (each site spec's rate applies).
    public var rate: Double? { Double(self["rate"]) }
}
