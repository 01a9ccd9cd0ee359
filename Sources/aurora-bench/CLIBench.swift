import Foundation

/// Start-up time of the CLI and raw write-transaction rate of the store.
enum CLIBench {
    static func run(_ options: BenchOptions) async throws {
        report("cli", "pending: lands with the foundation")
    }
}
