import ArgumentParser
import Foundation
import MarqueeCore
import MarqueeExport
import MarqueeML
import Synchronization

/// `marquee serve MODEL`: a local Open Inference Protocol V2 server.
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Serve a model over the Open Inference Protocol V2 (REST) until SIGTERM/SIGINT.",
        discussion: """
            Endpoints: GET /v2 (server metadata), /v2/health/live, /v2/health/ready (200 once the \
            model is loaded, 503 before), /v2/models/NAME[/versions/1] and …/ready; POST \
            /v2/models/NAME[/versions/1]/infer (inputs user_index and item_index, INT64, or user_id \
            and item_id, BYTES → output rating, FP32, in the input's shape) and …/recommend \
            ({"user_id": …, "k": 10}); GET /metrics (Prometheus). Every error is JSON \
            {"error": …}: 400 bad request, 404 unknown path/model/version, 405 wrong method, 413 a \
            body over --max-body or a batch over --max-batch, 503 while loading. One access-log \
            line per request on standard error (JSON off a terminal).
            """)

    @OptionGroup var global: LoggingOptions
    @OptionGroup var objectStore: ObjectStoreOptions
    @Argument(help: "A model file written by marquee train (or s3://BUCKET/KEY).") var model: String
    @Option(help: "Address to listen on (an IP address or a name of this machine).") var host = "127.0.0.1"
    @Option(help: "Port (0: any free port; the chosen one is printed).") var port = 8080
    @Option(help: "The model's name in URLs (default marquee-ALGORITHM).") var name: String?
    @Option(help: "Largest request body in bytes.") var maxBody = 1 << 20
    @Option(help: "Most (user, film) pairs in one infer request.") var maxBatch = 10_000

    func validate() throws {
        guard (0...65_535).contains(port) else {
            throw ValidationError("--port \(port) is not a TCP port (0–65535; 0 picks a free one)")
        }
        guard maxBody > 0 else { throw ValidationError("--max-body must be a positive number of bytes") }
        guard maxBatch > 0 else { throw ValidationError("--max-batch must be a positive number of pairs") }
        guard Self.resolves(host) else {
            throw ValidationError(
                "--host \(host) is neither an IP address nor a name this machine resolves (e.g. 127.0.0.1, 0.0.0.0, ::1, localhost)"
            )
        }
        if let name, name.isEmpty || name.contains(where: { !($0.isLetter || $0.isNumber || "-_.".contains($0)) }) {
            throw ValidationError("--name may hold letters, digits, '-', '_' and '.' only (it is a URL path segment)")
        }
    }

    /// Whether `host` is an address literal or a name `getaddrinfo` resolves.
    static func resolves(_ host: String) -> Bool {
        var result: UnsafeMutablePointer<addrinfo>?
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        hints.ai_flags = AI_PASSIVE
        defer { if let result { freeaddrinfo(result) } }
        return !host.isEmpty && getaddrinfo(host, nil, &hints, &result) == 0
    }

    func run() async throws {
        let logger = global.makeLogger("marquee.serve")
        try await reportingErrors {
            let server = ModelServer(loading: name)
            let state = LoadState()
            let (host, port, model, name, maxBody, maxBatch) = (host, port, model, name, maxBody, maxBatch)
            let objectStore = objectStore
            do {
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask {
                        do {
                            try await InferenceServer.run(
                                server, host: host, port: port, maxBodyBytes: maxBody, logger: logger
                            ) { bound in
                                state.running.withLock { $0 = true }
                                // Written unbuffered: scripts and tests wait for these lines.
                                FileHandle.standardOutput.write(
                                    Data("listening on http://\(host):\(bound)/v2 (loading \(model))\n".utf8))
                                Task {
                                    while server.service == nil, state.failure.withLock({ $0 == nil }) {
                                        try await Task.sleep(for: .milliseconds(20))
                                    }
                                    guard let served = server.service?.name else { return }
                                    FileHandle.standardOutput.write(
                                        Data("serving \(served) on http://\(host):\(bound)/v2/models/\(served)\n".utf8))
                                }
                            }
                        } catch {
                            throw Self.bindError(error, host: host, port: port)
                        }
                    }
                    group.addTask {
                        // The server answers live (and ready: 503) while the model loads.
                        do {
                            let loaded = try await objectStore.withLocalCopy(of: model, logger: logger) {
                                try ModelFile.read($0)
                            }
                            let modelName = name ?? "marquee-\(loaded.model.algorithm.rawValue)"
                            server.load(InferenceService(name: modelName, model: loaded.model, maxBatch: maxBatch))
                            logger.info("model loaded", metadata: ["name": "\(modelName)", "from": "\(model)"])
                        } catch {
                            // Stop the server the way an operator would, so it closes cleanly,
                            // once it has its signal handlers; then report why.
                            state.failure.withLock { $0 = error as any Error & Sendable }
                            while !state.running.withLock({ $0 }) { try await Task.sleep(for: .milliseconds(10)) }
                            kill(getpid(), SIGTERM)
                        }
                    }
                    try await group.waitForAll()
                }
            }
            if let error = state.failure.withLock({ $0 }) { throw error }
            print("stopped")
        }
    }

    /// NIO's errors name system calls and descriptors; say what they mean instead.
    static func bindError(_ error: any Error, host: String, port: Int) -> any Error {
        let text = "\(error)"
        let reason: String
        if text.contains("Address already in use") || text.contains("EADDRINUSE") {
            reason = "port \(port) is already in use"
        } else if text.contains("Permission denied") || text.contains("EACCES") {
            reason = "permission denied for port \(port) (ports below 1024 need privileges)"
        } else if text.contains("Cannot assign requested address") || text.contains("EADDRNOTAVAIL") {
            reason = "\(host) is not an address of this machine"
        } else {
            return error is CancellationError ? error : MarqueeError(.unavailable, "cannot serve on \(host):\(port): \(text)")
        }
        return MarqueeError(
            .unavailable, "cannot serve on \(host):\(port): \(reason)",
            hint: "choose another --port (0 picks a free one) or --host")
    }
}

/// Whether `serve`'s server is up, and why loading the model failed.
private final class LoadState: Sendable {
    let running = Mutex(false)
    let failure = Mutex<(any Error & Sendable)?>(nil)
}
