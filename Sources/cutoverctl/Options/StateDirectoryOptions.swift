import ArgumentParser
import ControlProtocol
import Foundation

/// Where the offline `audit` commands find cutoverd's journal, anchor log and key.
struct StateDirectoryOptions: ParsableArguments {
    @Option(
        name: .customLong("state-dir"),
        help: ArgumentHelp(
            "cutoverd's state directory (default: $CUTOVER_STATE_DIRECTORY, else /var/lib/cutover).", valueName: "dir"))
    var stateDirectory: String?

    var layout: StateLayout { StateLayout(directory: stateDirectory ?? StateLayout.defaultDirectory()) }
}
