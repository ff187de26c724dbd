import Foundation
import MarqueeCore
import MarqueeStore
import Testing

@testable import MarqueeML

@Suite struct RatingSourceTests {
    let noStore: () throws(MarqueeError) -> FeatureStore = { () throws(MarqueeError) -> FeatureStore in
        throw MarqueeError(.failure, "the store must not be opened for a file")
    }
    let noCatalog: () throws(MarqueeError) -> FeatureCatalog = { () throws(MarqueeError) -> FeatureCatalog in
        throw MarqueeError(.failure, "the catalog must not be loaded for a file")
    }

    @Test(arguments: [
        ("ratings", RatingSource.dataset("ratings")), ("3f2a9c1d", .dataset("3f2a9c1d")),
        ("data.csv", .file("data.csv")), ("dir/ratings", .file("dir/ratings")), ("./x", .file("./x")),
    ])
    func aPathIsAFileAndANameIsADataset(reference: String, expected: RatingSource) {
        #expect(RatingSource(reference) == expected)
    }

    @Test func aFileIsReadWithoutOpeningTheStoreAndIdentifiedByItsHash() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("ratings-\(UUID().uuidString).csv")
        defer { try? FileManager.default.removeItem(at: file) }
        let csv = "user,film,rating\nu1,f1,4\nu2,f1,3\nu1,f2,5\n"
        try csv.write(to: file, atomically: true, encoding: .utf8)
        let (table, version) = try RatingSource(file.path).load(
            store: noStore, catalog: noCatalog)
        #expect(table.count == 3)
        #expect(version == "file:" + Hashing.sha256(Data(csv.utf8)).prefix(16))
    }

    @Test func aMissingFileIs66AndAnUnknownDatasetSaysSo() throws {
        let missing = #expect(throws: MarqueeError.self) {
            try RatingSource("/nonexistent/ratings.csv").load(
                store: noStore, catalog: noCatalog)
        }
        #expect(missing?.code == .noInput)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("rs-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let unknown = #expect(throws: MarqueeError.self) {
            try RatingSource("no_such_dataset").load(
                store: { () throws(MarqueeError) in
                    try FeatureStore(path: folder.appendingPathComponent("s.sqlite").path)
                },
                catalog: { () throws(MarqueeError) in
                    try FeatureCatalog.load(
                        directory: URL(fileURLWithPath: #filePath).deletingLastPathComponent()
                            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("features"))
                })
        }
        #expect(unknown?.message.contains("no_such_dataset") == true)
    }
}
