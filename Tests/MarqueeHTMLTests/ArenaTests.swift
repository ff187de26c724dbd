import CMarqueeXML
import Foundation
import FoundationXML
import Testing

@testable import MarqueeHTML

// Documents are parsed into arenas (see marquee_xml_arena.h). These tests check the allocator is
// in place and that nothing of a freed document is used afterwards: libxml2's per-thread error
// record is the one global a parse writes to.

@Test func libxml2AllocatesThroughMarqueeAndDocumentsUseArenas() {
    // Opt-in: an executable installs it (marquee does in main); installing twice is harmless.
    #expect(XMLArena.install())
    #expect(XMLArena.isInstalled)
    let arena = marquee_xml_arena_create()
    defer { marquee_xml_arena_destroy(arena) }
    #expect(marquee_xml_arena_used(arena) == 0)
}

@Test func parseErrorsOfAFreedDocumentDoNotOutliveItsArena() throws {
    // Broken markup makes libxml2 record errors (in the thread's last-error slot) during the parse.
    let broken = String(repeating: "<div <p a=\"x>>&bogus; </span></table><td>", count: 200)
    for round in 0..<50 {
        let document = HTMLDocument(html: "<html><body>\(broken)<p id=r\(round)>ok</p>")
        #expect(try document.css("p#r\(round)").text == "ok")
    }
    // A later error (an XPath one, outside any arena) replaces the record the parses left.
    let document = HTMLDocument(html: broken)
    #expect(throws: QueryError.self) { try document.xpath("//p[") }
    #expect(try document.xpath("count(//div)").get() != nil)
}

@Test func documentsParsedOnManyThreadsAtOnceStayIntact() async throws {
    let pages = (0..<8).map { worker in
        "<html><body>" + (0..<300).map { "<li class='w\(worker) i\($0)'>\(worker)-\($0)</li>" }.joined()
            + "</body></html>"
    }
    try await withThrowingTaskGroup(of: Bool.self) { group in
        for (worker, page) in pages.enumerated() {
            group.addTask {
                var documents: [HTMLDocument] = []
                for _ in 0..<20 { documents.append(HTMLDocument(html: page)) }
                // Every document still reads back whole after the others were parsed and freed.
                return try documents.allSatisfy { document in
                    try document.css("li.w\(worker)").count == 300
                        && document.css("li.i299::text").get() == "\(worker)-299"
                }
            }
        }
        for try await intact in group { #expect(intact) }
    }
}

/// Carries a document across threads for the test below (documents are not `Sendable`).
private final class Handoff: @unchecked Sendable {
    var document: HTMLDocument?
}

@Test func aDocumentOutlivesTheThreadThatParsedIt() throws {
    let handoff = Handoff()
    let parsed = DispatchSemaphore(value: 0)
    Thread {
        handoff.document = HTMLDocument(html: "<p class='x'>kept</p>")
        parsed.signal()
    }.start()
    parsed.wait()
    #expect(try handoff.document?.css("p.x::text").get() == "kept")
    handoff.document = nil  // freed on this thread, not the one whose arena it came from
}

/// A program that links MarqueeHTML and also parses XML with another libxml2 user (Foundation's
/// XMLDocument) works: blocks libxml2 made before the arena allocator went in are freed as the
/// malloc blocks they are, and the two users never see each other's memory.
@Test func anotherLibxml2UserInTheSameProcessWorks() throws {
    let xml = #"<films><film id="tt0113277"><title>Heat</title></film><film id="tt0116282"><title>Fargo</title></film></films>"#
    let before = try XMLDocument(xmlString: xml)  // possibly allocated before the arena is installed
    XMLArena.install()
    for round in 0..<20 {
        let page = HTMLDocument(html: "<html><body><h1 class=t>Heat \(round)</h1></body></html>")
        #expect(try page.css("h1.t").text == "Heat \(round)")
        let again = try XMLDocument(xmlString: xml)
        #expect(try again.nodes(forXPath: "//film/title").compactMap(\.stringValue) == ["Heat", "Fargo"])
    }
    #expect(try before.nodes(forXPath: "//film/@id").compactMap(\.stringValue) == ["tt0113277", "tt0116282"])
}
