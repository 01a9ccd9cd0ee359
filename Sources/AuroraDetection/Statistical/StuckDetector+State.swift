import AuroraCore

extension StuckDetector {
    package func saveState() throws -> [UInt8] {
        state(layout: Self.stateVersion)
    }

    /// The state in the current layout, or in layout 1 (one yardstick for every run): the tests' way to
    /// make the state the first release saved, which must still restore.
    func state(layout: UInt8) -> [UInt8] {
        var writer = StateWriter(tag: Self.name, version: min(layout, Self.stateVersion))
        longest.write(to: &writer)
        if layout >= 2 { longestAtZero.write(to: &writer) }
        writer.write(runValue)
        writer.write(runLength)
        writer.write(runStart)
        writer.write(firedLength)
        writer.write(changes)
        writer.write(seen)
        return writer.bytes
    }

    package mutating func restoreState(_ bytes: [UInt8]) throws {
        var reader = try StateReader(bytes, tag: Self.name, versions: 1...Self.stateVersion)
        let longest = try RecentMaximum.read(from: &reader, horizon: parameters.horizon)
        // Layout 1 kept one yardstick for every run: it serves both until its runs leave the horizon,
        // the same judgement that state was saved under.
        let longestAtZero = reader.version >= 2 ? try RecentMaximum.read(from: &reader, horizon: parameters.horizon) : longest
        let runValue = try reader.readDouble()
        let runLength = try reader.readInt()
        let runStart = try reader.readInt64()
        let firedLength = try reader.readInt()
        let changes = try reader.readInt()
        let seen = try reader.readInt()
        try reader.finish()
        // A run has a finite value exactly when it has points; a fired run fired within itself.
        guard runLength >= 0, runValue.isFinite == (runLength > 0), (0...runLength).contains(firedLength),
              changes >= 0, seen >= 0 else {
            throw reader.inconsistent("its run is out of range")
        }
        self.longest = longest
        self.longestAtZero = longestAtZero
        self.runValue = runValue
        self.runLength = runLength
        self.runStart = runStart
        self.firedLength = firedLength
        self.changes = min(changes, parameters.minimumChanges)
        self.seen = min(seen, parameters.minimumHistory)
    }
}
