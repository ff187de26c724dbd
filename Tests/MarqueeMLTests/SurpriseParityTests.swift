import Foundation
import Testing

@testable import MarqueeML

/// Predictions of Surprise 1.1.5 (`algo.predict(u, i, clip=False).est` after `fit` on the full
/// trainset of `ratings`, `random_state=0`), printed once and pasted here. Rows: users a…e and an
/// unknown one; columns: films x, y, z, w and an unknown one.
@Suite struct SurpriseParityTests {
    static let ratings: [(String, String, Double)] = [
        ("a", "x", 4.0), ("a", "y", 2.0), ("b", "x", 3.0), ("c", "z", 5.0), ("b", "w", 1.0), ("a", "z", 4.5),
        ("c", "y", 2.5), ("d", "x", 3.5), ("d", "w", 2.0), ("c", "x", 4.0), ("e", "z", 1.0), ("e", "y", 3.0),
        ("b", "z", 2.0),
    ]
    static let users = ["a", "b", "c", "d", "e", "zz"]
    static let films = ["x", "y", "z", "w", "qq"]

    static func fit(_ algorithm: Algorithm, _ settings: [String]) throws -> (FactorModel, RatingTable) {
        let table = RatingTable(
            users: ratings.map(\.0), items: ratings.map(\.1), ratings: ratings.map(\.2))
        let set = TrainingSet(table: table, rows: Array(0..<table.count))
        let parameters = try Hyperparameters(algorithm, settings: settings + ["rating_min=1", "rating_max=5"])
        return (try Trainer.fit(algorithm, parameters: parameters, on: set, seed: 0), table)
    }

    static func check(_ model: FactorModel, _ table: RatingTable, _ expected: [[Double]], tolerance: Double) {
        for (userIndex, user) in users.enumerated() {
            for (filmIndex, film) in films.enumerated() {
                let row = table.userIDs.firstIndex(of: user).map { model.userRow(of: $0) } ?? -1
                let column = table.itemIDs.firstIndex(of: film).map { model.itemRow(of: $0) } ?? -1
                let score = model.score(user: row, item: column)
                #expect(
                    abs(score - expected[userIndex][filmIndex]) < tolerance,
                    "\(user),\(film): \(score) vs Surprise \(expected[userIndex][filmIndex])")
            }
        }
    }

    /// One epoch with one factor, small enough to follow by hand: the learned parameters equal
    /// Surprise's, which apply `b_u += lr(err − reg·b_u)` etc. rating by rating, user by user.
    @Test func oneEpochOfSVDLearnsSurprisesParameters() throws {
        let (model, _) = try Self.fit(.svd, ["n_factors=1", "n_epochs=1"])
        // Initial factors are NumPy's RandomState(0).normal(0, 0.1): pu = 0.1764, 0.0400, 0.0979,
        // 0.2241, 0.1868 for users a…e, then qi = -0.0977, 0.0950, -0.0151, -0.0103 for x, y, z, w.
        let bu = [
            0.009212078796914401, -0.013271540155559975, 0.014114305968276272, -0.0012541922224621775,
            -0.008912103430814262,
        ]
        let bi = [0.014904540266432852, -0.005963887907716997, 0.004748637677248025, -0.01380252993165044]
        let pu = [
            0.17524580449361896, 0.040106635737883284, 0.09697276215670912, 0.22379088983912465, 0.18689384578513527,
        ]
        let qi = [-0.09542564510300121, 0.09409412195977236, -0.014625912664508519, -0.011676341565570693]
        for index in 0..<5 {
            #expect(abs(model.userBias[index] - bu[index]) < 1e-15)
            #expect(abs(model.userFactors[index] - pu[index]) < 1e-15)
        }
        for index in 0..<4 {
            #expect(abs(model.itemBias[index] - bi[index]) < 1e-15)
            #expect(abs(model.itemFactors[index] - qi[index]) < 1e-15)
        }
        #expect(model.userIDs == ["a", "b", "c", "d", "e"])
        #expect(model.itemIDs == ["x", "y", "z", "w"])
    }

    @Test func svdPredictsWhatSurprisePredicts() throws {
        let (model, table) = try Self.fit(.svd, ["n_factors=3", "n_epochs=2"])
        Self.check(
            model, table,
            [
                [2.9425346852001297, 2.8678830371063437, 2.92001294549278, 2.90857813932832, 2.902852632529726],
                [2.9238352187814973, 2.8611587694534797, 2.903703656958836, 2.849596304921878, 2.857233668741663],
                [2.942922467999068, 2.907835833843063, 2.927482989789423, 2.907810330606347, 2.912409772016106],
                [2.9114707520873644, 2.8331691881256496, 2.884060730157119, 2.8610998019496625, 2.881802245423587],
                [2.899034568290253, 2.8456044331977792, 2.8784821726508953, 2.854722482938556, 2.867114554666783],
                [2.913077598278771, 2.873400149552567, 2.893410177850717, 2.856903824461785, 2.8846153846153846],
            ], tolerance: 1e-12)
    }

    /// SVD++'s implicit factors are updated lazily here (once per user block); the predictions
    /// still equal Surprise's per-rating updates to rounding.
    @Test func svdppPredictsWhatSurprisePredicts() throws {
        let (model, table) = try Self.fit(.svdpp, ["n_factors=3", "n_epochs=2"])
        Self.check(
            model, table,
            [
                [2.9711704458513273, 2.84730347686695, 2.92914886430151, 2.8627242292878363, 2.9102180790716043],
                [2.9431580255036183, 2.8128586818767607, 2.9001099262803627, 2.7902176039583297, 2.8465255860864707],
                [2.974858768049163, 2.8911998600014996, 2.9399722451857198, 2.866451946263783, 2.9234517302291025],
                [2.9530576398642627, 2.792283895324854, 2.903321234154927, 2.8320614306020455, 2.8804305366843868],
                [2.899720766980634, 2.842667707726751, 2.8706692929549034, 2.8068875740221007, 2.860117891508239],
                [2.9231527359837632, 2.869460641682502, 2.8968511448033425, 2.846652777253245, 2.8846153846153846],
            ], tolerance: 1e-12)
    }

    @Test func baselinePredictsWhatBaselineOnlyPredicts() throws {
        let (model, table) = try Self.fit(.baseline, [])
        Self.check(
            model, table,
            [
                [3.1835542682204796, 2.8779537287615065, 3.0469192926348594, 2.760442942553522, 2.977386898640928],
                [2.9400826452320343, 2.634482105773061, 2.803447669646414, 2.516971319565077, 2.7339152756524827],
                [3.2391098237760354, 2.9335092843170623, 3.102474848190415, 2.815998498109078, 3.032942454196484],
                [3.075579566975941, 2.769979027516968, 2.938944591390321, 2.6524682413089837, 2.8694121973963895],
                [2.988469225174626, 2.6828686857156527, 2.8518342495890057, 2.5653578995076685, 2.7823018555950743],
                [3.090782754194936, 2.785182214735963, 2.954147778609316, 2.667671428527979, 2.8846153846153846],
            ], tolerance: 1e-12)
    }

    @Test func sameSeedGivesIdenticalModelBytesAndAnotherSeedDoesNot() throws {
        let table = RatingTable(
            users: Self.ratings.map(\.0), items: Self.ratings.map(\.1), ratings: Self.ratings.map(\.2))
        let set = TrainingSet(table: table, rows: Array(0..<table.count))
        let parameters = try Hyperparameters(.svd, settings: ["n_factors=8"])
        func bytes(_ seed: UInt32) throws -> Data {
            ModelFile.encode(try Trainer.fit(.svd, parameters: parameters, on: set, seed: seed), datasetVersion: "v1")
        }
        #expect(try bytes(0) == bytes(0))
        #expect(try bytes(0) != bytes(1))
    }
}
