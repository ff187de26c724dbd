import Foundation
import MarqueeCore
import Testing

@testable import MarqueeStore

private func catalogError(
    view: String? = nil, dataset: String? = nil, viewName: String = "facts", datasetName: String = "d"
) -> MarqueeError? {
    let folder = scratchDirectory()
    try? FileManager.default.createDirectory(
        at: folder.appendingPathComponent("datasets"), withIntermediateDirectories: true)
    let goodView = "name = \"facts\"\nentity = \"film\"\n\n[[features]]\nname = \"year\"\ntype = \"int\"\n"
    try? (view ?? goodView).write(
        to: folder.appendingPathComponent("\(viewName).toml"), atomically: true, encoding: .utf8)
    if let dataset {
        try? dataset.write(
            to: folder.appendingPathComponent("datasets/\(datasetName).toml"), atomically: true, encoding: .utf8)
    }
    do {
        _ = try FeatureCatalog.load(directory: folder)
        return nil
    } catch {
        return error
    }
}

@Test func validCatalogLoads() throws {
    let catalog = try FeatureCatalog.load(
        directory: URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("features"))
    #expect(catalog.views["film_facts"]?.features.map(\.name) == ["title", "year", "genres"])
    #expect(catalog.datasets["ratings"]?.features.count == 3)
    #expect(catalog.views["film_facts"]?.ttlSeconds == 0)
    #expect(FeatureCatalog.parseTTL("30d") == 2_592_000)
    #expect(FeatureCatalog.parseTTL("-1") == nil)
}

struct CatalogErrorCase: Sendable, CustomTestStringConvertible {
    let view: String?
    let dataset: String?
    let message: String
    let line: Int?
    var testDescription: String { message }
}

@Test(arguments: [
    CatalogErrorCase(
        view: "name = \"facts\"\nentity = \"film\"\nttl = \"3x\"\n[[features]]\nname = \"y\"\ntype = \"int\"\n",
        dataset: nil, message: "ttl \"3x\" is not a duration", line: 3),
    CatalogErrorCase(
        view: "name = \"facts\"\nentity = \"movie\"\n[[features]]\nname = \"y\"\ntype = \"int\"\n", dataset: nil,
        message: "unknown entity \"movie\"", line: 2),
    CatalogErrorCase(
        view:
            "name = \"facts\"\nentity = \"film\"\n[[features]]\nname = \"y\"\ntype = \"int\"\n\n[[features]]\nname = \"z\"\ntype = \"decimal\"\n",
        dataset: nil, message: "unknown type \"decimal\"", line: 9),
    CatalogErrorCase(
        view: "name = \"facts\"\nentity = \"film\"\n[[features]]\nname = \"y\"\ntype = \"int\"\nmax_nul_share = 0.1\n",
        dataset: nil, message: "unknown key \"max_nul_share\"", line: 6),
    CatalogErrorCase(
        view: "name = \"facts\"\nentity = \"film\"\nfeatures = [\n", dataset: nil, message: "TOML syntax", line: nil),
    CatalogErrorCase(
        view: "name = \"other\"\nentity = \"film\"\n[[features]]\nname = \"y\"\ntype = \"int\"\n", dataset: nil,
        message: "differs from the file name", line: 1),
    CatalogErrorCase(
        view: nil, dataset: "name = \"d\"\nrows = \"ratings\"\nfeatures = [\"facts.year\", \"facts.budget\"]\n",
        message: "\"facts.budget\" (number 2) is not declared", line: 3),
    CatalogErrorCase(
        view: nil, dataset: "name = \"d\"\nrows = \"views\"\nfeatures = [\"facts.year\"]\n",
        message: "unknown rows \"views\"", line: 2),
])
func catalogErrorsSayWhereAndWhat(_ example: CatalogErrorCase) throws {
    let error = try #require(catalogError(view: example.view, dataset: example.dataset))
    #expect(error.code == .dataError)
    #expect(error.message.contains(example.message), "\(error)")
    if let line = example.line { #expect(error.location?.hasSuffix(".toml:\(line)") == true, "\(error)") }
}
