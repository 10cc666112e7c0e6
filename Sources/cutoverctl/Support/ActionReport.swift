import ControlProtocol

/// What an operator action prints: the daemon's own sentence (it names who did what), or the
/// `ActionResult` as JSON.
enum ActionReport {
    static func print(_ result: ActionResult, json: Bool) throws(CLIFailure) {
        if json {
            try Console.json(result)
        } else {
            let style = Style.standardOutput
            Console.line("\(result.message) (run is \(RunStatusColour.apply(result.status, to: result.status.rawValue, style: style)))")
        }
    }

    /// `POST /v1/runs/{id}/{action}` with an `ActionRequest`.
    static func perform(
        _ action: String, run: String, comment: String?, step: String? = nil, connection: ConnectionOptions,
        output: OutputOptions
    ) throws(CLIFailure) {
        let result = try connection.session().post(
            ActionResult.self, ControlRoute.action(run, action).path, body: ActionRequest(comment: comment, step: step))
        try print(result, json: output.json)
    }
}
