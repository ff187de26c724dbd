import Foundation
import MarqueeCore
import Testing

@testable import MarqueeML

@Suite struct DataTests {
    static let csv = """
        user,film,rating,event_time,title,year,genres
        u1,f1,4.0,2020-01-01T00:00:00Z,"Film, One",1999,drama|comedy
        u1,f2,3.0,2020-01-03T00:00:00Z,Two,2001,drama
        u2,f1,5.0,2020-01-02T00:00:00Z,"Film, One",1999,drama|comedy
        u2,f3,2.0,2020-01-05T00:00:00Z,Three,,horror
        u1,f3,1.0,2020-01-04T00:00:00Z,Three,,horror

        """

    @Test func readsDatasetCSVWithContentColumns() throws {
        let table = try RatingTable.parse(csv: Data(Self.csv.utf8), source: "t.csv")
        #expect(table.userIDs == ["u1", "u2"])
        #expect(table.itemIDs == ["f1", "f2", "f3"])
        #expect(table.ratings == [4, 3, 5, 2, 1])
        #expect(table.times?[0] == Microseconds.parse("2020-01-01T00:00:00Z"))
        #expect(table.itemLabels == ["Film, One (1999)", "Two (2001)", "Three"])
        #expect(table.itemAttributes["genres"] == ["drama|comedy", "drama", "horror"])
        #expect(table.ratingRange == 1...5)
    }

    @Test func badInputNamesFileLineAndFix() {
        #expect {
            try RatingTable.parse(csv: Data("user,item,score\nu,f,1\n".utf8), source: "x.csv")
        } throws: { error in
            let error = error as! MarqueeError
            return error.code == .dataError && error.location == "x.csv:1" && error.message.contains("rating")
        }
        #expect {
            try RatingTable.parse(csv: Data("user,film,rating\nu,f,1\nu,g,five\n".utf8), source: "x.csv")
        } throws: { error in
            let error = error as! MarqueeError
            return error.location == "x.csv:3" && error.message.contains("\"five\"")
        }
    }

    @Test func fastTimeParserAgreesWithTheGeneralOne() {
        for text in ["1970-01-01T00:00:00Z", "1996-03-29T18:36:55Z", "2024-02-29T23:59:59Z", "1969-12-31T23:59:59Z"] {
            #expect(RatingTable.parseTime(text) == Microseconds.parse(text), "\(text)")
        }
    }

    @Test func trainingSetKeepsSurprisesInnerOrder() throws {
        let table = try RatingTable.parse(csv: Data(Self.csv.utf8), source: "t.csv")
        let set = TrainingSet(table: table, rows: [4, 0, 2])  // u1 f3, u1 f1, u2 f1
        #expect(set.userOfInner == [0, 1])
        #expect(set.itemOfInner == [2, 0])  // f3 first seen, then f1
        var visited: [String] = []
        set.forEachRating { user, item, rating in visited.append("\(user)-\(item)-\(rating)") }
        #expect(visited == ["0-0-1.0", "0-1-4.0", "1-1-5.0"])
        #expect(abs(set.globalMean - 10.0 / 3) < 1e-12)
        #expect(set.innerOfItem[1] == -1)  // f2 is not in training
    }

    @Test func kFoldPartitionsLikeSurprise() throws {
        let table = RatingTable(
            users: (0..<10).map { "u\($0 % 3)" }, items: (0..<10).map { "f\($0)" },
            ratings: Array(repeating: 3, count: 10))
        let folds = try SplitStrategy.kFold(3).folds(of: table, seed: 0)
        // NumPy: RandomState(0).shuffle(arange(10)) → 2 8 4 9 1 6 7 3 0 5; fold sizes 4, 3, 3.
        #expect(folds.map(\.test) == [[2, 8, 4, 9], [1, 6, 7], [3, 0, 5]])
        #expect(folds[0].train == [1, 6, 7, 3, 0, 5])
    }

    @Test func stratifiedTemporalAndColdSplits() throws {
        let table = try RatingTable.parse(csv: Data(Self.csv.utf8), source: "t.csv")
        let stratified = try SplitStrategy(parsing: "stratified:0.5").folds(of: table, seed: 3)[0]
        // Every user with ≥ 2 ratings is on both sides.
        for user in 0..<2 {
            #expect(stratified.train.contains { table.users[$0] == user })
            #expect(stratified.test.contains { table.users[$0] == user })
        }
        let temporal = try SplitStrategy(parsing: "temporal:1").folds(of: table, seed: 0)[0]
        #expect(temporal.test == [3, 4])  // u1's last is row 4 (01-04), u2's last is row 3 (01-05)
        let cold = try SplitStrategy(parsing: "cold-items:0.34").folds(of: table, seed: 0)[0]
        let hidden = Set(cold.test.map { table.items[$0] })
        #expect(hidden.count == 1)
        #expect(cold.train.allSatisfy { !hidden.contains(table.items[$0]) })
        #expect(cold.train.count + cold.test.count == table.count)
    }

    @Test func splitSpellingErrorsAreUsageErrors() {
        for bad in ["cv:1", "stratified:1.5", "temporal:0", "holdout:0.8"] {
            #expect(throws: MarqueeError.self) { try SplitStrategy(parsing: bad) }
        }
        #expect(throws: MarqueeError.self) {
            try SplitStrategy.temporal(lastN: 1).folds(
                of: RatingTable(users: ["u"], items: ["f"], ratings: [1]), seed: 0)
        }
    }

    @Test func unknownParameterSuggestsTheClosestName() {
        #expect {
            try Hyperparameters(.svd, settings: ["n_factor=50"])
        } throws: { error in
            let error = error as! MarqueeError
            return error.code == .usage && (error.hint ?? "").contains("did you mean n_factors")
        }
        #expect(throws: MarqueeError.self) { try Hyperparameters(.svd, settings: ["n_epochs=2.5"]) }
        #expect(throws: MarqueeError.self) { try Hyperparameters(.svd, settings: ["lr_all"]) }
    }

    @Test func derivedParametersResolveFromTheirDefaults() throws {
        let parameters = try Hyperparameters(.svd, settings: ["lr_all=0.01", "lr_bu=0.5"])
        let resolved = parameters.resolved(data: 0.5...5)
        #expect(resolved["lr_bi"] == 0.01)
        #expect(resolved["lr_bu"] == 0.5)
        #expect(resolved["reg_qi"] == 0.02)
        #expect(resolved["rating_min"] == 0.5)
    }

    @Test func modelFileRoundTripsAndRejectsDamage() throws {
        let table = try RatingTable.parse(csv: Data(Self.csv.utf8), source: "t.csv")
        let set = TrainingSet(table: table, rows: Array(0..<table.count))
        let model = try Trainer.fit(
            .svd, parameters: try Hyperparameters(.svd, settings: ["n_factors=6"]), on: set, seed: 4)
        let bytes = ModelFile.encode(model, datasetVersion: "abc")
        #expect(Array(bytes.prefix(8)) == ModelFile.magic)
        #expect(bytes.count % 8 == 0)
        let loaded = try ModelFile.decode(bytes, source: "m.mqm")
        #expect(loaded.header.datasetVersion == "abc")
        #expect(loaded.model.itemLabels == model.itemLabels)
        #expect(loaded.model.seenItems == model.seenItems)
        for user in 0..<2 {
            for item in -1..<3 {
                // Stored as float32: equal to ~1e-6.
                #expect(
                    abs(loaded.model.predict(user: user, item: item) - model.predict(user: user, item: item)) < 1e-5)
            }
        }
        #expect(throws: MarqueeError.self) { try ModelFile.decode(Data("not a model".utf8), source: "m") }
        #expect(throws: MarqueeError.self) { try ModelFile.decode(bytes.prefix(bytes.count - 8), source: "m") }
        var newer = bytes
        newer[8] = 9
        #expect {
            try ModelFile.decode(newer, source: "m.mqm")
        } throws: { error in (error as! MarqueeError).message.contains("format version 9") }
    }

    @Test func contentFeaturesSkipFreeTextAndBinNumbers() throws {
        let table = try RatingTable.parse(csv: Data(Self.csv.utf8), source: "t.csv")
        let features = ContentFeatures(table: table, minFilms: 1)
        #expect(features.names.contains("genres=drama"))
        #expect(!features.names.contains { $0.hasPrefix("title") })
        #expect(features.names.contains { $0.hasPrefix("year∈") })
        // f1 has drama and comedy (weight 1/√2 each) plus one year bin.
        let f1 = features.range(of: 0)
        #expect(f1.count == 3)
        #expect(features.value[f1].filter { abs($0 - 1 / 2.0.squareRoot()) < 1e-12 }.count == 2)
    }
}
