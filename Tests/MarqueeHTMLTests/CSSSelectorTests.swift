import MarqueeHTML
import Testing

/// A small page exercising every supported CSS feature.
let cssPage = """
    <html><head><title>T</title></head><body>
    <div id="main" class="film card" data-kind="feature" lang="en-GB">
      <h1 class="title">Mulholland <em>Drive</em></h1>
      <p class="year">2001</p>
      <p class="runtime" title="Runtime">147 mins</p>
      <ul class="genres">
        <li><a href="/genre/drama/">Drama</a></li>
        <li class="mystery"><a href="/genre/mystery/">Mystery</a></li>
        <li><a href="/genre/thriller/" rel="tag nofollow">Thriller</a></li>
        <li><a href="https://example.org/x.jpg">Poster</a></li>
      </ul>
      <span></span>
      <p lang="en">Director: <a href="/director/david-lynch/">David Lynch</a></p>
    </div>
    <div class="other"><p>Other</p></div>
    </body></html>
    """

struct CSSCase: CustomTestStringConvertible, Sendable {
    let css: String
    let expected: [String]
    var testDescription: String { css }
}

@Test(arguments: [
    CSSCase(css: "h1::text", expected: ["Mulholland "]),
    CSSCase(css: "h1 ::text", expected: ["Mulholland ", "Drive"]),
    CSSCase(css: "p.year::text", expected: ["2001"]),
    CSSCase(css: "#main > p::text", expected: ["2001", "147 mins", "Director: "]),
    CSSCase(css: "div.film.card > h1 > em::text", expected: ["Drive"]),
    CSSCase(css: "*.year::text", expected: ["2001"]),
    CSSCase(css: "[title]::text", expected: ["147 mins"]),
    CSSCase(css: "p[title=Runtime]::text", expected: ["147 mins"]),
    CSSCase(css: "p[title='Runtime']::text", expected: ["147 mins"]),
    CSSCase(css: "p[title=runtime i]::text", expected: ["147 mins"]),
    CSSCase(css: "a[rel~=nofollow]::text", expected: ["Thriller"]),
    CSSCase(css: "a[href^='/genre/']::text", expected: ["Drama", "Mystery", "Thriller"]),
    CSSCase(css: "a[href$='.jpg']::text", expected: ["Poster"]),
    CSSCase(css: "a[href*=myst]::text", expected: ["Mystery"]),
    CSSCase(css: "[lang|=en]::attr(lang)", expected: ["en-GB", "en"]),
    CSSCase(css: "a[href^='']::text", expected: []),
    CSSCase(css: "li:first-child a::text", expected: ["Drama"]),
    CSSCase(css: "li:last-child a::text", expected: ["Poster"]),
    CSSCase(css: "li:nth-child(2) a::text", expected: ["Mystery"]),
    CSSCase(css: "li:nth-child(odd) a::text", expected: ["Drama", "Thriller"]),
    CSSCase(css: "li:nth-child(even) a::text", expected: ["Mystery", "Poster"]),
    CSSCase(css: "li:nth-child(2n+3) a::text", expected: ["Thriller"]),
    CSSCase(css: "li:nth-child(-n+2) a::text", expected: ["Drama", "Mystery"]),
    CSSCase(css: "li:nth-child(n) a::text", expected: ["Drama", "Mystery", "Thriller", "Poster"]),
    CSSCase(css: "li:nth-last-child(1) a::text", expected: ["Poster"]),
    CSSCase(css: "#main p:nth-of-type(2)::text", expected: ["147 mins"]),
    CSSCase(css: "#main p:nth-last-of-type(1)::text", expected: ["Director: "]),
    CSSCase(css: "#main p:first-of-type::text", expected: ["2001"]),
    CSSCase(css: "#main p:last-of-type a::text", expected: ["David Lynch"]),
    CSSCase(css: "div.other p:only-child::text", expected: ["Other"]),
    CSSCase(css: "div.other p:only-of-type::text", expected: ["Other"]),
    CSSCase(css: "li:not(.mystery) a::text", expected: ["Drama", "Thriller", "Poster"]),
    CSSCase(css: "li:not(:first-child, .mystery) a::text", expected: ["Thriller", "Poster"]),
    CSSCase(css: "#main > :not(p):not(ul):not(span)::attr(class)", expected: ["title"]),
    CSSCase(css: "h1 + p::text", expected: ["2001"]),
    CSSCase(css: "h1 ~ p::attr(class)", expected: ["year", "runtime"]),
    CSSCase(css: "p.year + p + ul li.mystery a::text", expected: ["Mystery"]),
    CSSCase(css: "p.year, div.other p::text", expected: ["<p class=\"year\">2001</p>", "Other"]),
    CSSCase(css: "span:empty::attr(class)", expected: []),
    CSSCase(
        css: "ul > li > a::attr(href)",
        expected: ["/genre/drama/", "/genre/mystery/", "/genre/thriller/", "https://example.org/x.jpg"]),
    CSSCase(css: "p:contains('Director') a::text", expected: ["David Lynch"]),
    CSSCase(css: "HTML BODY DIV.other P::text", expected: ["Other"]),
    CSSCase(css: "DIV > P.year::text", expected: ["2001"]),
    CSSCase(css: "html:root > body > div.other::attr(class)", expected: ["other"]),
])
func cssSelectsWhatParselWould(_ example: CSSCase) throws {
    let document = HTMLDocument(html: cssPage)
    #expect(try document.css(example.css).getAll() == example.expected)
}

@Test func classSelectorIsCaseSensitiveAndTypeSelectorIsNot() throws {
    let document = HTMLDocument(html: cssPage)
    #expect(try document.css("p.YEAR").isEmpty)
    #expect(try document.css("P.year").count == 1)
}

@Test func emptyMatchesOnlyElementsWithoutChildren() throws {
    let document = HTMLDocument(html: "<div><span></span><span> </span><span><b></b></span></div>")
    #expect(try document.css("span:empty").count == 1)
}

struct CSSErrorCase: CustomTestStringConvertible, Sendable {
    let css: String
    let token: String
    let column: Int
    var testDescription: String { css }
}

@Test(arguments: [
    CSSErrorCase(css: "a:hover", token: ":hover", column: 2),
    CSSErrorCase(css: "h1 >> p", token: ">", column: 5),
    CSSErrorCase(css: "p::before", token: "::before", column: 2),
    CSSErrorCase(css: "div::text p", token: " ", column: 10),
    CSSErrorCase(css: "a[href", token: "[", column: 2),
    CSSErrorCase(css: "a[href!=x]", token: "!", column: 7),
    CSSErrorCase(css: "li:nth-child(3x)", token: "3x", column: 14),
    CSSErrorCase(css: ":nth-of-type(2)", token: ":nth-of-type", column: 1),
    CSSErrorCase(css: "p,", token: ",", column: 2),
    CSSErrorCase(css: "p >", token: ">", column: 3),
    CSSErrorCase(css: "a:not(p", token: "", column: 8),
    CSSErrorCase(css: "p[title='x]", token: "'", column: 9),
    CSSErrorCase(css: "p @ q", token: "@", column: 3),
    CSSErrorCase(css: "", token: "", column: 1),
    CSSErrorCase(css: "a:not(::text)", token: "::", column: 7),
])
func unsupportedOrMalformedCSSNamesTheTokenAndColumn(_ example: CSSErrorCase) {
    let document = HTMLDocument(html: cssPage)
    do {
        _ = try document.css(example.css)
        Issue.record("expected \(example.css) to be rejected")
    } catch {
        #expect(error.kind == .css)
        #expect(error.column == example.column, "\(error)")
        #expect(error.token == example.token, "\(error)")
        #expect(error.description.contains("column \(example.column)"))
    }
}

@Test func translationsAreRelativeToTheContextNode() throws {
    let xpath = try CSSTranslator.shared.xpath(for: "div.a > p")
    #expect(xpath.hasPrefix("descendant-or-self::div"))
    let document = HTMLDocument(html: "<div class='a'><p>1</p></div><div class='b'><p>2</p></div>")
    let second = try document.css("div.b")
    #expect(try second.css("p::text").getAll() == ["2"])
}

@Test func xpathLiteralsSurviveBothQuoteKinds() throws {
    let document = HTMLDocument(html: #"<p title="it's &quot;x&quot;">ok</p>"#)
    #expect(try document.css(#"p[title="it's \"x\""]::text"#).getAll() == ["ok"])
}
