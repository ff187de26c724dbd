import Foundation
import Logging

/// A swift-log handler that writes one line per event, human-readable or JSON.
///
/// Metadata keys that look like secrets (`authorization`, `cookie`, `set-cookie`, `password`,
/// `token`) are written as `"[redacted]"`, so a header dump can never leak credentials into logs.
public struct LineLogHandler: LogHandler {
    /// Where lines go.
    public enum Sink: Sendable {
        /// The process's standard error.
        case standardError
        /// A closure receiving each finished line (without its newline); used by tests.
        case closure(@Sendable (String) -> Void)
    }

    /// The logger's label, e.g. `marquee.html`.
    public let label: String
    /// Human or JSON lines.
    public let format: LogFormat
    /// Where lines go.
    public let sink: Sink
    /// Events below this level are dropped.
    public var logLevel: Logger.Level = .notice
    /// Metadata attached to every event from this logger.
    public var metadata: Logger.Metadata = [:]

    /// Creates a handler for `label` writing `format` lines to `sink`.
    public init(label: String, format: LogFormat, sink: Sink) {
        self.label = label
        self.format = format
        self.sink = sink
    }

    /// Reads or writes one metadata value.
    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    /// Formats and writes one event.
    public func log(event: LogEvent) {
        var merged = metadata
        if let extra = event.metadata { merged.merge(extra) { _, new in new } }
        let line = Self.render(
            format: format, date: Date(), level: event.level, label: label,
            message: event.message.description, metadata: merged)
        switch sink {
        case .standardError:
            FileHandle.standardError.write(Data((line + "\n").utf8))
        case .closure(let write):
            write(line)
        }
    }

    static let secretKeys: Set<String> = [
        "authorization", "cookie", "set-cookie", "password", "token", "proxy-authorization",
    ]

    /// Renders one event as a line; exposed for tests and for other sinks.
    public static func render(
        format: LogFormat, date: Date, level: Logger.Level, label: String, message: String,
        metadata: Logger.Metadata
    ) -> String {
        let timestamp = Microseconds.isoSeconds(Microseconds.from(date))  // no ICU date formatter
        let keys = metadata.keys.sorted()
        switch format {
        case .human:
            var line = "\(timestamp) \(level) \(label): \(message)"
            for key in keys {
                line += " \(key)=\(redacted(key, metadata[key]!).description)"
            }
            return line
        case .json:
            var fields: [(String, JSONValue)] = [
                ("ts", .string(timestamp)), ("level", .string(level.rawValue)), ("label", .string(label)),
                ("message", .string(message)),
            ]
            if !keys.isEmpty {
                let object = JSONObject(keys.map { ($0, jsonValue(redacted($0, metadata[$0]!))) })
                fields.append(("metadata", .object(object)))
            }
            return JSONValue.object(JSONObject(fields)).serialized()
        }
    }

    private static func redacted(_ key: String, _ value: Logger.MetadataValue) -> Logger.MetadataValue {
        secretKeys.contains(key.lowercased()) ? .string("[redacted]") : value
    }

    private static func jsonValue(_ value: Logger.MetadataValue) -> JSONValue {
        switch value {
        case .string(let text): .string(text)
        case .stringConvertible(let convertible): .string(convertible.description)
        case .array(let items): .array(items.map(jsonValue))
        case .dictionary(let dictionary):
            .object(JSONObject(dictionary.keys.sorted().map { ($0, jsonValue(dictionary[$0]!)) }))
        }
    }
}
