/// The inner loops of the factor models, over SIMD4 lanes with a scalar tail.
enum VectorMath {
    /// Σ a[f]·b[f]. Lanes are summed at the end, so the rounding differs from a sequential loop
    /// in the last bits only.
    @inline(__always)
    static func dot(_ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>, _ count: Int) -> Double {
        // Two accumulators (four SSE chains) hide the add latency; the loop is latency-bound otherwise.
        let pairs = count / 8
        var even = SIMD4<Double>()
        var odd = SIMD4<Double>()
        let rawA = UnsafeRawPointer(a)
        let rawB = UnsafeRawPointer(b)
        for pair in 0..<pairs {
            let offset = pair * 64
            // Not addingProduct: without FMA hardware that is a libm call per lane.
            even +=
                rawA.loadUnaligned(fromByteOffset: offset, as: SIMD4<Double>.self)
                * rawB.loadUnaligned(fromByteOffset: offset, as: SIMD4<Double>.self)
            odd +=
                rawA.loadUnaligned(fromByteOffset: offset + 32, as: SIMD4<Double>.self)
                * rawB.loadUnaligned(fromByteOffset: offset + 32, as: SIMD4<Double>.self)
        }
        var sum = (even + odd).sum()
        for f in (pairs * 8)..<count { sum += a[f] * b[f] }
        return sum
    }

    /// Surprise's factor update for one rating, every factor at once:
    /// `p += lrP·(err·q − regP·p)`, `q += lrQ·(err·p_old − regQ·q)`, computed as
    /// `p·(1 − lrP·regP) + (lrP·err)·q` (three operations per lane instead of five).
    @inline(__always)
    static func sgdStep(
        _ p: UnsafeMutablePointer<Double>, _ q: UnsafeMutablePointer<Double>, _ count: Int, error: Double,
        lrP: Double, regP: Double, lrQ: Double, regQ: Double
    ) {
        let keepP = 1 - lrP * regP
        let keepQ = 1 - lrQ * regQ
        let stepP = lrP * error
        let stepQ = lrQ * error
        let chunks = count / 4
        let rawP = UnsafeMutableRawPointer(p)
        let rawQ = UnsafeMutableRawPointer(q)
        for chunk in 0..<chunks {
            let pu = rawP.loadUnaligned(fromByteOffset: chunk * 32, as: SIMD4<Double>.self)
            let qi = rawQ.loadUnaligned(fromByteOffset: chunk * 32, as: SIMD4<Double>.self)
            rawP.storeBytes(of: keepP * pu + stepP * qi, toByteOffset: chunk * 32, as: SIMD4<Double>.self)
            rawQ.storeBytes(of: keepQ * qi + stepQ * pu, toByteOffset: chunk * 32, as: SIMD4<Double>.self)
        }
        for f in (chunks * 4)..<count {
            let pu = p[f]
            let qi = q[f]
            p[f] = keepP * pu + stepP * qi
            q[f] = keepQ * qi + stepQ * pu
        }
    }

    /// `y = keep·y + step·x`, lane by lane.
    @inline(__always)
    static func decayAdd(
        _ y: UnsafeMutablePointer<Double>, keep: Double, _ x: UnsafePointer<Double>, step: Double, _ count: Int
    ) {
        let chunks = count / 4
        let rawY = UnsafeMutableRawPointer(y)
        let rawX = UnsafeRawPointer(x)
        for chunk in 0..<chunks {
            let old = rawY.loadUnaligned(fromByteOffset: chunk * 32, as: SIMD4<Double>.self)
            let add = rawX.loadUnaligned(fromByteOffset: chunk * 32, as: SIMD4<Double>.self)
            rawY.storeBytes(of: keep * old + step * add, toByteOffset: chunk * 32, as: SIMD4<Double>.self)
        }
        for f in (chunks * 4)..<count { y[f] = keep * y[f] + step * x[f] }
    }
}
