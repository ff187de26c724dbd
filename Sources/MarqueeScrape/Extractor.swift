import Foundation
import MarqueeCore
import MarqueeHTML
import MarqueeNormalize

/// Runs one page kind's rules on one parsed page.
struct Extractor {
    let site: SiteSpec
    let page: PageSpec
    let context: PageContext
    let currentYear: Int

    func run(links wantLinks: Bool = true) -> PageExtraction {
        var result = PageExtraction(
            site: site.site, kind: page.kind, url: context.url, records: [], rejects: [], links: [], warnings: [])
        let root = context.document.root
        if let each = page.each {
            let items = (try? nodes(each, at: root)) ?? []
            for (index, item) in items.enumerated() {
                build(at: item, index: index, into: &result)
            }
        } else {
            build(at: root, index: nil, into: &result)
        }
        if wantLinks { result.links = links() }
        return result
    }

    // MARK: records

    private func build(at node: Selector, index: Int?, into result: inout PageExtraction) {
        var fields: [String: JSONValue] = [
            "type": .string(page.record.rawValue), "site": .string(site.site), "source_url": .string(context.url),
        ]
        var rejects: [Reject] = []
        for field in page.fields {
            switch evaluate(field, at: node) {
            case .value(let value):
                set(value, for: field.name, in: &fields)
            case .missing(let tried, let raw, let lastError, let outOfRange):
                if outOfRange {
                    // A value the page shows but that cannot be right: never silently dropped.
                    rejects.append(
                        reject(
                            index, field.name, reason: "out-of-range", detail: lastError ?? "", tried: tried, raw: raw))
                } else if field.required {
                    rejects.append(
                        reject(
                            index, field.name, reason: raw == nil ? "missing-required" : "malformed",
                            detail: lastError ?? "no rule found a value", tried: tried, raw: raw))
                } else if let lastError {
                    result.warnings.append("\(field.name): \(lastError)")
                }
            }
        }
        if let index, fields["position"] == nil, page.record.fieldNames.contains("position") {
            fields["position"] = .number(Double(index + 1))
        }
        guard rejects.isEmpty else {
            result.rejects += rejects
            return
        }
        let object = JSONValue.object(JSONObject(fields.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }))
        var record: any ScrapedRecord
        do {
            record = try Self.decode(page.record.swiftType, from: object)
        } catch {
            result.rejects.append(
                reject(
                    index, Self.field(of: error) ?? "record", reason: "malformed", detail: Self.describe(error),
                    tried: [], raw: nil))
            return
        }
        record.resolve()
        let violations = record.violations(currentYear: currentYear)
        guard violations.isEmpty else {
            for violation in violations {
                let tried = page.fields.first { $0.name == violation.field }?.rules.map(\.text) ?? []
                let reason = violation.reason.prefix { $0 != ":" }
                result.rejects.append(
                    reject(
                        index, violation.field, reason: String(reason), detail: violation.reason, tried: tried,
                        raw: violation.value))
            }
            return
        }
        result.records.append(ExtractedRecord(record: record, json: (try? JSONValueEncoder.encode(record)) ?? object))
    }

    private static func decode<T: ScrapedRecord>(_ type: T.Type, from value: JSONValue) throws -> any ScrapedRecord {
        try JSONValueDecoder.decode(T.self, from: value)
    }

    private static func field(of error: any Error) -> String? {
        guard let decoding = error as? DecodingError else { return nil }
        switch decoding {
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
            return context.codingPath.map(\.stringValue).joined(separator: ".")
        case .keyNotFound(let key, let context):
            return (context.codingPath + [key]).map(\.stringValue).joined(separator: ".")
        @unknown default: return nil
        }
    }

    private static func describe(_ error: any Error) -> String {
        guard let decoding = error as? DecodingError else { return "\(error)" }
        switch decoding {
        case .typeMismatch(let type, let context): return "expected \(type): \(context.debugDescription)"
        case .valueNotFound(let type, _): return "expected \(type), found null"
        case .keyNotFound(let key, _): return "required field \(key.stringValue) not filled by the spec"
        case .dataCorrupted(let context): return context.debugDescription
        @unknown default: return "\(error)"
        }
    }

    private func reject(
        _ index: Int?, _ field: String, reason: String, detail: String, tried: [String], raw: String?
    ) -> Reject {
        Reject(
            site: site.site, sourceURL: context.url, pageKind: page.kind, record: page.record.rawValue, item: index,
            field: field, reason: reason, detail: detail, rulesTried: tried, rawValue: raw)
    }

    /// Sets `name` (`a` or `a.b`) in the record's fields.
    private func set(_ value: JSONValue, for name: String, in fields: inout [String: JSONValue]) {
        guard let dot = name.firstIndex(of: ".") else {
            fields[name] = value
            return
        }
        let head = String(name[..<dot])
        let tail = String(name[name.index(after: dot)...])
        // A member only completes an object another field found (no count without a rating).
        guard var members = fields[head]?.objectValue?.members else { return }
        members.removeAll { $0.key == tail }
        members.append((tail, value))
        fields[head] = .object(JSONObject(members.map { ($0.key, $0.value) }))
    }

    // MARK: fields

    enum Outcome {
        case value(JSONValue)
        case missing(tried: [String], raw: String?, lastError: String?, outOfRange: Bool)
    }

    private func evaluate(_ field: FieldSpec, at node: Selector) -> Outcome {
        var tried: [String] = []
        var lastRaw: String?
        var lastError: String?
        var outOfRange = false
        for rule in field.rules {
            let raw = values(rule, at: node)
            guard !raw.isEmpty else {
                tried.append(rule.text)
                continue
            }
            var normalised: [JSONValue] = []
            for value in raw {
                do {
                    let result = try normalise(value, field)
                    if field.list, case .array(let items) = result {
                        normalised += items
                    } else {
                        normalised.append(result)
                    }
                } catch {
                    lastRaw = value.stringValue ?? value.serialized()
                    lastError = "\(rule.text): \(error)"
                    outOfRange = (error as? NormalizeError)?.kind == .outOfRange
                }
                if !field.list, field.pick == .first, !normalised.isEmpty { break }
            }
            guard !normalised.isEmpty else {
                tried.append(rule.text)
                continue
            }
            if field.list {
                var seen = Set<JSONValue>()
                return .value(.array(normalised.filter { seen.insert($0).inserted }))
            }
            switch field.pick {
            case .first: return .value(normalised[0])
            case .min: return .value(normalised.min(by: Self.ordered)!)
            case .max: return .value(normalised.max(by: Self.ordered)!)
            }
        }
        return .missing(tried: tried, raw: lastRaw, lastError: lastError, outOfRange: outOfRange)
    }

    /// Numbers by value, strings (ISO dates) in order; numbers before anything else.
    static func ordered(_ a: JSONValue, _ b: JSONValue) -> Bool {
        switch (a, b) {
        case (.number(let x), .number(let y)): x < y
        case (.string(let x), .string(let y)): x < y
        case (.number, _): true
        default: false
        }
    }

    private func normalise(_ value: JSONValue, _ field: FieldSpec) throws -> JSONValue {
        guard let name = field.normaliser else {
            if case .string(let text) = value {
                let cleaned = TextCleanup.clean(text)
                if cleaned.isEmpty { throw NormalizeError(.missing, "text", raw: text, "the value is empty") }
                return .string(cleaned)
            }
            return value
        }
        let text: String
        switch value {
        case .string(let string): text = string
        case .number, .bool: text = value.serialized()
        default: throw NormalizeError(.malformed, name, raw: value.serialized(), "not a text value")
        }
        let options = NormalizeOptions(locale: site.locale, scale: field.scale, baseURL: context.url)
        let output = try NormalizerRegistry.standard[name]!(text, options: options)
        switch output {
        case let int as Int: return .number(Double(int))
        case let string as String: return .string(string)
        case let double as Double: return .number(double)
        case let title as Title: return .string(title.title)
        case let person as PersonName: return .string(person.name)
        case let genres as Genres:
            return .array(genres.genres.map { .string($0.rawValue) } + genres.unknown.map(JSONValue.string))
        case let date as PartialDate: return .string(date.description)
        default: return try JSONValueEncoder.encode(output)
        }
    }

    // MARK: rules

    /// The element matches of a css/xpath rule.
    private func nodes(_ rule: Rule, at node: Selector) throws -> [Selector] {
        switch rule.source {
        case .css(let query): return try node.css(query).selectors
        case .xpath(let query): return try node.xpath(query).selectors
        default: return []
        }
    }

    /// A rule's values at `node`, after its modifiers; empty when it found nothing usable.
    func values(_ rule: Rule, at node: Selector) -> [JSONValue] {
        let start = rule.pageScope ? context.document.root : node
        var raw: [JSONValue]
        switch rule.source {
        case .css, .xpath:
            let matches = (try? nodes(rule, at: start)) ?? []
            if rule.present { return modify(.bool(!matches.isEmpty), rule) }
            raw = matches.compactMap { match in
                if let attribute = rule.attribute { return match.attribute(attribute).map(JSONValue.string) }
                return .string(match.text)
            }
            if let path = rule.json {
                raw = raw.flatMap { value -> [JSONValue] in
                    guard let text = value.stringValue,
                        let parsed = try? JSONParser(options: .lenient).parse(text).value
                    else { return [] }
                    return JSONPath.values(path, in: parsed)
                }
            }
        case .jsonld(let path):
            raw = []
            for item in context.jsonldItems(types: page.jsonldTypes) {
                raw = JSONPath.values(path, in: item)
                if !raw.isEmpty { break }
            }
        case .nextData(let path):
            raw = context.nextData.map { JSONPath.values(path, in: $0) } ?? []
        case .meta(let key):
            raw = context.metadata.values(key).map(JSONValue.string)
        case .url(let group):
            raw = context.captures[group].map { [.string($0)] } ?? []
        case .value(let constant):
            return [constant]
        }
        return raw.flatMap { modify($0, rule) }
    }

    private func modify(_ value: JSONValue, _ rule: Rule) -> [JSONValue] {
        guard case .string(let text) = value else {
            if case .null = value { return [] }
            guard rule.map != nil || rule.template != nil || rule.regex != nil else { return [value] }
            return modify(.string(value.serialized()), rule)
        }
        var pieces = [text]
        if let separator = rule.split { pieces = pieces.flatMap { $0.components(separatedBy: separator) } }
        if let regex = rule.regex { pieces = pieces.flatMap { RegexMatcher.extract(regex.regex, from: $0) } }
        return pieces.compactMap { piece in
            var piece = Self.trimmed(piece)
            guard !piece.isEmpty, !site.placeholders.contains(piece) else { return nil }
            if let mapped = rule.map?[piece] { piece = mapped }
            if let template = rule.template { piece = template.replacingOccurrences(of: "{}", with: piece) }
            return .string(piece)
        }
    }

    /// `text` without leading and trailing whitespace (Foundation's trimming bridges to NSString).
    static func trimmed(_ text: String) -> String {
        let scalars = text.unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
            let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })
        else { return "" }
        return String(scalars[first...last])
    }

    // MARK: links

    private func links() -> [(name: String, url: String)] {
        var seen = Set<String>()
        var found: [(name: String, url: String)] = []
        for link in page.links {
            for value in values(link.rule, at: context.document.root) {
                guard let href = value.stringValue,
                    let absolute = URL(string: href, relativeTo: URL(string: context.url))?.absoluteURL,
                    let scheme = absolute.scheme?.lowercased(), scheme == "http" || scheme == "https",
                    let host = absolute.host, site.owns(host: host)
                else { continue }
                var text = absolute.absoluteString
                if let hash = text.firstIndex(of: "#") { text = String(text[..<hash]) }
                // De-duplicate before the (costlier) check that some page kind takes the URL.
                guard seen.insert(text).inserted,
                    site.pages.contains(where: { kind in kind.urlPatterns.contains { $0.captures(in: text) != nil } })
                else { continue }
                found.append((link.name, text))
            }
        }
        return found
    }
}
