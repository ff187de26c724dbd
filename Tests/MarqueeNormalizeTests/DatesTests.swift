import MarqueeNormalize
import Testing

@Test(arguments: [
    ("1994-09-23", "1994-09-23"),
    ("1994-09", "1994-09"),
    ("1994", "1994"),
    ("1999-03-31", "1999-03-31"),  // real: IMDb JSON-LD datePublished
    ("1999-03-31T00:00:00Z", "1999-03-31"),
    ("2019/02/05", "2019-02-05"),
    ("23 September 1994", "1994-09-23"),
    ("14 October 1994 (USA)", "1994-10-14"),  // real: IMDb 2014 release date
    ("5 February 2019 (2019-02-05)", "2019-02-05"),  // real: Wikipedia, The Wandering Earth
    ("August 16, 1989 (1989-08-16)", "1989-08-16"),  // real: Wikipedia, Uncle Buck
    ("September 23, 1994", "1994-09-23"),
    ("Sep 23, 1994", "1994-09-23"),
    ("23 Sep 1994", "1994-09-23"),
    ("23 Sept. 1994", "1994-09-23"),
    ("September 23rd, 1994", "1994-09-23"),
    ("September 1994", "1994-09"),
    ("23. März 1994", "1994-03-23"),
    ("1er janvier 2000", "2000-01-01"),
    ("23 de septiembre de 1994", "1994-09-23"),
    ("23/09/1994", "1994-09-23"),
    ("09/23/1994", "1994-09-23"),
    ("05.03.1994", "1994-03-05"),
    ("29 February 2000", "2000-02-29"),
])
func dateReadsEveryForm(raw: String, iso: String) throws {
    #expect(try Normalize.date(raw).description == iso)
}

@Test func numericDatesThatCouldSwapNeedALocale() throws {
    do {
        _ = try Normalize.date("03/04/1994")
        Issue.record("guessed an ambiguous date")
    } catch {
        #expect(error.kind == .ambiguous)
    }
    #expect(try Normalize.date("03/04/1994", locale: "en-US").description == "1994-03-04")
    #expect(try Normalize.date("03/04/1994", locale: "en-GB").description == "1994-04-03")
    #expect(try Normalize.date("04/04/1994").description == "1994-04-04")
}

@Test(arguments: [
    ("31 April 1994", NormalizeError.Kind.outOfRange), ("29 February 1900", .outOfRange), ("1994-13-01", .outOfRange),
    ("", .missing), ("soon", .malformed), ("(USA)", .malformed), ("Smarch 3, 1994", .malformed),
])
func dateErrors(raw: String, kind: NormalizeError.Kind) {
    do {
        _ = try Normalize.date(raw)
        Issue.record("accepted \(raw)")
    } catch {
        #expect(error.kind == kind, "\(error)")
    }
}

@Test(
    arguments: [
        ("14 October 1994 (USA)", "1994-10-14", "USA"),
        (
            "January 3, 2019 ( 2019-01-03 ) (Australia) [2] February 22, 2019 ( 2019-02-22 ) (United States)",
            "2019-01-03", "Australia"
        ),  // real
        ("Sep 10, 1994 wide", "1994-09-10", nil),  // real: Rotten Tomatoes
        ("October 10, 2009 (Japan)", "2009-10-10", "Japan"),  // real: Box Office Mojo
        ("23 September 1994", "1994-09-23", nil),
    ] as [(String, String, String?)])
func releaseKeepsTheCountry(raw: String, date: String, country: String?) throws {
    let release = try Normalize.release(raw)
    #expect(release.date.description == date)
    #expect(release.country == country)
}

@Test(arguments: [
    ("Mulholland Drive (2001)", 2001),
    ("The Matrix (1999) - IMDb", 1999),
    ("2001: A Space Odyssey (1968)", 1968),
    ("Sam & Cat (TV Series 2013–2014)", 2013),
    ("Cuckold 1 (Video 2006) - IMDb", 2006),  // real: IMDb title
    ("1999-03-31", 1999),
    ("23 September 1994", 1994),
    ("2005–2017", 2005),
    ("Released in 1960", 1960),
    ("1960", 1960),
])
func yearFindsTheReleaseYear(raw: String, year: Int) throws {
    #expect(try Normalize.year(raw) == year)
}

@Test(
    arguments: [
        ("2005–2017", 2005, 2017),
        ("2005-2017", 2005, 2017),
        ("Sam & Cat (TV Series 2013–2014) - IMDb", 2013, 2014),  // real
        ("2013–", 2013, nil),
        ("(TV Series 2013– )", 2013, nil),
        ("2001", 2001, 2001),
    ] as [(String, Int, Int?)])
func yearRangeKeepsStartAndEnd(raw: String, start: Int, end: Int?) throws {
    #expect(try Normalize.yearRange(raw) == YearRange(start: start, end: end))
}

@Test(arguments: [
    ("Master of None - IMDb", NormalizeError.Kind.malformed),  // real: IMDb page with no year
    ("Between 1994 and 1999", .ambiguous), ("1066", .outOfRange), ("2017–2005", .outOfRange), ("", .missing),
])
func yearErrors(raw: String, kind: NormalizeError.Kind) {
    do {
        _ = try Normalize.yearRange(raw)
        Issue.record("accepted \(raw)")
    } catch {
        #expect(error.kind == kind, "\(error)")
    }
}
