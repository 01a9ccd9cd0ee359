import AuroraCore

/// Post-mortem analysis of exported metrics for a known incident time, without stored state.
package struct PostMortem: Sendable {
    /// The analysis to run.
    package var analyzer: RootCauseAnalyzer
    /// Window length after `at` when only a time is given, milliseconds.
    package var defaultSpan: Int64

    /// Creates the value from its parts.
    package init(analyzer: RootCauseAnalyzer, defaultSpan: Int64 = 1_800_000) {
        self.analyzer = analyzer
        self.defaultSpan = defaultSpan
    }

    /// Analyses the incident starting at `at` (Unix ms), over `defaultSpan` or up to the data's end.
    package func analyze(_ series: [Series], at: Int64, history: Int64 = 3_600_000) throws -> Diagnosis {
        let lastPoint = series.compactMap(\.timestamps.last).max() ?? at
        let end = max(at, min(at + defaultSpan, lastPoint))
        return try analyzer.analyze(series, window: IncidentWindow(start: at, end: end, history: history))
    }

    /// Analyses the incident in `from...to` (Unix ms).
    package func analyze(_ series: [Series], from: Int64, to: Int64, history: Int64 = 3_600_000) throws -> Diagnosis {
        try analyzer.analyze(series, window: IncidentWindow(start: from, end: to, history: history))
    }
}
