import Foundation
import Hummingbird
import Logging
import MarqueeCore

/// `marquee serve`: the Open Inference Protocol V2 REST endpoints over HTTP/1.1 (Hummingbird).
/// Routes only move bytes; ``InferenceService`` decides every answer.
public enum InferenceServer {
    /// Serves `service` on `host:port` until SIGTERM or SIGINT (in-flight requests finish first).
    /// `onRunning` receives the bound port (useful with port 0).
    public static func run(
        _ service: InferenceService, host: String, port: Int, maxBodyBytes: Int, logger: Logger,
        onRunning: @escaping @Sendable (Int) -> Void
    ) async throws {
        let router = Router()
        router.get("/v2/health/live") { _, _ in response(service.health()) }
        router.get("/v2/health/ready") { _, _ in response(service.health()) }
        router.get("/v2/models/{name}") { _, context in response(service.metadata(context.parameters.get("name") ?? ""))
        }
        router.get("/v2/models/{name}/ready") { _, context in
            response(service.ready(context.parameters.get("name") ?? ""))
        }
        router.post("/v2/models/{name}/infer") { request, context in
            guard let body = try? await request.body.collect(upTo: maxBodyBytes) else {
                return response(InferenceService.error(413, "the body is larger than \(maxBodyBytes) bytes"))
            }
            return response(service.infer(context.parameters.get("name") ?? "", body: Data(body.readableBytesView)))
        }
        router.post("/v2/models/{name}/recommend") { request, context in
            guard let body = try? await request.body.collect(upTo: maxBodyBytes) else {
                return response(InferenceService.error(413, "the body is larger than \(maxBodyBytes) bytes"))
            }
            return response(service.recommend(context.parameters.get("name") ?? "", body: Data(body.readableBytesView)))
        }
        let app = Application(
            router: router,
            configuration: .init(address: .hostname(host, port: port), serverName: "marquee/\(MarqueeVersion.current)"),
            onServerRunning: { channel in onRunning(channel.localAddress?.port ?? port) },
            logger: logger)
        try await app.runService(gracefulShutdownSignals: [.sigterm, .sigint])
    }

    static func response(_ reply: InferenceService.Reply) -> Response {
        Response(
            status: HTTPResponse.Status(code: reply.status),
            headers: [.contentType: "application/json"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: reply.body.serialized() + "\n")))
    }
}
