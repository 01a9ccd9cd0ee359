import Foundation

/// The per-service series of one run (counterfactual or factual), before call propagation.
struct RunSeries {
    var load: [[Double]]
    var cpu: [[Double]]
    var saturation: [[Double]]
    var memory: [[Double]]
    var ownLatency: [[Double]]
    var ownError: [[Double]]
}

/// Simulates a topology step by step, with or without faults, from pre-drawn noise.
struct ServiceSimulator {
    let topology: SyntheticTopology
    let profiles: [ServiceProfile]
    let noise: [ServiceNoise]
    /// Entry load without any surge.
    let entryLoad: [Double]
    let steps: Int
    /// Idle and flat-memory services (aurora-synth/2); empty: every service is busy, as in aurora-synth/1.
    var textures: [ServiceTexture] = []

    /// One run. `meanLoad` (the counterfactual mean load per service) fixes the CPU cost per request;
    /// pass nil on the counterfactual run, which computes it.
    func run(faults: [FaultPlan], alpha: Double, meanLoad: [Double]?) -> (RunSeries, [Double]) {
        let count = topology.services.count
        let outgoing = topology.outgoing()
        let zeros = [Double](repeating: 0, count: steps)
        var restarts = [[Bool]](repeating: [Bool](repeating: false, count: steps), count: count)
        var leak = [[Double]](repeating: zeros, count: count)
        for fault in faults where fault.kind == .memoryLeak {
            let profile = profiles[fault.root]
            let limit = profile.memoryBase * fault.memoryLimitFactor
            var accumulated = 0.0
            var restartLeft = 0
            for t in 0..<steps {
                if restartLeft > 0 { restarts[fault.root][t] = true; restartLeft -= 1 }
                accumulated += fault.size(alpha) * fault.leakPerStep * fault.weight(at: t)
                if profile.memoryBase + profile.sawAmplitude + accumulated > limit {
                    accumulated = 0
                    restartLeft = fault.restartLength
                }
                leak[fault.root][t] = accumulated
            }
        }

        // Own errors do not depend on load, so retries can use them.
        var ownError = [[Double]](repeating: zeros, count: count)
        for s in 0..<count {
            let base = profiles[s].errorBase
            for t in 0..<steps { ownError[s][t] = base * (0.5 + noise[s].error[t]) }
        }
        for fault in faults {
            let s = fault.root
            for t in 0..<steps {
                let w = fault.weight(at: t)
                switch fault.kind {
                case .error: ownError[s][t] += fault.size(alpha) * fault.errorAdded * w
                case .dependencyOutage: ownError[s][t] += (1 - ownError[s][t]) * w
                default: break
                }
                if restarts[s][t] { ownError[s][t] = max(ownError[s][t], fault.restartError) }
                ownError[s][t] = min(max(ownError[s][t], 0), 1)
            }
        }

        // Load flows from the entry down the calls.
        var load = [[Double]](repeating: zeros, count: count)
        load[topology.entry] = entryLoad
        for fault in faults where fault.kind == .trafficSurge {
            for t in 0..<steps {
                let factor = 1 + (fault.surgeFactor - 1) * fault.size(alpha).squareRoot() * fault.weight(at: t)
                load[topology.entry][t] *= factor
            }
        }
        for s in topology.callersFirst() {
            for t in 0..<steps {
                var value = load[s][t]
                if s != topology.entry { value *= exp(0.02 * noise[s].load[t]) }
                if restarts[s][t] { value *= 0.5 }
                if !textures.isEmpty { value *= textures[s].loadShare }
                load[s][t] = value
            }
            for edgeIndex in outgoing[s] {
                let edge = topology.edges[edgeIndex]
                let calls = Double(edge.callsPerRequest)
                for t in 0..<steps {
                    // Requests that fail at the caller itself never reach its callees (a mid-tier
                    // root's callees co-move through load).
                    let failed = max(0, ownError[s][t] - profiles[s].errorBase * (0.5 + noise[s].error[t]))
                    var added = calls * load[s][t] * (1 - failed)
                    if edge.retries { added += load[s][t] * calls * ownError[edge.callee][t] }
                    load[edge.callee][t] += added
                }
            }
        }
        let means = meanLoad ?? load.map { series in max(series.reduce(0, +) / Double(max(series.count, 1)), 1e-6) }

        var cpu = [[Double]](repeating: zeros, count: count)
        var saturation = [[Double]](repeating: zeros, count: count)
        var memory = [[Double]](repeating: zeros, count: count)
        var ownLatency = [[Double]](repeating: zeros, count: count)
        for s in 0..<count {
            let profile = profiles[s]
            let texture = textures.isEmpty ? ServiceTexture.busy : textures[s]
            let perLoad = max(profile.cpuTargetShare * profile.capacity - profile.cpuBase, 0.5) / means[s]
            for t in 0..<steps {
                var cpuValue = profile.cpuBase + perLoad * load[s][t] + profile.cpuSigma * noise[s].cpu[t]
                // An idle service's CPU does not follow its (tiny) load: a floor with rare blips.
                if let idle = texture.idleCPU { cpuValue = idle[t] }
                for fault in faults where fault.root == s && fault.kind == .cpuHog {
                    cpuValue += fault.size(alpha) * fault.cpuShare * profile.capacity * fault.weight(at: t)
                }
                cpuValue = min(max(cpuValue, 0), profile.capacity)
                var sat = cpuValue / profile.capacity
                for fault in faults where fault.root == s && fault.kind == .poolExhaustion {
                    sat += (fault.poolSaturation - sat) * fault.weight(at: t)
                }
                let phase = (Double(t) / profile.sawPeriodSteps).truncatingRemainder(dividingBy: 1)
                var mem = profile.memoryBase + profile.sawAmplitude * phase + profile.memorySigma * noise[s].memory[t]
                if let flat = texture.flatMemory { mem = profile.memoryBase * (1 + flat[t]) }
                mem += leak[s][t]
                var latency = profile.serviceTime / (1 - min(sat, 0.95)) * exp(0.05 * noise[s].latency[t])
                for fault in faults where fault.root == s {
                    let w = fault.weight(at: t)
                    switch fault.kind {
                    case .memoryLeak: latency *= 1 + fault.size(alpha) * fault.gcShare * w
                    case .latency: latency += fault.size(alpha) * fault.latencyAdded * w
                    case .error where fault.fastFail: latency *= 1 - 0.5 * w
                    case .poolExhaustion:
                        latency *= 1 + (fault.poolLatencyFactor - 1) * w
                        if sat > 0.98 { ownError[s][t] = min(1, ownError[s][t] + fault.poolError * w) }
                    case .dependencyOutage: latency += (fault.outageTimeout - latency) * w
                    default: break
                    }
                }
                cpu[s][t] = cpuValue
                saturation[s][t] = min(max(sat, 0), 1)
                memory[s][t] = max(mem, 0)
                ownLatency[s][t] = max(latency, 0.01)
            }
        }
        let series = RunSeries(load: load, cpu: cpu, saturation: saturation, memory: memory,
                               ownLatency: ownLatency, ownError: ownError)
        return (series, means)
    }

    /// Caller-visible latency and error of every service: own values plus the callees' excess,
    /// travelling up each synchronous edge with its lag and attenuation.
    func propagate(counterfactual: RunSeries, factual: RunSeries) -> (latency: [[Double]], error: [[Double]]) {
        let count = topology.services.count
        let outgoing = topology.outgoing()
        let zeros = [Double](repeating: 0, count: steps)
        var excessLatency = [[Double]](repeating: zeros, count: count)
        var excessError = [[Double]](repeating: zeros, count: count)
        var latency = [[Double]](repeating: zeros, count: count)
        var error = [[Double]](repeating: zeros, count: count)
        for s in topology.callersFirst().reversed() {
            for t in 0..<steps {
                excessLatency[s][t] = factual.ownLatency[s][t] - counterfactual.ownLatency[s][t]
                excessError[s][t] = factual.ownError[s][t] - counterfactual.ownError[s][t]
                latency[s][t] = counterfactual.ownLatency[s][t]
            }
            for edgeIndex in outgoing[s] {
                let edge = topology.edges[edgeIndex]
                guard edge.synchronous else { continue }
                let calls = Double(edge.callsPerRequest)
                for t in 0..<steps {
                    latency[s][t] += calls * counterfactual.ownLatency[edge.callee][t]
                    let source = t - edge.lag
                    guard source >= 0 else { continue }
                    // A faster callee saves at most the time spent calling it.
                    let saved = -calls * counterfactual.ownLatency[edge.callee][t]
                    excessLatency[s][t] += max(edge.latencyAttenuation * calls * excessLatency[edge.callee][source], saved)
                    excessError[s][t] += edge.errorAttenuation * excessError[edge.callee][source]
                }
            }
            for t in 0..<steps {
                latency[s][t] = max(latency[s][t] + excessLatency[s][t], 0.01)
                error[s][t] = min(max(counterfactual.ownError[s][t] + excessError[s][t], 0), 1)
            }
        }
        return (latency, error)
    }
}
