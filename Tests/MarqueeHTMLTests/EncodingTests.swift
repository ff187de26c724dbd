import Foundation
import MarqueeHTML
import MarqueeTestKit
import Testing

/// `<p>Amélie — “Le Fabuleux Destin”</p>` in a given encoding, with an optional `<meta charset>`.
private func page(meta: String?, bytesOf text: String = "Amélie — “Le Fabuleux Destin”", encoding: String.Encoding)
    -> Data
{
    let head = meta.map { "<head><meta charset=\"\($0)\"><title>t</title></head>" } ?? "<head><title>t</title></head>"
    var data = Data("<!doctype html><html>\(head)<body><p>".utf8)
    data.append(text.data(using: encoding)!)
    data.append(Data("</p></body></html>".utf8))
    return data
}

private let amelie = "Amélie — “Le Fabuleux Destin”"

@Test func utf8WithMetaCharset() throws {
    let document = HTMLDocument(data: page(meta: "utf-8", encoding: .utf8))
    #expect(document.encoding == DetectedEncoding(name: "UTF-8", source: .metaTag))
    #expect(try document.css("p::text").get() == amelie)
}

@Test func byteOrderMarkWinsOverEverything() throws {
    var data = Data([0xEF, 0xBB, 0xBF])
    data.append(page(meta: "iso-8859-1", encoding: .utf8))
    let document = HTMLDocument(data: data, contentType: "text/html; charset=windows-1252")
    #expect(document.encoding.source == .byteOrderMark)
    #expect(try document.css("p::text").get() == amelie)
}

@Test func utf16WithByteOrderMark() throws {
    let html = "<html><body><p>\(amelie)</p></body></html>"
    var data = Data([0xFF, 0xFE])
    data.append(html.data(using: .utf16LittleEndian)!)
    let document = HTMLDocument(data: data)
    #expect(document.encoding.name == "UTF-16LE")
    #expect(try document.css("p::text").get() == amelie)
}

@Test func httpHeaderWinsOverMeta() throws {
    let data = page(meta: "utf-8", encoding: .windowsCP1252)
    let document = HTMLDocument(data: data, contentType: "text/html; charset=\"Windows-1252\"")
    #expect(document.encoding.name == "windows-1252")
    #expect(document.encoding.source == .httpHeader)
    #expect(try document.css("p::text").get() == amelie)
}

@Test func latin1LabelMeansWindows1252() throws {
    // Curly quotes and the em dash exist only in windows-1252, not in ISO-8859-1 proper.
    let document = HTMLDocument(data: page(meta: "ISO-8859-1", encoding: .windowsCP1252))
    #expect(document.encoding.name == "windows-1252")
    #expect(try document.css("p::text").get() == amelie)
}

@Test func pageDeclaringLatin1ButSendingUTF8IsReadAsUTF8() throws {
    let document = HTMLDocument(data: page(meta: "iso-8859-1", encoding: .utf8), contentType: "text/html")
    #expect(document.encoding == DetectedEncoding(name: "UTF-8", source: .content, declared: "iso-8859-1"))
    #expect(try document.css("p::text").get() == amelie)
}

@Test func pageDeclaringUTF8ButSendingLatin1IsReadAsWindows1252() throws {
    let document = HTMLDocument(data: page(meta: "utf-8", encoding: .windowsCP1252))
    #expect(document.encoding.name == "windows-1252")
    #expect(document.encoding.source == .content)
    #expect(try document.css("p::text").get() == amelie)
}

@Test func mostlyUTF8WithAStrayByteKeepsTheUTF8() throws {
    var data = page(meta: nil, encoding: .utf8)
    data.insert(0xFF, at: data.count - "</p></body></html>".utf8.count)
    let document = HTMLDocument(data: data)
    #expect(document.encoding.name == "UTF-8")
    let text = try #require(try document.css("p::text").get())
    #expect(text.hasPrefix("Amélie — “Le Fabuleux"))
}

@Test func noDeclarationFallsBackToUTF8() throws {
    let document = HTMLDocument(data: page(meta: nil, encoding: .utf8))
    #expect(document.encoding == DetectedEncoding(name: "UTF-8", source: .fallback))
}

@Test func httpEquivDeclarationIsFound() {
    let html = #"<html><head><META HTTP-EQUIV="Content-Type" CONTENT="text/html; charset=ISO-8859-2"></head></html>"#
    #expect(EncodingSniffer.metaCharset(in: Array(html.utf8)) == "iso-8859-2")
}

@Test func metaClaimingUTF16MeansUTF8() {
    let detected = EncodingSniffer.detect(Array(#"<meta charset="utf-16"><p>x</p>"#.utf8))
    #expect(detected.name == "UTF-8")
}

@Test func unknownCharsetFallsBackWithoutFailing() throws {
    let document = HTMLDocument(data: page(meta: "x-no-such-charset", encoding: .utf8))
    #expect(document.encoding.name == "UTF-8")
    #expect(try document.css("p::text").get() == amelie)
}

@Test(
    arguments: [
        ("text/html; charset=UTF-8", "UTF-8"),
        ("text/html;charset='iso-8859-1'", "iso-8859-1"),
        ("text/html", nil),
        ("text/html; charset=", nil),
        ("application/xhtml+xml; q=1; Charset=Shift_JIS", "Shift_JIS"),
    ] as [(String, String?)])
func contentTypeCharset(header: String, expected: String?) {
    #expect(EncodingSniffer.charset(inContentType: header) == expected)
}

@Test func otherDeclaredEncodingsDecodeThroughIconv() throws {
    let data = try Data(contentsOf: MarqueeTestKit.SharedData.fixtures.appendingPathComponent("encodings/latin2.html"))
    let document = HTMLDocument(data: data)
    #expect(document.encoding == DetectedEncoding(name: "ISO-8859-2", source: .metaTag))
    #expect(try document.css("h1").text == "Popeły i diament (1958)")
    #expect(try document.css("p::text").get() == "Reżyseria: Andrzej Wajda")
}
