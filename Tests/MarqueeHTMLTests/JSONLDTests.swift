import MarqueeCore
import MarqueeHTML
import Testing

private func document(_ scripts: String...) -> HTMLDocument {
    HTMLDocument(
        html: "<html><head>" + scripts.map { "<script type=\"application/ld+json\">\($0)</script>" }.joined()
            + "</head><body></body></html>")
}

@Test func letterboxdCDATAWrapperIsRemoved() throws {
    let doc = document("\n/* <![CDATA[ */\n{\"@type\":\"Movie\",\"name\":\"Breathless\"}\n/* ]]> */\n")
    let blocks = JSONLD.blocks(in: doc)
    #expect(blocks.count == 1)
    let parsed = try blocks[0].result.get()
    #expect(parsed.value["name"] == .string("Breathless"))
    #expect(parsed.repairs.contains("CDATA wrapper"))
}

@Test func repairsTrailingCommasCommentsControlCharactersAndEntities() throws {
    let doc = document(
        "<!-- {\"@type\":\"Movie\",\"name\":\"Sam &amp; Cat\",\"description\":\"line1\nline2\",\"genre\":[\"Comedy\",],} -->"
    )
    let parsed = try JSONLD.blocks(in: doc)[0].result.get()
    #expect(parsed.value["name"] == .string("Sam & Cat"))
    #expect(parsed.value["description"] == .string("line1\nline2"))
    #expect(parsed.value["genre"] == .array([.string("Comedy")]))
    #expect(parsed.repairs.contains { $0.hasPrefix("trailing comma") })
    #expect(parsed.repairs.contains("HTML comment wrapper"))
}

@Test func arraysAndGraphsAreFlattenedIntoItems() {
    let doc = document(
        #"[{"@type":"BreadcrumbList"},{"@type":"Movie","name":"A"}]"#,
        #"{"@context":"https://schema.org","@graph":[{"@type":["Movie","CreativeWork"],"name":"B"},{"@type":"Person","name":"C"}]}"#
    )
    let items = JSONLD.items(in: doc)
    #expect(items.count == 4)
    #expect(JSONLD.items(ofType: "Movie", in: doc).compactMap { $0["name"]?.stringValue } == ["A", "B"])
}

@Test func aBrokenBlockReportsItsErrorAndDoesNotHideOthers() throws {
    let doc = document(#"{"@type":"Movie","name":}"#, #"{"@type":"Person","name":"D"}"#, "  ")
    let blocks = JSONLD.blocks(in: doc)
    #expect(blocks.count == 3)
    guard case .failure(let failure) = blocks[0].result else {
        Issue.record("first block should fail")
        return
    }
    #expect(failure.message.contains("expected a value"))
    #expect(failure.column == 25)
    #expect(blocks[1].value?["name"] == .string("D"))
    #expect(blocks[2].value == nil)
    #expect(JSONLD.items(in: doc).count == 1)
}

@Test func typeAttributeIsMatchedCaseInsensitivelyWithParameters() {
    let doc = HTMLDocument(
        html:
            #"<script type=" Application/LD+JSON; charset=utf-8">{"a":1}</script><script type="text/javascript">{"b":2}</script>"#
    )
    #expect(JSONLD.blocks(in: doc).compactMap(\.value) == [.object(JSONObject([("a", .number(1))]))])
}
