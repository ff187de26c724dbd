import ArgumentParser
import Foundation
import Logging
import MarqueeCore
import MarqueeObjectStore
import MarqueeML
import MarqueeStore

extension Algorithm: ExpressibleByArgument {}

extension GlobalOptions {
    /// The ratings `--dataset` names (``RatingSource``) and their version id.
    func loadRatings(_ reference: String) throws(MarqueeError) -> (table: RatingTable, version: String) {
        try RatingSource(reference).load(store: openStore, catalog: loadCatalog)
    }

    /// ``loadRatings(_:)``, an `s3://` CSV downloaded first.
    func loadRatings(_ reference: String, objectStore: ObjectStoreOptions, logger: Logger) async throws
        -> (table: RatingTable, version: String)
    {
        guard S3Location.isURI(reference) else { return try loadRatings(reference) }
        return try await objectStore.withLocalCopy(of: reference, logger: logger) { try loadRatings($0.path) }
    }
}

/// Where `evaluate` and `tune` get their ratings and how they split them: `--dataset` with `--cv`
/// or `--split`, or a fixed split from files (`--train`, `--test`).
struct SplitOptions: ParsableArguments {
    @Option(help: "Dataset spec name, recorded version id, or a CSV file (local or s3://BUCKET/KEY).") var dataset: String?
    @Option(help: "A fixed split from files: the training ratings (CSV, with --test).") var train: String?
    @Option(help: "The test ratings (CSV, with --train); candidates are every film the user did not rate in it.")
    var test: String?
    @Option(help: "k-fold cross-validation with this many folds (default \(Self.defaultFolds) unless --split).")
    var cv: Int?
    @Option(help: "random:RATIO, stratified:RATIO, temporal:N or cold-items:FRACTION.") var split: String?
    @OptionGroup var objectStore: ObjectStoreOptions

    /// `--cv`'s default.
    static let defaultFolds = 5

    func validate() throws {
        if cv != nil, split != nil { throw ValidationError("give --cv or --split, not both") }
        if (train == nil) != (test == nil) { throw ValidationError("give --train and --test together") }
        if train != nil, dataset != nil || cv != nil || split != nil {
            throw ValidationError("--train and --test are the split: give them instead of --dataset, --cv and --split")
        }
        if train == nil, dataset == nil { throw ValidationError("give --dataset, or --train and --test") }
        if let cv, cv < 2 { throw ValidationError("--cv needs at least 2 folds") }
    }

    /// What reports call the data: the dataset reference, or both files.
    var name: String { dataset ?? "\(train ?? "") + \(test ?? "")" }

    /// The ratings, their version id (for files, `file:TRAIN+TEST`, each the first 16 hex digits of
    /// the file's SHA-256) and the split.
    /// `s3://` files are downloaded first (their version id is the bytes', as for a local file).
    func load(_ global: GlobalOptions, folds: Int = defaultFolds, logger: Logger) async throws -> (
        table: RatingTable, version: String, split: SplitStrategy
    ) {
        if let train, let test {
            let training = try await objectStore.withLocalCopy(of: train, logger: logger) {
                try RatingSource.file($0.path).load(store: global.openStore, catalog: global.loadCatalog)
            }
            let testing = try await objectStore.withLocalCopy(of: test, logger: logger) {
                try RatingSource.file($0.path).load(store: global.openStore, catalog: global.loadCatalog)
            }
            return (
                training.table.appending(testing.table), training.version + "+" + testing.version.dropFirst(5),
                .files(trainRows: training.table.count)
            )
        }
        let strategy =
            try split.map { text throws(MarqueeError) in try SplitStrategy(parsing: text) } ?? .kFold(cv ?? folds)
        let (table, version) = try await global.loadRatings(dataset!, objectStore: objectStore, logger: logger)
        return (table, version, strategy)
    }
}
