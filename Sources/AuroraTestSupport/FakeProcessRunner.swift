import AuroraCore
import AuroraRemediation
import Foundation

/// A process runner that starts nothing: it records every request, reports a made-up start (pid and
/// process group 4242 + the run's number) and answers from a script of outcomes, then from `answer`.
package final class FakeProcessRunner: ProcessRunner, @unchecked Sendable {
    /// What one run does.
    package enum Outcome: Sendable {
        /// The process ran and ended so.
        case result(ProcessResult)
        /// The program could not be started.
        case launchFailure(String)
    }

    // Unchecked: the script and the recorded requests are only touched under `lock`.
    private let lock = NSLock()
    private var script: [Outcome]
    private let answer: @Sendable (ProcessRequest) -> Outcome
    private var recorded: [ProcessRequest] = []

    /// `script` in order, then `answer` (by default a clean exit 0).
    package init(_ script: [Outcome] = [], answer: @escaping @Sendable (ProcessRequest) -> Outcome = { _ in .result(FakeProcessRunner.exited(0)) }) {
        self.script = script
        self.answer = answer
    }

    package func run(_ request: ProcessRequest, onStart: @escaping @Sendable (ProcessStart) -> Void) async throws -> ProcessResult {
        let (outcome, number): (Outcome, Int32) = lock.withLock {
            recorded.append(request)
            return (script.isEmpty ? answer(request) : script.removeFirst(), Int32(recorded.count))
        }
        switch outcome {
        case .launchFailure(let reason):
            throw ExecutionError.launchFailed(program: request.argv.first ?? "", reason: reason)
        case .result(var result):
            let start = ProcessStart(pid: 4242 + number, processGroup: 4242 + number)
            onStart(start)
            result.start = start
            return result
        }
    }

    /// Every request, in order.
    package var requests: [ProcessRequest] { lock.withLock { recorded } }

    /// A process that exited with `status`, writing `stdout` and `stderr`.
    package static func exited(_ status: Int32, stdout: String = "", stderr: String = "") -> ProcessResult {
        ProcessResult(termination: .exited(status), timedOut: false,
                      stdout: CapturedOutput(tail: Array(stdout.utf8), totalBytes: stdout.utf8.count),
                      stderr: CapturedOutput(tail: Array(stderr.utf8), totalBytes: stderr.utf8.count),
                      duration: 0.01, start: ProcessStart(pid: 0, processGroup: 0))
    }
}
