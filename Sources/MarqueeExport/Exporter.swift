import Foundation
import MarqueeCore
import MarqueeML
import SwiftProtobuf

/// Where and how a model is exported.
public enum ExportFormat: String, Sendable, CaseIterable {
    /// `model.onnx` (ratings), `recommend.onnx` (top-k), id maps and manifest.
    case onnx
    /// A Triton model repository: `<name>/config.pbtxt`, `<name>/1/model.onnx`, plus the top-k model.
    case triton
    /// The Triton repository plus a Seldon Core v2 `Model` resource (`model.yaml`).
    case seldonV2 = "seldon-v2"
    /// The Triton repository plus a Seldon Core v1 `SeldonDeployment` on Triton (`seldondeployment.yaml`).
    case seldonV1 = "seldon-v1"
    /// An MLflow model directory (`MLmodel` with the `onnx` and `python_function` flavors).
    case mlflow
}

/// What an export wrote.
public struct ExportResult: Sendable {
    /// Every file written, relative to the output folder, sorted.
    public var files: [String]
    /// The manifest written beside them.
    public var manifest: ExportManifest
    /// The rating model's bytes (what `--verify` runs).
    public var ratingModelPath: String
}

/// `manifest.json`: what was exported from what.
public struct ExportManifest: Codable, Sendable {
    /// The layout.
    public var format: String
    /// The model's name in serving configurations.
    public var name: String
    /// The algorithm.
    public var algorithm: String
    /// Hyper-parameters.
    public var params: [String: Double]
    /// The dataset version the model was trained on.
    public var datasetVersion: String?
    /// SHA-256 of the `.mqm` file exported.
    public var sourceModelSHA256: String
    /// Path and SHA-256 of each ONNX file, relative to the output folder.
    public var onnxFiles: [String: String]
    /// Metrics from `marquee evaluate --format json`, when given.
    public var metrics: JSONValue?
    /// The Marquee that exported it.
    public var marqueeVersion: String
    /// Graph interface: inputs and outputs with types and shapes.
    public var inputs: [String: String]
    /// See `inputs`.
    public var outputs: [String: String]
    /// Users and films in the id maps (index 0 is for unknown ids).
    public var users, films: Int

    enum CodingKeys: String, CodingKey {
        case format, name, algorithm, params, metrics, inputs, outputs, users, films
        case datasetVersion = "dataset_version"
        case sourceModelSHA256 = "source_model_sha256"
        case onnxFiles = "onnx_files"
        case marqueeVersion = "marquee_version"
    }
}

/// Writes a model in the layouts serving systems load.
public enum Exporter {
    /// Exports `loaded` (read from `source`, bytes `sourceBytes`) as `format` into `directory`.
    /// - Throws: `MarqueeError` `.usage` for a model with no ONNX form, `.failure` for I/O.
    public static func export(
        _ loaded: ModelFile.Loaded, sourceBytes: Data, format: ExportFormat, name: String, directory: URL,
        storageURI: String? = nil, metrics: JSONValue? = nil
    ) throws(MarqueeError) -> ExportResult {
        let model = loaded.model
        let rating: Data
        let topK: Data
        do {
            rating = try ONNXGraph.ratingModel(model, name: name).serializedData()
            topK = try ONNXGraph.topKModel(model, name: name).serializedData()
        } catch let error as MarqueeError {
            throw error
        } catch {
            throw MarqueeError(.failure, "cannot serialise the ONNX graph: \(error)")
        }
        var files: [String: Data] = [:]
        let ratingPath: String
        let topKPath: String
        switch format {
        case .onnx, .mlflow:
            ratingPath = "model.onnx"
            topKPath = "recommend.onnx"
        case .triton, .seldonV1, .seldonV2:
            ratingPath = "\(name)/1/model.onnx"
            topKPath = "\(name)-topk/1/model.onnx"
            files["\(name)/config.pbtxt"] = Data(TritonConfig.rating(name: name).utf8)
            files["\(name)-topk/config.pbtxt"] = Data(TritonConfig.topK(name: name + "-topk").utf8)
        }
        files[ratingPath] = rating
        files[topKPath] = topK
        files["id_maps.json"] = idMaps(model)
        let uri = storageURI ?? "s3://YOUR-BUCKET/marquee"
        switch format {
        case .seldonV2:
            let served = ServingExport(
                name: name, algorithm: model.algorithm.rawValue,
                models: [.init(name: name, onnxBytes: rating.count), .init(name: name + "-topk", onnxBytes: topK.count)])
            files["model.yaml"] = Data(SeldonManifests.modelV2(served, storageURI: uri).utf8)
        case .seldonV1:
            files["seldondeployment.yaml"] = Data(SeldonManifests.deploymentV1(name: name, storageURI: uri).utf8)
        case .mlflow:
            for (path, text) in MLflowLayout.files(name: name, algorithm: model.algorithm.rawValue) {
                files[path] = Data(text.utf8)
            }
        case .onnx, .triton: break
        }
        let manifest = ExportManifest(
            format: format.rawValue, name: name, algorithm: model.algorithm.rawValue, params: model.parameters,
            datasetVersion: loaded.header.datasetVersion, sourceModelSHA256: Hashing.sha256(sourceBytes),
            onnxFiles: [ratingPath: Hashing.sha256(rating), topKPath: Hashing.sha256(topK)], metrics: metrics,
            marqueeVersion: MarqueeVersion.current,
            inputs: [
                ONNXGraph.userInput: "int64 [batch] (user row + 1; 0 = unknown)",
                ONNXGraph.itemInput: "int64 [batch] (film row + 1; 0 = unknown)",
            ],
            outputs: [ONNXGraph.ratingOutput: "float32 [batch], clipped to the rating scale"],
            users: model.userIDs.count, films: model.itemIDs.count)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        files["manifest.json"] = (try? encoder.encode(manifest)) ?? Data()
        for (path, data) in files {
            let url = directory.appendingPathComponent(path)
            do {
                try FileManager.default.createDirectory(
                    at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try data.write(to: url, options: .atomic)
            } catch {
                let reason = (error as NSError).userInfo[NSUnderlyingErrorKey].map { "\($0)" } ?? "write failed"
                throw MarqueeError(
                    .cannotCreate, "cannot write the export file (\(reason))", location: url.path,
                    hint: "check the folder's permissions and free space", underlying: error)
            }
        }
        return ExportResult(files: files.keys.sorted(), manifest: manifest, ratingModelPath: ratingPath)
    }

    /// `{"unknown_index": 0, "users": {"movielens:1": 1, …}, "films": {…}}`.
    static func idMaps(_ model: FactorModel) -> Data {
        func map(_ ids: [String]) -> JSONValue {
            .object(JSONObject(ids.enumerated().map { ($1, JSONValue.number(Double($0 + 1))) }))
        }
        let value = JSONValue.object(
            JSONObject([("unknown_index", .number(0)), ("users", map(model.userIDs)), ("films", map(model.itemIDs))]))
        return Data(value.serialized().utf8)
    }
}

/// Triton `config.pbtxt` for the exported graphs (protobuf text format, Triton's ModelConfig).
public enum TritonConfig {
    /// The rating model: two int64 inputs and a float output per batch row.
    public static func rating(name: String) -> String {
        """
        name: "\(name)"
        platform: "onnxruntime_onnx"
        max_batch_size: 1024
        input [
          {
            name: "\(ONNXGraph.userInput)"
            data_type: TYPE_INT64
            dims: [ 1 ]
            reshape: { shape: [ ] }
          },
          {
            name: "\(ONNXGraph.itemInput)"
            data_type: TYPE_INT64
            dims: [ 1 ]
            reshape: { shape: [ ] }
          }
        ]
        output [
          {
            name: "\(ONNXGraph.ratingOutput)"
            data_type: TYPE_FP32
            dims: [ 1 ]
            reshape: { shape: [ ] }
          }
        ]
        dynamic_batching { }
        instance_group [ { kind: KIND_CPU, count: 1 } ]

        """
    }

    /// The top-k model: users in, k scores and film indices out (k is a per-request input).
    public static func topK(name: String) -> String {
        """
        name: "\(name)"
        platform: "onnxruntime_onnx"
        max_batch_size: 0
        input [
          {
            name: "\(ONNXGraph.userInput)"
            data_type: TYPE_INT64
            dims: [ -1 ]
          },
          {
            name: "\(ONNXGraph.kInput)"
            data_type: TYPE_INT64
            dims: [ 1 ]
          }
        ]
        output [
          {
            name: "\(ONNXGraph.scoresOutput)"
            data_type: TYPE_FP32
            dims: [ -1, -1 ]
          },
          {
            name: "\(ONNXGraph.topItemsOutput)"
            data_type: TYPE_INT64
            dims: [ -1, -1 ]
          }
        ]
        instance_group [ { kind: KIND_CPU, count: 1 } ]

        """
    }
}

/// Seldon Core resources serving the Triton repository.
public enum SeldonManifests {
    /// Seldon Core v2 `Model`s for the rating and the top-k model (scheduled on a Triton server
    /// because of `requirements: [onnx]`), memory from their ONNX size
    /// (``DeploymentManifests/seldonV2(_:storageURI:secretName:)``), as one YAML file.
    public static func modelV2(_ export: ServingExport, storageURI: String) -> String {
        "# Seldon Core v2: upload this folder (marquee publish prints the storage URI), then\n"
            + "#   kubectl apply -f model.yaml -n seldon-mesh\n"
            + DeploymentManifests.seldonV2(export, storageURI: storageURI, secretName: nil).map {
                YAMLText.document($0.1)
            }.joined(separator: "---\n")
    }

    /// A Seldon Core v1 `SeldonDeployment` with the Triton prepackaged server and the V2 protocol.
    public static func deploymentV1(name: String, storageURI: String) -> String {
        """
        # Seldon Core v1: upload this folder (the Triton repository) to the storage URI, then
        #   kubectl apply -f seldondeployment.yaml
        apiVersion: machinelearning.seldon.io/v1
        kind: SeldonDeployment
        metadata:
          name: \(name)
        spec:
          protocol: v2
          predictors:
          - name: default
            replicas: 1
            graph:
              name: \(name)
              implementation: TRITON_SERVER
              modelUri: "\(storageURI)"

        """
    }
}

/// The files of an MLflow model directory around `model.onnx`.
enum MLflowLayout {
    static func files(name: String, algorithm: String) -> [String: String] {
        let tensor = #"{"type": "tensor", "tensor-spec": {"dtype": "%@", "shape": [-1]}, "name": "%@"}"#
        func spec(_ type: String, _ name: String) -> String {
            String(format: tensor, type as NSString, name as NSString)
        }
        let inputs = "[\(spec("int64", ONNXGraph.userInput)), \(spec("int64", ONNXGraph.itemInput))]"
        let outputs = "[\(spec("float32", ONNXGraph.ratingOutput))]"
        return [
            "MLmodel": """
            artifact_path: \(name)
            flavors:
              onnx:
                code: null
                data: model.onnx
                onnx_version: 1.17.0
                providers:
                - CPUExecutionProvider
              python_function:
                data: model.onnx
                env:
                  conda: conda.yaml
                  virtualenv: python_env.yaml
                loader_module: mlflow.onnx
                python_version: 3.11.7
            metadata:
              producer: marquee \(MarqueeVersion.current)
              algorithm: \(algorithm)
            mlflow_version: 2.17.0
            signature:
              inputs: '\(inputs)'
              outputs: '\(outputs)'

            """,
            "conda.yaml": """
            channels:
            - conda-forge
            dependencies:
            - python=3.11
            - pip
            - pip:
              - mlflow
              - onnx
              - onnxruntime
            name: mlflow-env

            """,
            "python_env.yaml": """
            python: 3.11.7
            build_dependencies:
            - pip
            dependencies:
            - -r requirements.txt

            """,
            "requirements.txt": "mlflow\nonnx\nonnxruntime\n",
        ]
    }
}
