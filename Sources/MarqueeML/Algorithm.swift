import MarqueeCore
import MarqueeNormalize

/// The recommenders Marquee trains.
public enum Algorithm: String, Sendable, Hashable, Codable, CaseIterable {
    /// Global mean + user and film biases by alternating least squares (Surprise `BaselineOnly`).
    case baseline
    /// Biased matrix factorisation by SGD with Surprise's update rules and defaults.
    case svd
    /// SVD++ (implicit feedback from the films each user rated), Surprise's rules and defaults.
    case svdpp
    /// SVD whose film biases and factors are tied to the films' content features, so films with
    /// few or no ratings still get personalised predictions.
    case hybrid
    /// Sanity baseline: ranks films by rating count, predicts each film's mean rating.
    case popularity
    /// Sanity baseline: normal noise around the mean (Surprise `NormalPredictor`).
    case random
    /// Ranker: implicit ALS (Hu, Koren & Volinsky 2008) with conjugate-gradient solves, as the
    /// `implicit` library fits it; every rating is an interaction.
    case ials
    /// Ranker: BPR-MF (Rendle et al. 2009), pairwise SGD on sampled negatives, with film biases.
    case bpr
    /// Ranker: EASE^R (Steck 2019), the closed-form item-item model with L2; a dense Gram
    /// inverse, so at most `max_films` films.
    case ease
    /// Ranker: item-based nearest neighbours, cosine similarity with shrinkage over the films
    /// each film is most similar to.
    case itemknn

    /// Whether the model predicts ratings (RMSE and MAE mean something); the rankers learn only
    /// an order of films from which films were rated.
    public var predictsRatings: Bool { ![.ials, .bpr, .ease, .itemknn].contains(self) }

    /// Whether scores are sums of film-to-film weights over the films a user rated: EASE's dense
    /// model (user rows mark those films, film rows hold the weights) and ItemKNN's sparse one
    /// (``FactorModel/neighbours``).
    public var isItemItem: Bool { self == .ease || self == .itemknn }

    /// The hyper-parameters the algorithm takes, in display order.
    public var parameterSpecs: [ParameterSpec] {
        let scale = [
            ParameterSpec("rating_min", nil, "lowest rating; predictions clipped (default: data's min)"),
            ParameterSpec("rating_max", nil, "highest rating (default: the data's max)"),
        ]
        func sgd(factors: Double, learningRate: Double) -> [ParameterSpec] {
            [
                ParameterSpec("n_factors", factors, "number of latent factors", integer: true),
                ParameterSpec("n_epochs", 20, "passes over the training ratings", integer: true),
                ParameterSpec("init_mean", 0, "mean of the factors' normal initialisation"),
                ParameterSpec("init_std", 0.1, "standard deviation of the initialisation"),
                ParameterSpec("lr_all", learningRate, "learning rate of every parameter"),
                ParameterSpec("reg_all", 0.02, "regularisation of every parameter"),
                ParameterSpec("lr_bu", nil, "learning rate of user biases (default lr_all)"),
                ParameterSpec("lr_bi", nil, "learning rate of film biases (default lr_all)"),
                ParameterSpec("lr_pu", nil, "learning rate of user factors (default lr_all)"),
                ParameterSpec("lr_qi", nil, "learning rate of film factors (default lr_all)"),
                ParameterSpec("reg_bu", nil, "regularisation of user biases (default reg_all)"),
                ParameterSpec("reg_bi", nil, "regularisation of film biases (default reg_all)"),
                ParameterSpec("reg_pu", nil, "regularisation of user factors (default reg_all)"),
                ParameterSpec("reg_qi", nil, "regularisation of film factors (default reg_all)"),
            ]
        }
        switch self {
        case .baseline:
            return [
                ParameterSpec("n_epochs", 10, "ALS iterations", integer: true),
                ParameterSpec("reg_u", 15, "regularisation of user biases"),
                ParameterSpec("reg_i", 10, "regularisation of film biases"),
            ] + scale
        case .svd:
            return sgd(factors: 100, learningRate: 0.005) + [
                ParameterSpec("biased", 1, "1: mean and biases; 0: pure factorisation (Funk)", integer: true)
            ] + scale
        case .svdpp:
            return sgd(factors: 20, learningRate: 0.007) + [
                ParameterSpec("lr_yj", nil, "learning rate of implicit factors (default lr_all)"),
                ParameterSpec("reg_yj", nil, "regularisation of implicit factors (default reg_all)"),
            ] + scale
        case .hybrid:
            return sgd(factors: 100, learningRate: 0.005) + [
                ParameterSpec("lr_content", 0.001, "learning rate of content-feature weights"),
                ParameterSpec("reg_content", 0.0005, "regularisation of content-feature weights"),
                ParameterSpec(
                    "min_films", 5, "keep feature values shared by >= this many films", integer: true
                ),
            ] + scale
        case .popularity:
            return [
                ParameterSpec(
                    "damping", 0, "pseudo-ratings pulling film means to the global mean")
            ]
                + scale
        case .random:
            return scale
        case .ials:
            return [
                ParameterSpec("n_factors", 100, "latent factors (implicit's default)", integer: true),
                ParameterSpec("n_epochs", 15, "ALS iterations (users then films)", integer: true),
                ParameterSpec("reg", 0.01, "L2 regularisation"),
                ParameterSpec("alpha", 1, "confidence of an interaction: 1 + alpha"),
                ParameterSpec("cg_steps", 3, "conjugate-gradient steps per solve", integer: true),
                ParameterSpec("init_std", 0.01, "standard deviation of the factors' initialisation"),
            ]
        case .bpr:
            return [
                ParameterSpec("n_factors", 100, "latent factors (implicit's default)", integer: true),
                ParameterSpec("n_epochs", 100, "epochs of as many samples as interactions", integer: true),
                ParameterSpec("lr", 0.01, "learning rate"),
                ParameterSpec("reg", 0.01, "L2 regularisation"),
                ParameterSpec("init_std", 0.01, "standard deviation of the factors' initialisation"),
            ]
        case .ease:
            return [
                ParameterSpec("reg", 500, "L2 regularisation λ (Steck's and Cornac's default)"),
                ParameterSpec(
                    "max_films", 20_000, "refuse more films (the Gram matrix is films² doubles)", integer: true),
            ]
        case .itemknn:
            return [
                ParameterSpec("k", 100, "neighbours kept per film (RecBole's default)", integer: true),
                ParameterSpec("shrink", 0, "added to the cosine's denominator (RecBole's default)"),
            ]
        }
    }
}

/// One hyper-parameter: its name, default (`nil`: derived from another), meaning.
public struct ParameterSpec: Sendable, Hashable {
    /// `n_factors`.
    public var name: String
    /// The default, or `nil` when it is derived (from `lr_all`, the data, …).
    public var defaultValue: Double?
    /// One line of help.
    public var help: String
    /// Whether only integers make sense.
    public var integer: Bool

    init(_ name: String, _ defaultValue: Double?, _ help: String, integer: Bool = false) {
        self.name = name
        self.defaultValue = defaultValue
        self.help = help
        self.integer = integer
    }
}

/// An algorithm's resolved hyper-parameters: defaults overridden by `key=value` settings.
public struct Hyperparameters: Sendable, Hashable {
    /// Explicit or default values by name (derived ones absent until resolved).
    public private(set) var values: [String: Double]
    /// The algorithm they belong to.
    public let algorithm: Algorithm

    /// The defaults overridden by `settings` (`["n_factors=50", "lr_all=0.01"]`).
    /// - Throws: `MarqueeError` `.usage` for a malformed setting, an unknown name (with the
    ///   closest known one) or a non-integer where an integer is needed.
    public init(_ algorithm: Algorithm, settings: [String] = []) throws(MarqueeError) {
        self.algorithm = algorithm
        let specs = algorithm.parameterSpecs
        values = [:]
        for spec in specs { values[spec.name] = spec.defaultValue }
        for setting in settings {
            let parts = setting.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2, !parts[0].isEmpty else {
                throw MarqueeError(.usage, "--param \"\(setting)\" is not key=value", hint: "e.g. --param n_factors=50")
            }
            guard let spec = specs.first(where: { $0.name == parts[0] }) else {
                let names = specs.map(\.name)
                let closest = names.min {
                    TextCleanup.editDistance($0, parts[0]) < TextCleanup.editDistance($1, parts[0])
                }
                throw MarqueeError(
                    .usage, "\(algorithm.rawValue) has no parameter \"\(parts[0])\"",
                    hint: (closest.map { "did you mean \($0)? " } ?? "") + "known: \(names.joined(separator: ", "))")
            }
            let text = parts[1].lowercased()
            guard let value = text == "true" ? 1 : text == "false" ? 0 : Double(text), value.isFinite else {
                throw MarqueeError(.usage, "--param \(setting): \"\(parts[1])\" is not a number")
            }
            if spec.integer, value.rounded() != value || value < 0 {
                throw MarqueeError(.usage, "--param \(setting): \(spec.name) must be a whole number ≥ 0")
            }
            values[spec.name] = value
        }
    }

    /// The value of `name`, falling back to `fallback` (`lr_bu` → `lr_all`).
    public func value(_ name: String, or fallback: String? = nil) -> Double {
        values[name] ?? fallback.flatMap { values[$0] } ?? 0
    }

    /// An integer parameter.
    public func integer(_ name: String) -> Int { Int(value(name)) }

    /// The rating scale: `rating_min`/`rating_max` or the training data's range.
    public func ratingScale(data: ClosedRange<Double>) -> ClosedRange<Double> {
        let low = values["rating_min"] ?? data.lowerBound
        let high = values["rating_max"] ?? data.upperBound
        return low <= high ? low...high : high...low
    }

    /// Every parameter, derived ones resolved, for reports and model files.
    public func resolved(data: ClosedRange<Double>) -> [String: Double] {
        var all = values
        for spec in algorithm.parameterSpecs where all[spec.name] == nil {
            switch spec.name {
            case "rating_min": all[spec.name] = ratingScale(data: data).lowerBound
            case "rating_max": all[spec.name] = ratingScale(data: data).upperBound
            case let name where name.hasPrefix("lr_"): all[name] = values["lr_all"]
            case let name where name.hasPrefix("reg_"): all[name] = values["reg_all"]
            default: break
            }
        }
        return all
    }
}

extension Algorithm {
    /// Every algorithm's hyper-parameters and defaults as help text: one paragraph per
    /// algorithm, one `name=default  meaning` line per parameter (`marquee train --help`).
    public static var parameterHelp: String {
        let width = allCases.flatMap(\.parameterSpecs).map { $0.name.count + $0.defaultText.count + 1 }.max() ?? 0
        return allCases.map { algorithm in
            let lines = algorithm.parameterSpecs.map { spec in
                let setting = "\(spec.name)=\(spec.defaultText)"
                return "  " + setting + String(repeating: " ", count: width - setting.count + 2) + spec.help
            }
            return "\(algorithm.rawValue):\n" + lines.joined(separator: "\n")
        }.joined(separator: "\n")
    }
}

extension ParameterSpec {
    /// The default as written on a command line (`100`, `0.005`), or `…` when it is derived.
    public var defaultText: String {
        guard let defaultValue else { return "…" }
        return integer || defaultValue == defaultValue.rounded() ? String(Int(defaultValue)) : "\(defaultValue)"
    }
}
