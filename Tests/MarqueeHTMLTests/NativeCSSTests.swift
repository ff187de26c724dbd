import CLibXML2
import Foundation
import MarqueeTestKit
import Testing

@testable import MarqueeHTML

// The native CSS matcher must find exactly what the selector's XPath translation finds, node for
// node and in the same order: these tests compare the two on hand-made markup and on every real
// page with every CSS selector the site specs use.

/// The identities of a selector list's nodes (or values), for comparing two evaluations.
private func identities(_ list: SelectorList) -> [String] {
    list.selectors.map { selector in
        switch selector.content {
        case .node(let node): "\(UInt(bitPattern: node))"
        case .value(let value): "value:\(value)"
        }
    }
}

/// Runs `query` natively and through XPath from `context`; records a difference as an issue.
private func expectSameNodes(_ query: String, from context: Selector, _ place: String) throws {
    let translation = try CSSTranslator.shared.translation(for: query)
    let native = try context.css(query)
    let xpath = try context.cssThroughXPath(query)
    #expect(
        identities(native) == identities(xpath),
        "\(place): '\(query)' (native: \(translation.native != nil)) found \(native.count) nodes, XPath \(xpath.count)")
}

private let markup = """
    <html><head><title>t</title></head><body>
    <div id="main" class="wrap  film\tcard" data-film-slug="the-matrix" data-x="A-b">
      <h1 class="title">The <b>Matrix</b> (1999)</h1>
      <ul class="list"><li class="item first">one<span class="rating rated-8">★★★★</span></li>
        <li class="item">two <a href="/film/x/" class="next">next</a> tail</li>
        <li class="Item">three<div class="item"><p>deep</p></div></li></ul>
      <table class="infobox vevent"><tr><th class="summary">Summary</th></tr>
        <tr><td><span class="bday">1999-03-31</span> and <span class="dtstart">x</span></td></tr></table>
      <img alt="poster" src="p.jpg"><img src="q.jpg">
    </div>
    <div class="film"><a href="/a" data-item-link="/l/" data-film-slug="s">a</a></div>
    </body></html>
    """

/// Selectors covering every native construct, plus some that take the XPath path.
private let handMadeSelectors = [
    "div", "*", "li", "#main", "div#main", ".item", "li.item", ".item.first", ".card", ".film", "div .item",
    "ul > li", "div > ul > li.item", "div li", "div ul li span", "[data-film-slug]", "[data-x=A-b]",
    "[data-x='a-b' i]", "[data-x^=A]", "[data-x$=b]", "[data-x*='-']", "[data-x|=A]", "[data-x|=a i]",
    "[class~=wrap]", "[class~='wrap film']", "[class^='']", "h1::text", "h1 ::text", "li::text", "li ::text",
    "a::attr(href)", "img::attr(alt)", "img::attr(src)", ".film a::attr(href)",
    "[data-item-link]::attr(data-item-link), [data-film-slug]::attr(data-film-slug)",
    "table.infobox.vevent span.bday::text, table.infobox.vevent span.dtstart::text", "li, div", "li.item, .item",
    "li:first-child", "li + li", "li ~ li", "::text", "ul ::text", "p", "div > p", "ul > div > p",
    "span.rating::attr(class)", "[class*=rated-]", "td span", "tr > td > span", "div::text", ".item::text",
    "li::text, div::text", "li.item::attr(class), div::attr(class)",
]

@Test func nativeCSSMatchesXPathOnHandMadeMarkup() throws {
    let document = HTMLDocument(html: markup)
    let contexts = [document.root] + (try document.css("div, ul, li, td").selectors)
    for query in handMadeSelectors {
        for (index, context) in contexts.enumerated() {
            try expectSameNodes(query, from: context, "context \(index)")
        }
    }
}

@Test func selectorsOutsideTheNativeSubsetUseXPath() throws {
    for query in ["li:first-child", "li + li", "li ~ li", "::text", "ul ::text", "a:not(.x)", "[a$='é']"] {
        #expect(try CSSTranslator.shared.translation(for: query).native == nil, "\(query)")
    }
    for query in ["div", ".a.b", "ul > li a::attr(href)", "[x|=y i]", "h1::text, h2::text"] {
        #expect(try CSSTranslator.shared.translation(for: query).native != nil, "\(query)")
    }
}

/// Every `css = "…"` selector in `scrapers/*.toml`.
private let specSelectors: [String] = {
    let folder = SharedData.repositoryRoot.appendingPathComponent("scrapers")
    let files = (try? FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)) ?? []
    var selectors = Set<String>()
    let pattern = /css\s*=\s*"((?:[^"\\]|\\.)*)"/
    for file in files where file.pathExtension == "toml" {
        guard let text = try? String(contentsOf: file, encoding: .utf8) else { continue }
        for match in text.matches(of: pattern) {
            selectors.insert(String(match.1).replacingOccurrences(of: "\\\"", with: "\""))
        }
    }
    return selectors.sorted()
}()

private let realPages: [RealPage] = {
    guard let directory = SharedData.realPages else { return [] }
    return (try? RealPage.all(in: directory)) ?? []
}()

@Test(.enabled(if: SharedData.runs(!realPages.isEmpty), "needs ../shared/realpages"), arguments: realPages)
func nativeCSSMatchesXPathOnRealPages(_ page: RealPage) throws {
    #expect(specSelectors.count > 100, "the site specs should hold their CSS selectors")
    let document = HTMLDocument(data: try Data(contentsOf: page.location), url: page.url)
    // From the document, and from list items, rows and sections as `each` rules start from them.
    let items = try document.css("li, tr, article, section, table").selectors
    let contexts = [document.root] + stride(from: 0, to: items.count, by: max(1, items.count / 12)).map { items[$0] }
    for query in specSelectors {
        for context in contexts {
            try expectSameNodes(query, from: context, page.file)
        }
    }
}
