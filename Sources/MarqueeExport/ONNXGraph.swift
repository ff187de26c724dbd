import Foundation
import MarqueeCore
import MarqueeML

/// Builds ONNX models (opset 13, IR version 7) from a `FactorModel`.
///
/// Every table gets a row 0 for ids the model does not know, all zeros, so index 0 predicts
/// what Marquee predicts for an unknown id (bias-only or the global mean). Index = model row + 1.
public enum ONNXGraph {
    /// ONNX operator set used.
    public static let opset: Int64 = 13
    /// ONNX IR version written.
    public static let irVersion: Int64 = 7

    /// Names of the rating graph's inputs and output.
    public static let userInput = "user_index"
    /// See ``userInput``.
    public static let itemInput = "item_index"
    /// See ``userInput``.
    public static let ratingOutput = "rating"
    /// The top-k graph's second input and outputs.
    public static let kInput = "k"
    /// See ``kInput``.
    public static let scoresOutput = "scores"
    /// See ``kInput``.
    public static let topItemsOutput = "top_item_index"

    /// Whether `model` can be exported, and why not.
    public static func check(_ model: FactorModel) throws(MarqueeError) {
        if model.noise != nil {
            throw MarqueeError(
                .usage, "a random model draws noise per pair and has no ONNX form",
                hint: "export baseline, svd, svdpp, hybrid or popularity")
        }
        if !model.biased {
            throw MarqueeError(
                .usage,
                "unbiased SVD (biased=0) falls back to the mean for unknown ids, which the exported graph cannot",
                hint: "train with the default biased=1")
        }
    }

    /// The rating graph: `clip(μ + b_u + b_i + Σ p_u·q_i)` for a batch of (user, film) indices.
    public static func ratingModel(_ model: FactorModel, name: String) throws(MarqueeError) -> Onnx_ModelProto {
        try check(model)
        var graph = Onnx_GraphProto()
        graph.name = name
        graph.input = [tensorInfo(userInput, .int64, ["batch"]), tensorInfo(itemInput, .int64, ["batch"])]
        graph.output = [tensorInfo(ratingOutput, .float, ["batch"])]
        let users = model.userIDs.count + 1
        let items = model.itemIDs.count + 1
        graph.initializer = [
            floatTensor("user_bias", [users], [0] + model.userBias),
            floatTensor("item_bias", [items], [0] + model.itemBias),
            floatTensor("global_mean", [], [model.globalMean]),
            floatTensor("rating_min", [], [model.ratingScale.lowerBound]),
            floatTensor("rating_max", [], [model.ratingScale.upperBound]),
        ]
        graph.node = [
            node("Gather", ["user_bias", userInput], ["b_u"]),
            node("Gather", ["item_bias", itemInput], ["b_i"]),
            node("Add", ["b_u", "b_i"], ["biases"]),
            node("Add", ["biases", "global_mean"], ["baseline"]),
        ]
        var sum = "baseline"
        let tables = factorTables(model)
        if tables.count > 0 {
            let f = tables.count
            graph.initializer += [
                floatTensor("user_factors", [users, f], [Double](repeating: 0, count: f) + tables.users),
                floatTensor("item_factors", [items, f], [Double](repeating: 0, count: f) + tables.items),
                int64Tensor("reduce_axes", [1], [1]),
            ]
            graph.node += [
                node("Gather", ["user_factors", userInput], ["p_u"]),
                node("Gather", ["item_factors", itemInput], ["q_i"]),
                node("Mul", ["p_u", "q_i"], ["products"]),
                node("ReduceSum", ["products", "reduce_axes"], ["dot"], ints: [:], int: ["keepdims": 0]),
                node("Add", ["baseline", "dot"], ["score"]),
            ]
            sum = "score"
        }
        graph.node.append(node("Clip", [sum, "rating_min", "rating_max"], [ratingOutput]))
        return wrap(graph, model: model, doc: "Marquee \(model.algorithm.rawValue): predicted rating per (user, film)")
    }

    /// The top-k graph: every film's score for a batch of users, then `TopK`. Films are ranked
    /// as `marquee recommend` ranks them (unclipped score, or the popularity model's count);
    /// row 0 never ranks. Films the user rated are not removed (the graph has no memory of them).
    public static func topKModel(_ model: FactorModel, name: String) throws(MarqueeError) -> Onnx_ModelProto {
        try check(model)
        var graph = Onnx_GraphProto()
        graph.name = name + "-topk"
        graph.input = [tensorInfo(userInput, .int64, ["batch"]), tensorInfo(kInput, .int64, [1])]
        graph.output = [
            tensorInfo(scoresOutput, .float, ["batch", "k"]), tensorInfo(topItemsOutput, .int64, ["batch", "k"]),
        ]
        let users = model.userIDs.count + 1
        let items = model.itemIDs.count + 1
        let ranked = model.itemRankScore
        let itemScore = ranked ?? model.itemBias.map { $0 + model.globalMean }
        let userScore = ranked == nil ? model.userBias : [Double](repeating: 0, count: model.userIDs.count)
        graph.initializer = [
            floatTensor("user_rank_bias", [users], [0] + userScore),
            floatTensor("item_rank_bias", [items], [-1e30] + itemScore),
            int64Tensor("unsqueeze_axes", [1], [1]),
        ]
        graph.node = [
            node("Gather", ["user_rank_bias", userInput], ["b_u"]),
            node("Unsqueeze", ["b_u", "unsqueeze_axes"], ["b_u_column"]),
            node("Add", ["b_u_column", "item_rank_bias"], ["biases"]),
        ]
        var all = "biases"
        let tables = factorTables(model)
        if tables.count > 0, ranked == nil {
            let f = tables.count
            var transposed = [Double](repeating: 0, count: f * items)
            for item in 0..<model.itemIDs.count {
                for factor in 0..<f { transposed[factor * items + item + 1] = tables.items[item * f + factor] }
            }
            graph.initializer += [
                floatTensor("user_factors", [users, f], [Double](repeating: 0, count: f) + tables.users),
                floatTensor("item_factors_t", [f, items], transposed),
            ]
            graph.node += [
                node("Gather", ["user_factors", userInput], ["p_u"]),
                node("MatMul", ["p_u", "item_factors_t"], ["dots"]),
                node("Add", ["biases", "dots"], ["all_scores"]),
            ]
            all = "all_scores"
        }
        graph.node.append(
            node("TopK", [all, kInput], [scoresOutput, topItemsOutput], int: ["axis": -1, "largest": 1, "sorted": 1]))
        return wrap(graph, model: model, doc: "Marquee \(model.algorithm.rawValue): top-k films per user")
    }

    /// The tables the graphs multiply: the model's factors, or for a sparse item-item model
    /// (ItemKNN) its dense form — a user's row marks the films they rated, a film's row holds the
    /// weights from every film to it — since ONNX's standard operators have no sparse product.
    static func factorTables(_ model: FactorModel) -> (count: Int, users: [Double], items: [Double]) {
        guard let neighbours = model.neighbours else { return (model.factorCount, model.userFactors, model.itemFactors) }
        let films = model.itemIDs.count
        var users = [Double](repeating: 0, count: model.userIDs.count * films)
        for user in 0..<model.userIDs.count {
            for film in model.seen(byUser: user) where film >= 0 && Int(film) < films { users[user * films + Int(film)] = 1 }
        }
        var items = [Double](repeating: 0, count: films * films)
        for film in 0..<films {
            for edge in neighbours.start[film]..<neighbours.start[film + 1] {
                items[film * films + Int(neighbours.sources[edge])] = neighbours.weights[edge]
            }
        }
        return (films, users, items)
    }

    static func wrap(_ graph: Onnx_GraphProto, model: FactorModel, doc: String) -> Onnx_ModelProto {
        var proto = Onnx_ModelProto()
        proto.irVersion = irVersion
        var operatorSet = Onnx_OperatorSetIdProto()
        operatorSet.domain = ""
        operatorSet.version = opset
        proto.opsetImport = [operatorSet]
        proto.producerName = "marquee"
        proto.producerVersion = MarqueeVersion.current
        proto.docString = doc
        proto.graph = graph
        var algorithm = Onnx_StringStringEntryProto()
        algorithm.key = "algorithm"
        algorithm.value = model.algorithm.rawValue
        proto.metadataProps = [algorithm]
        return proto
    }

    enum ElementType: Int32 {
        case float = 1
        case int64 = 7
    }

    /// A dimension: named (any size, like the batch) or fixed.
    enum Dim: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral {
        case symbol(String)
        case size(Int)

        init(stringLiteral value: String) { self = .symbol(value) }
        init(integerLiteral value: Int) { self = .size(value) }
    }

    static func tensorInfo(_ name: String, _ type: ElementType, _ dims: [Dim]) -> Onnx_ValueInfoProto {
        var info = Onnx_ValueInfoProto()
        info.name = name
        var tensor = Onnx_TypeProto.Tensor()
        tensor.elemType = type.rawValue
        var shape = Onnx_TensorShapeProto()
        shape.dim = dims.map { dim in
            var dimension = Onnx_TensorShapeProto.Dimension()
            switch dim {
            case .symbol(let symbol): dimension.dimParam = symbol
            case .size(let size): dimension.dimValue = Int64(size)
            }
            return dimension
        }
        tensor.shape = shape
        var type = Onnx_TypeProto()
        type.tensorType = tensor
        info.type = type
        return info
    }

    static func floatTensor(_ name: String, _ dims: [Int], _ values: [Double]) -> Onnx_TensorProto {
        tensor(name, dims, .float, values.map { Float($0).bitPattern.littleEndian })
    }

    static func int64Tensor(_ name: String, _ dims: [Int], _ values: [Int64]) -> Onnx_TensorProto {
        tensor(name, dims, .int64, values.map(\.littleEndian))
    }

    /// An initializer whose values are stored as little-endian `raw_data`.
    private static func tensor<Word: FixedWidthInteger>(
        _ name: String, _ dims: [Int], _ type: ElementType, _ words: [Word]
    ) -> Onnx_TensorProto {
        var tensor = Onnx_TensorProto()
        tensor.name = name
        tensor.dims = dims.map(Int64.init)
        tensor.dataType = type.rawValue
        tensor.rawData = words.withUnsafeBytes { Data($0) }
        return tensor
    }

    static func node(
        _ op: String, _ inputs: [String], _ outputs: [String], ints: [String: [Int64]] = [:], int: [String: Int64] = [:]
    ) -> Onnx_NodeProto {
        var node = Onnx_NodeProto()
        node.opType = op
        node.name = outputs[0] + "_" + op.lowercased()
        node.input = inputs
        node.output = outputs
        for (name, value) in int.sorted(by: { $0.key < $1.key }) {
            var attribute = Onnx_AttributeProto()
            attribute.name = name
            attribute.type = .int
            attribute.i = value
            node.attribute.append(attribute)
        }
        for (name, values) in ints.sorted(by: { $0.key < $1.key }) {
            var attribute = Onnx_AttributeProto()
            attribute.name = name
            attribute.type = .ints
            attribute.ints = values
            node.attribute.append(attribute)
        }
        return node
    }
}
