import AuroraCore
import Foundation
import Testing

@Suite struct HTTPWireFormatTests {
    @Test func requestsAndResultsRoundTrip() throws {
        let request = HTTPRequestData(method: "POST", url: "https://k8s.internal/apis?x=1",
                                      headers: [HTTPHeaderField(name: "Authorization", value: "Bearer s3cr3t")],
                                      body: Array("{\"replicas\":6}".utf8), timeout: 2.5, bodyLimit: 4096)
        #expect(try HTTPWireFormat.decodeRequest(HTTPWireFormat.encode(request)) == request)
        let success: Result<HTTPResponseData, HTTPTransportError> = .success(HTTPResponseData(status: 503, headers: ["retry-after": "2"],
                                                                                          body: [0, 255, 10], bodyTruncated: true))
        #expect(HTTPWireFormat.decodeResult(try HTTPWireFormat.encode(success)) == success)
        for error: HTTPTransportError in [.connectionFailed("refused"), .timedOut(requestSent: false), .timedOut(requestSent: true),
                                          .tls("bad certificate"), .redirectRefused("http://elsewhere"), .notSent("no helper"), .other("odd")] {
            let result: Result<HTTPResponseData, HTTPTransportError> = .failure(error)
            #expect(HTTPWireFormat.decodeResult(try HTTPWireFormat.encode(result)) == result)
        }
        #expect(HTTPWireFormat.decodeResult(Data("garbage".utf8)) == .failure(.other("the HTTP helper gave an unreadable answer")))
    }
}
