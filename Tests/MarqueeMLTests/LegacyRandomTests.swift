import Testing

@testable import MarqueeML

/// Values printed by NumPy 2.4 (`np.random.RandomState(seed)`), the generator Surprise uses.
@Suite struct LegacyRandomTests {
    @Test func normalDrawsMatchNumPy() {
        var random = LegacyRandom(seed: 0)
        let draws = random.normal(mean: 0, std: 0.1, count: 5)
        let numpy = [
            0.1764052345967664, 0.040015720836722335, 0.09787379841057392, 0.2240893199201458, 0.18675579901499675,
        ]
        for (draw, expected) in zip(draws, numpy) { #expect(abs(draw - expected) < 1e-15) }
    }

    @Test func shuffleMatchesNumPy() {
        var random = LegacyRandom(seed: 0)
        var small = Array(0..<10)
        random.shuffle(&small)
        #expect(small == [2, 8, 4, 9, 1, 6, 7, 3, 0, 5])

        var generator = LegacyRandom(seed: 42)
        var large = Array(0..<100_836)
        generator.shuffle(&large)
        #expect(Array(large.prefix(5)) == [67037, 42175, 93850, 6187, 12229])
        #expect(Array(large.suffix(3)) == [76820, 860, 15795])
    }

    @Test func uniformDrawsMatchNumPy() {
        var random = LegacyRandom(seed: 7)
        let numpy = [0.07630828937395717, 0.7799187922401146, 0.4384092314408935]
        for expected in numpy { #expect(random.nextDouble() == expected) }
    }
}
