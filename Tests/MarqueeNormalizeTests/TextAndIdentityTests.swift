import MarqueeNormalize
import Testing

@Test(
    arguments: [
        ("The Matrix (1999) - IMDb", "The Matrix", "Matrix, The", "matrix", 1999),  // real <title>
        (
            "\u{200E}Mulholland Drive (2001) directed by David Lynch • Reviews, film + cast • Letterboxd",
            "Mulholland Drive", "Mulholland Drive", "mulholland drive", 2001
        ),  // real
        ("Sam &amp; Cat (TV Series 2013–2014) - IMDb", "Sam & Cat", "Sam & Cat", "sam and cat", 2013),  // real
        (
            "The Shawshank Redemption (1994) - Rotten Tomatoes", "The Shawshank Redemption",
            "Shawshank Redemption, The", "shawshank redemption", 1994
        ),  // real
        ("Uncle Buck - Wikipedia", "Uncle Buck", "Uncle Buck", "uncle buck", nil),  // real
        ("Smoke (1995 film)", "Smoke", "Smoke", "smoke", 1995),
        ("Amélie", "Amélie", "Amélie", "amelie", nil),
        ("L'Atalante", "L'Atalante", "Atalante, L'", "atalante", nil),
        ("Matrix, The", "Matrix, The", "Matrix, The", "matrix", nil),
        (
            "  Le   Fabuleux Destin d'Amélie Poulain ", "Le Fabuleux Destin d'Amélie Poulain",
            "Fabuleux Destin d'Amélie Poulain, Le", "fabuleux destin d amelie poulain", nil
        ),
        (
            "2001: A Space Odyssey (1968)", "2001: A Space Odyssey", "2001: A Space Odyssey", "2001 a space odyssey",
            1968
        ),
        ("Directed by John Ford", "Directed by John Ford", "Directed by John Ford", "directed by john ford", nil),
    ] as [(String, String, String, String, Int?)])
func titleStripsDecorationsAndBuildsKeys(raw: String, title: String, sortKey: String, matchKey: String, year: Int?)
    throws
{
    let result = try Normalize.title(raw)
    #expect(result.title == title)
    #expect(result.sortKey == sortKey)
    #expect(result.matchKey == matchKey)
    #expect(result.year == year)
}

@Test func titleMatchKeysJoinSpellingsAcrossSites() {
    #expect(Normalize.matchKey("Amélie") == Normalize.matchKey("AMELIE"))
    #expect(Normalize.matchKey("Sam & Cat") == Normalize.matchKey("Sam and Cat"))
    #expect(Normalize.matchKey("The Matrix") == Normalize.matchKey("Matrix, The"))
    #expect(Normalize.matchKey("Mononoke-hime") == Normalize.matchKey("Mononoke Hime"))
    #expect(Normalize.matchKey("Breathless") != Normalize.matchKey("Breathe"))
}

@Test(
    arguments: [
        ("Action, Sci-Fi", [Genre.action, .scienceFiction], [String]()),  // real: IMDb JSON-LD genre list
        ("Crime | Drama", [.crime, .drama], []),  // real: IMDb 2014 layout
        ("Adventure|Animation|Children|Comedy|Fantasy", [.adventure, .animation, .family, .comedy, .fantasy], []),  // MovieLens
        (
            "Action Adventure Animation Comedy Drama Family Fantasy Sci-Fi",
            [.action, .adventure, .animation, .comedy, .drama, .family, .fantasy, .scienceFiction], []
        ),  // real: Box Office Mojo
        ("Mystery & thriller", [.mystery, .thriller], []),
        ("Kids & family, Holiday", [.family], ["Holiday"]),
        ("Science Fiction, TV Movie", [.scienceFiction, .tvMovie], []),
        ("Film-Noir", [.filmNoir], []),
        ("science fiction film", [.scienceFiction], []),
        ("(no genres listed)", [], []),
        ("Drama|IMAX", [.drama], []),
        ("Drama, drama, Mumblecore", [.drama], ["Mumblecore"]),
        ("Horror & Gore", [.horror], ["gore"]),
    ] as [(String, [Genre], [String])])
func genresMapEachSitesNames(raw: String, genres: [Genre], unknown: [String]) throws {
    let result = try Normalize.genres(raw)
    #expect(result.genres == genres)
    #expect(result.unknown == unknown)
}

@Test func genreVocabularyIsAboutTwentyFive() {
    #expect((24...30).contains(Genre.allCases.count))
}

@Test(
    arguments: [
        ("John Candy (uncredited)", "John Candy", nil, false),
        ("Sharon Maguire (co-director)", "Sharon Maguire", "co-director", true),
        ("Lynch, David", "David Lynch", nil, true),
        ("Robert Downey, Jr.", "Robert Downey Jr.", nil, true),
        ("  Agn&egrave;s   Varda ", "Agnès Varda", nil, true),
        ("Frank Darabont (screenplay) (uncredited)", "Frank Darabont", "screenplay", false),
        (
            "Stephen King (short story \"Rita Hayworth and Shawshank Redemption\")", "Stephen King",
            "short story \"Rita Hayworth and Shawshank Redemption\"", true
        ),  // real
    ] as [(String, String, String?, Bool)])
func personNamesAreCleaned(raw: String, name: String, note: String?, credited: Bool) throws {
    #expect(try Normalize.person(raw) == PersonName(name: name, note: note, credited: credited))
}

@Test func personWithoutANameIsAnError() {
    #expect(throws: NormalizeError.self) { try Normalize.person("(uncredited)") }
    #expect(throws: NormalizeError.self) { try Normalize.person("1994") }
}

@Test(arguments: [
    ("tt0111161", "tt0111161"),
    ("https://www.imdb.com/title/tt0111161/?ref_=fn_al_tt_1", "tt0111161"),
    ("http://www.imdb.com/title/tt0116922/maindetails", "tt0116922"),  // real: Letterboxd link
    ("/title/tt10872600/", "tt10872600"),
])
func imdbTitleIDs(raw: String, id: String) throws {
    #expect(try Normalize.imdbID(raw) == id)
}

@Test(arguments: ["tt12345", "nm0000186", "https://www.imdb.com/chart/top", "tt0111161 tt0068646"])
func imdbTitleIDErrors(raw: String) {
    #expect(throws: NormalizeError.self) { try Normalize.imdbID(raw) }
}

@Test func siteIdentifiers() throws {
    #expect(try Normalize.imdbPersonID("https://www.imdb.com/name/nm0000186/") == "nm0000186")
    #expect(try Normalize.letterboxdSlug("https://letterboxd.com/film/mulholland-drive/") == "mulholland-drive")
    #expect(try Normalize.letterboxdSlug("/hyumiguel/film/mulholland-drive/1/") == "mulholland-drive")
    #expect(try Normalize.letterboxdSlug("sweet-sweetbacks-baadasssss-song") == "sweet-sweetbacks-baadasssss-song")
    #expect(try Normalize.letterboxdUser("https://letterboxd.com/hyumiguel/films/diary/") == "hyumiguel")
    #expect(try Normalize.letterboxdUser("@dankmccoy") == "dankmccoy")
    #expect(throws: NormalizeError.self) { try Normalize.letterboxdUser("https://letterboxd.com/film/breathless/") }
    #expect(
        try Normalize.rottenTomatoesSlug("https://www.rottentomatoes.com/m/shawshank_redemption/reviews")
            == "m/shawshank_redemption")
    #expect(try Normalize.rottenTomatoesSlug("/tv/the_white_queen") == "tv/the_white_queen")
    #expect(
        try Normalize.wikipediaTitle("https://en.wikipedia.org/wiki/How_to_Train_Your_Dragon:_The_Hidden_World")
            == "How to Train Your Dragon: The Hidden World")
    #expect(
        try Normalize.wikipediaTitle("https://fr.wikipedia.org/wiki/Am%C3%A9lie_Poulain#Synopsis") == "Amélie Poulain")
    #expect(try Normalize.tmdbID("https://www.themoviedb.org/movie/638/") == 638)
    #expect(try Normalize.tmdbID("/movie/638-lost-highway") == 638)
    #expect(throws: NormalizeError.self) { try Normalize.tmdbID("https://www.themoviedb.org/person/5602") }
}

@Test(
    arguments: [
        ("HTTPS://WWW.IMDb.com/title/tt0111161/?ref_=fn_al_tt_1", nil, "https://www.imdb.com/title/tt0111161/"),
        ("https://letterboxd.com:443/film/breathless/#reviews", nil, "https://letterboxd.com/film/breathless/"),
        (
            "https://example.org/list?page=2&utm_source=x&b=1&a=3&a=2", nil,
            "https://example.org/list?a=3&a=2&b=1&page=2"
        ),
        ("/film/breathless/", "https://letterboxd.com/hyumiguel/films/", "https://letterboxd.com/film/breathless/"),
        (
            "../page/2/", "https://letterboxd.com/hyumiguel/films/diary/",
            "https://letterboxd.com/hyumiguel/films/page/2/"
        ),
        ("http://example.org", nil, "http://example.org/"),
        ("https://example.org/a/./b/../c", nil, "https://example.org/a/c"),
    ] as [(String, String?, String)])
func urlsCanonicalise(raw: String, base: String?, expected: String) throws {
    #expect(try Normalize.canonicalURL(raw, base: base) == expected)
}

@Test(arguments: ["/film/x/", "mailto:a@b.c", "ftp://example.org/", ""])
func urlErrors(raw: String) {
    #expect(throws: NormalizeError.self) { try Normalize.canonicalURL(raw) }
}

@Test func registryNamesEveryNormaliserAndSuggestsOnTypos() throws {
    let registry = NormalizerRegistry.standard
    for name in [
        "duration", "date", "release", "year", "year_range", "count", "rating", "money", "title", "genres", "person",
        "imdb_id", "imdb_person_id", "letterboxd_slug", "letterboxd_user", "rt_slug", "wikipedia_title", "tmdb_id",
        "url",
        "text",
    ] {
        let normalizer = try #require(registry[name], "\(name) missing from the registry")
        #expect(!normalizer.examples.isEmpty)
        for example in normalizer.examples {
            #expect(
                (try? normalizer(example, options: NormalizeOptions(scale: 10))) != nil,
                "\(name) rejects its own example \(example)")
        }
    }
    #expect(registry.suggestion(for: "yaer") == "year")
    #expect(registry.suggestion(for: "durration") == "duration")
    #expect(registry.suggestion(for: "zzzzzzzz") == nil)
}

@Test func requestReportsEachValue() throws {
    let results = try NormalizeRequest(name: "duration", values: ["2h 22m", "PT142M", "soon"]).run()
    #expect(try results[0].get() == "142")
    #expect(try results[1].get() == "142")
    guard case .failure(let error) = results[2] else {
        Issue.record("soon is not a duration")
        return
    }
    #expect(error.raw == "soon")
    #expect(throws: UnknownNormalizer.self) { try NormalizeRequest(name: "yaer", values: ["1"]).run() }
}
