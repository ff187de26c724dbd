import Foundation

/// NumPy's legacy `RandomState` generator (MT19937), bit for bit: the same seed gives the same
/// shuffles and normal draws as `np.random.RandomState(seed)`, so a split or an initialisation made
/// here is the one Surprise makes for `random_state=seed`.
///
/// Only what Surprise uses is implemented: `shuffle` of a 1-d array, `normal`, `random_sample`.
public struct LegacyRandom: Sendable {
    private var state = [UInt32](repeating: 0, count: 624)
    private var index = 624
    private var spareGauss: Double?

    /// `np.random.RandomState(seed)` for an integer seed in 0…2³²−1 (`init_genrand`).
    public init(seed: UInt32) {
        state[0] = seed
        for i in 1..<624 {
            state[i] = 1_812_433_253 &* (state[i - 1] ^ (state[i - 1] >> 30)) &+ UInt32(i)
        }
    }

    /// The next 32 random bits (`genrand_int32`).
    public mutating func nextUInt32() -> UInt32 {
        if index >= 624 { twist() }
        var y = state[index]
        index += 1
        y ^= y >> 11
        y ^= (y << 7) & 0x9D2C_5680
        y ^= (y << 15) & 0xEFC6_0000
        y ^= y >> 18
        return y
    }

    private mutating func twist() {
        state.withUnsafeMutableBufferPointer { mt in
            func mix(_ i: Int, _ next: Int, _ far: Int) {
                let y = (mt[i] & 0x8000_0000) | (mt[next] & 0x7FFF_FFFF)
                mt[i] = mt[far] ^ (y >> 1) ^ (y & 1 != 0 ? 0x9908_B0DF : 0)
            }
            for i in 0..<227 { mix(i, i + 1, i + 397) }
            for i in 227..<623 { mix(i, i + 1, i - 227) }
            mix(623, 0, 396)
        }
        index = 0
    }

    /// A double in [0, 1) with 53 random bits (`random_sample`).
    public mutating func nextDouble() -> Double {
        let a = Double(nextUInt32() >> 5)
        let b = Double(nextUInt32() >> 6)
        return (a * 67_108_864.0 + b) / 9_007_199_254_740_992.0
    }

    /// A standard normal draw by the polar method, keeping the second value for the next call
    /// (NumPy's `legacy_gauss`).
    public mutating func nextGaussian() -> Double {
        if let spare = spareGauss {
            spareGauss = nil
            return spare
        }
        var x1 = 0.0
        var x2 = 0.0
        var r2 = 0.0
        repeat {
            x1 = 2 * nextDouble() - 1
            x2 = 2 * nextDouble() - 1
            r2 = x1 * x1 + x2 * x2
        } while r2 >= 1 || r2 == 0
        let f = (-2 * log(r2) / r2).squareRoot()
        spareGauss = f * x1
        return f * x2
    }

    /// `count` draws of `normal(mean, std)`, in order.
    public mutating func normal(mean: Double, std: Double, count: Int) -> [Double] {
        var values = [Double]()
        values.reserveCapacity(count)
        for _ in 0..<count { values.append(mean + std * nextGaussian()) }
        return values
    }

    /// A uniform integer in 0…`max` by masked rejection (NumPy's `random_interval`).
    public mutating func interval(_ max: UInt64) -> UInt64 {
        if max == 0 { return 0 }
        var mask = max
        mask |= mask >> 1
        mask |= mask >> 2
        mask |= mask >> 4
        mask |= mask >> 8
        mask |= mask >> 16
        mask |= mask >> 32
        if max <= 0xFFFF_FFFF {
            while true {
                let value = UInt64(nextUInt32()) & mask
                if value <= max { return value }
            }
        }
        while true {
            let value = ((UInt64(nextUInt32()) << 32) | UInt64(nextUInt32())) & mask
            if value <= max { return value }
        }
    }

    /// Shuffles in place exactly as `RandomState.shuffle` does for a 1-d array.
    public mutating func shuffle<T>(_ elements: inout [T]) {
        guard elements.count > 1 else { return }
        for i in stride(from: elements.count - 1, through: 1, by: -1) {
            let j = Int(interval(UInt64(i)))
            elements.swapAt(i, j)
        }
    }
}
