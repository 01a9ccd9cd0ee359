import AuroraCore

/// Starts a process and waits for it: implemented by `AuroraExecutors.SubprocessRunner`, faked in tests.
package protocol ProcessRunner: Sendable {
    /// Runs `request` to completion (or to its timeout). `onStart` is called once, as soon as the child
    /// exists, with its pid and process group, so the caller can record them for crash recovery before
    /// anything else happens. Throws `ExecutionError.launchFailed` when the program cannot be started.
    func run(_ request: ProcessRequest, onStart: @escaping @Sendable (ProcessStart) -> Void) async throws -> ProcessResult
}

/// A process to run.
package struct ProcessRequest: Sendable, Equatable {
    /// The argv; element 0 is a path or a name looked up in the `PATH` of `environment`.
    package var argv: [String]
    /// The complete environment of the child (nothing is inherited implicitly).
    package var environment: [String: String]
    /// The working directory, or nil for the caller's.
    package var workingDirectory: String?
    /// Seconds before SIGTERM goes to the child's process group.
    package var timeout: Double
    /// Seconds between SIGTERM and SIGKILL.
    package var killGrace: Double
    /// Bytes kept of stdout and of stderr each (the tail).
    package var outputLimit: Int

    /// Creates a request (defaults: 5 s grace, 1 MiB of output each).
    package init(argv: [String], environment: [String: String], workingDirectory: String? = nil, timeout: Double,
                killGrace: Double = 5, outputLimit: Int = 1 << 20) {
        self.argv = argv
        self.environment = environment
        self.workingDirectory = workingDirectory
        self.timeout = timeout
        self.killGrace = killGrace
        self.outputLimit = outputLimit
    }
}

/// The tail of a stream, bounded.
package struct CapturedOutput: Sendable, Equatable {
    /// The last bytes written (at most the limit).
    package var tail: [UInt8]
    /// Every byte written, counted.
    package var totalBytes: Int
    /// Whether bytes were dropped from the front.
    package var truncated: Bool { totalBytes > tail.count }

    /// Creates a capture.
    package init(tail: [UInt8] = [], totalBytes: Int = 0) {
        self.tail = tail
        self.totalBytes = totalBytes
    }

    /// The tail as text (invalid UTF-8 repaired).
    package var text: String { String(decoding: tail, as: UTF8.self) }
}

/// How a process ended.
package enum ProcessTermination: Sendable, Equatable, CustomStringConvertible {
    /// It exited with a status.
    case exited(Int32)
    /// A signal ended it.
    case signalled(Int32)

    /// `exit 0`, `signal 9`.
    package var description: String {
        switch self {
        case let .exited(code): "exit \(code)"
        case let .signalled(signal): "signal \(signal)"
        }
    }

    /// Exit status 0.
    package var isSuccess: Bool { self == .exited(0) }
}

/// What a finished process did.
package struct ProcessResult: Sendable, Equatable {
    /// How it ended.
    package var termination: ProcessTermination
    /// Whether the timeout stopped it.
    package var timedOut: Bool
    /// Its stdout tail.
    package var stdout: CapturedOutput
    /// Its stderr tail.
    package var stderr: CapturedOutput
    /// Seconds from start to end (monotonic).
    package var duration: Double
    /// The pid and process group it had.
    package var start: ProcessStart
    /// Whether processes of its group outlived it and had to be killed after it exited.
    package var killedLeftovers: Bool

    /// Creates a result.
    package init(termination: ProcessTermination, timedOut: Bool, stdout: CapturedOutput, stderr: CapturedOutput, duration: Double,
                start: ProcessStart, killedLeftovers: Bool = false) {
        self.termination = termination
        self.timedOut = timedOut
        self.stdout = stdout
        self.stderr = stderr
        self.duration = duration
        self.start = start
        self.killedLeftovers = killedLeftovers
    }
}
