import AuroraCore

extension StuckDetector {
    package func saveState() throws -> [UInt8] {
        var writer = StateWriter(tag: Self.name, version: Self.stateVersion)
        longest.write(to: &writer)
        writer.write(runValue)
        writer.write(runLength)
        writer.write(runStart)
        writer.write(firedLength)
        writer.write(changes)
        writer.write(seen)
        return writer.bytes
    }

    package mutating func restoreState(_ bytes: [UInt8]) throws {
        var reader = try StateReader(bytes, tag: Self.name, version: Self.stateVersion)
        let longest = try RecentMaximum.read(from: &reader, horizon: parameters.horizon)
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
        self.runValue = runValue
        self.runLength = runLength
        self.runStart = runStart
        self.firedLength = firedLength
        self.changes = min(changes, parameters.minimumChanges)
        self.seen = min(seen, parameters.minimumHistory)
    }
}
