import Foundation

/// An amount of money with its ISO 4217 currency, as budgets and grosses are printed.
public struct Money: Sendable, Hashable, Codable {
    /// The amount (the lower end of a range such as `$50–60 million`).
    public var amount: Decimal
    /// ISO 4217 code: `USD`, `EUR`, `GBP`, …
    public var currency: String
    /// The page marks it as an estimate (`(estimated)`, `est.`, `approx.`, `~`).
    public var estimated: Bool
    /// The upper end when the page gives a range, else `nil`.
    public var amountHigh: Decimal?

    /// Creates an amount.
    public init(amount: Decimal, currency: String, estimated: Bool = false, amountHigh: Decimal? = nil) {
        self.amount = amount
        self.currency = currency
        self.estimated = estimated
        self.amountHigh = amountHigh
    }

    private enum CodingKeys: String, CodingKey {
        case amount, currency, estimated
        case amountHigh = "amount_high"
    }
}
