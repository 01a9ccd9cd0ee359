/// How one service's own series differ from the design's busy service (aurora-synth/2).
///
/// Real systems have idle services, whose CPU sits at a few thousandths of a percent and blips to a few
/// percent, and services whose memory barely moves (0.3 % over hours). On such series a tiny move reads
/// as a huge z-score unless the analyser respects the metric's scale, so the generator now has them.
struct ServiceTexture {
    /// CPU of an idle service, % (a floor near zero with rare blips); nil: CPU follows load.
    var idleCPU: [Double]?
    /// Share of the load an idle service gets (it is rarely called); 1 for a busy service.
    var loadShare: Double
    /// Memory as a relative offset from its base that moves only in rare small steps; nil: saw-tooth.
    var flatMemory: [Double]?

    /// The design's busy service.
    static let busy = ServiceTexture(idleCPU: nil, loadShare: 1, flatMemory: nil)

    init(idleCPU: [Double]?, loadShare: Double, flatMemory: [Double]?) {
        self.idleCPU = idleCPU
        self.loadShare = loadShare
        self.flatMemory = flatMemory
    }

    /// Draws a texture: idle with probability `idleChance`, flat memory with probability `flatChance`.
    /// `incidentStart` is the first step of the incident part: half of the idle services blip inside it,
    /// and half of the flat memories take one of their steps there.
    init(steps: Int, incidentStart: Int, idleChance: Double, flatChance: Double, stream: inout SyntheticStream) {
        let idle = stream.chance(idleChance)
        let flat = stream.chance(flatChance)
        if idle {
            let level = stream.logUniform(0.001, 0.01)
            var cpu = (0..<steps).map { _ in level * (1 + 0.3 * abs(stream.normal())) }
            var starts = (0..<stream.integer(2, 8)).map { _ in stream.integer(0, steps - 2) }
            if stream.chance(0.5) { starts.append(stream.integer(incidentStart, steps - 2)) }
            for start in starts {
                let height = stream.uniform(1, 6)
                for t in start..<min(start + stream.integer(1, 2), steps) { cpu[t] += height }
            }
            idleCPU = cpu
            loadShare = stream.uniform(0.001, 0.01)
        } else {
            idleCPU = nil
            loadShare = 1
        }
        if flat {
            var moves = (0..<stream.integer(1, 3)).map { _ in stream.integer(1, steps - 1) }
            if stream.chance(0.5) { moves.append(stream.integer(incidentStart, steps - 1)) }
            var offset = [Double](repeating: 0, count: steps)
            for at in moves {
                // Each step moves by 0.05–0.3 % of the base, up or down (a cache filling, a pool resized).
                let size = stream.uniform(0.0005, 0.003) * (stream.chance(0.5) ? 1 : -1)
                for t in at..<steps { offset[t] += size }
            }
            flatMemory = offset
        } else {
            flatMemory = nil
        }
    }
}
