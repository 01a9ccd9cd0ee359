/// Draws a case's service graph from the topology stream.
struct TopologyBuilder {
    private static let words = [
        "atlas", "beacon", "cobalt", "delta", "ember", "falcon", "garnet", "harbor", "iris", "jade",
        "kestrel", "lumen", "maple", "nimbus", "onyx", "pylon", "quartz", "raven", "sierra", "tundra",
        "umber", "vortex", "willow", "xenon", "yarrow", "zephyr", "anchor", "birch", "cedar", "dune",
        "echo", "fjord", "glade", "heron", "indigo", "juniper", "krypton", "lotus", "mesa", "nova",
        "orchid", "prism", "quill", "ridge", "sable", "thistle", "ursa", "vale", "wren", "yukon",
    ]

    var stream: SyntheticStream

    mutating func build() -> SyntheticTopology {
        let roll = stream.uniform(0, 1)
        switch roll {
        case ..<0.5: return layered()
        case ..<0.7: return tree()
        case ..<0.8: return chain()
        case ..<0.9: return hub()
        default: return stream.chance(0.5) ? onlineBoutique() : sockShop()
        }
    }

    // MARK: shapes

    private mutating func layered() -> SyntheticTopology {
        let count = stream.integer(5, 30)
        let depth = min(stream.integer(3, 6), count)
        // Layer 0 is the entry; every deeper layer gets at least one service.
        var layerOf = [0]
        for layer in 1..<depth { layerOf.append(layer) }
        while layerOf.count < count { layerOf.append(stream.integer(1, depth - 1)) }
        layerOf = [0] + layerOf.dropFirst().sorted()
        var edges: [SyntheticEdge] = []
        var indegree = [Int](repeating: 0, count: count)
        var linked = Set<Int>()
        for service in 0..<count where layerOf[service] < depth - 1 {
            let deeper = (0..<count).filter { layerOf[$0] > layerOf[service] }
            let wanted = 1 + (stream.chance(0.5) ? 1 : 0) + (stream.chance(0.5) ? 1 : 0)
            var chosen: [Int] = []
            for _ in 0..<wanted {
                let candidates = deeper.filter { !chosen.contains($0) }
                guard !candidates.isEmpty else { break }
                let pickIndex = stream.weightedPick(candidates.map { 1 + Double(indegree[$0]) })
                chosen.append(candidates[pickIndex])
            }
            for callee in chosen.sorted() {
                edges.append(edge(service, callee))
                indegree[callee] += 1
                linked.insert(callee)
            }
        }
        for service in 1..<count where !linked.contains(service) {
            let shallower = (0..<count).filter { layerOf[$0] < layerOf[service] }
            let caller = shallower[stream.pick(shallower.count)]
            edges.append(edge(caller, service))
        }
        var kinds = [SyntheticServiceKind](repeating: .app, count: count)
        let callers = Set(edges.map(\.caller))
        for service in 1..<count where !callers.contains(service) { kinds[service] = stream.chance(0.6) ? .db : .cache }
        return finish(.layered, kinds: kinds, edges: edges)
    }

    private mutating func tree() -> SyntheticTopology {
        let count = stream.integer(5, 30)
        var edges: [SyntheticEdge] = []
        for service in 1..<count { edges.append(edge(stream.pick(service), service)) }
        return finish(.tree, kinds: leafKinds(count: count, edges: edges), edges: edges)
    }

    private mutating func chain() -> SyntheticTopology {
        let count = stream.integer(6, 30)
        let length = max(5, count / 2)
        var edges: [SyntheticEdge] = []
        for service in 1..<length { edges.append(edge(service - 1, service)) }
        for service in length..<count { edges.append(edge(stream.pick(length), service)) }
        return finish(.chain, kinds: leafKinds(count: count, edges: edges), edges: edges)
    }

    private mutating func hub() -> SyntheticTopology {
        let count = stream.integer(5, 30)
        var edges: [SyntheticEdge] = []
        for service in 1..<count { edges.append(edge(0, service)) }
        for service in 1..<(count - 1) where stream.chance(0.2) {
            edges.append(edge(service, stream.integer(service + 1, count - 1)))
        }
        return finish(.hub, kinds: leafKinds(count: count, edges: edges), edges: edges)
    }

    private mutating func onlineBoutique() -> SyntheticTopology {
        let names = ["frontend", "ad", "cart", "checkout", "currency", "productcatalog", "recommendation",
                     "shipping", "email", "payment", "redis-cart"]
        let pairs = [(0, 1), (0, 2), (0, 3), (0, 4), (0, 5), (0, 6), (0, 7), (3, 2), (3, 4), (3, 8), (3, 9),
                     (3, 5), (3, 7), (6, 5), (2, 10)]
        var kinds = [SyntheticServiceKind](repeating: .app, count: names.count)
        kinds[10] = .cache
        return template(.onlineBoutique, names: names, kinds: kinds, pairs: pairs, asynchronous: [])
    }

    private mutating func sockShop() -> SyntheticTopology {
        let names = ["front-end", "carts", "catalogue", "orders", "user", "carts-db", "catalogue-db",
                     "orders-db", "user-db", "payment", "shipping", "rabbitmq", "queue-master"]
        let pairs = [(0, 1), (0, 2), (0, 3), (0, 4), (1, 5), (2, 6), (3, 7), (3, 1), (3, 9), (3, 10), (3, 4),
                     (4, 8), (10, 11), (11, 12)]
        var kinds = [SyntheticServiceKind](repeating: .app, count: names.count)
        for db in [5, 6, 7, 8] { kinds[db] = .db }
        kinds[11] = .queue
        return template(.sockShop, names: names, kinds: kinds, pairs: pairs, asynchronous: [(10, 11), (11, 12)])
    }

    // MARK: helpers

    private mutating func template(
        _ shape: TopologyShape, names: [String], kinds: [SyntheticServiceKind], pairs: [(Int, Int)],
        asynchronous: [(Int, Int)]
    ) -> SyntheticTopology {
        var edges: [SyntheticEdge] = []
        for (caller, callee) in pairs {
            var drawn = edge(caller, callee)
            if asynchronous.contains(where: { $0 == (caller, callee) }) { drawn.synchronous = false }
            edges.append(drawn)
        }
        let services = zip(names, kinds).map { SyntheticService(name: $0.0, kind: $0.1) }
        return SyntheticTopology(shape: shape, services: services, edges: edges, entry: 0)
    }

    private mutating func leafKinds(count: Int, edges: [SyntheticEdge]) -> [SyntheticServiceKind] {
        let callers = Set(edges.map(\.caller))
        var kinds = [SyntheticServiceKind](repeating: .app, count: count)
        for service in 1..<count where !callers.contains(service) {
            let roll = stream.uniform(0, 1)
            kinds[service] = roll < 0.4 ? .db : (roll < 0.6 ? .cache : .app)
        }
        return kinds
    }

    private mutating func edge(_ caller: Int, _ callee: Int) -> SyntheticEdge {
        let retries = stream.chance(0.1)
        return SyntheticEdge(
            caller: caller, callee: callee, callsPerRequest: stream.integer(1, 3), synchronous: true,
            lag: stream.integer(0, 3),
            latencyAttenuation: retries ? stream.uniform(1.0, 1.5) : stream.uniform(0.3, 0.9),
            errorAttenuation: stream.uniform(0.2, 1.0), retries: retries)
    }

    /// Names the services (word + random suffix, unique) and wraps up.
    private mutating func finish(
        _ shape: TopologyShape, kinds: [SyntheticServiceKind], edges: [SyntheticEdge]
    ) -> SyntheticTopology {
        var used = Set<String>()
        var services: [SyntheticService] = []
        let alphabet = Array("abcdefghijklmnopqrstuvwxyz0123456789")
        for kind in kinds {
            var name = ""
            repeat {
                let word = Self.words[stream.pick(Self.words.count)]
                let suffix = String([alphabet[stream.pick(alphabet.count)], alphabet[stream.pick(alphabet.count)]])
                name = "\(word)-\(suffix)"
            } while used.contains(name)
            used.insert(name)
            services.append(SyntheticService(name: name, kind: kind))
        }
        return SyntheticTopology(shape: shape, services: services, edges: edges, entry: 0)
    }
}
