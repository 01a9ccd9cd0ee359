// aurora-http: aurora's HTTP helper. Reads one request as JSON on standard input, sends it with
// SocketHTTPTransport (URLSession for https), and writes the result as JSON on standard output. Not meant to be run by hand.
import AuroraCore
import AuroraHTTP
import Foundation

let input = FileHandle.standardInput.readDataToEndOfFile()
let result: Result<HTTPResponseData, HTTPTransportError>
do {
    let request = try HTTPWireFormat.decodeRequest(input)
    result = await SocketHTTPTransport().send(request)
} catch {
    result = .failure(.other("aurora-http: unreadable request (\(error))"))
}
FileHandle.standardOutput.write((try? HTTPWireFormat.encode(result)) ?? Data())
