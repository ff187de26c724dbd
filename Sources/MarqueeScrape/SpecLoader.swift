import Foundation
import MarqueeCore
import MarqueeHTML
import MarqueeNormalize
import MarqueeStore
import TOMLKit

/// Loads and checks scraper specs (`scrapers/*.toml`); every problem is a `MarqueeError`
/// (exit 65) with `file:line` and, where it can tell, the fix.
public enum SpecLoader {
    /// Every spec in `directory`, sorted by site name.
    /// - Throws: when the folder has no specs or one of them is invalid.
    public static func loadAll(directory: URL) throws(MarqueeError) -> [SiteSpec] {
        try InputFile.requireFolder(
            directory.path, what: "the scrapers folder", hint: "run from the repository root or pass --scrapers DIR")
        let files: [URL]
        do {
            files = try FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: nil)
                .filter { $0.pathExtension == "toml" }.sorted { $0.lastPathComponent < $1.lastPathComponent }
        } catch {
            throw MarqueeError(
                .noPermission, "cannot read the scrapers folder", location: directory.path,
                hint: "run from the repository root or pass --scrapers DIR")
        }
        guard !files.isEmpty else {
            throw MarqueeError(.dataError, "no scraper specs (*.toml)", location: directory.path)
        }
        var specs: [SiteSpec] = []
        for file in files { specs.append(try load(file: file)) }
        return specs
    }

    /// One spec file.
    public static func load(file: URL) throws(MarqueeError) -> SiteSpec {
        let text: String
        do {
            text = try String(contentsOf: file, encoding: .utf8)
        } catch {
            throw MarqueeError(.dataError, "cannot read the spec", location: file.path)
        }
        return try load(text: text, path: file.path)
    }

    /// A spec from its text; `path` names it in messages and must end in `<site>.toml`.
    public static func load(text: String, path: String) throws(MarqueeError) -> SiteSpec {
        let table = try TOMLText.parse(text, path: path)
        let reader = Reader(lines: SpecLines(text: text, path: path))
        return try reader.site(table, path: path)
    }
}

/// Reads one spec's tables into ``SiteSpec``.
private struct Reader {
    let lines: SpecLines
    let probe = HTMLDocument(html: "<html><body></body></html>")
    let normalisers = NormalizerRegistry.standard

    /// Where a value sits: page index, table header, key.
    struct Place {
        var page: Int?
        var header: String?
        var occurrence = 0
    }

    func fail(_ message: String, _ place: Place, key: String?, hint: String? = nil) -> MarqueeError {
        MarqueeError(
            .dataError, message,
            location: lines.location(page: place.page, header: place.header, key: key, occurrence: place.occurrence),
            hint: hint)
    }

    func allow(_ allowed: [String], in table: TOMLTable, _ place: Place, what: String, at line: String? = nil)
        throws(MarqueeError)
    {
        for key in table.keys.sorted() where !allowed.contains(key) {
            let close = allowed.min { TextCleanup.editDistance(key, $0) < TextCleanup.editDistance(key, $1) }
            let hint = close.flatMap { TextCleanup.editDistance(key, $0) <= 2 ? "did you mean \"\($0)\"?" : nil }
            throw fail(
                "unknown key \"\(key)\" in \(what)", place, key: line ?? key,
                hint: hint ?? "allowed: \(allowed.joined(separator: ", "))")
        }
    }

    func string(_ key: String, in table: TOMLTable, _ place: Place, required: Bool = true) throws(MarqueeError)
        -> String?
    {
        guard let value = table[key] else {
            if required { throw fail("missing \"\(key)\"", place, key: nil) }
            return nil
        }
        guard let text = value.string, !text.isEmpty else {
            throw fail("\"\(key)\" must be a non-empty string", place, key: key)
        }
        return text
    }

    func strings(_ key: String, in table: TOMLTable, _ place: Place) throws(MarqueeError) -> [String]? {
        guard let value = table[key] else { return nil }
        if let single = value.string { return [single] }
        guard let array = value.array else {
            throw fail("\"\(key)\" must be a string or a list of strings", place, key: key)
        }
        var result: [String] = []
        for element in array {
            guard let text = element.string else { throw fail("\"\(key)\" must hold strings only", place, key: key) }
            result.append(text)
        }
        return result
    }

    func site(_ table: TOMLTable, path: String) throws(MarqueeError) -> SiteSpec {
        let top = Place()
        try allow(["site", "hosts", "rate", "locale", "placeholders", "page"], in: table, top, what: "the site")
        let site = try string("site", in: table, top)!
        let stem = URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
        guard site == stem else {
            throw fail(
                "site \"\(site)\" differs from the file name \"\(stem)\"", top, key: "site",
                hint: "rename one so they match")
        }
        guard let hosts = try strings("hosts", in: table, top), !hosts.isEmpty else {
            throw fail("missing \"hosts\" (the hosts the site's pages live on)", top, key: nil)
        }
        var rate = 1.0
        var concurrency = 1
        if let rateValue = table["rate"] {
            guard let rateTable = rateValue.table else {
                throw fail("\"rate\" must be a table { requests_per_second = …, concurrency = … }", top, key: "rate")
            }
            try allow(["requests_per_second", "concurrency"], in: rateTable, top, what: "rate")
            if let value = rateTable["requests_per_second"] {
                guard let number = value.double ?? value.int.map(Double.init), number > 0 else {
                    throw fail("requests_per_second must be a positive number", top, key: "rate")
                }
                rate = number
            }
            if let value = rateTable["concurrency"] {
                guard let number = value.int, number > 0 else {
                    throw fail("concurrency must be a positive integer", top, key: "rate")
                }
                concurrency = number
            }
        }
        let placeholders = try strings("placeholders", in: table, top) ?? []
        guard let pageArray = table["page"]?.array, !pageArray.isEmpty else {
            throw fail("no [[page]] tables: a spec needs at least one page kind", top, key: nil)
        }
        var pages: [PageSpec] = []
        for (index, element) in pageArray.enumerated() {
            let place = Place(page: index, header: "page")
            guard let pageTable = element.table else { throw fail("[[page]] must be a table", place, key: nil) }
            let page = try self.page(pageTable, place)
            if let earlier = pages.first(where: { $0.kind == page.kind }) {
                throw fail(
                    "page kind \"\(page.kind)\" is declared twice (first at \(earlier.location))", place, key: "kind")
            }
            pages.append(page)
        }
        return SiteSpec(
            site: site, hosts: hosts.map { $0.lowercased() }, requestsPerSecond: rate, concurrency: concurrency,
            locale: try string("locale", in: table, top, required: false),
            placeholders: Set(["NA", "N/A", "TODO_MISSING", "null", "undefined"] + placeholders), pages: pages,
            file: path)
    }

    func page(_ table: TOMLTable, _ place: Place) throws(MarqueeError) -> PageSpec {
        try allow(
            ["kind", "description", "record", "url", "detect", "jsonld_type", "each", "fields", "links"], in: table,
            place,
            what: "a page")
        let kind = try string("kind", in: table, place)!
        let recordName = try string("record", in: table, place)!
        guard let record = RecordType(rawValue: recordName) else {
            throw fail(
                "unknown record \"\(recordName)\"", place, key: "record",
                hint: "records: \(RecordType.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        guard let patterns = try strings("url", in: table, place), !patterns.isEmpty else {
            throw fail("page \"\(kind)\" needs \"url\": the pattern(s) of its URLs", place, key: nil)
        }
        var compiled: [PatternBox] = []
        for pattern in patterns {
            do {
                compiled.append(try PatternBox(pattern))
            } catch {
                throw fail("url pattern does not compile: \(error)", place, key: "url")
            }
        }
        let detect = try rules(table["detect"], place, key: "detect")
        var each: Rule?
        if let eachValue = table["each"] {
            guard let eachTable = eachValue.table else {
                throw fail("\"each\" must be a rule { css = … }", place, key: "each")
            }
            let rule = try self.rule(eachTable, place, key: "each")
            switch rule.source {
            case .css, .xpath: each = rule
            default: throw fail("\"each\" must select elements with css or xpath", place, key: "each")
            }
        }
        var fields: [FieldSpec] = []
        if let fieldsValue = table["fields"] {
            guard let fieldsTable = fieldsValue.table else {
                throw fail("\"fields\" must be a table", place, key: "fields")
            }
            let known = record.fieldNames
            for name in fieldsTable.keys.sorted() {
                let fieldPlace = Place(page: place.page, header: "page.fields.\(name)")
                let head = String(name.prefix { $0 != "." })
                guard known.contains(head) else {
                    let close = known.min { TextCleanup.editDistance(head, $0) < TextCleanup.editDistance(head, $1) }
                    throw fail(
                        "record \(record.rawValue) has no field \"\(head)\"", fieldPlace, key: nil,
                        hint: close.map { "did you mean \"\($0)\"? fields: \(known.joined(separator: ", "))" })
                }
                guard let fieldTable = fieldsTable[name]?.table else {
                    throw fail("field \"\(name)\" must be a table", fieldPlace, key: nil)
                }
                fields.append(try field(name, fieldTable, fieldPlace))
            }
        }
        var links: [LinkSpec] = []
        if let linkArray = table["links"]?.array {
            for (index, element) in linkArray.enumerated() {
                let linkPlace = Place(page: place.page, header: "page.links", occurrence: index)
                guard let linkTable = element.table else {
                    throw fail("[[page.links]] must be a table", linkPlace, key: nil)
                }
                let name = try string("name", in: linkTable, linkPlace)!
                let ruleTable = TOMLTable()
                for key in linkTable.keys where key != "name" { ruleTable[key] = linkTable[key] }
                links.append(LinkSpec(name: name, rule: try rule(ruleTable, linkPlace, key: nil)))
            }
        }
        return PageSpec(
            kind: kind, description: try string("description", in: table, place, required: false) ?? "", record: record,
            urlPatterns: compiled, detect: detect, jsonldTypes: try strings("jsonld_type", in: table, place) ?? [],
            each: each, fields: fields, links: links,
            location: lines.location(page: place.page, header: "page", key: nil))
    }

    func field(_ name: String, _ table: TOMLTable, _ place: Place) throws(MarqueeError) -> FieldSpec {
        try allow(
            ["rules", "normalise", "required", "list", "scale", "min_coverage", "pick"], in: table, place,
            what: "field \"\(name)\"")
        let rules = try self.rules(table["rules"], place, key: "rules")
        guard !rules.isEmpty else { throw fail("field \"\(name)\" has no rules", place, key: nil) }
        let normaliser = try string("normalise", in: table, place, required: false)
        if let normaliser, normalisers[normaliser] == nil {
            throw fail(
                "unknown normaliser \"\(normaliser)\"", place, key: "normalise",
                hint: normalisers.suggestion(for: normaliser).map { "did you mean \"\($0)\"?" }
                    ?? "normalisers: \(normalisers.names.joined(separator: ", "))")
        }
        var scale: Double?
        if let value = table["scale"] {
            guard let number = value.double ?? value.int.map(Double.init), number > 0 else {
                throw fail("\"scale\" must be a positive number", place, key: "scale")
            }
            scale = number
        }
        var minCoverage: Double?
        if let value = table["min_coverage"] {
            guard let share = value.double ?? value.int.map(Double.init), (0...1).contains(share) else {
                throw fail("\"min_coverage\" must be a share from 0 to 1 (0.95 = 95 %)", place, key: "min_coverage")
            }
            minCoverage = share
        }
        var pick = FieldSpec.Pick.first
        if let text = try string("pick", in: table, place, required: false) {
            guard let parsed = FieldSpec.Pick(rawValue: text) else {
                throw fail("pick must be first, min or max, not \"\(text)\"", place, key: "pick")
            }
            pick = parsed
        }
        return FieldSpec(
            name: name, rules: rules, normaliser: normaliser, required: table["required"]?.bool ?? false,
            list: table["list"]?.bool ?? false, scale: scale, minCoverage: minCoverage, pick: pick,
            location: lines.location(page: place.page, header: place.header, key: nil))
    }

    func rules(_ value: (any TOMLValueConvertible)?, _ place: Place, key: String) throws(MarqueeError) -> [Rule] {
        guard let value else { return [] }
        guard let array = value.array else {
            throw fail("\"\(key)\" must be a list of rules [ { css = … }, … ]", place, key: key)
        }
        var rules: [Rule] = []
        for element in array {
            guard let table = element.table else {
                throw fail("each rule must be an inline table { css = … }", place, key: key)
            }
            rules.append(try rule(table, place, key: key))
        }
        return rules
    }

    static let sourceKeys = ["css", "xpath", "jsonld", "next_data", "meta", "url", "value"]
    static let modifierKeys = ["attr", "json", "split", "re", "map", "template", "present", "scope"]

    func rule(_ table: TOMLTable, _ place: Place, key: String?) throws(MarqueeError) -> Rule {
        try allow(Self.sourceKeys + Self.modifierKeys, in: table, place, what: "a rule", at: key)
        let sources = Self.sourceKeys.filter { table[$0] != nil }
        guard sources.count == 1, let sourceKey = sources.first else {
            throw fail(
                sources.isEmpty
                    ? "a rule needs a source" : "a rule has one source, not \(sources.joined(separator: " and "))",
                place, key: key, hint: "sources: \(Self.sourceKeys.joined(separator: ", "))")
        }
        let source: Rule.Source
        if sourceKey == "value" {
            let raw = table["value"]!
            if let text = raw.string {
                source = .value(.string(text))
            } else if let flag = raw.bool {
                source = .value(.bool(flag))
            } else if let number = raw.double ?? raw.int.map(Double.init) {
                source = .value(.number(number))
            } else {
                throw fail("\"value\" must be a string, number or boolean", place, key: key)
            }
        } else {
            guard let text = try string(sourceKey, in: table, place) else {
                throw fail("empty \(sourceKey)", place, key: key)
            }
            switch sourceKey {
            case "css":
                do { _ = try probe.css(text) } catch {
                    throw fail("css selector \"\(text)\": \(error)", place, key: key)
                }
                source = .css(text)
            case "xpath":
                do { _ = try probe.xpath(text) } catch { throw fail("xpath \"\(text)\": \(error)", place, key: key) }
                source = .xpath(text)
            case "jsonld": source = .jsonld(text)
            case "next_data": source = .nextData(text)
            case "meta": source = .meta(text.lowercased())
            default: source = .url(text)
            }
        }
        var regex: PatternBox?
        if let pattern = try string("re", in: table, place, required: false) {
            do { regex = try PatternBox(pattern) } catch {
                throw fail("re \"\(pattern)\" does not compile: \(error)", place, key: key)
            }
        }
        var map: [String: String]?
        if let mapValue = table["map"] {
            guard let mapTable = mapValue.table else {
                throw fail("\"map\" must be a table { from = \"to\" }", place, key: key)
            }
            var entries: [String: String] = [:]
            for mapKey in mapTable.keys {
                guard let target = mapTable[mapKey]?.string else {
                    throw fail("map values must be strings", place, key: key)
                }
                entries[mapKey] = target
            }
            map = entries
        }
        let template = try string("template", in: table, place, required: false)
        if let template, !template.contains("{}") {
            throw fail("template \"\(template)\" has no {} for the value", place, key: key)
        }
        let scope = try string("scope", in: table, place, required: false)
        if let scope, scope != "page", scope != "item" {
            throw fail("scope must be \"page\" or \"item\"", place, key: key)
        }
        let json = try string("json", in: table, place, required: false)
        if json != nil, !(sourceKey == "css" || sourceKey == "xpath") {
            throw fail("json = \"…\" reads JSON out of elements: it needs a css or xpath source", place, key: key)
        }
        let present = table["present"]?.bool ?? false
        if present, !(sourceKey == "css" || sourceKey == "xpath") {
            throw fail("present = true needs a css or xpath source", place, key: key)
        }
        return Rule(
            source: source, attribute: try string("attr", in: table, place, required: false),
            split: try string("split", in: table, place, required: false), regex: regex, map: map, template: template,
            json: json, present: present, pageScope: scope == "page", text: Self.describe(table))
    }

    /// The rule as the spec wrote it, keys in a fixed order: `{ css = "h1 ::text", re = "…" }`.
    static func describe(_ table: TOMLTable) -> String {
        let parts = (sourceKeys + modifierKeys).compactMap { key -> String? in
            guard let value = table[key] else { return nil }
            if let text = value.string { return "\(key) = \(JSONValue.string(text).serialized())" }
            if let flag = value.bool { return "\(key) = \(flag)" }
            if let number = value.int { return "\(key) = \(number)" }
            if let number = value.double { return "\(key) = \(number)" }
            return "\(key) = {…}"
        }
        return "{ " + parts.joined(separator: ", ") + " }"
    }
}
