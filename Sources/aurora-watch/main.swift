// aurora-watch: the executable behind `aurora watch` (which execs it with its own arguments). It runs
// the same command line as `aurora`, with the watch command run in this process, where URLSession
// and the webhook listener are linked.
import AuroraCLI
import Foundation

var arguments = Array(ProcessArguments.current().dropFirst())
// Started by hand (`aurora-watch --once`) rather than through `aurora watch`: the command is implied.
if CommandTable.command(at: Array(arguments.prefix(1))) == nil || arguments.first?.hasPrefix("-") == true {
    if !arguments.contains("watch") { arguments.insert("watch", at: 0) }
}
let console = Console.standard()
let status = await AuroraCommandLine.run(
    arguments, environment: ProcessInfo.processInfo.environment, console: console,
    workingDirectory: FileManager.default.currentDirectoryPath,
    services: CLIServices(watchRunner: { context in try await WatchMain.run(context) }))
console.flush()
exit(status)
