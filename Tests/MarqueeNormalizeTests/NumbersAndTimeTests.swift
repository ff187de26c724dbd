import Foundation
import MarqueeNormalize
import Testing

// Strings marked "real" are copied from pages in ../shared/realpages (SOURCES.tsv names them).

@Test(arguments: [
    ("PT2H16M", 136),  // real: IMDb JSON-LD, The Matrix
    ("PT142M", 142),
    ("PT8520S", 142),
    ("P0DT2H22M", 142),
    ("pt1h", 60),
    ("2h 22m", 142),
    ("2h22min", 142),
    ("2 hr 22 min", 142),
    ("1 hr 34 min", 94),  // real: Box Office Mojo, Astro Boy
    ("1 hour 30 minutes", 90),
    ("2 hrs", 120),
    ("142 min", 142),
    ("142 mins", 142),
    ("90\u{00A0}mins More at IMDb TMDB", 90),  // real: Letterboxd footer, Breathless
    ("142 minutes", 142),  // real: Rotten Tomatoes, Shawshank
    ("142 minutes[1]", 142),
    ("Running time 104 minutes [3]", 104),  // real: Wikipedia infobox
    ("2:22:00", 142),
    ("2:22", 142),
    ("142 minutes (theatrical) 2 hours 30 minutes (director's cut)", 142),
    ("1,5 Std.", 90),
])
func durationReadsEveryForm(raw: String, minutes: Int) throws {
    #expect(try Normalize.duration(raw) == minutes)
}

@Test(arguments: [
    ("", NormalizeError.Kind.missing), ("   \u{00A0}", .missing), ("142", .malformed), ("two hours", .malformed),
    ("PT", .malformed), ("0 min", .outOfRange), ("99999 hours", .outOfRange),
])
func durationErrorsKeepTheRawValue(raw: String, kind: NormalizeError.Kind) {
    do {
        _ = try Normalize.duration(raw)
        Issue.record("accepted \(raw)")
    } catch {
        #expect(error.kind == kind)
        #expect(error.raw == raw)
        #expect(error.normalizer == "duration")
    }
}

@Test(
    arguments: [
        ("89,249", nil, 89_249),
        ("1,956,171", nil, 1_956_171),  // real: IMDb JSON-LD ratingCount as shown
        ("1,145,629 votes »", nil, 1_145_629),  // real: IMDb 2014 layout
        ("89.249", nil, 89_249),
        ("89.249", "de", 89_249),
        ("1 234 567", nil, 1_234_567),
        ("1\u{202F}234", "fr", 1_234),
        ("1.2M", nil, 1_200_000),
        ("2.1K", nil, 2_100),
        ("412K", nil, 412_000),
        ("1,2 Mio.", nil, 1_200_000),
        ("1,2 Mio.", "de", 1_200_000),
        ("3 Tsd.", nil, 3_000),
        ("12 ratings", nil, 12),
        ("based on 412,337\u{00A0}ratings", nil, 412_337),
        ("1,5K", "de", 1_500),
        ("7", nil, 7),
    ] as [(String, String?, Int)])
func countReadsGroupingAndAbbreviations(raw: String, locale: String?, expected: Int) throws {
    #expect(try Normalize.count(raw, locale: locale) == expected)
}

@Test(arguments: [
    ("", NormalizeError.Kind.missing), ("many", .malformed), ("1,23,4", .malformed), ("-5", .outOfRange),
    ("9.3/10 1,145,629 votes", .ambiguous),
])
func countErrors(raw: String, kind: NormalizeError.Kind) {
    #expect(throws: NormalizeError.self) { try Normalize.count(raw) }
    #expect((try? Normalize.count(raw)) == nil)
    do { _ = try Normalize.count(raw) } catch { #expect(error.kind == kind, "\(error)") }
}

@Test(arguments: [
    ("8.3/10", 8.3, 10.0),
    ("9.3/10", 9.3, 10),  // real: IMDb 2014 layout
    ("8,3/10", 8.3, 10),
    ("4.26 out of 5", 4.26, 5),
    ("3.82 out of 5", 3.82, 5),
    ("★★★½", 3.5, 5),
    ("★★★★★", 5, 5),
    ("½", 0.5, 5),
    ("★★☆☆☆", 2, 5),
    ("rating rated-7", 3.5, 5),  // real: Letterboxd diary class attribute
    ("rated-10", 5, 5),
    ("rated-8", 4, 5),
    ("61%", 61, 100),
    ("91 %", 91, 100),
])
func ratingReadsValueAndScale(raw: String, value: Double, scale: Double) throws {
    let rating = try Normalize.rating(raw)
    #expect(rating.value == value)
    #expect(rating.scale == scale)
    #expect(abs(rating.normalised - value / scale) < 1e-12)
}

@Test func bareRatingNeedsAScale() throws {
    #expect(try Normalize.rating("8.7", scale: 10) == Rating(value: 8.7, scale: 10))
    do {
        _ = try Normalize.rating("8.7")
        Issue.record("a bare number without scale was accepted")
    } catch {
        #expect(error.kind == .malformed)
        #expect(error.message.contains("scale"))
    }
}

@Test(arguments: ["11/10", "6 out of 5", "101%", "rated-11", "8/0"])
func ratingOutOfRangeIsAnError(raw: String) {
    #expect(throws: NormalizeError.self) { try Normalize.rating(raw) }
}

@Test(
    arguments: [
        ("$1,234,567", Decimal(1_234_567), "USD", false, nil),
        ("$65,000,000", 65_000_000, "USD", false, nil),  // real: Box Office Mojo budget
        ("US$ 12.5 million", 12_500_000, "USD", false, nil),
        ("€5M", 5_000_000, "EUR", false, nil),
        ("£ 1.2 billion", 1_200_000_000, "GBP", false, nil),
        ("$50 million[1]", 50_000_000, "USD", false, nil),  // real: Wikipedia, The Wandering Earth
        ("$79.2 million", 79_200_000, "USD", false, nil),  // real: Wikipedia, Uncle Buck
        ("Budget $129 million [4]", 129_000_000, "USD", false, nil),
        ("$15,000,000 (estimated)", 15_000_000, "USD", true, nil),
        ("$50–60 million", 50_000_000, "USD", false, Decimal(60_000_000)),
        ("12.5 million USD", 12_500_000, "USD", false, nil),
        ("5 M€", 5_000_000, "EUR", false, nil),
        ("CA$3,000,000", 3_000_000, "CAD", false, nil),
        ("¥1.2 billion", 1_200_000_000, "JPY", false, nil),
        ("1,5 Mio. €", 1_500_000, "EUR", false, nil),
    ] as [(String, Decimal, String, Bool, Decimal?)])
func moneyReadsAmountCurrencyAndEstimate(
    raw: String, amount: Decimal, currency: String, estimated: Bool, high: Decimal?
) throws {
    let money = try Normalize.money(raw)
    #expect(money.amount == amount)
    #expect(money.currency == currency)
    #expect(money.estimated == estimated)
    #expect(money.amountHigh == high)
}

@Test(arguments: ["", "12 million", "$", "$5 and €6"])
func moneyErrors(raw: String) {
    #expect(throws: NormalizeError.self) { try Normalize.money(raw) }
}
