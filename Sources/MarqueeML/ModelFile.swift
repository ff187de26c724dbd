import Foundation
import MarqueeCore

/// Reads and writes `.mqm` model files (see `docs/model-format.md`):
///
/// ```
/// "MQMODEL\0"  u32 LE format version  u32 LE header length  header JSON (UTF-8)
/// zero padding to a multiple of 8 bytes   arrays (little-endian float32 / int32)
/// ```
///
/// The header names every array with its dtype, shape and byte offset from the start of the
/// array section, so any language can load the model. The bytes depend only on the model: the
/// same seed and data give the same file.
public enum ModelFile {
    /// The first 8 bytes.
    public static let magic: [UInt8] = Array("MQMODEL\0".utf8)
    /// The newest format version this code writes and reads: 2 adds the sparse item-item arrays
    /// (`neighbour_start`, `neighbour_items`, `neighbour_weights`). A model without them is
    /// written as version 1, byte for byte what earlier releases wrote, and both are read.
    public static let formatVersion: UInt32 = 2
    /// Every format version this code reads.
    public static let readableVersions: ClosedRange<UInt32> = 1...2

    /// The JSON header.
    public struct Header: Codable, Sendable {
        /// One stored array.
        public struct ArrayEntry: Codable, Sendable {
            /// `user_factors`.
            public var name: String
            /// `float32` or `int32`.
            public var dtype: String
            /// Dimensions, row-major.
            public var shape: [Int]
            /// Byte offset from the start of the array section.
            public var offset: Int
        }

        /// 1, or 2 when the model has sparse item-item arrays.
        public var formatVersion: UInt32
        /// What trained the model.
        public var algorithm: Algorithm
        /// Every hyper-parameter, resolved.
        public var params: [String: Double]
        /// The dataset version trained on.
        public var datasetVersion: String?
        /// The Marquee that wrote the file.
        public var marqueeVersion: String
        /// `[min, max]` of predictions.
        public var ratingScale: [Double]
        /// μ.
        public var globalMean: Double
        /// See ``FactorModel/biased``.
        public var biased: Bool
        /// Factors per row.
        public var nFactors: Int
        /// The random model's noise seed.
        public var noiseSeed: UInt64?
        /// The random model's noise standard deviation.
        public var noiseStd: Double?
        /// User ids by row.
        public var users: [String]
        /// Film ids by row.
        public var items: [String]
        /// Film labels by row.
        public var itemLabels: [String]?
        /// The stored arrays.
        public var arrays: [ArrayEntry]

        enum CodingKeys: String, CodingKey {
            case algorithm, params, biased, users, items, arrays
            case formatVersion = "format_version"
            case datasetVersion = "dataset_version"
            case marqueeVersion = "marquee_version"
            case ratingScale = "rating_scale"
            case globalMean = "global_mean"
            case nFactors = "n_factors"
            case noiseSeed = "noise_seed"
            case noiseStd = "noise_std"
            case itemLabels = "item_labels"
        }
    }

    /// A model read back, with the dataset version it was trained on.
    public struct Loaded: Sendable {
        /// The model (float32 values widened to double).
        public var model: FactorModel
        /// The header as stored.
        public var header: Header
    }

    /// The file's bytes for `model`, trained on `datasetVersion`.
    public static func encode(_ model: FactorModel, datasetVersion: String?) -> Data {
        var section = Data()
        var entries: [Header.ArrayEntry] = []
        func add(_ name: String, floats: [Double], shape: [Int]) {
            entries.append(.init(name: name, dtype: "float32", shape: shape, offset: section.count))
            for value in floats {
                withUnsafeBytes(of: Float(value).bitPattern.littleEndian) { section.append(contentsOf: $0) }
            }
        }
        func add(_ name: String, ints: [Int32], shape: [Int]) {
            entries.append(.init(name: name, dtype: "int32", shape: shape, offset: section.count))
            for value in ints { withUnsafeBytes(of: value.littleEndian) { section.append(contentsOf: $0) } }
        }
        let users = model.userIDs.count
        let items = model.itemIDs.count
        add("user_bias", floats: model.userBias, shape: [users])
        add("item_bias", floats: model.itemBias, shape: [items])
        add("user_factors", floats: model.userFactors, shape: [users, model.factorCount])
        add("item_factors", floats: model.itemFactors, shape: [items, model.factorCount])
        add("item_rating_count", ints: model.itemRatingCount, shape: [items])
        add("seen_start", ints: model.seenStart.map { Int32($0) }, shape: [model.seenStart.count])
        add("seen_items", ints: model.seenItems, shape: [model.seenItems.count])
        if let score = model.itemRankScore { add("item_rank_score", floats: score, shape: [items]) }
        if let neighbours = model.neighbours {
            add("neighbour_start", ints: neighbours.start.map { Int32($0) }, shape: [items + 1])
            add("neighbour_items", ints: neighbours.sources, shape: [neighbours.sources.count])
            add("neighbour_weights", floats: neighbours.weights, shape: [neighbours.weights.count])
        }
        let version: UInt32 = model.neighbours == nil ? 1 : formatVersion

        let header = Header(
            formatVersion: version, algorithm: model.algorithm, params: model.parameters,
            datasetVersion: datasetVersion, marqueeVersion: MarqueeVersion.current,
            ratingScale: [model.ratingScale.lowerBound, model.ratingScale.upperBound], globalMean: model.globalMean,
            biased: model.biased, nFactors: model.factorCount, noiseSeed: model.noise?.seed,
            noiseStd: model.noise?.standardDeviation, users: model.userIDs, items: model.itemIDs,
            itemLabels: model.itemLabels, arrays: entries)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let json = (try? encoder.encode(header)) ?? Data()
        var file = Data(magic)
        withUnsafeBytes(of: version.littleEndian) { file.append(contentsOf: $0) }
        withUnsafeBytes(of: UInt32(json.count).littleEndian) { file.append(contentsOf: $0) }
        file.append(json)
        file.append(contentsOf: [UInt8](repeating: 0, count: (8 - file.count % 8) % 8))
        file.append(section)
        return file
    }

    /// Writes `model` to `url` atomically; returns the bytes written.
    @discardableResult
    public static func write(_ model: FactorModel, datasetVersion: String?, to url: URL) throws(MarqueeError) -> Data {
        guard model.isFinite, model.fitsFloat32 else {
            throw MarqueeError(
                .dataError, "the model has infinite, NaN or out-of-range terms and is not written",
                location: url.path, hint: "train again with a lower lr_all or a higher reg_all")
        }
        let bytes = encode(model, datasetVersion: datasetVersion)
        do {
            try bytes.write(to: url, options: .atomic)
            return bytes
        } catch {
            throw MarqueeError(.failure, "cannot write \(url.path): \(error.localizedDescription)")
        }
    }

    /// Reads a model file.
    /// - Throws: `MarqueeError` `.dataError` saying what is wrong with the file (not a model, a
    ///   newer format, truncated arrays), `.noInput` (66) when it is missing, `.noPermission` (77)
    ///   when it cannot be read.
    public static func read(_ url: URL) throws(MarqueeError) -> Loaded {
        try decode(try InputFile.read(url.path, what: "the model file"), source: url.path)
    }

    /// Decodes a model file's bytes; `source` names them in errors.
    public static func decode(_ data: Data, source: String) throws(MarqueeError) -> Loaded {
        let bytes = [UInt8](data)
        func fail(_ message: String) -> MarqueeError {
            MarqueeError(.dataError, message, location: source, hint: "train it again with marquee train")
        }
        guard bytes.count >= 16, Array(bytes[0..<8]) == magic else { throw fail("not a Marquee model file") }
        func u32(_ at: Int) -> UInt32 {
            UInt32(bytes[at]) | UInt32(bytes[at + 1]) << 8 | UInt32(bytes[at + 2]) << 16 | UInt32(bytes[at + 3]) << 24
        }
        let version = u32(8)
        guard readableVersions.contains(version) else {
            throw fail(
                "format version \(version); this Marquee reads versions \(readableVersions.lowerBound)–\(readableVersions.upperBound)"
            )
        }
        let length = Int(u32(12))
        guard 16 + length <= bytes.count else { throw fail("header truncated") }
        let header: Header
        do {
            header = try JSONDecoder().decode(Header.self, from: Data(bytes[16..<(16 + length)]))
        } catch {
            throw fail("header is not valid: \(error)")
        }
        let base = (16 + length + 7) / 8 * 8
        func array(_ name: String, required: Bool = true) throws(MarqueeError) -> (
            entry: Header.ArrayEntry, start: Int
        )? {
            guard let entry = header.arrays.first(where: { $0.name == name }) else {
                if required { throw fail("array \(name) missing") }
                return nil
            }
            // Sizes come from the file: checked for sign and overflow before any arithmetic uses them.
            var count = 1
            for dimension in entry.shape {
                let (product, overflow) = count.multipliedReportingOverflow(by: dimension)
                guard dimension >= 0, !overflow, product <= bytes.count else { throw fail("array \(name) truncated") }
                count = product
            }
            guard entry.offset >= 0, entry.offset <= bytes.count, base + entry.offset + count * 4 <= bytes.count else {
                throw fail("array \(name) truncated")
            }
            return (entry, base + entry.offset)
        }
        func floats(_ name: String, required: Bool = true) throws(MarqueeError) -> [Double]? {
            guard let (entry, start) = try array(name, required: required) else { return nil }
            return (0..<entry.shape.reduce(1, *)).map { Double(Float(bitPattern: u32(start + $0 * 4))) }
        }
        func ints(_ name: String, required: Bool = true) throws(MarqueeError) -> [Int32]? {
            guard let (entry, start) = try array(name, required: required) else { return nil }
            return (0..<entry.shape.reduce(1, *)).map { Int32(bitPattern: u32(start + $0 * 4)) }
        }
        guard header.ratingScale.count == 2 else { throw fail("rating_scale needs two values") }
        guard (0...bytes.count).contains(header.nFactors) else { throw fail("n_factors \(header.nFactors) is out of range") }
        var model = FactorModel(
            algorithm: header.algorithm, parameters: header.params,
            ratingScale: header.ratingScale[0]...max(header.ratingScale[0], header.ratingScale[1]),
            globalMean: header.globalMean, biased: header.biased, factorCount: header.nFactors,
            userIDs: header.users, itemIDs: header.items, itemLabels: header.itemLabels,
            userBias: try floats("user_bias")!, itemBias: try floats("item_bias")!,
            userFactors: try floats("user_factors")!, itemFactors: try floats("item_factors")!,
            itemRatingCount: try ints("item_rating_count")!, seenStart: try ints("seen_start")!.map(Int.init),
            seenItems: try ints("seen_items")!, itemRankScore: try floats("item_rank_score", required: false),
            noise: nil)
        if let start = try ints("neighbour_start", required: false) {
            guard let sources = try ints("neighbour_items", required: false),
                let weights = try floats("neighbour_weights", required: false),
                let neighbours = ItemNeighbours(
                    films: header.items.count, start: start.map(Int.init), sources: sources, weights: weights)
            else {
                throw fail("the neighbour arrays do not fit together (start, items and weights of \(header.items.count) films)")
            }
            model.neighbours = neighbours
        }
        if let seed = header.noiseSeed, let std = header.noiseStd {
            model.noise = FactorModel.Noise(seed: seed, standardDeviation: std)
        }
        guard model.isFinite, header.globalMean.isFinite, header.ratingScale.allSatisfy(\.isFinite) else {
            throw fail("the model holds infinite or NaN values")
        }
        guard model.userBias.count == header.users.count, model.itemBias.count == header.items.count,
            model.userFactors.count == header.users.count * header.nFactors,
            model.itemFactors.count == header.items.count * header.nFactors,
            model.seenStart.count == header.users.count + 1, model.itemRatingCount.count == header.items.count
        else { throw fail("array shapes do not match the id lists") }
        // Scoring indexes film rows by these: a row out of range would read outside the tables.
        guard model.seenStart.first == 0, model.seenStart.last == model.seenItems.count,
            zip(model.seenStart, model.seenStart.dropFirst()).allSatisfy({ $0 <= $1 }),
            model.seenItems.allSatisfy({ $0 >= 0 && Int($0) < header.items.count })
        else { throw fail("seen_start and seen_items do not describe film rows of \(header.items.count) films") }
        return Loaded(model: model, header: header)
    }
}
