import Foundation
import MarqueeCore
import MarqueeStore

/// Where a model's ratings come from: what `train --dataset` and `evaluate --dataset` accept.
///
/// ```swift
/// let source = RatingSource("ratings")                // a dataset spec, built now
/// let (table, version) = try source.load(store: { try FeatureStore(path: "marquee.sqlite") },
///                                        catalog: { try FeatureCatalog.load(directory: features) })
/// ```
public enum RatingSource: Sendable, Hashable {
    /// A CSV file of `user,item,rating[,timestamp]` rows.
    case file(String)
    /// A dataset spec name (`features/datasets/NAME.toml`, built now) or a recorded version id
    /// (rebuilt byte for byte).
    case dataset(String)

    /// Decides what `reference` names: anything ending in `.csv` or containing a `/` is a file
    /// (never a spec name, which has neither); anything else is a dataset spec or version id.
    public init(_ reference: String) {
        self = reference.hasSuffix(".csv") || reference.contains("/") ? .file(reference) : .dataset(reference)
    }

    /// Reads the ratings and the version id that identifies them: the dataset version id, or
    /// `file:` and the first 16 hex digits of the file's SHA-256.
    /// - Parameters:
    ///   - store: opens the feature store; called only for a dataset.
    ///   - catalog: loads the feature catalog; called only for a dataset.
    /// - Throws: `.noInput` (66) for a missing file, `.dataError` (65) for a malformed CSV (with
    ///   its line), the store's errors for an unknown dataset or a failed expectation, `.failure`
    ///   when the scratch folder the dataset is built into cannot be made.
    public func load(
        store: () throws(MarqueeError) -> FeatureStore,
        catalog: () throws(MarqueeError) -> FeatureCatalog
    ) throws(MarqueeError) -> (table: RatingTable, version: String) {
        switch self {
        case .file(let path):
            let data = try InputFile.read(path, what: "the ratings file")
            let table = try RatingTable.parse(csv: data, source: path)
            return (table, "file:" + Hashing.sha256(data).prefix(16))
        case .dataset(let reference):
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
                "marquee-dataset-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString.prefix(8))")
            do {
                try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            } catch {
                throw MarqueeError(.failure, "cannot create \(directory.path): \(error.localizedDescription)")
            }
            defer { try? FileManager.default.removeItem(at: directory) }
            let (version, file) = try store().materializeDataset(reference, catalog: try catalog(), into: directory)
            return (try RatingTable.load(csv: file), version.id)
        }
    }
}
