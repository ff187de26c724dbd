import Foundation
import MarqueeCore

/// The parameters `marquee tune` found best, as a JSON file that `marquee train --params FILE`
/// (and `evaluate --params FILE`) reads: the algorithm, the settings as `--param` takes them, and
/// what chose them.
public struct ParameterFile: Sendable, Codable, Hashable {
    /// The algorithm the settings belong to.
    public var algorithm: String
    /// `name=value` settings, as `--param` takes them.
    public var settings: [String]
    /// The metric that chose them, its mean over folds, the split and the dataset version.
    public var metric: String
    /// See `metric`.
    public var score: Double
    /// See `metric`.
    public var split: String
    /// See `metric`.
    public var datasetVersion: String?
    /// The Marquee that wrote the file.
    public var marqueeVersion: String

    enum CodingKeys: String, CodingKey {
        case algorithm, settings, metric, score, split
        case datasetVersion = "dataset_version"
        case marqueeVersion = "marquee_version"
    }

    /// The best settings of a search.
    public init(_ result: TuningResult) {
        algorithm = result.request.algorithm.rawValue
        settings = result.bestSettings
        metric = result.request.metric.description
        score = result.trials[result.best].score
        split = result.request.split.description
        datasetVersion = result.trials[result.best].evaluation.datasetVersion
        marqueeVersion = MarqueeVersion.current
    }

    /// The file's JSON (sorted keys, pretty-printed, one trailing newline).
    public func encoded() -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(self)).map { $0 + Data("\n".utf8) } ?? Data()
    }

    /// Reads a parameter file for `algorithm`.
    /// - Throws: `.noInput` for a missing file, `.dataError` for one that is not a parameter file
    ///   or belongs to another algorithm (naming both).
    public static func read(_ path: String, for algorithm: Algorithm) throws(MarqueeError) -> [String] {
        let data = try InputFile.read(path, what: "the parameter file")
        let file: ParameterFile
        do {
            file = try JSONDecoder().decode(ParameterFile.self, from: data)
        } catch {
            throw MarqueeError(
                .dataError, "not a parameter file: \(error)", location: path,
                hint: "give a file marquee tune wrote (its --out)")
        }
        guard file.algorithm == algorithm.rawValue else {
            throw MarqueeError(
                .dataError, "the parameters are for \(file.algorithm), not \(algorithm.rawValue)", location: path,
                hint: "use --algorithm \(file.algorithm), or tune \(algorithm.rawValue)")
        }
        return file.settings
    }
}
