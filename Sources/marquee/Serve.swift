import ArgumentParser
import Foundation
import MarqueeCore
import MarqueeExport
import MarqueeML

/// `marquee serve MODEL`: a local Open Inference Protocol V2 server.
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Serve a model over the Open Inference Protocol V2 (REST) until SIGTERM/SIGINT.",
        discussion: """
            Endpoints: GET /v2/health/live, /v2/health/ready, /v2/models/NAME, /v2/models/NAME/ready; \
            POST /v2/models/NAME/infer (inputs user_index and item_index, INT64, or user_id and \
            item_id, BYTES → output rating, FP32) and POST /v2/models/NAME/recommend \
            ({"user_id": …, "k": 10}). Bad requests get 400 with {"error": …}; an unknown model 404; \
            a body over --max-body 413.
            """)

    @OptionGroup var global: LoggingOptions
    @OptionGroup var objectStore: ObjectStoreOptions
    @Argument(help: "A model file written by marquee train (or s3://BUCKET/KEY).") var model: String
    @Option(help: "Address to listen on.") var host = "127.0.0.1"
    @Option(help: "Port (0: any free port; the chosen one is printed).") var port = 8080
    @Option(help: "The model's name in URLs (default marquee-ALGORITHM).") var name: String?
    @Option(help: "Largest request body in bytes.") var maxBody = 1 << 20

    func validate() throws {
        guard (0...65_535).contains(port) else {
            throw ValidationError("--port \(port) is not a TCP port (0–65535; 0 picks a free one)")
        }
        guard maxBody > 0 else { throw ValidationError("--max-body must be a positive number of bytes") }
    }

    func run() async throws {
        let logger = global.makeLogger("marquee.serve")
        try await reportingErrors {
            let loaded = try await objectStore.withLocalCopy(of: model, logger: logger) { try ModelFile.read($0) }
            let modelName = name ?? "marquee-\(loaded.model.algorithm.rawValue)"
            let service = InferenceService(name: modelName, model: loaded.model)
            let host = host
            do {
                try await InferenceServer.run(service, host: host, port: port, maxBodyBytes: maxBody, logger: logger) {
                    bound in
                    // Written unbuffered: scripts and tests wait for this line to learn the port.
                    FileHandle.standardOutput.write(
                        Data("serving \(modelName) on http://\(host):\(bound)/v2/models/\(modelName)\n".utf8))
                }
            } catch {
                // NIO's errors name system calls and descriptors; say what it means instead.
                let text = "\(error)"
                let reason =
                    text.contains("Address already in use") || text.contains("EADDRINUSE")
                    ? "port \(port) is already in use"
                    : text.contains("Permission denied") || text.contains("EACCES")
                        ? "permission denied for port \(port) (ports below 1024 need privileges)"
                        : text.contains("Cannot assign requested address") || text.contains("EADDRNOTAVAIL")
                            ? "\(host) is not an address of this machine" : "the socket could not be opened"
                throw MarqueeError(
                    .unavailable, "cannot serve on \(host):\(port): \(reason)",
                    hint: "choose another --port (0 picks a free one) or --host")
            }
            print("stopped")
        }
    }
}
