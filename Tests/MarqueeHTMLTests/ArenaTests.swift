import CMarqueeXML
import Foundation
import Testing

@testable import MarqueeHTML

// Documents are parsed into arenas (see marquee_xml_arena.h). These tests check the allocator is
// in place and that nothing of a freed document is used afterwards: libxml2's per-thread error
// record is the one global a parse writes to.

@Test func libxml2AllocatesThroughMarqueeAndDocumentsUseArenas() {
    #expect(marquee_xml_arena_installed() == 1, "the allocator is installed when the binary loads")
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
