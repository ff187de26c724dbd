import MarqueeHTML
import Testing

@Test func getReturnsOuterHTMLTextOrAttributeValue() throws {
    let document = HTMLDocument(html: #"<div id="x"><a href="/f/1">One</a> <b>two</b></div>"#)
    #expect(try document.css("a").get() == #"<a href="/f/1">One</a>"#)
    #expect(try document.xpath("//a/text()").get() == "One")
    #expect(try document.xpath("//a/@href").get() == "/f/1")
    #expect(try document.css("a").attribute("href") == "/f/1")
    #expect(try document.css("i").get() == nil)
}

@Test func xpathValueResultsBecomeStrings() throws {
    let document = HTMLDocument(html: "<ul><li>a</li><li>b</li><li>c</li></ul>")
    #expect(try document.xpath("count(//li)").get() == "3")
    #expect(try document.xpath("count(//li) div 2").get() == "1.5")
    #expect(try document.xpath("string(//li[2])").get() == "b")
    #expect(try document.xpath("boolean(//li)").get() == "true")
    #expect(try document.xpath("count(//li)").css("li").isEmpty)
}

@Test func textNormalisesWhitespaceAcrossDescendants() throws {
    let document = HTMLDocument(html: "<h1>\n  Mulholland\u{00A0}\u{00A0}<em>Drive</em>\n\t</h1>")
    #expect(try document.css("h1").text == "Mulholland Drive")
    #expect(try document.css("h1").first?.string == "\n  Mulholland\u{00A0}\u{00A0}Drive\n\t")
}

@Test func chainingRunsOnEveryMember() throws {
    let document = HTMLDocument(
        html: """
            <div class="film"><h2>A</h2><span>1</span></div>
            <div class="film"><h2>B</h2><span>2</span></div>
            """)
    let films = try document.css("div.film")
    #expect(films.count == 2)
    #expect(try films.css("h2::text").getAll() == ["A", "B"])
    #expect(try films.xpath("./span/text()").getAll() == ["1", "2"])
    #expect(try films[1].css("h2").text == "B")
}

struct RegexCase: Sendable, CustomTestStringConvertible {
    let pattern: String
    let expected: [String]
    var testDescription: String { pattern }
}

@Test(arguments: [
    RegexCase(pattern: #"\d{4}"#, expected: ["1999", "2001"]),
    RegexCase(pattern: #"(\d{2})(\d{2})"#, expected: ["19", "99", "20", "01"]),
    RegexCase(pattern: #"in (?<extract>\d+) &"#, expected: ["1999"]),
    RegexCase(pattern: #"Tom &amp; Jerry"#, expected: ["Tom & Jerry"]),
    RegexCase(pattern: #"zzz"#, expected: []),
])
func reFollowsParselsGroupRules(_ example: RegexCase) throws {
    let document = HTMLDocument(html: "<p>Tom &amp; Jerry in 1999 &amp; 2001</p>")
    #expect(try document.css("p").re(example.pattern) == example.expected)
}

@Test func badRegexIsAQueryError() {
    let document = HTMLDocument(html: "<p>x</p>")
    #expect(throws: QueryError.self) { try document.css("p").re("(unclosed") }
}

@Test func malformedXPathReportsColumn() {
    let document = HTMLDocument(html: "<p>x</p>")
    do {
        _ = try document.xpath("//p[")
        Issue.record("expected an error")
    } catch {
        #expect(error.kind == .xpath)
        #expect(error.column == 5)
    }
    #expect(throws: QueryError.self) { try document.xpath("//p[unknown-function()]") }
}

@Test func malformedHTMLIsRecoveredNotRejected() throws {
    let document = HTMLDocument(html: "<div><p>one<p>two</div><table><td>cell</table><a href=x>unclosed")
    #expect(try document.css("p::text").getAll() == ["one", "two"])
    #expect(try document.css("td::text").get() == "cell")
    #expect(try document.css("a").attribute("href") == "x")
}

@Test func emptyInputGivesAnEmptyDocument() throws {
    let document = HTMLDocument(data: .init())
    #expect(try document.css("*").isEmpty)
    #expect(document.title == nil)
}

@Test func attributesAreListedInOrder() throws {
    let document = HTMLDocument(html: #"<a href="/x" class="c" data-id="7">x</a>"#)
    let anchor = try #require(try document.css("a").first)
    #expect(anchor.attributes.map(\.name) == ["href", "class", "data-id"])
    #expect(anchor.name == "a")
    #expect(anchor.line == 1)
}

@Test func selectorsKeepTheirDocumentAlive() throws {
    func firstLink() throws -> Selector? {
        try HTMLDocument(html: "<a href='/kept'>k</a>").css("a").first
    }
    let link = try #require(try firstLink())
    #expect(link.attribute("href") == "/kept")
}

@Test func pageMetadataReadsOpenGraphTwitterAndCanonical() {
    let document = HTMLDocument(
        html: """
            <head><meta property="og:title" content="Breathless (1960)">
            <meta property="og:image" content="a.jpg"><meta property="og:image" content="b.jpg">
            <meta name="twitter:card" content="summary"><meta name="Description" content="  A  film ">
            <link rel="Canonical" href="https://letterboxd.com/film/breathless/"></head>
            """)
    let metadata = PageMetadata(document)
    #expect(metadata.openGraph("title") == "Breathless (1960)")
    #expect(metadata.values("og:image") == ["a.jpg", "b.jpg"])
    #expect(metadata.twitter("card") == "summary")
    #expect(metadata["description"] == "A film")
    #expect(metadata.canonicalURL == "https://letterboxd.com/film/breathless/")
    #expect(metadata["og:missing"] == nil)
}

@Test func entitiesDecode() {
    #expect(
        HTMLEntities.decode("Tom &amp; Jerry &#39;s &#x2019; &eacute; &apos; &bogus; & x")
            == "Tom & Jerry 's \u{2019} é ' &bogus; & x")
}
