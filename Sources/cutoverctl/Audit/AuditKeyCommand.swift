import ArgumentParser
import Audit
import Foundation

/// `cutoverctl audit key`: the daemon's public audit key, to pin when verifying.
struct AuditKeyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "key",
        abstract: "Print the daemon's public audit key (PEM), to pin with `audit verify --key`.",
        subcommands: [AuditKeyExportCommand.self],
        defaultSubcommand: AuditKeyExportCommand.self)
}

/// `cutoverctl audit key [export]`: reads the private key file (mode 0600, so this needs the
/// daemon's user or root) and prints only its public half.
struct AuditKeyExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Print the daemon's public audit key (PEM on standard output, its key ID on standard error).",
        discussion: """
            The key is read from --key-file, else audit.key in the state directory. When cutoverd gets \
            its key from a systemd credential (LoadCredential=audit.key:…), pass that file with --key-file. \
            Save the output and give it to auditors: `cutoverctl audit key > cutoverd-audit.pub`.
            """)

    @Option(help: ArgumentHelp("The private key file (default: STATE-DIR/audit.key).", valueName: "file"), completion: .file())
    var keyFile: String?

    @OptionGroup var state: StateDirectoryOptions
    @OptionGroup var output: OutputOptions

    struct KeyDocument: Encodable {
        var keyId: String
        var algorithm = "ed25519"
        var base64: String
        var hex: String
        var pem: String
        var source: String
    }

    func run() throws {
        let path = keyFile ?? state.layout.auditKey
        guard FileManager.default.fileExists(atPath: path) || access((path as NSString).deletingLastPathComponent, X_OK) != 0 else {
            throw CLIFailure(
                .notFound,
                "no audit key at \(path); if cutoverd gets its key from a systemd credential, pass that file with --key-file")
        }
        let key: AuditPublicKey
        do {
            key = try AuditKey.load(from: path).publicKey
        } catch {
            let denied = access(path, R_OK) != 0
            throw CLIFailure(
                denied ? .notAuthorized : .failed,
                denied ? "you may not read \(path) (the daemon's private key): run with sudo" : error.description)
        }
        if output.json {
            try Console.json(KeyDocument(keyId: key.keyId, base64: key.base64, hex: key.hex, pem: key.pem, source: path))
        } else {
            Console.out(key.pem)
            Console.error("key id \(key.keyId) (ed25519), from \(path)\n")
        }
    }
}
