import Foundation
import Testing

@Test func normaliseDurationPrintsMinutesPerValue() throws {
    let result = try runMarquee(["normalise", "duration", "2h 22m", "PT142M"])
    #expect(result.status == 0)
    #expect(result.stdout == "142\n142\n")
}

@Test func normaliseRatingPrintsValueAndScale() throws {
    let result = try runMarquee(["normalise", "rating", "★★★½"])
    #expect(result.status == 0)
    #expect(result.stdout == #"{"normalised":0.7,"scale":5,"value":3.5}"# + "\n")
}

@Test func badValuesExit65WithTheRawValueAndKeepTheGoodOnes() throws {
    let result = try runMarquee(["normalise", "duration", "soon", "90 mins"])
    #expect(result.status == 65)
    #expect(result.stdout == "90\n")
    #expect(result.stderr.contains(#"duration: malformed "soon""#))
}

@Test func unknownNormaliserExits64WithASuggestion() throws {
    let result = try runMarquee(["normalize", "yaer", "2001"])
    #expect(result.status == 64)
    #expect(result.stderr.contains(#"did you mean "year"?"#))
}

@Test func optionsReachTheNormaliser() throws {
    #expect(try runMarquee(["normalise", "count", "1.234", "--locale", "de"]).stdout == "1234\n")
    #expect(try runMarquee(["normalise", "rating", "8.7", "--scale", "10"]).stdout.contains(#""value":8.7"#))
    #expect(
        try runMarquee(["normalise", "url", "../p/2/", "--base-url", "https://letterboxd.com/a/films/"]).stdout
            == "\"https://letterboxd.com/a/p/2/\"\n")
}

@Test func listShowsEveryNormaliser() throws {
    let result = try runMarquee(["normalise", "--list"])
    #expect(result.status == 0)
    for name in ["duration", "date", "year", "count", "rating", "money", "title", "genres", "person", "imdb_id", "url"]
    {
        #expect(result.stdout.contains("\(name) "), "\(name) not listed")
    }
}
