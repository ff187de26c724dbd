/// Reproducible draws for property tests: xorshift64 from a seed the property framework
/// generated (and shrinks), so a failing case replays exactly.
public struct SeededDraws: Sendable {
    private var state: UInt64

    /// Draws from `seed` (any value; zero is avoided).
    public init(seed: Int) { state = UInt64(truncatingIfNeeded: seed) | 1 }

    /// A number in `0..<bound`.
    public mutating func next(_ bound: Int) -> Int {
        state ^= state << 13
        state ^= state >> 7
        state ^= state << 17
        return Int(state % UInt64(bound))
    }
}
