/// The simulator's own HTTP controls under `/_sim` (never counted, never faulted):
///
/// - `POST /_sim/advance?fraction=0.1[&instance=N]` → what changed per instance and table
/// - `GET|POST|DELETE /_sim/faults` → read, replace (JSON body, see `SimFaults`), clear
/// - `GET /_sim/stats`, `POST /_sim/stats/reset`
/// - `POST /_sim/tokens/expire` → every issued OAuth token becomes invalid
/// - `GET /_sim/instances` → each instance's credential values
enum SimControlRoutes {
    static func register(on router: inout Router, simulator: Simulator) {
        router.post("/_sim/advance") { [unowned simulator] request in
            guard let fraction = Double(request.queryParameter("fraction") ?? "0.1"), (0...1).contains(fraction) else {
                return .jsonError(.badRequest, code: "bad_fraction", message: "fraction must be a number from 0 to 1")
            }
            let instance = request.queryParameter("instance").flatMap(Int.init)
            let changes = simulator.advance(fraction: fraction, instance: instance)
            return .json(.object(JSONObject(changes.keys.sorted().map { index in
                JSONMember(key: String(index), value: .object(JSONObject(changes[index]!.keys.sorted().map { table in
                    let c = changes[index]![table]!
                    return JSONMember(key: table, value: ["updated": SimHTTP.number(c.updated), "inserted": SimHTTP.number(c.inserted),
                                                          "deleted": SimHTTP.number(c.deleted)])
                })))
            })))
        }
        router.get("/_sim/faults") { [unowned simulator] _ in .json(simulator.currentFaults.json) }
        router.post("/_sim/faults") { [unowned simulator] request in
            do {
                let faults = try SimFaults(json: try JSONParser.parse(request.body))
                simulator.setFaults(faults)
                return .json(faults.json)
            } catch {
                return .jsonError(.badRequest, code: "bad_faults", message: "\(error)")
            }
        }
        router.delete("/_sim/faults") { [unowned simulator] _ in
            simulator.setFaults(.none)
            return .json(SimFaults.none.json)
        }
        router.get("/_sim/stats") { [unowned simulator] _ in .json(simulator.stats.json) }
        router.post("/_sim/stats/reset") { [unowned simulator] _ in
            simulator.resetStats()
            return .json(simulator.stats.json)
        }
        router.post("/_sim/tokens/expire") { [unowned simulator] _ in
            simulator.expireTokens()
            return .json(["expired": true])
        }
        router.get("/_sim/instances") { [unowned simulator] _ in
            .json(.array((0..<simulator.instanceCount).map { index in
                .object(JSONObject(simulator.credentials(instance: index).sorted { $0.key < $1.key }
                    .map { JSONMember(key: $0.key, value: .string($0.value)) }))
            }))
        }
    }
}
