import Foundation
import PropertyBased
import Testing

@testable import MarqueeHTML

/// Pieces that random documents are made of: tags, broken tags, entities, comments, bytes that
/// are not UTF-8, scripts and CDATA.
private let fragments: [[UInt8]] =
    [
        "<div>", "</div>", "<p class=\"a b\">", "</p>", "<a href='x'>", "</a>", "<", ">", "</", "=\"", "'",
        "&amp;", "&#x;", "&#99999999;", "&", "<!--", "-->", "<script>", "</script>", "<![CDATA[", "]]>",
        "<table><td>", "<meta charset=\"latin1\">", "<?xml?>", "text ", "\u{00E9}", "\u{1F3AC}", "\0",
    ].map { Array($0.utf8) } + [[0xFF], [0xC3], [0xE2, 0x80], [0xFE, 0xFF], [0xEF, 0xBB, 0xBF]]

@Test func randomMarkupNeverCrashesTheParserOrQueries() async {
    await propertyCheck(count: 300, input: Gen.int(in: 0...(fragments.count - 1)).array(of: 0...200)) { picks in
        let bytes = picks.flatMap { fragments[$0] }
        let document = HTMLDocument(data: Data(bytes), contentType: "text/html")
        let all = try? document.css("*")
        #expect(all != nil)
        _ = try? document.css("p.a > a::attr(href), div ::text").getAll()
        _ = JSONLD.blocks(in: document)
        _ = document.root.get()
    }
}

@Test func mutatedRealMarkupNeverCrashes() async {
    let seed = Array(cssPage.utf8)
    await propertyCheck(
        count: 200, input: Gen.int(in: 0...(seed.count - 1)).array(of: 1...20), Gen<UInt8>.value(in: 0...255)
    ) { positions, byte in
        var bytes = seed
        for position in positions { bytes[position] = byte }
        let truncated = bytes.prefix(positions[0])
        for input in [bytes, Array(truncated)] {
            let document = HTMLDocument(data: Data(input))
            #expect((try? document.css("li a::text")) != nil)
        }
    }
}

/// A deterministic random tree of `div`/`p`/`span`/`a` elements with classes and ids, from a seed.
private func randomDocument(seed: UInt64) -> String {
    var state = seed
    func next(_ bound: Int) -> Int {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return Int((z ^ (z >> 31)) % UInt64(bound))
    }
    let tags = ["div", "p", "span", "a"]
    let classes = ["", "a", "b", "a b", "c a"]
    var counter = 0
    func element(depth: Int) -> String {
        counter += 1
        let tag = tags[next(tags.count)]
        let cls = classes[next(classes.count)]
        let children = depth < 4 ? next(4) : 0
        let attributes =
            " data-n=\"\(counter)\"" + (cls.isEmpty ? "" : " class=\"\(cls)\"")
            + (next(3) == 0 ? " title=\"t\(next(3))-x\"" : "")
        return "<\(tag)\(attributes)>" + (0..<children).map { _ in element(depth: depth + 1) }.joined() + "</\(tag)>"
    }
    return "<html><body>" + (0..<(1 + next(4))).map { _ in element(depth: 0) }.joined() + "</body></html>"
}

/// CSS selectors and the XPath a person would write for them by hand.
private func selectorPairs(_ t: String, _ u: String, _ c: String, _ k: Int) -> [(String, String)] {
    let hasClass = "contains(concat(' ', normalize-space(@class), ' '), ' \(c) ')"
    return [
        (t, "//\(t)"),
        (".\(c)", "//*[\(hasClass)]"),
        ("\(t).\(c)", "//\(t)[\(hasClass)]"),
        ("\(t) > \(u)", "//\(t)/\(u)"),
        ("\(t) \(u)", "//\(t)//\(u)"),
        ("\(t) + \(u)", "//\(t)/following-sibling::*[1][self::\(u)]"),
        ("\(t) ~ \(u)", "//\(t)/following-sibling::\(u)"),
        ("\(u):first-child", "//\(u)[not(preceding-sibling::*)]"),
        ("\(u):last-child", "//\(u)[not(following-sibling::*)]"),
        ("\(u):nth-child(\(k))", "//*[\(k)][self::\(u)]"),
        ("\(u):nth-of-type(\(k))", "//\(u)[\(k)]"),
        ("\(t):not(.\(c))", "//\(t)[not(\(hasClass))]"),
        ("[title^='t\(k % 3)']", "//*[starts-with(@title, 't\(k % 3)')]"),
        ("[title$='-x']", "//*[substring(@title, string-length(@title) - 1) = '-x']"),
        ("\(t), \(u)", "//\(t) | //\(u)"),
    ]
}

@Test func cssMatchesTheEquivalentHandWrittenXPath() async {
    let tags = ["div", "p", "span", "a", "*"]
    await propertyCheck(
        count: 150, input: Gen<UInt64>.value(in: 0...UInt64.max), Gen.element(of: tags).compactMap { $0 },
        Gen.element(of: tags).compactMap { $0 },
        Gen.element(of: ["a", "b", "c"]).compactMap { $0 }, Gen.int(in: 1...4)
    ) { seed, t, u, c, k in
        let document = HTMLDocument(html: randomDocument(seed: seed))
        for (css, xpath) in selectorPairs(t, u, c, k) where !(css.contains("of-type") && u == "*") {
            let viaCSS = try? document.css(css).map { $0.attribute("data-n") ?? "?" }
            let viaXPath = try? document.xpath(xpath).map { $0.attribute("data-n") ?? "?" }
            #expect(viaCSS != nil, "\(css) did not compile")
            #expect(viaCSS == viaXPath, "\(css) vs \(xpath)")
        }
    }
}

@Test func utf8CountsAgreeWithTheStandardLibrarysValidation() async {
    // Mostly ASCII with some multibyte and broken sequences, at every alignment.
    let pieces: [[UInt8]] = [
        Array("abcdefgh".utf8), Array("é".utf8), Array("€".utf8), Array("🎬".utf8), [0x80], [0xC3], [0xED, 0xA0, 0x80],
        [0xF4, 0x90, 0x80, 0x80], [0xC0, 0xAF], [0x20],
    ]
    await propertyCheck(count: 500, input: Gen.int(in: 0...(pieces.count - 1)).array(of: 0...40)) { picks in
        let bytes = picks.flatMap { pieces[$0] }
        let statistics = UTF8Stats(bytes)
        #expect((statistics.invalidSequences == 0) == (String(validating: bytes, as: UTF8.self) != nil))
        let scalarsOutsideASCII = String(decoding: bytes, as: UTF8.self).unicodeScalars.filter {
            $0.value >= 0x80 && $0 != "\u{FFFD}"
        }.count
        #expect(statistics.multibyteSequences == scalarsOutsideASCII)
    }
}
