import Foundation
import FuzzSupport
import MarqueeHTML

// HTML parse (encoding detection, the script cut, the arena) + CSS and XPath selection + JSON-LD.
private let installed: Bool = XMLArena.install()
private let queries = ["h1", "a[href]::attr(href)", "div.a > p ::text", "script[type] ", "li:nth-child(2)", "#x .y"]

@_cdecl("marquee_fuzz_one")
public func fuzz(_ bytes: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    _ = installed
    let data = Data(bytes: bytes, count: count)
    let document = HTMLDocument(data: data, url: "https://example.com/", contentType: nil)
    for query in queries { _ = try? document.css(query).getAll() }
    _ = try? document.xpath("//a/@href | //title/text()").getAll()
    _ = JSONLD.items(in: document)
    _ = PageMetadata(document)
    // The input as a selector, too.
    let text = String(decoding: data.prefix(200), as: UTF8.self)
    _ = try? document.css(text).getAll()
    _ = try? document.xpath(text).getAll()
    return 0
}

@_cdecl("fuzz_html_main")
public func entry(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(argc, argv, fuzz)
}
