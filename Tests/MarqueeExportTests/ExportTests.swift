import Foundation
import MarqueeCore
import MarqueeTestKit
import Testing

@testable import MarqueeExport
@testable import MarqueeML

/// The Python of the test venv (`make setup` creates `.venv-test` with onnxruntime, onnx,
/// tritonclient and PyYAML), or nil when it is missing.
let testPython: String? = {
    let path = SharedData.repositoryRoot.appendingPathComponent(".venv-test/bin/python").path
    return FileManager.default.isExecutableFile(atPath: path) ? path : nil
}()

func scratch() -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("marquee-export-\(UUID().uuidString)")
    try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

/// A model trained on the bundled MovieLens-shaped fixture, through the model file and back.
func fixtureModel(_ algorithm: Algorithm = .svd, settings: [String] = ["n_factors=8"]) throws -> (
    ModelFile.Loaded, Data
) {
    let table = try RatingTable.load(
        csv: SharedData.fixtures.appendingPathComponent("movielens-mini/ratings.csv"))
    let set = TrainingSet(table: table, rows: Array(0..<table.count))
    let model = try Trainer.fit(
        algorithm, parameters: try Hyperparameters(algorithm, settings: settings), on: set, seed: 0)
    let bytes = ModelFile.encode(model, datasetVersion: "test")
    return (try ModelFile.decode(bytes, source: "fixture"), bytes)
}

@Suite struct GraphTests {
    @Test func ratingGraphHasTheDocumentedInterfaceAndReservedRowZero() throws {
        let (loaded, _) = try fixtureModel()
        let proto = try ONNXGraph.ratingModel(loaded.model, name: "m")
        #expect(proto.irVersion == 7)
        #expect(proto.opsetImport.map(\.version) == [13])
        #expect(proto.graph.input.map(\.name) == ["user_index", "item_index"])
        #expect(proto.graph.output.map(\.name) == ["rating"])
        #expect(proto.graph.input[0].type.tensorType.elemType == 7)  // int64
        #expect(proto.graph.output[0].type.tensorType.elemType == 1)  // float
        #expect(proto.graph.input[0].type.tensorType.shape.dim[0].dimParam == "batch")
        let ops = proto.graph.node.map(\.opType)
        for op in ["Gather", "Mul", "ReduceSum", "Add", "Clip"] { #expect(ops.contains(op), "\(op)") }
        let factors = try #require(proto.graph.initializer.first { $0.name == "user_factors" })
        #expect(factors.dims == [Int64(loaded.model.userIDs.count + 1), 8])
        #expect(factors.rawData.prefix(32).allSatisfy { $0 == 0 })  // row 0: unknown users
        // Survives a serialisation round trip.
        let again = try Onnx_ModelProto(serializedBytes: try proto.serializedData())
        #expect(again == proto)
    }

    @Test func baselineExportsWithoutFactorsAndRandomIsRefused() throws {
        let (baseline, _) = try fixtureModel(.baseline, settings: [])
        let proto = try ONNXGraph.ratingModel(baseline.model, name: "b")
        #expect(!proto.graph.node.contains { $0.opType == "ReduceSum" })
        let (random, _) = try fixtureModel(.random, settings: [])
        #expect(throws: MarqueeError.self) { try ONNXGraph.ratingModel(random.model, name: "r") }
    }
}

@Suite struct LayoutTests {
    func export(_ format: ExportFormat) throws -> (URL, ExportResult) {
        let (loaded, bytes) = try fixtureModel()
        let folder = scratch()
        let result = try Exporter.export(
            loaded, sourceBytes: bytes, format: format, name: "films", directory: folder,
            storageURI: "gs://bucket/marquee", metrics: .object(JSONObject([("rmse", .number(0.87))])))
        return (folder, result)
    }

    func text(_ folder: URL, _ path: String) throws -> String {
        try String(contentsOf: folder.appendingPathComponent(path), encoding: .utf8)
    }

    @Test func onnxLayout() throws {
        let (folder, result) = try export(.onnx)
        #expect(result.files == ["id_maps.json", "manifest.json", "model.onnx", "recommend.onnx"])
        let maps = try JSONParser().parse(try text(folder, "id_maps.json")).value
        #expect(maps["unknown_index"] == .number(0))
        #expect(maps["users"]?["1"] == .number(1))
        let manifest = try JSONParser().parse(try text(folder, "manifest.json")).value
        #expect(manifest["dataset_version"] == .string("test"))
        #expect(manifest["metrics"]?["rmse"] == .number(0.87))
        #expect(manifest["marquee_version"] == .string(MarqueeVersion.current))
        #expect(manifest["onnx_files"]?["model.onnx"]?.stringValue?.count == 64)
        #expect(manifest["source_model_sha256"]?.stringValue?.count == 64)
    }

    @Test func tritonLayout() throws {
        let (folder, result) = try export(.triton)
        #expect(
            result.files == [
                "films-topk/1/model.onnx", "films-topk/config.pbtxt", "films/1/model.onnx", "films/config.pbtxt",
                "id_maps.json", "manifest.json",
            ])
        let config = try text(folder, "films/config.pbtxt")
        #expect(config.contains(#"name: "films""#))
        #expect(config.contains(#"platform: "onnxruntime_onnx""#))
        #expect(config.contains("max_batch_size: 1024"))
        #expect(config.contains(#"name: "user_index""#) && config.contains("TYPE_INT64"))
        #expect(config.contains(#"name: "rating""#) && config.contains("TYPE_FP32"))
    }

    @Test func seldonLayouts() throws {
        let (v2, v2Result) = try export(.seldonV2)
        #expect(v2Result.files.contains("model.yaml") && v2Result.files.contains("films/config.pbtxt"))
        let model = try text(v2, "model.yaml")
        // The rating and the top-k model, each at its folder of the uploaded repository, asking
        // for memory from its ONNX size (2 × bytes + 8 MiB), not a placeholder.
        for line in [
            #"apiVersion: "mlops.seldon.io/v1alpha1""#, #"kind: "Model""#, #"  name: "films""#, #"  name: "films-topk""#,
            #"  storageUri: "gs://bucket/marquee/films""#, #"  storageUri: "gs://bucket/marquee/films-topk""#,
            #"  - "onnx""#, "---",
        ] {
            #expect(model.contains(line + "\n"), "\(line)")
        }
        let ratingBytes = try Data(contentsOf: v2.appendingPathComponent("films/1/model.onnx")).count
        #expect(model.contains(#"  memory: "\#(DeploymentManifests.memoryMiB(onnxBytes: ratingBytes))Mi""#))
        let (v1, _) = try export(.seldonV1)
        let deployment = try text(v1, "seldondeployment.yaml")
        for line in ["kind: SeldonDeployment", "  protocol: v2", "      implementation: TRITON_SERVER"] {
            #expect(deployment.contains(line + "\n"), "\(line)")
        }
    }

    @Test func mlflowLayout() throws {
        let (folder, result) = try export(.mlflow)
        #expect(
            result.files == [
                "MLmodel", "conda.yaml", "id_maps.json", "manifest.json", "model.onnx", "python_env.yaml",
                "recommend.onnx", "requirements.txt",
            ])
        let mlmodel = try text(folder, "MLmodel")
        #expect(mlmodel.contains("  onnx:\n") && mlmodel.contains("    loader_module: mlflow.onnx\n"))
        #expect(mlmodel.contains(#""name": "user_index""#))
    }
}

/// onnxruntime against Marquee, and the Triton/YAML files against their real parsers.
@Suite(.enabled(if: SharedData.runs(testPython != nil), "needs .venv-test (make setup) with onnxruntime"))
struct OnnxRuntimeTests {
    @Test(arguments: [Algorithm.svd, .svdpp, .baseline, .popularity, .hybrid])
    func exportPredictsWhatMarqueePredicts(_ algorithm: Algorithm) throws {
        let (loaded, bytes) = try fixtureModel(
            algorithm, settings: algorithm == .baseline || algorithm == .popularity ? [] : ["n_factors=8"])
        let folder = scratch()
        _ = try Exporter.export(loaded, sourceBytes: bytes, format: .onnx, name: "m", directory: folder)
        let report = try ParityCheck(python: testPython, pairs: 500).run(
            model: loaded.model, ratingModel: folder.appendingPathComponent("model.onnx"),
            topKModel: folder.appendingPathComponent("recommend.onnx"))
        #expect(report.pairs == 500)
        #expect(report.maxAbsDiff <= 1e-5, "\(report.maxAbsDiff)")
        #expect(report.topKMaxAbsDiff <= 1e-4, "\(report.topKMaxAbsDiff)")
    }

    @Test(.enabled(if: SharedData.runs(SharedData.movieLensSmall != nil), "needs ../shared/movielens/ml-latest-small"))
    func movieLensSVDExportMatchesOnThreeThousandPairs() throws {
        let table = try RatingTable.load(csv: SharedData.movieLensSmall!.appendingPathComponent("ratings.csv"))
        let model = try Trainer.fit(
            .svd, parameters: try Hyperparameters(.svd, settings: ["n_epochs=5"]),
            on: TrainingSet(table: table, rows: Array(0..<table.count)), seed: 0)
        let bytes = ModelFile.encode(model, datasetVersion: nil)
        let loaded = try ModelFile.decode(bytes, source: "ml")
        let folder = scratch()
        _ = try Exporter.export(loaded, sourceBytes: bytes, format: .triton, name: "ml", directory: folder)
        let report = try ParityCheck(python: testPython).run(
            model: loaded.model, ratingModel: folder.appendingPathComponent("ml/1/model.onnx"),
            topKModel: folder.appendingPathComponent("ml-topk/1/model.onnx"))
        #expect(report.pairs == 3_000)
        #expect(report.passes(1e-5), "\(report.maxAbsDiff) / \(report.topKMaxAbsDiff)")
    }

    @Test func tritonConfigsYAMLAndONNXPassTheirOwnValidators() throws {
        let (loaded, bytes) = try fixtureModel()
        let folder = scratch()
        for format in [ExportFormat.seldonV2, .seldonV1, .mlflow] {
            _ = try Exporter.export(
                loaded, sourceBytes: bytes, format: format, name: "films",
                directory: folder.appendingPathComponent(format.rawValue))
        }
        let script = """
            import sys, yaml, onnx
            from google.protobuf import text_format
            from tritonclient.grpc import model_config_pb2
            root = sys.argv[1]
            for name in ("films", "films-topk"):
                config = text_format.Parse(open(f"{root}/seldon-v2/{name}/config.pbtxt").read(), model_config_pb2.ModelConfig())
                assert config.name == name and config.platform == "onnxruntime_onnx", config
                onnx.checker.check_model(f"{root}/seldon-v2/{name}/1/model.onnx", full_check=True)
            rating = text_format.Parse(open(f"{root}/seldon-v2/films/config.pbtxt").read(), model_config_pb2.ModelConfig())
            assert [i.name for i in rating.input] == ["user_index", "item_index"] and rating.max_batch_size == 1024
            models = list(yaml.safe_load_all(open(f"{root}/seldon-v2/model.yaml")))
            assert [m["metadata"]["name"] for m in models] == ["films", "films-topk"], models
            for model in models:
                assert model["kind"] == "Model" and model["spec"]["requirements"] == ["onnx"], model
                assert model["spec"]["storageUri"].endswith("/marquee/" + model["metadata"]["name"]), model
                assert model["spec"]["memory"].endswith("Mi") and int(model["spec"]["memory"][:-2]) >= 8, model
            deployment = yaml.safe_load(open(f"{root}/seldon-v1/seldondeployment.yaml"))
            graph = deployment["spec"]["predictors"][0]["graph"]
            assert graph["implementation"] == "TRITON_SERVER" and graph["name"] == "films", deployment
            mlmodel = yaml.safe_load(open(f"{root}/mlflow/MLmodel"))
            assert mlmodel["flavors"]["onnx"]["data"] == "model.onnx", mlmodel
            assert mlmodel["flavors"]["python_function"]["loader_module"] == "mlflow.onnx", mlmodel
            import json
            assert [i["name"] for i in json.loads(mlmodel["signature"]["inputs"])] == ["user_index", "item_index"]
            onnx.checker.check_model(f"{root}/mlflow/recommend.onnx", full_check=True)
            print("ok")
            """
        let scriptURL = folder.appendingPathComponent("check.py")
        try Data(script.utf8).write(to: scriptURL)
        let (status, output, errors) = try ParityCheck.runProcess(testPython!, [scriptURL.path, folder.path])
        #expect(status == 0, "\(errors)")
        #expect(output.contains("ok"))
    }
}
