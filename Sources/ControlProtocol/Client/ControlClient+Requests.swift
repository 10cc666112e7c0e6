import Engine
import Foundation

/// Typed calls on the control API's routes (see `ControlAPI`): JSON in, JSON out, a non-2xx
/// answer thrown as `rejected` with the daemon's `APIErrorBody`.
extension ControlClient {
    /// `GET`s `path` and decodes the answer.
    public func get<Response: Decodable>(_ type: Response.Type, _ path: String) throws(ControlClientError) -> Response {
        try decode(type, send(method: "GET", path: path), method: "GET", path: path)
    }

    /// `POST`s `body` (or nothing) to `path` and decodes the answer.
    public func post<Response: Decodable>(
        _ type: Response.Type, _ path: String, body: (some Encodable & Sendable)?
    ) throws(ControlClientError) -> Response {
        var data: Data?
        if let body {
            do {
                data = try ControlJSON.encoder().encode(body)
            } catch {
                throw ControlClientError(.protocolError, "cannot encode the request: \(error)", socketPath: socketPath)
            }
        }
        return try decode(type, send(method: "POST", path: path, body: data), method: "POST", path: path)
    }

    private func decode<Response: Decodable>(
        _ type: Response.Type, _ answer: (status: Int, body: Data), method: String, path: String
    ) throws(ControlClientError) -> Response {
        guard (200..<300).contains(answer.status) else {
            let apiError = APIErrorBody.decode(answer.body)
            let text = String(decoding: answer.body.prefix(200), as: UTF8.self)
            throw ControlClientError(
                .rejected, apiError?.message ?? "cutoverd answered \(answer.status) to \(method) \(path): \(text)",
                socketPath: socketPath, status: answer.status, apiError: apiError)
        }
        do {
            return try ControlJSON.decoder().decode(type, from: answer.body)
        } catch {
            throw ControlClientError.protocolError(socketPath, "\(method) \(path) answered something that is not a \(type): \(error)")
        }
    }
}
