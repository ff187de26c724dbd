import Foundation
import MarqueeCore
import MarqueeML

/// Runs an exported model in onnxruntime (Python, as a subprocess) on a few thousand
/// (user, film) pairs, unknown ids included, and compares with Marquee's own predictions.
public struct ParityCheck: Sendable {
    /// What the comparison found.
    public struct Report: Sendable, Codable {
        /// Pairs compared.
        public var pairs: Int
        /// Largest |onnxruntime − Marquee| over the rating outputs.
        public var maxAbsDiff: Double
        /// Users whose top-k lists were compared, and the largest score difference in them.
        public var topKUsers: Int
        /// See `topKUsers`.
        public var topKMaxAbsDiff: Double
        /// onnxruntime's version.
        public var onnxruntime: String

        enum CodingKeys: String, CodingKey {
            case pairs, onnxruntime
            case maxAbsDiff = "max_abs_diff"
            case topKUsers = "topk_users"
            case topKMaxAbsDiff = "topk_max_abs_diff"
        }

        /// Whether both differences are within `tolerance`.
        public func passes(_ tolerance: Double) -> Bool { maxAbsDiff <= tolerance && topKMaxAbsDiff <= tolerance * 10 }
    }

    /// The Python interpreter with onnxruntime and numpy.
    public var python: String
    /// Pairs to compare.
    public var pairs: Int

    /// `python` defaults to `$MARQUEE_PYTHON`, then `.venv-test/bin/python`, then `python3`.
    public init(python: String? = nil, pairs: Int = 3_000) {
        let environment = ProcessInfo.processInfo.environment["MARQUEE_PYTHON"]
        let venv = FileManager.default.currentDirectoryPath + "/.venv-test/bin/python"
        self.python =
            python ?? environment ?? (FileManager.default.isExecutableFile(atPath: venv) ? venv : "python3")
        self.pairs = pairs
    }

    /// Compares `ratingModel` and `topKModel` (ONNX files) with `model`.
    /// - Throws: `MarqueeError` `.unavailable` when Python or onnxruntime is missing,
    ///   `.failure` when the script fails.
    public func run(model: FactorModel, ratingModel: URL, topKModel: URL) throws(MarqueeError) -> Report {
        var random = LegacyRandom(seed: 0)
        var users: [Int] = []
        var items: [Int] = []
        var expected: [Double] = []
        for index in 0..<pairs {
            // Every 10th pair has an unknown user, every 7th an unknown film (index 0).
            let user = index % 10 == 0 ? 0 : Int(random.interval(UInt64(model.userIDs.count - 1))) + 1
            let item = index % 7 == 0 ? 0 : Int(random.interval(UInt64(model.itemIDs.count - 1))) + 1
            users.append(user)
            items.append(item)
            expected.append(model.predict(user: user - 1, item: item - 1))
        }
        let k = min(10, model.itemIDs.count)
        let topUsers = [0] + (1...min(5, model.userIDs.count)).map { $0 }
        let topScores = topUsers.map { user in
            model.topK(user: user - 1, k: k).map { $0.score }
        }
        let request = JSONValue.object(
            JSONObject([
                ("rating_model", .string(ratingModel.path)), ("topk_model", .string(topKModel.path)),
                ("user_index", .array(users.map { .number(Double($0)) })),
                ("item_index", .array(items.map { .number(Double($0)) })),
                ("expected", .array(expected.map { .number($0) })),
                ("topk_users", .array(topUsers.map { .number(Double($0)) })), ("k", .number(Double(k))),
                ("topk_expected", .array(topScores.map { .array($0.map { .number($0) }) })),
            ]))
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "marquee-parity-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let script = folder.appendingPathComponent("parity.py")
        let input = folder.appendingPathComponent("pairs.json")
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try Data(Self.script.utf8).write(to: script)
            try Data(request.serialized().utf8).write(to: input)
        } catch {
            throw MarqueeError(.failure, "cannot write the parity check's files: \(error.localizedDescription)")
        }
        let (status, output, errors) = try Self.runProcess(python, [script.path, input.path])
        if status == 3 {
            throw MarqueeError(
                .unavailable,
                "onnxruntime is not installed for \(python): \(errors.trimmingCharacters(in: .whitespacesAndNewlines))",
                hint: "pip install onnxruntime numpy (make setup creates .venv-test), or --python PATH / MARQUEE_PYTHON"
            )
        }
        guard status == 0, let report = try? JSONDecoder().decode(Report.self, from: Data(output.utf8)) else {
            throw MarqueeError(
                .failure, "the onnxruntime check failed (exit \(status)): \(errors.suffix(600))",
                hint: "run it by hand: \(python) \(script.path) \(input.path)")
        }
        return report
    }

    static func runProcess(_ executable: String, _ arguments: [String]) throws(MarqueeError) -> (Int32, String, String)
    {
        let result: ChildProcess.Output
        do {
            result = try ChildProcess.run(executable, arguments)
        } catch {
            throw MarqueeError(
                .unavailable, "cannot run \(executable): \(error.localizedDescription)",
                hint: "install Python 3 with onnxruntime, or pass --python PATH")
        }
        if result.status == 127 {
            throw MarqueeError(.unavailable, "no Python at \(executable)", hint: "pass --python PATH")
        }
        return (
            result.status, String(decoding: result.stdout, as: UTF8.self), String(decoding: result.stderr, as: UTF8.self)
        )
    }

    /// The Python side: exit 3 when onnxruntime is missing, else one JSON line.
    static let script = #"""
        import json
        import sys

        try:
            import numpy as np
            import onnxruntime as ort
        except ImportError as error:
            print(error, file=sys.stderr)
            sys.exit(3)

        request = json.load(open(sys.argv[1]))
        options = ort.SessionOptions()
        options.intra_op_num_threads = 1
        rating = ort.InferenceSession(request["rating_model"], options, providers=["CPUExecutionProvider"])
        (got,) = rating.run(["rating"], {
            "user_index": np.asarray(request["user_index"], dtype=np.int64),
            "item_index": np.asarray(request["item_index"], dtype=np.int64),
        })
        expected = np.asarray(request["expected"], dtype=np.float64)
        assert got.dtype == np.float32 and got.shape == expected.shape, (got.dtype, got.shape)
        diff = float(np.max(np.abs(got.astype(np.float64) - expected)))

        topk = ort.InferenceSession(request["topk_model"], options, providers=["CPUExecutionProvider"])
        scores, indices = topk.run(["scores", "top_item_index"], {
            "user_index": np.asarray(request["topk_users"], dtype=np.int64),
            "k": np.asarray([request["k"]], dtype=np.int64),
        })
        want = np.asarray(request["topk_expected"], dtype=np.float64)
        assert scores.shape == want.shape, (scores.shape, want.shape)
        topk_diff = float(np.max(np.abs(scores.astype(np.float64) - want)))
        print(json.dumps({"pairs": len(expected), "max_abs_diff": diff, "topk_users": len(want),
                          "topk_max_abs_diff": topk_diff, "onnxruntime": ort.__version__}))
        """#
}
