import Foundation
import Logging
import MarqueeCore

/// One `marquee select` run: read a saved page, run one query, keep the results.
public struct SelectRequest: Sendable {
    /// Path of the saved page.
    public var file: String
    /// The query.
    public var query: PageQuery
    /// Keep every match (`true`) or only the first.
    public var all: Bool
    /// Normalised text instead of HTML for CSS/XPath matches.
    public var text: Bool
    /// A regular expression applied to each match as Parsel's `re()` does (`extract` group, else
    /// every group, else the whole match); `nil` for none.
    public var regex: String?
    /// The HTTP `Content-Type` the page was served with, if known.
    public var contentType: String?
    /// The page's URL, if known.
    public var url: String?

    /// Creates a request; see the properties.
    public init(
        file: String, query: PageQuery, all: Bool = false, text: Bool = false, regex: String? = nil,
        contentType: String? = nil,
        url: String? = nil
    ) {
        self.file = file
        self.query = query
        self.all = all
        self.text = text
        self.regex = regex
        self.contentType = contentType
        self.url = url
    }

    /// The results of a run.
    public struct Report: Sendable {
        /// The selected values (all, or at most one).
        public var values: [JSONValue]
        /// Whether every match was asked for.
        public var all: Bool
        /// Problems that did not stop the run: JSON-LD blocks that could not be parsed, no match.
        public var warnings: [String]
        /// Things worth knowing about the output, such as how many matches were not shown.
        public var notes: [String]

        /// Plain output: each value on its own line (strings raw, JSON values pretty-printed).
        public func plain() -> String {
            values.map { $0.stringValue ?? $0.serialized(pretty: true) }.joined(separator: "\n")
        }

        /// JSON output: an array with `--all`, else the value or `null`.
        public func json() -> String {
            all ? JSONValue.array(values).serialized() : (values.first ?? .null).serialized()
        }
    }

    /// Reads, parses and queries the page.
    /// - Throws: `MarqueeError` `.noInput` (exit 66) for a missing file or a folder,
    ///   `.noPermission` (77) for an unreadable one, `.usage` (64) when the query does not compile.
    public func run(logger: Logger) throws(MarqueeError) -> Report {
        var data: Data
        do { data = try InputFile.read(file, what: "the page") } catch {
            var error = error
            if error.message.hasSuffix("does not exist") { error.hint = "check the path; save a page with your browser or `curl -o page.html URL`" }
            throw error
        }
        let started = ContinuousClock.now
        let document = HTMLDocument(data: data, url: url, contentType: contentType)
        logger.debug(
            "parsed page",
            metadata: [
                "file": "\(file)", "bytes": "\(data.count)", "encoding": "\(document.encoding)",
                "elapsed": "\(ContinuousClock.now - started)",
            ])
        var output: PageQuery.Output
        do {
            output = try query.run(on: document, text: text)
            if let regex {
                let matcher = try RegexMatcher(regex)
                output.values = output.values.flatMap { value in
                    matcher.matches(in: value.stringValue ?? value.serialized()).map(JSONValue.string)
                }
            }
        } catch {
            throw error.marqueeError
        }
        var warnings = output.failedBlocks.compactMap { block -> String? in
            guard case .failure(let failure) = block.result else { return nil }
            return "\(file):\(block.line): JSON-LD block \(block.index + 1) skipped: \(failure) of the block"
        }
        if output.values.isEmpty { warnings.append("\(file): no match for \(query)") }
        var notes: [String] = []
        if !all, output.values.count > 1 {
            notes.append("showing the first of \(output.values.count) matches; --all prints every one")
        }
        return Report(
            values: all ? output.values : Array(output.values.prefix(1)), all: all, warnings: warnings, notes: notes)
    }
}
