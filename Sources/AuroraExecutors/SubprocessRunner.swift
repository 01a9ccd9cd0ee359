import AuroraCore
import AuroraRemediation
import Foundation
import Subprocess
#if canImport(System)
import System
#else
import SystemPackage
#endif

/// Runs processes with swift-subprocess: argv without a shell, an explicit environment, a new session
/// and process group, concurrent bounded capture of stdout and stderr, and a timeout that stops the
/// whole group (SIGTERM, then SIGKILL after the grace period).
///
/// Returns within `timeout + killGrace + ~1 s` even when children trap SIGTERM or keep the output
/// pipes open. After a normal exit, group members left behind are stopped the same way and
/// `killedLeftovers` is set: an action must not leave processes running unseen.
package struct SubprocessRunner: ProcessRunner {
    /// Creates a runner.
    package init() {}

    private enum Event: Sendable {
        case standardOutput(TailBuffer)
        case standardError(TailBuffer)
        case timerFired
        case timerCancelled
        case readFailed
    }

    /// Runs `request`; see the type's documentation.
    package func run(_ request: ProcessRequest, onStart: @escaping @Sendable (ProcessStart) -> Void) async throws -> ProcessResult {
        guard let program = request.argv.first, !program.isEmpty else {
            throw ExecutionError.launchFailed(program: "", reason: "empty command")
        }
        let executable: Executable = program.contains("/") ? .path(FilePath(program)) : .name(program)
        var options = PlatformOptions()
        options.createSession = true
        // Used by swift-subprocess only if our body throws: stop the whole group.
        options.teardownSequence = [.send(signal: .terminate, toProcessGroup: true, allowedDurationToNextStep: .seconds(request.killGrace.isFinite ? min(max(0, request.killGrace), 3600) : 5))]
        var environment: [Environment.Key: String] = [:]
        for (name, value) in request.environment {
            guard let key = Environment.Key(rawValue: name) else { continue }
            environment[key] = value
        }
        let configuration = Configuration(
            executable: executable,
            arguments: Arguments(Array(request.argv.dropFirst())),
            environment: .custom(environment),
            workingDirectory: request.workingDirectory.map { FilePath($0) },
            platformOptions: options
        )
        let clock = SystemMonotonicClock()
        let started = clock.seconds()
        let limit = request.outputLimit
        // Non-finite or negative values must not trap in conversions: clamp to sane bounds.
        let timeout = request.timeout.isFinite ? min(max(0, request.timeout), 1e7) : 1e7
        let grace = request.killGrace.isFinite ? min(max(0, request.killGrace), 3600) : 5
        let result: ExecutionResult<(TailBuffer, TailBuffer, Bool), SequenceOutput, SequenceOutput>
        do {
            result = try await Subprocess.run(configuration, input: .none, output: .sequence, error: .sequence) { execution in
                let pid = execution.processIdentifier.value
                onStart(ProcessStart(pid: pid, processGroup: pid))
                return await Self.supervise(execution: execution, pgid: pid, limit: limit, timeout: timeout, grace: grace)
            }
        } catch let error as SubprocessError {
            throw ExecutionError.launchFailed(program: program, reason: Self.describe(error))
        }
        let (standardOutput, standardError, timedOut) = result.closureResult
        let pgid = result.processIdentifier.value
        var killedLeftovers = false
        if ProcessGroup.hasLiveMembers(pgid) {
            killedLeftovers = true
            await Task { await ProcessGroup.terminate(pgid, grace: grace) }.value
        }
        let termination: ProcessTermination
        switch result.terminationStatus {
        case let .exited(code): termination = .exited(code)
        case let .signaled(signal): termination = .signalled(signal)
        }
        return ProcessResult(
            termination: termination, timedOut: timedOut,
            stdout: CapturedOutput(tail: standardOutput.bytes, totalBytes: standardOutput.total),
            stderr: CapturedOutput(tail: standardError.bytes, totalBytes: standardError.total),
            duration: clock.seconds() - started, start: ProcessStart(pid: pgid, processGroup: pgid), killedLeftovers: killedLeftovers
        )
    }

    /// Reads both streams concurrently while a timer waits; on timeout stops the group. The readers end
    /// when the pipes close or when swift-subprocess sees the child exit (it then cancels pending reads,
    /// so grandchildren holding the pipes cannot keep us waiting).
    private static func supervise(
        execution: Execution<NoInput, SequenceOutput, SequenceOutput>, pgid: Int32, limit: Int, timeout: Double, grace: Double
    ) async -> (TailBuffer, TailBuffer, Bool) {
        let watchdog = ProcessGroupWatchdog(pgid: pgid, timeout: timeout, grace: grace)
        defer { watchdog.disarm() }
        return await withTaskGroup(of: Event.self) { group in
            group.addTask {
                var tail = TailBuffer(limit: limit)
                do {
                    for try await chunk in execution.standardOutput { chunk.withUnsafeBytes { tail.append($0) } }
                } catch {}
                return .standardOutput(tail)
            }
            group.addTask {
                var tail = TailBuffer(limit: limit)
                do {
                    for try await chunk in execution.standardError { chunk.withUnsafeBytes { tail.append($0) } }
                } catch {}
                return .standardError(tail)
            }
            group.addTask {
                do {
                    try await Task.sleep(nanoseconds: UInt64(timeout * 1e9))
                    return .timerFired
                } catch {
                    return .timerCancelled
                }
            }
            var standardOutput: TailBuffer?
            var standardError: TailBuffer?
            var timedOut = false
            while let event = await group.next() {
                switch event {
                case let .standardOutput(tail): standardOutput = tail
                case let .standardError(tail): standardError = tail
                case .timerFired:
                    timedOut = true
                    await Task { await ProcessGroup.terminate(pgid, grace: grace) }.value
                case .timerCancelled, .readFailed: break
                }
                if standardOutput != nil && standardError != nil { group.cancelAll() }
            }
            // The watchdog may have stopped the group while this task waited for a thread.
            return (standardOutput ?? TailBuffer(limit: limit), standardError ?? TailBuffer(limit: limit), timedOut || watchdog.fired)
        }
    }

    private static func describe(_ error: SubprocessError) -> String {
        if error.code == .executableNotFound { return "executable not found" }
        if error.code == .failedToChangeWorkingDirectory { return "cannot change to the working directory" }
        if let underlying = error.underlyingError { return "\(error.code) (\(underlying))" }
        return "\(error)"
    }
}
