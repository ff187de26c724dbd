import Foundation
import MarqueeNormalize
import PropertyBased
import Testing

private let alphabet: [Character] = Array(
    "0123456789 ,.:-–/()[]%$€£¥★½☆hminPTHMSKkMB&;#x'\"abcdefrstuvwyzé\u{00A0}\u{200E}ttnm")

@Test func arbitraryStringsNeverCrashAnyNormaliser() async {
    let registry = NormalizerRegistry.standard
    await propertyCheck(count: 400, input: Gen.element(of: alphabet).array(of: 0...40)) { characters in
        let raw = String(characters.compactMap { $0 })
        for name in registry.names {
            do {
                _ = try registry[name]!(
                    raw, options: NormalizeOptions(locale: "de", scale: 10, baseURL: "https://example.org/a/"))
            } catch let error as NormalizeError {
                #expect(error.raw == raw)
                #expect(error.normalizer == name)
            } catch {
                Issue.record("\(name) threw \(error), not a NormalizeError")
            }
        }
    }
}

@Test func durationsRoundTrip() async {
    await propertyCheck(count: 300, input: Gen.int(in: 1...60_000)) { minutes in
        #expect((try? Normalize.duration(Normalize.formatDuration(minutes: minutes))) == minutes)
        #expect((try? Normalize.duration("PT\(minutes / 60)H\(minutes % 60)M")) == minutes)
        #expect((try? Normalize.duration("\(minutes) min")) == minutes)
    }
}

@Test func countsRoundTripInEachLocale() async {
    await propertyCheck(
        count: 300, input: Gen.int(in: 0...999_999_999_999), Gen.element(of: [nil, "en-US", "de", "fr"])
    ) { value, locale in
        let locale = locale.flatMap { $0 }
        #expect((try? Normalize.count(Normalize.formatCount(value, locale: locale), locale: locale)) == value)
        #expect(
            (try? Normalize.count("\(Normalize.formatCount(value, locale: locale)) ratings", locale: locale)) == value)
    }
}

@Test func moneyRoundTrips() async {
    await propertyCheck(
        count: 300, input: Gen.int(in: 0...50_000_000_000), Gen.element(of: ["USD", "EUR", "GBP", "JPY"]), Gen.bool
    ) { cents, currency, estimated in
        let money = Money(amount: Decimal(cents) / 100, currency: currency!, estimated: estimated)
        #expect((try? Normalize.money(Normalize.formatMoney(money))) == money, "\(Normalize.formatMoney(money))")
    }
}

@Test func datesRoundTripThroughEveryWrittenForm() async {
    let months = [
        "January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November",
        "December",
    ]
    await propertyCheck(count: 300, input: Gen.int(in: 1870...2100), Gen.int(in: 1...12), Gen.int(in: 1...31)) {
        year, month, day in
        let days = [
            31, (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31,
        ][month - 1]
        let date = PartialDate(year: year, month: month, day: min(day, days))
        #expect((try? Normalize.date(date.description)) == date)
        #expect((try? Normalize.date("\(date.day!) \(months[month - 1]) \(year)")) == date)
        #expect((try? Normalize.date("\(months[month - 1]) \(date.day!), \(year)")) == date)
        #expect((try? Normalize.date("\(months[month - 1].prefix(3)) \(date.day!), \(year) (USA)")) == date)
        #expect((try? Normalize.year("Some Film (\(year))")) == year)
        let encoded = try? JSONEncoder().encode(date)
        #expect(encoded.flatMap { try? JSONDecoder().decode(PartialDate.self, from: $0) } == date)
    }
}

@Test func ratingNormalisationIsMonotonic() async {
    await propertyCheck(
        count: 300, input: Gen.int(in: 0...1000), Gen.int(in: 0...1000), Gen.element(of: [5.0, 10.0, 100.0])
    ) { a, b, scale in
        let scale = scale!
        let low = Double(min(a, b)) / 1000 * scale
        let high = Double(max(a, b)) / 1000 * scale
        guard let lowRating = try? Normalize.rating(String(format: "%.3f/%g", low, scale)),
            let highRating = try? Normalize.rating(String(format: "%.3f out of %g", high, scale))
        else {
            Issue.record("in-range ratings \(low), \(high) of \(scale) were rejected")
            return
        }
        #expect(lowRating.normalised <= highRating.normalised)
        if a != b { #expect(lowRating.normalised < highRating.normalised) }
    }
}

@Test func starsAndLetterboxdClassesAreMonotonicAndAgree() throws {
    var previous = -1.0
    for halves in 1...10 {
        let stars = String(repeating: "★", count: halves / 2) + (halves % 2 == 1 ? "½" : "")
        let fromStars = try Normalize.rating(stars)
        let fromClass = try Normalize.rating("rated-\(halves)")
        #expect(fromStars == fromClass)
        #expect(fromStars.normalised > previous)
        previous = fromStars.normalised
    }
}
