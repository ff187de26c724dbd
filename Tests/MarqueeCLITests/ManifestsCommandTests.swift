import Foundation
import MarqueeTestKit
import Testing

/// `marquee manifests`: every target's resources validate — Deployment, Service and CronJob with
/// `kubernetes-validate --strict`, the Seldon and KServe custom resources against the JSON
/// schemas in deploy/schemas — and the schemas do refuse what they should.
private let venvPython: String? = {
    let path = SharedData.repositoryRoot.appendingPathComponent(".venv-test/bin/python").path
    return FileManager.default.isExecutableFile(atPath: path) ? path : nil
}()

@Suite(.enabled(if: SharedData.runs(venvPython != nil), "needs .venv-test with kubernetes-validate (make setup)"))
struct ManifestsCommandTests {
    func validate(_ paths: [String]) throws -> (status: Int32, output: String) {
        let result = try runMarquee(
            ["scripts/validate-manifests.py"] + paths,
            executable: try #require(venvPython, "CI needs .venv-test (make setup)"))
        return (result.status, result.stdout + result.stderr)
    }

    @Test func everyTargetValidates() throws {
        let folder = try makeScratchFolder("manifests")
        defer { try? FileManager.default.removeItem(at: folder) }
        let model = folder.appendingPathComponent("m.mqm").path
        let export = folder.appendingPathComponent("export").path
        let ratings = "fixtures/movielens-mini/ratings.csv"
        #expect(try runMarquee(["train", "--dataset", ratings, "--algorithm", "svd", "--out", model, "--no-track"]).status == 0)
        #expect(try runMarquee(["export", model, "--target", "triton", "--out", export]).status == 0)
        let onnxBytes = try Data(contentsOf: URL(fileURLWithPath: export + "/marquee-svd/1/model.onnx")).count

        let common = ["--storage-uri", "s3://models/marquee", "--secret", "marquee-s3"]
        let runs: [(String, [String], [String])] = [
            ("seldon-v2", common, ["seldon-model-marquee-svd.yaml", "seldon-model-marquee-svd-topk.yaml"]),
            ("kserve", ["--storage-uri", "s3://models/marquee", "--service-account", "s3-reader"], ["kserve-inferenceservice-marquee-svd.yaml"]),
            ("triton", common + ["--endpoint", "http://minio.storage:9000"], ["triton-deployment-marquee-svd.yaml", "triton-service-marquee-svd.yaml"]),
        ]
        for (target, options, files) in runs {
            let out = folder.appendingPathComponent(target).path
            let result = try runMarquee(["manifests", export, "--target", target, "--out", out] + options)
            #expect(result.status == 0, "\(target): \(result.stderr)")
            for file in files { #expect(result.stdout.contains(file), "\(target): \(result.stdout)") }
            let checked = try validate([out])
            #expect(checked.status == 0, "\(target): \(checked.output)")
            #expect(checked.output.split(separator: "\n").count >= files.count, "\(checked.output)")
        }
        let seldon = try String(contentsOfFile: folder.appendingPathComponent("seldon-v2/seldon-model-marquee-svd.yaml").path, encoding: .utf8)
        #expect(seldon.contains(#"storageUri: "s3://models/marquee/marquee-svd""#))
        #expect(seldon.contains(#"memory: "\#((2 * onnxBytes + (9 << 20) - 1) >> 20)Mi""#), "\(seldon)")
        let triton = try String(contentsOfFile: folder.appendingPathComponent("triton/triton-deployment-marquee-svd.yaml").path, encoding: .utf8)
        #expect(triton.contains("--model-repository=s3://minio.storage:9000/models/marquee"))
        #expect(triton.contains(#"path: "/v2/health/ready""#) && triton.contains("secretKeyRef"))

        // The schema test fails on a missing storageUri, an unknown field, a bad memory quantity.
        for (broken, needle) in [
            (seldon.replacingOccurrences(of: #"  storageUri: "s3://models/marquee/marquee-svd""# + "\n", with: ""), "storageUri"),
            (seldon.replacingOccurrences(of: "  requirements:", with: "  bogus: 1\n  requirements:"), "bogus"),
            (seldon.replacingOccurrences(of: #"Mi""#, with: #" MB""#), "memory"),
        ] {
            #expect(broken != seldon)
            let file = folder.appendingPathComponent("broken.yaml")
            try broken.write(to: file, atomically: true, encoding: .utf8)
            let checked = try validate([file.path])
            #expect(checked.status == 1 && checked.output.contains("FAIL") && checked.output.contains(needle), "\(checked.output)")
        }
        // kubernetes-validate --strict refuses an unknown Deployment field.
        let file = folder.appendingPathComponent("deployment.yaml")
        try triton.replacingOccurrences(of: "  replicas: 1", with: "  replicas: 1\n  bogus: 2").write(to: file, atomically: true, encoding: .utf8)
        #expect(try validate([file.path]).status == 1)

        // Wrong inputs: an onnx-layout export (65 with the fix), no storage URI (64).
        let onnx = folder.appendingPathComponent("onnx").path
        #expect(try runMarquee(["export", model, "--out", onnx]).status == 0)
        let layout = try runMarquee(["manifests", onnx, "--target", "seldon-v2", "--storage-uri", "s3://m/x", "--out", folder.path + "/x"])
        #expect(layout.status == 65 && layout.stderr.contains("--target triton"), "\(layout.stderr)")
        let noURI = try runMarquee(["manifests", export, "--target", "kserve", "--out", folder.path + "/y"])
        #expect(noURI.status == 64 && noURI.stderr.contains("--storage-uri"), "\(noURI.stderr)")
    }

    @Test func aCronJobPerScheduledPipeline() throws {
        let folder = try makeScratchFolder("manifests-cron")
        defer { try? FileManager.default.removeItem(at: folder) }
        let out = folder.appendingPathComponent("cron").path
        let result = try runMarquee([
            "manifests", "--target", "cronjob", "--image", "registry.example/marquee:1.0", "--out", out,
            "--store-claim", "marquee-data", "--format", "json",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("cronjob-demo.yaml"), "\(result.stdout)")
        let checked = try validate([out])
        #expect(checked.status == 0, "\(checked.output)")
        let job = try String(contentsOfFile: out + "/cronjob-demo.yaml", encoding: .utf8)
        for line in [#"schedule: "0 3 * * *""#, #"concurrencyPolicy: "Forbid""#, #"claimName: "marquee-data""#, #"- "pipeline""#] {
            #expect(job.contains(line), "\(line)")
        }

        // A folder where no pipeline has a schedule, and a schedule that is not cron.
        let pipelines = folder.appendingPathComponent("pipelines")
        try FileManager.default.createDirectory(at: pipelines, withIntermediateDirectories: true)
        let spec = "name = \"nightly\"\n[dataset]\nname = \"ratings\"\n[train]\nalgorithm = \"svd\"\n"
        try spec.write(to: pipelines.appendingPathComponent("nightly.toml"), atomically: true, encoding: .utf8)
        let none = try runMarquee(["manifests", "--target", "cronjob", "--image", "x", "--pipelines", pipelines.path, "--out", out])
        #expect(none.status == 65 && none.stderr.contains("schedule"), "\(none.stderr)")
        try ("schedule = \"0 25 * * *\"\n" + spec).write(
            to: pipelines.appendingPathComponent("nightly.toml"), atomically: true, encoding: .utf8)
        let bad = try runMarquee(["manifests", "--target", "cronjob", "--image", "x", "--pipelines", pipelines.path, "--out", out])
        #expect(bad.status == 65 && bad.stderr.contains("hour \"25\" is outside 0–23"), "\(bad.stderr)")
    }
}
