import Foundation
import MarqueeCore

extension FeatureStore {
    /// Writes the dataset a training run asked for into `directory` and returns its version:
    /// a dataset spec's name builds it now (recording a version only when the data changed); a
    /// recorded version id, or a unique prefix of one, is rebuilt byte for byte.
    /// - Throws: `MarqueeError` `.dataError` when `nameOrID` is neither, listing what exists;
    ///   whatever building or rebuilding throws.
    public func materializeDataset(_ nameOrID: String, catalog: FeatureCatalog, into directory: URL)
        throws(MarqueeError) -> (version: DatasetVersion, file: URL)
    {
        let file = directory.appendingPathComponent("\(nameOrID).csv")
        if catalog.datasets[nameOrID] != nil {
            let result = try buildDataset(nameOrID, catalog: catalog, format: .csv, output: file)
            return (result.version, file)
        }
        if let version = try datasetVersion(nameOrID) {
            return (try rebuildDataset(version.id, catalog: catalog, output: file), file)
        }
        let names = catalog.datasets.keys.sorted()
        throw MarqueeError(
            .dataError, "no dataset spec or recorded version \"\(nameOrID)\"",
            hint: names.isEmpty
                ? "add features/datasets/NAME.toml"
                : "specs: \(names.joined(separator: ", ")); versions: marquee dataset list")
    }
}
