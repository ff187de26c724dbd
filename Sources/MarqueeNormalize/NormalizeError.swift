/// Why a normaliser could not turn a string into a value. Keeps the raw string and the
/// normaliser's name, so a reject row can show exactly what the page said.
public struct NormalizeError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The class of failure.
    public enum Kind: String, Sendable, Hashable {
        /// The input was empty or only whitespace: the page shows nothing there.
        case missing
        /// The input has a shape this normaliser does not read.
        case malformed
        /// The input could mean more than one value (`03/04/1994` without a locale); never guessed.
        case ambiguous
        /// The input reads as a value outside what the normaliser accepts (a 7/5 rating, month 13).
        case outOfRange = "out-of-range"
    }

    /// The class of failure.
    public var kind: Kind
    /// The normaliser's registry name (`duration`, `rating`, …).
    public var normalizer: String
    /// The input exactly as given.
    public var raw: String
    /// What was expected or found, in words.
    public var message: String

    /// Creates an error.
    public init(_ kind: Kind, _ normalizer: String, raw: String, _ message: String) {
        self.kind = kind
        self.normalizer = normalizer
        self.raw = raw
        self.message = message
    }

    /// `duration: malformed "abc": expected …`.
    public var description: String {
        "\(normalizer): \(kind.rawValue) \(Self.quoted(raw)): \(message)"
    }

    static func quoted(_ text: String) -> String {
        let short = text.count > 80 ? String(text.prefix(77)) + "..." : text
        return "\"" + short.replacingOccurrences(of: "\n", with: "\\n") + "\""
    }

    static func missing(_ normalizer: String, raw: String) -> NormalizeError {
        NormalizeError(.missing, normalizer, raw: raw, "the value is empty")
    }
}
