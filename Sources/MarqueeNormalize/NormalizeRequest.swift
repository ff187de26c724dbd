import Foundation

/// One `marquee normalise` run: a named normaliser applied to several raw values.
public struct NormalizeRequest: Sendable {
    /// The normaliser's name.
    public var name: String
    /// The raw values, as a page shows them.
    public var values: [String]
    /// Locale, scale and base URL.
    public var options: NormalizeOptions

    /// Creates a request.
    public init(name: String, values: [String], options: NormalizeOptions = NormalizeOptions()) {
        self.name = name
        self.values = values
        self.options = options
    }

    /// The normaliser named by the request.
    /// - Throws: ``UnknownNormalizer`` with the closest name, when there is no such normaliser.
    public func normalizer(in registry: NormalizerRegistry = .standard) throws(UnknownNormalizer) -> Normalizer {
        guard let normalizer = registry[name] else {
            throw UnknownNormalizer(name: name, suggestion: registry.suggestion(for: name), known: registry.names)
        }
        return normalizer
    }

    /// One JSON line per value: the typed result, or the error (as `Result.failure`).
    public func run(in registry: NormalizerRegistry = .standard) throws(UnknownNormalizer) -> [Result<
        String, NormalizeError
    >] {
        let normalizer = try normalizer(in: registry)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return values.map { raw in
            do {
                let value = try normalizer(raw, options: options)
                return .success(String(decoding: try encoder.encode(value), as: UTF8.self))
            } catch let error as NormalizeError {
                return .failure(error)
            } catch {
                return .failure(NormalizeError(.malformed, name, raw: raw, "cannot be written as JSON: \(error)"))
            }
        }
    }
}

/// A normaliser name that is not in the registry.
public struct UnknownNormalizer: Error, Sendable, CustomStringConvertible {
    /// The name asked for.
    public var name: String
    /// The closest known name, if one is close.
    public var suggestion: String?
    /// Every known name.
    public var known: [String]

    /// `unknown normaliser "yaer" (did you mean "year"?)`.
    public var description: String {
        var text = "unknown normaliser \"\(name)\""
        if let suggestion {
            text += " (did you mean \"\(suggestion)\"?)"
        } else {
            text += "; known: \(known.joined(separator: ", "))"
        }
        return text
    }
}
