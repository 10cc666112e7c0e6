import ArgumentParser

enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case text
    case json
}

/// `--output text|json`, on every command that prints data.
struct OutputOptions: ParsableArguments {
    @Option(name: .long, help: "Output format: text for people, json for tools.")
    var output: OutputFormat = .text

    var json: Bool { output == .json }
}
