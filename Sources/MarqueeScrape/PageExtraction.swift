import Foundation
import MarqueeCore
import MarqueeHTML
import MarqueeNormalize

/// One record a page yielded: the typed value and its JSON (fields in the documented order).
public struct ExtractedRecord: Sendable {
    /// The typed record.
    public var record: any ScrapedRecord
    /// Its JSON object, `"type"` first.
    public var json: JSONValue
}

/// What one page gave: records, rejects, links to crawl, and notes on values that were dropped.
public struct PageExtraction: Sendable {
    /// The site and page kind it was recognised as.
    public var site: String
    /// The page kind of the spec that matched (`film`, `diary`, …).
    public var kind: String
    /// The URL the records carry as `source_url`.
    public var url: String
    /// The records the page yielded, in page order.
    public var records: [ExtractedRecord]
    /// Records or fields a normaliser or a plausibility check refused, with why.
    public var rejects: [Reject]
    /// Absolute URLs on the site's hosts that a page kind of the site accepts, with the link rule's name.
    public var links: [(name: String, url: String)]
    /// Optional fields whose values could not be normalised (`field: rule: error`).
    public var warnings: [String]

    /// Records and rejects as JSON Lines (one object per line, trailing newline).
    public func jsonLines() -> String {
        var out = ""
        for record in records { out += record.json.serialized() + "\n" }
        for reject in rejects { out += ((try? JSONValueEncoder.encode(reject)) ?? .null).serialized() + "\n" }
        return out
    }

    /// Records and rejects for reading: a line per record, its type then `field: value` lines
    /// (strings unquoted, nulls left out).
    public func textLines() -> String {
        var out = ""
        let objects = records.map(\.json) + rejects.map { (try? JSONValueEncoder.encode($0)) ?? .null }
        for case .object(let object) in objects {
            out += (object["type"].flatMap { if case .string(let type) = $0 { type } else { nil } } ?? "record") + "\n"
            for (key, value) in object.members where key != "type" && value != .null {
                let shown: String
                if case .string(let string) = value { shown = string } else { shown = value.serialized() }
                out += "  \(key): \(shown)\n"
            }
        }
        return out
    }
}
