import Foundation

extension Normalize {
    /// An amount of money with its currency.
    ///
    /// Accepts a currency sign or code before or after the amount (`$1,234,567`, `US$ 12.5 million`,
    /// `€5M`, `£ 1.2 billion`, `5 M€`, `12.5 million USD`, `CA$3,000,000`, `¥1.2 billion`), scale
    /// words (`thousand`, `million`, `billion`, `K`, `M`, `bn`, `Mio.`), ranges (`$50–60 million` →
    /// 50,000,000 with `amount_high` 60,000,000) and estimate marks (`(estimated)`, `est.`, `~`).
    /// Wikipedia footnotes (`$50 million[1]`) are ignored.
    /// - Throws: `missing`, `malformed` (no amount or no currency), `ambiguous` (two currencies).
    public static func money(_ raw: String, locale: String? = nil) throws(NormalizeError) -> Money {
        let text = try raw.cleaned(for: "money")
        let estimated = text.firstMatch(of: estimateMark) != nil
        let currencies = Set(text.matches(of: currencyToken).compactMap { currencyCode(String($0.output.1)) })
        guard let currency = currencies.first else {
            throw NormalizeError(.malformed, "money", raw: raw, "no currency sign or code ($, €, £, USD, …)")
        }
        guard currencies.count == 1 else {
            throw NormalizeError(
                .ambiguous, "money", raw: raw, "several currencies: \(currencies.sorted().joined(separator: ", "))")
        }
        let reader = NumberReader(locale: locale)
        let readings = reader.readings(in: text)
        guard let first = readings.first else { throw NormalizeError(.malformed, "money", raw: raw, "no amount") }
        var high: Decimal?
        if readings.count > 1 {
            let between = text[first.range.upperBound..<readings[1].range.lowerBound]
            guard between.allSatisfy({ "–—-to $€£ ".contains($0) }) else {
                throw NormalizeError(.ambiguous, "money", raw: raw, "several amounts; select just one")
            }
            // `$50–60 million`: the scale word of the upper end applies to both.
            let multiplier = first.hadScaleWord ? first.multiplier : readings[1].multiplier
            high = readings[1].value * readings[1].multiplier
            return Money(amount: first.value * multiplier, currency: currency, estimated: estimated, amountHigh: high)
        }
        return Money(amount: first.scaled, currency: currency, estimated: estimated, amountHigh: high)
    }

    /// Formats money the way ``money(_:locale:)`` reads it back: `$1,234,567`, `€12,500,000.5`.
    public static func formatMoney(_ money: Money) -> String {
        let symbol = ["USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥"][money.currency] ?? money.currency + " "
        let whole = NSDecimalNumber(decimal: money.amount).int64Value
        var fraction = money.amount - Decimal(whole)
        var fractionText = ""
        if fraction != 0 {
            var rounded = Decimal()
            NSDecimalRound(&rounded, &fraction, 2, .plain)
            fractionText = "." + String(format: "%02d", NSDecimalNumber(decimal: rounded * 100).intValue)
        }
        return symbol + formatCount(Int(whole)) + fractionText + (money.estimated ? " (estimated)" : "")
    }

    /// The ISO code for a currency sign or code, or `nil`.
    static func currencyCode(_ token: String) -> String? {
        let signs: [String: String] = [
            "$": "USD", "us$": "USD", "usd": "USD", "€": "EUR", "eur": "EUR", "£": "GBP", "gbp": "GBP",
            "¥": "JPY", "jpy": "JPY", "cn¥": "CNY", "cny": "CNY", "rmb": "CNY", "₹": "INR", "inr": "INR",
            "₩": "KRW", "krw": "KRW", "ca$": "CAD", "c$": "CAD", "cad": "CAD", "a$": "AUD", "au$": "AUD",
            "aud": "AUD", "nz$": "NZD", "nzd": "NZD", "hk$": "HKD", "hkd": "HKD", "r$": "BRL", "brl": "BRL",
            "chf": "CHF", "₽": "RUB", "rub": "RUB", "sek": "SEK", "nok": "NOK", "dkk": "DKK", "mx$": "MXN",
            "mxn": "MXN",
        ]
        return signs[token.lowercased()]
    }

    nonisolated(unsafe) static let currencyToken =
        #/(US\$|CA\$|AU\$|NZ\$|HK\$|MX\$|CN¥|[CAR]\$|\$|€|£|¥|₹|₩|₽|\b(?:USD|EUR|GBP|JPY|CNY|RMB|INR|KRW|CAD|AUD|NZD|HKD|BRL|CHF|RUB|SEK|NOK|DKK|MXN)\b)/#
        .asciiOnlyDigits()
    nonisolated(unsafe) static let estimateMark = #/\(estimated\)|\bestimated\b|\best\.|\bapprox\.?|~/#.ignoresCase()
        .asciiOnlyDigits()
}
