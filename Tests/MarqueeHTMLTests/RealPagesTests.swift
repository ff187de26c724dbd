import Foundation
import MarqueeCore
import MarqueeHTML
import MarqueeTestKit
import Testing

/// Every page saved from the real sites (`../shared/realpages`, read in place).
private let realPages: [RealPage] = {
    guard let directory = SharedData.realPages else { return [] }
    return (try? RealPage.all(in: directory)) ?? []
}()

private func load(_ page: RealPage) throws -> HTMLDocument {
    HTMLDocument(data: try Data(contentsOf: page.location), url: page.url)
}

/// In CI (`CI=true`) nothing a test needs may be missing: a test that would skip locally fails.
@Test func whatTheTestsNeedIsPresentInCI() {
    guard SharedData.inCI else { return }
    #expect(SharedData.realPages != nil, "CI needs ../shared/realpages (or MARQUEE_SHARED)")
    #expect(SharedData.movieLensSmall != nil, "CI needs ../shared/movielens/ml-latest-small")
    let python = SharedData.repositoryRoot.appendingPathComponent(".venv-test/bin/python").path
    #expect(FileManager.default.isExecutableFile(atPath: python), "CI needs .venv-test (make setup)")
}

/// Locally a missing shared folder skips the tests that read it; in CI (`CI=true`) it fails here.
@Test func realPagesArePresentOrTheSkipIsExplained() {
    if SharedData.realPages == nil {
        #expect(!SharedData.inCI, "CI needs ../shared/realpages (or MARQUEE_SHARED)")
        print(SharedData.skipMessage("shared/realpages"))
    } else {
        #expect(realPages.count >= 60, "SOURCES.tsv should list the 60 saved pages")
    }
}

@Test(.enabled(if: SharedData.runs(!realPages.isEmpty), "needs ../shared/realpages"), arguments: realPages)
func realPageParsesWithTitleAndEveryJSONLDBlock(_ page: RealPage) throws {
    let document = try load(page)
    #expect(try document.css("body *").count > 10, "the page should have a body")
    if !page.title.isEmpty {
        let title = try #require(document.title, "no <title> in \(page.file)")
        // SOURCES.tsv records titles as raw markup (`Sam &amp; Cat`), cut at 90 characters;
        // the document decodes them. Letterboxd starts its titles with U+200E.
        let recorded = normalizeWhitespace(HTMLEntities.decode(page.title))
        #expect(title.replacingOccurrences(of: "\u{200E}", with: "").hasPrefix(recorded), "\(page.file)")
    }
    let blocks = JSONLD.blocks(in: document)
    for block in blocks {
        #expect(block.value != nil, "\(page.file):\(block.line): \(block.result)")
    }
    let types = Set(JSONLD.items(in: document).flatMap(JSONLD.types(of:)))
    #expect(types == Set(page.jsonLDTypes), "\(page.file): JSON-LD @types")
}

/// Names checked by hand against the pages (the title the site gives the JSON-LD `Movie` node).
private let expectedNames: [String: String] = [
    "letterboxd/film_mulholland-drive_2025.html": "Mulholland Drive",
    "letterboxd/film_breathless_2025.html": "Breathless",
    "letterboxd/film_sweet-sweetbacks-baadasssss-song_2022.html": "Sweet Sweetback's Baadasssss Song",
    "letterboxd/film_nightmare-city-1_missing-year_2021.html": "Nightmare City",
    "imdb/title_tt0133093_the-matrix_2023.html": "The Matrix",
    "imdb/title_tt0119698_princess-mononoke_2022.html": "Mononoke-hime",
    "imdb/title_tt7214470_haunted-hospital_2022.html": "Heilstätten",
    "imdb/title_sam-and-cat_tv-series_2022.html": "Sam & Cat",
    "rottentomatoes/m_shawshank_redemption_2020-01.html": "The Shawshank Redemption",
    "rottentomatoes/m_shawshank_redemption_2019.html": "The Shawshank Redemption",
]

@Test(
    .enabled(if: SharedData.runs(!realPages.isEmpty), "needs ../shared/realpages"),
    arguments: realPages.filter { !$0.jsonLDTypes.isEmpty })
func jsonLDNodesHaveTheirTypeAndName(_ page: RealPage) throws {
    let items = JSONLD.items(in: try load(page))
    for type in page.jsonLDTypes {
        let node = try #require(items.first { JSONLD.types(of: $0).contains(type) }, "\(page.file): no \(type)")
        let name = try #require(node["name"]?.stringValue, "\(page.file): \(type) without a name")
        #expect(!name.isEmpty)
        if let expected = expectedNames[page.file] { #expect(name == expected) }
    }
}

@Test(.enabled(if: SharedData.runs(!realPages.isEmpty), "needs ../shared/realpages"))
func letterboxdShipsCDATAWrappedJSONLDAndItIsRead() throws {
    let page = try #require(realPages.first { $0.file == "letterboxd/film_mulholland-drive_2025.html" })
    let block = try #require(JSONLD.blocks(in: try load(page)).first)
    let parsed = try block.result.get()
    #expect(parsed.repairs.contains("CDATA wrapper"))
    #expect(parsed.value["@type"] == .string("Movie"))
    #expect(parsed.value["director"]?[0]?["name"] == .string("David Lynch"))
}

@Test(.enabled(if: SharedData.runs(!realPages.isEmpty), "needs ../shared/realpages"))
func imdb2014PageThatLiesAboutItsCharsetHasNoMojibake() throws {
    let page = try #require(realPages.first { $0.file == "imdb/title_tt0111161_shawshank_combined_2014.html" })
    let document = try load(page)
    #expect(document.encoding.name == "UTF-8")
    #expect(document.encoding.declared?.lowercased() == "iso-8859-1")
    let text = try document.css("body").text ?? ""
    #expect(!text.contains("Ã"), "UTF-8 read as latin-1 leaves 'Ã' sequences")
}
