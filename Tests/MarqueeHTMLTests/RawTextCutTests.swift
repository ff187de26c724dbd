import CLibXML2
import Foundation
import MarqueeTestKit
import Testing

@testable import MarqueeHTML

// Script and style bodies are cut out before libxml2 parses a page and put back after (see
// marquee_rawtext.h). The tree must be exactly the one libxml2 builds from the page as it is:
// these tests serialise both trees, with every element's line number, and compare.

/// The whole tree as HTML, followed by each element's name and line in document order.
private func dump(_ document: HTMLDocument) -> String {
    var memory: UnsafeMutablePointer<xmlChar>?
    var size: Int32 = 0
    htmlDocDumpMemoryFormat(document.pointer, &memory, &size, 0)
    defer { marquee_xmlFree(memory) }
    var text = memory.map { String(cString: $0) } ?? ""
    func lines(_ node: xmlNodePtr?) {
        var cursor = node
        while let current = cursor {
            if current.pointee.type == XML_ELEMENT_NODE {
                text += "\n\(String(cString: current.pointee.name)):\(xmlGetLineNo(current))"
            }
            lines(current.pointee.children)
            cursor = current.pointee.next
        }
    }
    lines(document.pointer.pointee.children)
    return text
}

private func expectSameTree(_ data: Data, _ label: String, cut expected: Bool? = nil) {
    let fast = HTMLDocument(data: data, url: nil, contentType: nil, cutRawText: true)
    let plain = HTMLDocument(data: data, url: nil, contentType: nil, cutRawText: false)
    if let expected { #expect(fast.rawTextWasCut == expected, "\(label): cut \(fast.rawTextWasCut)") }
    #expect(dump(fast) == dump(plain), "\(label)")
}

private let body = String(repeating: "var x = '<b>not a tag</b>'; // é ✓ \n", count: 12)
private let json =
    "{\"@type\": \"Movie\", \"name\": \"A &amp; B </scrip\", \"x\": \"" + String(repeating: "y", count: 300)
    + "\"}"

@Test func cutBodiesComeBackExactly() {
    let cases: [(String, String, Bool?)] = [
        (
            "script and style",
            "<html><head><style>\(body)</style><script>\(body)</script></head><body><p>x</p></body>", true
        ),
        ("json-ld", "<script type=\"application/ld+json\">\(json)</script><p>after</p>", true),
        ("upper-case end tag", "<SCRIPT>\(body)</SCRIPT><p>x</p>", true),
        ("end tag with a longer name", "<script>\(body)</scriptx><p>inside still?</p></script><p>x</p>", nil),
        ("a close tag for another element inside", "<script>\(body)</div></p>\(body)</script><p>x</p>", true),
        ("self-closed (left to libxml2)", "<script src=a.js/><p>\(body)</p><script>\(body)</script>", false),
        ("self-closed, quoted", "<script src='a.js'/><p>\(body)</p><script>\(body)</script>", false),
        ("quoted >", "<script data-x=\"a>b\" data-y='c>d'>\(body)</script><p>x</p>", true),
        ("in a comment", "<!-- <script>\(body)</script> --><p>x</p><script>\(body)</script>", true),
        ("in an attribute", "<a title=\"<script>\(body)\">t</a><script>\(body)</script>", true),
        ("unquoted attribute with a quote", "<a href=x\"y>t</a><script>\(body)</script><p>\"</p>", nil),
        (
            "carriage returns (left to libxml2)",
            "<script>\(body.replacingOccurrences(of: "\n", with: "\r\n"))</script>", false
        ),
        ("control characters (left to libxml2)", "<script>\(body)\u{1}\u{B}</script><p>x</p>", false),
        ("short bodies stay", "<script>var a = 1;</script><style>p{}</style>", false),
        ("unclosed at the end", "<p>x</p><script>\(body)", false),
        ("unclosed comment before", "<!-- <p>\(body)<script>\(body)</script>", false),
        (
            "in noscript and title",
            "<title><script>\(body)</script></title><noscript><style>\(body)</style></noscript>", true
        ),
        ("scripts named like others", "<scripts>\(body)</scripts><stylesheet>\(body)</stylesheet>", false),
        ("marker text in the page", "<script>\(body)</script><p>marquee-cut-</p>", true),
    ]
    for (label, html, cut) in cases {
        expectSameTree(Data(html.utf8), label, cut: cut)
    }
}

private let realPages: [RealPage] = {
    guard let directory = SharedData.realPages else { return [] }
    return (try? RealPage.all(in: directory)) ?? []
}()

@Test(.enabled(if: SharedData.runs(!realPages.isEmpty), "needs ../shared/realpages"), arguments: realPages)
func realPagesParseToTheSameTreeWithBodiesCut(_ page: RealPage) throws {
    expectSameTree(try Data(contentsOf: page.location), page.file)
}

@Test(.enabled(if: SharedData.runs(!realPages.isEmpty), "needs ../shared/realpages"))
func mostRealPagesTakeTheCut() throws {
    let cut = try realPages.filter {
        HTMLDocument(data: try Data(contentsOf: $0.location)).rawTextWasCut
    }
    #expect(cut.count * 4 >= realPages.count * 3, "\(cut.count) of \(realPages.count) pages were cut")
}

@Test func fixturePagesParseToTheSameTreeWithBodiesCut() throws {
    let root = SharedData.fixtures
    let files = (FileManager.default.subpaths(atPath: root.path) ?? []).filter { $0.hasSuffix(".html") }
    #expect(files.count > 10)
    for file in files {
        expectSameTree(try Data(contentsOf: root.appendingPathComponent(file)), file)
    }
}
