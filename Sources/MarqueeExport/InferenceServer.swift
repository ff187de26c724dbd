import Foundation
import Hummingbird
import Logging
import MarqueeCore

/// `marquee serve`'s HTTP/1.1 shell (Hummingbird): reads each body up to a limit (413 beyond,
/// with a JSON error), asks ``ModelServer`` for the answer, records the metrics and writes one
/// access-log line per request.
public enum InferenceServer {
    /// Serves `server` on `host:port` until SIGTERM or SIGINT (in-flight requests finish
    /// first). `onRunning` receives the bound port (useful with port 0).
    public static func run(
        _ server: ModelServer, host: String, port: Int, maxBodyBytes: Int, logger: Logger,
        onRunning: @escaping @Sendable (Int) -> Void
    ) async throws {
        let app = Application(
            responder: Responder(server: server, maxBodyBytes: maxBodyBytes, logger: logger),
            configuration: .init(address: .hostname(host, port: port), serverName: "marquee/\(MarqueeVersion.current)"),
            onServerRunning: { channel in onRunning(channel.localAddress?.port ?? port) },
            logger: logger)
        try await app.runService(gracefulShutdownSignals: [.sigterm, .sigint])
    }

    /// The request context: Hummingbird's core storage and the peer's address for the access log.
    struct Context: RequestContext {
        var coreContext: CoreRequestContextStorage
        let remoteAddress: String

        init(source: ApplicationRequestContextSource) {
            coreContext = .init(source: source)
            remoteAddress = source.channel.remoteAddress.map { "\($0.ipAddress ?? "?"):\($0.port ?? 0)" } ?? "-"
        }
    }

    struct Responder: HTTPResponder {
        let server: ModelServer
        let maxBodyBytes: Int
        let logger: Logger

        func respond(to request: Request, context: Context) async throws -> Response {
            let received = ContinuousClock.now
            let method = request.method.rawValue
            let path = request.uri.path
            var bytesIn = 0
            var answer: ModelServer.Answer
            var queue: Duration?
            do {
                let buffer = try await request.body.collect(upTo: maxBodyBytes)
                bytesIn = buffer.readableBytes
                queue = ContinuousClock.now - received
                answer = server.answer(method: method, path: path, body: Data(buffer.readableBytesView))
            } catch {
                let endpoint = try? InferenceService.endpoint(method: method, path: path).get()
                answer = ModelServer.json(
                    InferenceService.error(413, "the body is larger than \(maxBodyBytes) bytes (--max-body)"),
                    endpoint: endpoint)
            }
            let total = ContinuousClock.now - received
            server.metrics.record(
                method: method, endpoint: answer.endpoint, model: server.service?.name, status: answer.status,
                predictions: answer.predictions, total: total, queue: answer.compute == nil ? nil : queue,
                compute: answer.compute)
            logger.notice(
                "request",
                metadata: [
                    "method": "\(method)", "path": "\(path)", "status": "\(answer.status)", "bytes_in": "\(bytesIn)",
                    "bytes_out": "\(answer.body.count)",
                    "ms": "\(String(format: "%.3f", Double(total.components.attoseconds) / 1e15 + Double(total.components.seconds) * 1000))",
                    "remote": "\(context.remoteAddress)",
                ])
            var headers: HTTPFields = [.contentType: answer.contentType]
            if let allow = answer.allow { headers[.allow] = allow }
            return Response(
                status: HTTPResponse.Status(code: answer.status), headers: headers,
                body: method == "HEAD" ? ResponseBody() : ResponseBody(byteBuffer: ByteBuffer(bytes: answer.body)))
        }
    }
}
