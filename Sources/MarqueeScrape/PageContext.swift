import Foundation
import MarqueeCore
import MarqueeHTML
import MarqueeNormalize

/// What the rules of one page share, computed once and only when a rule asks.
final class PageContext {
    let document: HTMLDocument
    let url: String
    let captures: [String: String]

    init(document: HTMLDocument, url: String, captures: [String: String], metadata: PageMetadata? = nil) {
        self.document = document
        self.url = url
        self.captures = captures
        self.meta = metadata
    }

    private var items: [JSONValue]?
    private var next: JSONValue??
    private var meta: PageMetadata?

    func jsonldItems(types: [String]) -> [JSONValue] {
        if items == nil { items = JSONLD.items(in: document) }
        guard !types.isEmpty else { return items! }
        return items!.filter { item in JSONLD.types(of: item).contains { types.contains($0) } }
    }

    var nextData: JSONValue? {
        if let next { return next }
        let script = try? document.css("script#__NEXT_DATA__").first?.string
        let parsed = script.flatMap { try? JSONParser(options: .lenient).parse($0).value }
        next = .some(parsed)
        return parsed
    }

    var metadata: PageMetadata {
        if let meta { return meta }
        let read = PageMetadata(document)
        meta = read
        return read
    }
}

/// Dotted paths into JSON (`aggregateRating.ratingValue`); arrays on the way are walked, so
/// `director.name` reads one director or many. `a.0.b` indexes an array.
enum JSONPath {
    static func values(_ path: String, in root: JSONValue) -> [JSONValue] {
        var current = [root]
        for segment in path.split(separator: ".") {
            var next: [JSONValue] = []
            for value in current {
                switch value {
                case .array(let items):
                    if let index = Int(segment) {
                        if items.indices.contains(index) { next.append(items[index]) }
                    } else {
                        next += items.compactMap { $0[String(segment)] }
                    }
                case .object(let object):
                    if let member = object[String(segment)] { next.append(member) }
                default: break
                }
            }
            current = next
        }
        return current.flatMap { value -> [JSONValue] in
            switch value {
            case .array(let items): items.filter { if case .object = $0 { false } else { true } }
            case .object, .null: []
            default: [value]
            }
        }
    }
}
