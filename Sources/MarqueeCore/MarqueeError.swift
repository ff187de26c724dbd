/// An error Marquee reports to a person: what was wanted, what was found, where, and how to fix it.
///
/// Every library error that can reach the command line is, or converts to, a `MarqueeError`; its
/// ``Code`` decides the process exit status (sysexits, as DESIGN.md lists them).
public struct MarqueeError: Error, CustomStringConvertible, Sendable {
    /// The class of failure, which is also the process exit status.
    public enum Code: Int32, Sendable, CaseIterable {
        /// Anything not covered below (exit 1).
        case failure = 1
        /// The command was used wrongly: a bad flag, a malformed query (exit 64, `EX_USAGE`).
        case usage = 64
        /// Input data was unreadable or invalid: a missing file, a malformed record (exit 65, `EX_DATAERR`).
        case dataError = 65
        /// An input file does not exist or cannot be opened (exit 66, `EX_NOINPUT`).
        case noInput = 66
        /// A site or service could not be reached (exit 69, `EX_UNAVAILABLE`).
        case unavailable = 69
        /// A temporary condition, such as a lock held by another run; retry later (exit 75, `EX_TEMPFAIL`).
        case temporary = 75
        /// An output file or folder cannot be created (exit 73, `EX_CANTCREAT`).
        case cannotCreate = 73
        /// Permission denied (exit 77, `EX_NOPERM`).
        case noPermission = 77
        /// The configuration is missing or wrong: a setting must be given first (exit 78, `EX_CONFIG`).
        case configuration = 78
    }

    /// The class of failure and exit status.
    public var code: Code
    /// One sentence saying what went wrong.
    public var message: String
    /// Where: a `file:line`, a URL, a field name. `nil` when there is no better place than the message.
    public var location: String?
    /// How to fix it, when Marquee can tell.
    public var hint: String?
    /// The lower-level error that caused this one, if any.
    public var underlying: (any Error & Sendable)?

    /// Creates an error; see the properties for what each part means.
    public init(
        _ code: Code, _ message: String, location: String? = nil, hint: String? = nil,
        underlying: (any Error & Sendable)? = nil
    ) {
        self.code = code
        self.message = message
        self.location = location
        self.hint = hint
        self.underlying = underlying
    }

    /// `location: message (hint)`, the one-line form printed by the command line.
    public var description: String {
        var text = location.map { "\($0): \(message)" } ?? message
        if let hint { text += " (\(hint))" }
        return text
    }
}
