import Foundation
import MarqueeCore
import MarqueeScrape
import MarqueeTestKit
import Testing

/// What a real page shows, written down by reading the page (not by running Marquee): the
/// page kind, how many records it holds, and facts of some of them. A record matches when
/// every key of the expected object equals the record's value (other keys may exist).
struct PageFacts: Sendable, CustomStringConvertible {
    var file: String
    var kind: String
    var count: Int
    var facts: [Int: String]
    var description: String { file }
}

let conformance: [PageFacts] = [
    // IMDb title pages: current layout (JSON-LD + __NEXT_DATA__), 2017 microdata, 2014 /combined.
    PageFacts(
        file: "imdb/title_tt0133093_the-matrix_2023.html", kind: "title", count: 1,
        facts: [
            0:
                #"{"title":"The Matrix","year":1999,"runtime_minutes":136,"directors":["Lana Wachowski","Lilly Wachowski"],"rating":{"value":8.7,"scale":10,"count":1956171},"imdb_id":"tt0133093","format":"feature","key":"imdb:tt0133093"}"#
        ]),
    PageFacts(
        file: "imdb/title_tt2402107_existence_2023.html", kind: "title", count: 1,
        facts: [
            0:
                #"{"title":"Existence","year":2012,"runtime_minutes":85,"directors":["Juliet Bergh"],"rating":{"value":4.1,"scale":10,"count":149}}"#
        ]),
    PageFacts(
        file: "imdb/title_tt7462422_2023.html", kind: "title", count: 1,
        facts: [0: #"{"title":"Quality of Life","format":"tv_movie","imdb_id":"tt7462422"}"#]),
    PageFacts(
        file: "imdb/title_tt0114814_the-usual-suspects_2022.html", kind: "title", count: 1,
        facts: [
            0:
                #"{"title":"The Usual Suspects","year":1995,"runtime_minutes":106,"directors":["Bryan Singer"],"rating":{"value":8.5,"scale":10,"count":1078970}}"#
        ]),
    PageFacts(
        file: "imdb/title_tt0088247_the-terminator_2022.html", kind: "title", count: 1,
        facts: [
            0:
                #"{"title":"The Terminator","year":1984,"runtime_minutes":107,"directors":["James Cameron"],"genres":["action","science-fiction"]}"#
        ]),
    PageFacts(
        file: "imdb/title_tt0119698_princess-mononoke_2022.html", kind: "title", count: 1,
        facts: [
            0:
                #"{"title":"Princess Mononoke","original_title":"Mononoke-hime","year":1997,"runtime_minutes":134,"directors":["Hayao Miyazaki"]}"#
        ]),
    PageFacts(
        file: "imdb/title_tt0361748_inglourious-basterds_2022.html", kind: "title", count: 1,
        facts: [
            0:
                #"{"title":"Inglourious Basterds","year":2009,"runtime_minutes":153,"directors":["Quentin Tarantino"],"rating":{"value":8.3,"scale":10,"count":1433797}}"#
        ]),
    PageFacts(
        file: "imdb/title_tt0375568_astro-boy_2022.html", kind: "title", count: 1,
        facts: [
            0:
                #"{"title":"Astro Boy","year":2009,"runtime_minutes":94,"directors":["David Bowers"],"rating":{"value":6.3,"scale":10,"count":35994}}"#
        ]),
    PageFacts(
        file: "imdb/title_tt1300570_no-plot_2022.html", kind: "title", count: 1,
        facts: [
            0:
                #"{"title":"Cuckold 1","year":2006,"format":"video","runtime_minutes":108,"directors":["Cram Johnson","Grip Johnson"]}"#
        ]),
    PageFacts(
        file: "imdb/title_tt3303790_no-year_2022.html", kind: "title", count: 1,
        facts: [0: #"{"title":"Master of None","imdb_id":"tt3303790","genres":["drama"]}"#]),
    PageFacts(
        file: "imdb/title_tt7214470_haunted-hospital_2022.html", kind: "title", count: 1,
        facts: [
            0:
                #"{"title":"Haunted Hospital","original_title":"Heilstätten","year":2018,"runtime_minutes":89,"directors":["Michael David Pate"],"rating":{"value":4.1,"scale":10,"count":1744}}"#
        ]),
    PageFacts(
        file: "imdb/title_the-violators_2022.html", kind: "title", count: 1,
        facts: [
            0:
                #"{"title":"The Violators","year":2015,"runtime_minutes":101,"directors":["Helen Walsh"],"imdb_id":"tt3876702"}"#
        ]),
    PageFacts(
        file: "imdb/title_sam-and-cat_tv-series_2022.html", kind: "title", count: 1,
        facts: [
            0:
                #"{"title":"Sam & Cat","format":"tv_series","year":2013,"end_year":2014,"rating":{"value":5.6,"scale":10,"count":9221}}"#
        ]),
    PageFacts(
        file: "imdb/title_the-white-queen_tv-miniseries_2022.html", kind: "title", count: 1,
        facts: [
            0:
                #"{"title":"The White Queen","format":"tv_miniseries","year":2013,"rating":{"value":7.8,"scale":10,"count":26250}}"#
        ]),
    PageFacts(
        file: "imdb/title_dr-friland_tv-episode_2022.html", kind: "title", count: 1,
        facts: [
            0:
                #"{"title":"Nybyggerne: Part 1","format":"tv_episode","year":2002,"directors":["Anton Gammelgaard","Berit Wheler"]}"#
        ]),
    PageFacts(
        file: "imdb/title_marvel-rising_tv-movie_2022.html", kind: "title", count: 1,
        facts: [
            0:
                #"{"title":"Marvel Rising: Secret Warriors","format":"tv_movie","year":2018,"runtime_minutes":80,"rating":{"value":5.3,"scale":10,"count":1249}}"#
        ]),
    PageFacts(
        file: "imdb/title_witcher3-blood-and-wine_video-game_2022.html", kind: "title", count: 1,
        facts: [
            0:
                #"{"title":"The Witcher 3: Wild Hunt - Blood and Wine","format":"video_game","year":2016,"rating":{"value":9.7,"scale":10,"count":7156}}"#
        ]),
    PageFacts(
        file: "imdb/title_tt0114478_smoke_2017.html", kind: "title", count: 1,
        facts: [
            0:
                #"{"title":"Smoke","year":1995,"runtime_minutes":112,"directors":["Wayne Wang","Paul Auster"],"genres":["comedy","drama"],"rating":{"value":7.4,"scale":10,"count":29751}}"#
        ]),
    PageFacts(
        file: "imdb/title_tt0111161_shawshank_combined_2014.html", kind: "title", count: 1,
        facts: [
            0:
                #"{"title":"The Shawshank Redemption","year":1994,"runtime_minutes":142,"directors":["Frank Darabont"],"genres":["crime","drama"],"rating":{"value":9.3,"scale":10,"count":1145629}}"#
        ]),
    // IMDb title pages, 2014–2022 layouts: the 2014 header layout, 2015–2016 microdata (no
    // JSON-LD), 2018 microdata with JSON-LD, the early-2022 React layout. Genres are the full
    // list of the "Genres:" block, which is longer than the header's three on some pages.
    PageFacts(
        file: "imdb/title_tt2294629_frozen_2014.html", kind: "title", count: 1,
        facts: [
            0:
                #"{"title":"Frozen","year":2013,"runtime_minutes":102,"directors":["Chris Buck","Jennifer Lee"],"genres":["animation","adventure","comedy","family","fantasy","musical"],"rating":{"value":7.8,"scale":10,"count":272030},"imdb_id":"tt2294629","format":"feature"}"#
        ]),
    PageFacts(
        file: "imdb/title_tt1839596_rockstar_2015.html", kind: "title", count: 1,
        facts: [
            0:
                #"{"title":"Rockstar","year":2011,"runtime_minutes":159,"directors":["Imtiaz Ali"],"genres":["music","musical"],"rating":{"value":7.6,"scale":10,"count":22677},"imdb_id":"tt1839596"}"#
        ]),
    PageFacts(
        file: "imdb/title_tt0047034_godzilla-1954_2016.html", kind: "title", count: 1,
        facts: [
            0:
                #"{"title":"Godzilla","original_title":"Gojira","year":1954,"runtime_minutes":96,"directors":["Ishirô Honda"],"genres":["drama","horror","science-fiction","thriller"],"rating":{"value":7.5,"scale":10,"count":18177}}"#
        ]),
    PageFacts(
        file: "imdb/title_tt1397497_carny_tv-movie_2016.html", kind: "title", count: 1,
        facts: [
            0:
                #"{"title":"Carny","format":"tv_movie","year":2009,"runtime_minutes":88,"directors":["Sheldon Wilson"],"genres":["fantasy","horror","science-fiction","thriller"],"rating":{"value":4.4,"scale":10,"count":1036}}"#
        ]),
    PageFacts(
        file: "imdb/title_tt2316801_beauty-and-the-beast-2014_2016.html", kind: "title", count: 1,
        facts: [
            0:
                #"{"title":"Beauty and the Beast","original_title":"La belle et la bête","year":2014,"runtime_minutes":112,"directors":["Christophe Gans"],"genres":["fantasy","romance"],"rating":{"value":6.4,"scale":10,"count":13131}}"#
        ]),
    PageFacts(
        file: "imdb/title_tt1392190_mad-max-fury-road_2018.html", kind: "title", count: 1,
        facts: [
            0:
                #"{"title":"Mad Max: Fury Road","year":2015,"runtime_minutes":120,"directors":["George Miller"],"genres":["action","adventure","science-fiction","thriller"],"rating":{"value":8.1,"scale":10,"count":728416},"imdb_id":"tt1392190"}"#
        ]),
    PageFacts(
        file: "imdb/title_tt0387564_saw_2022-03.html", kind: "title", count: 1,
        facts: [
            0:
                #"{"title":"Saw","year":2004,"runtime_minutes":103,"directors":["James Wan"],"genres":["horror","mystery","thriller"],"rating":{"value":7.6,"scale":10,"count":407526},"format":"feature"}"#
        ]),
    PageFacts(
        file: "imdb/chart_top250_ariejan.html", kind: "chart", count: 250,
        facts: [
            0:
                #"{"position":1,"film_site_id":"tt0111161","title":"The Shawshank Redemption","year":1994,"rating":{"value":9.2,"scale":10,"count":1146398}}"#,
            1: #"{"position":2,"film_site_id":"tt0068646","title":"The Godfather","year":1972}"#,
        ]),
    PageFacts(
        file: "imdb/search_find_q-smoke_2017.html", kind: "search", count: 200,
        facts: [0: #"{"site_id":"tt0114478","title":"Smoke","year":1995,"query":"Smoke","position":1}"#]),
    PageFacts(
        file: "imdb/search_star-trek_ariejan.html", kind: "search", count: -1,
        facts: [0: #"{"site_id":"tt0060028","title":"Star Trek","year":1966}"#]),
    PageFacts(
        file: "imdb/userreviews_ariejan_2017.html", kind: "reviews", count: 10,
        facts: [
            0:
                #"{"film_site_id":"tt0095016","author":"MadReviewer","headline":"The Perfect Modern Action Film","rating":{"value":9,"scale":10},"published_on":"2001-07-31","helpful":292,"helpful_total":402}"#
        ]),
    PageFacts(
        file: "imdb/criticreviews_ariejan.html", kind: "critic_reviews", count: -1,
        facts: [
            0:
                #"{"film_site_id":"tt0095016","publication":"ReelViews","author":"James Berardinelli","rating":{"value":100,"scale":100}}"#
        ]),
    // Release info: every row of "Release Dates (64)", with its attributes; the first is the original release.
    PageFacts(
        file: "imdb/releaseinfo_tt0375568_astro-boy_2022.html", kind: "release_info", count: 64,
        facts: [
            0:
                #"{"film_title":"Astro Boy","film_year":2009,"film_site_id":"tt0375568","country":"Japan","release_date":"2009-10-05","attributes":["Tokyo","premiere"]}"#,
            1: #"{"country":"Hong Kong","release_date":"2009-10-08"}"#,
            3: #"{"country":"Australia","release_date":"2009-10-15"}"#,
        ]),
    PageFacts(
        file: "imdb/releaseinfo_tt7214470_haunted-hospital_2022.html", kind: "release_info", count: 22,
        facts: [
            0: #"{"film_title":"Haunted Hospital","film_year":2018,"country":"Germany","release_date":"2018-02-22"}"#,
            2: #"{"country":"Taiwan","release_date":"2018-06-29"}"#,
        ]),
    // Letterboxd.
    PageFacts(
        file: "letterboxd/film_mulholland-drive_2025.html", kind: "film", count: 1,
        facts: [
            0:
                #"{"title":"Mulholland Drive","year":2001,"runtime_minutes":147,"directors":["David Lynch"],"rating":{"value":4.26,"scale":5,"count":987917},"imdb_id":"tt0166924","tmdb_id":1018,"letterboxd_slug":"mulholland-drive"}"#
        ]),
    PageFacts(
        file: "letterboxd/film_breathless_2025.html", kind: "film", count: 1,
        facts: [
            0:
                #"{"title":"Breathless","year":1960,"runtime_minutes":90,"directors":["Jean-Luc Godard"],"imdb_id":"tt0053472","tmdb_id":269,"rating":{"value":3.92,"scale":5,"count":242595}}"#
        ]),
    PageFacts(
        file: "letterboxd/film_sweet-sweetbacks-baadasssss-song_2022.html", kind: "film", count: 1,
        facts: [
            0:
                #"{"title":"Sweet Sweetback's Baadasssss Song","year":1971,"runtime_minutes":97,"directors":["Melvin Van Peebles"],"imdb_id":"tt0067810","tmdb_id":5822}"#
        ]),
    PageFacts(
        file: "letterboxd/film_nightmare-city-1_missing-year_2021.html", kind: "film", count: 1,
        facts: [0: #"{"title":"Nightmare City","directors":["Tom Savini"],"imdb_id":"tt4497238","tmdb_id":508526}"#]),
    PageFacts(
        file: "letterboxd/user_hyumiguel_diary_p1_2025.html", kind: "diary", count: 50,
        facts: [
            0:
                #"{"user":"hyumiguel","film_slug":"the-hitch-hiker","rating":{"value":4,"scale":5},"rated_on":"2025-09-19"}"#,
            1: #"{"film_slug":"in-the-darkness-of-time","rating":{"value":5,"scale":5},"rated_on":"2025-09-15"}"#,
            2: #"{"film_slug":"weapons-2025","rating":{"value":2,"scale":5},"rated_on":"2025-09-12"}"#,
        ]),
    PageFacts(
        file: "letterboxd/user_pstinnett_diary_p1_2022.html", kind: "diary", count: 50,
        facts: [
            0:
                #"{"user":"pstinnett","film_slug":"cure","film_year":1997,"rating":{"value":3.5,"scale":5},"rated_on":"2022-10-02"}"#,
            1: #"{"film_slug":"do-revenge","rating":{"value":2,"scale":5},"rated_on":"2022-09-30"}"#,
            2: #"{"film_slug":"trainwreck-woodstock-99","rating":{"value":3,"scale":5},"rated_on":"2022-09-26"}"#,
        ]),
    PageFacts(
        file: "letterboxd/user_pstinnett_diary_p4-last_2022.html", kind: "diary", count: 25,
        facts: [
            0: #"{"film_slug":"low-tide-2019","rating":{"value":3,"scale":5},"rated_on":"2019-12-29","rewatch":true}"#,
            1: #"{"film_slug":"low-tide-2019","rating":{"value":2.5,"scale":5},"rated_on":"2019-12-29"}"#,
            2: #"{"film_slug":"the-death-of-dick-long","rating":{"value":4,"scale":5}}"#,
        ]),
    PageFacts(
        file: "letterboxd/user_erick99_films_p1_2022.html", kind: "films", count: 72,
        facts: [
            0: #"{"user":"erick99","film_slug":"senior-year-2022","rating":{"value":2,"scale":5}}"#,
            2: #"{"film_slug":"the-adam-project","rating":{"value":3.5,"scale":5}}"#,
        ]),
    PageFacts(file: "letterboxd/user_erick99_films_p5-last_2022.html", kind: "films", count: 33, facts: [:]),
    PageFacts(
        file: "letterboxd/user_hyumiguel_films_p1_2025.html", kind: "films", count: 72,
        facts: [
            0: #"{"film_slug":"weapons-2025","film_year":2025,"rating":{"value":2,"scale":5}}"#,
            2: #"{"film_slug":"eddington","rating":{"value":3.5,"scale":5}}"#,
        ]),
    PageFacts(file: "letterboxd/user_mondodrew_films_2022.html", kind: "films", count: 72, facts: [:]),
    PageFacts(
        file: "letterboxd/user_hyumiguel_watchlist_p1_2025.html", kind: "watchlist", count: 28,
        facts: [0: #"{"list_id":"hyumiguel/watchlist","position":1,"film_slug":"no-5-checked-out","year":1956}"#]),
    PageFacts(
        file: "letterboxd/user_mondodrew_watchlist_2022.html", kind: "watchlist", count: 28,
        facts: [0: #"{"position":1,"film_slug":"crimes-of-the-future-2022"}"#]),
    PageFacts(
        file: "letterboxd/list_dave_official-top-250_p1_2022.html", kind: "list", count: 100,
        facts: [
            0:
                #"{"list_id":"dave/list/official-top-250-narrative-feature-films","position":1,"film_slug":"everything-everywhere-all-at-once"}"#,
            1: #"{"position":2,"film_slug":"parasite-2019"}"#,
            99: #"{"position":100,"film_slug":"8-half"}"#,
        ]),
    PageFacts(
        file: "letterboxd/list_hyumiguel_pra-nao-esquecer_p1_2025.html", kind: "list", count: 105,
        facts: [0: #"{"position":1,"film_slug":"the-age-of-innocence","year":1993}"#]),
    PageFacts(
        file: "letterboxd/user_hyumiguel_lists_index_2025.html", kind: "lists", count: 12,
        facts: [0: #"{"list_id":"hyumiguel/list/top-12-seculo","title":"Top 12 século","film_count":12}"#]),
    PageFacts(
        file: "letterboxd/user_hyumiguel_profile_2025.html", kind: "profile", count: 1,
        facts: [0: #"{"handle":"hyumiguel","films_watched":914,"following":998,"followers":1972}"#]),
    PageFacts(
        file: "letterboxd/user_dankmccoy_profile_2022.html", kind: "profile", count: 1,
        facts: [
            0:
                #"{"handle":"dankmccoy","name":"Dan McCoy","films_watched":1398,"following":84,"favourites":["animal-crackers","the-third-man","north-by-northwest","the-thing"]}"#
        ]),
    PageFacts(
        file: "letterboxd/user_hyumiguel_following_2025.html", kind: "following", count: 25,
        facts: [0: #"{"handle":"jwuliazz","name":"Julia","films_watched":686}"#]),
    PageFacts(
        file: "letterboxd/user_hyumiguel_reviews_p1_2025.html", kind: "reviews", count: 12,
        facts: [
            0:
                #"{"author":"hyumiguel","film_slug":"weapons-2025","rating":{"value":2,"scale":5},"published_on":"2025-09-12"}"#
        ]),
    PageFacts(
        file: "letterboxd/browse_films_popular_1960s_crime-drama_2025.html", kind: "browse", count: 72,
        facts: [0: #"{"film_slug":"breathless","year":1960,"rating":{"value":3.92,"scale":5}}"#]),
    PageFacts(
        file: "letterboxd/fragment_films_popular_ajax_2022.html", kind: "browse", count: 72,
        facts: [0: #"{"film_slug":"parasite-2019","rating":{"value":4.58,"scale":5}}"#]),
    PageFacts(
        file: "letterboxd/actor_nicolas-cage_2022.html", kind: "person", count: 1,
        facts: [0: #"{"name":"Nicolas Cage","site_id":"nicolas-cage","film_count":116}"#]),
    // Rotten Tomatoes (JSON-LD with "NA" placeholders; scores from the markup).
    PageFacts(
        file: "rottentomatoes/m_shawshank_redemption_2019.html", kind: "movie", count: 1,
        facts: [
            0:
                #"{"title":"The Shawshank Redemption","year":1994,"runtime_minutes":142,"directors":["Frank Darabont"],"tomatometer":{"value":91,"scale":100,"count":68},"audience_score":{"value":98,"scale":100,"count":885203}}"#
        ]),
    PageFacts(
        file: "rottentomatoes/m_shawshank_redemption_2020-01.html", kind: "movie", count: 1,
        facts: [
            0:
                #"{"title":"The Shawshank Redemption","year":1994,"tomatometer":{"value":90,"scale":100,"count":71},"audience_score":{"value":98,"scale":100,"count":885688}}"#
        ]),
    // The score-board-deprecated layout (2023–24): scores in the element's attributes, the
    // audience count shown banded ("250,000+ Ratings"); the exact count is in the page's
    // scoreDetails JSON, which is what the page's own script reads.
    PageFacts(
        file: "rottentomatoes/m_harry_potter_and_the_deathly_hallows_part_2_2024.html", kind: "movie", count: 1,
        facts: [
            0:
                #"{"title":"Harry Potter and the Deathly Hallows: Part 2","year":2011,"runtime_minutes":131,"directors":["David Yates"],"genres":["fantasy","adventure"],"tomatometer":{"value":96,"scale":100,"count":333},"audience_score":{"value":89,"scale":100,"count":393712}}"#
        ]),
    // Wikipedia.
    PageFacts(
        file: "wikipedia/film_how-to-train-your-dragon-the-hidden-world_2019.html", kind: "film", count: 1,
        facts: [
            0:
                #"{"title":"How to Train Your Dragon: The Hidden World","year":2019,"runtime_minutes":104,"directors":["Dean DeBlois"],"countries":["United States"],"languages":["English"],"budget":{"amount":129000000,"currency":"USD"},"box_office":{"amount":274900000,"currency":"USD"}}"#
        ]),
    PageFacts(
        file: "wikipedia/film_the-wandering-earth_2019.html", kind: "film", count: 1,
        facts: [
            0:
                #"{"title":"The Wandering Earth","year":2019,"runtime_minutes":125,"directors":["Frant Gwo"],"countries":["China"],"languages":["Mandarin"]}"#
        ]),
    PageFacts(
        file: "wikipedia/film_uncle-buck_2019.html", kind: "film", count: 1,
        facts: [
            0:
                #"{"title":"Uncle Buck","year":1989,"runtime_minutes":99,"directors":["John Hughes"],"release_date":"1989-08-16","budget":{"amount":15000000,"currency":"USD"}}"#
        ]),
    PageFacts(
        file: "wikipedia/person_cate-blanchett_2019.html", kind: "person", count: 1,
        facts: [0: #"{"name":"Cate Blanchett","born":"1969-05-14"}"#]),
    // Box Office Mojo.
    PageFacts(
        file: "boxofficemojo/title_astro-boy_2022.html", kind: "title", count: 1,
        facts: [
            0:
                #"{"imdb_id":"tt0375568","title":"Astro Boy","year":2009,"domestic":{"amount":19551067,"currency":"USD"},"international":{"amount":20335919},"worldwide":{"amount":39886986},"opening":{"amount":6702923},"budget":{"amount":65000000}}"#
        ]),
    PageFacts(
        file: "boxofficemojo/title_papillon_2022.html", kind: "title", count: 1,
        facts: [
            0:
                #"{"imdb_id":"tt5093026","title":"Papillon","year":2017,"domestic":{"amount":2335896},"worldwide":{"amount":10060903}}"#
        ]),
    PageFacts(
        file: "boxofficemojo/title_the-death-of-superman_2022.html", kind: "title", count: 1,
        facts: [
            0:
                #"{"imdb_id":"tt7167658","title":"The Death of Superman","international":{"amount":4031},"worldwide":{"amount":4031}}"#
        ]),
    PageFacts(
        file: "boxofficemojo/release_astro-boy_usa_2022.html", kind: "release", count: 1,
        facts: [
            0:
                #"{"release_id":"rl3947005441","imdb_id":"tt0375568","market":"Domestic","gross":{"amount":19551067},"opening":{"amount":6702923},"theaters":3014,"release_date":"2009-10-23"}"#
        ]),
    PageFacts(
        file: "boxofficemojo/release_papillon_france_2022.html", kind: "release", count: 1,
        facts: [
            0:
                #"{"release_id":"rl4152788737","market":"France","gross":{"amount":485806},"opening":{"amount":266683},"theaters":112}"#
        ]),
]

let scrapers: ScraperSet? = try? ScraperSet.load(
    directory: SharedData.repositoryRoot.appendingPathComponent("scrapers"))
let realPagesRoot = SharedData.realPages

/// Whether `actual` holds every member of `expected` (recursively for objects; arrays and
/// scalars must be equal).
func holds(_ actual: JSONValue?, _ expected: JSONValue) -> Bool {
    guard let actual else { return false }
    if case .object(let wanted) = expected {
        guard case .object = actual else { return false }
        return wanted.members.allSatisfy { holds(actual[$0.key], $0.value) }
    }
    return actual == expected
}

@Test func everyRealPageHasAnExpectation() throws {
    guard let root = realPagesRoot else {
        print(SharedData.skipMessage("realpages"))
        return
    }
    let files = try FileManager.default.subpathsOfDirectory(atPath: root.path).filter { $0.hasSuffix(".html") }
    let covered = Set(conformance.map(\.file))
    #expect(Set(files).subtracting(covered).sorted() == [], "pages without a row in the conformance table")
}

@Test(.enabled(if: SharedData.runs(realPagesRoot != nil), "needs ../shared/realpages"), arguments: conformance)
func realPageConforms(_ facts: PageFacts) throws {
    let scrapers = try #require(scrapers)
    let data = try Data(contentsOf: realPagesRoot!.appendingPathComponent(facts.file))
    let extraction = try scrapers.extract(data: data)
    #expect(extraction.site == String(facts.file.prefix { $0 != "/" }))
    #expect(extraction.kind == facts.kind)
    #expect(extraction.rejects.isEmpty, "\(extraction.rejects.map { "\($0.field): \($0.detail)" })")
    if facts.count >= 0 {
        #expect(extraction.records.count == facts.count)
    } else {
        #expect(!extraction.records.isEmpty)
    }
    for (index, text) in facts.facts.sorted(by: { $0.key < $1.key }) {
        let expected = try JSONParser().parse(text).value
        let record = extraction.records.indices.contains(index) ? extraction.records[index].json : nil
        #expect(holds(record, expected), "record \(index): \(record?.serialized() ?? "missing")")
    }
}
