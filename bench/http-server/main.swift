import AvesaHost
import Foundation

// A small server for bench/http-server/run.sh: GET /json answers a fixed JSON body.
// Usage: BenchHTTPServer [port] [loops]
let arguments = CommandLine.arguments
let port = arguments.count > 1 ? Int(arguments[1]) ?? 8081 : 8081
let loops = arguments.count > 2 ? Int(arguments[2]) : nil
let payload = Array(#"{"message":"Hello, World!","id":42,"tags":["avesa","http"]}"#.utf8)

var router = Router()
router.get("/json") { _ in .json(payload) }
let server = HTTPServer(configuration: HTTPServerConfiguration(host: "127.0.0.1", port: port, eventLoopCount: loops),
                        router: router)
do {
    let address = try server.start()
    FileHandle.standardOutput.write(Data("listening on \(address)\n".utf8))
} catch {
    FileHandle.standardError.write(Data("\(error)\n".utf8))
    exit(1)
}
let signals = ShutdownSignals(server: server, timeout: .seconds(2)) { exit(0) }
while true { sleep(60) }
