import AuroraCore
import AuroraExecutors
import Testing

@Suite struct HelperProcessTransportTests {
    @Test func aMissingHelperIsReportedNotCrashed() async {
        let transport = HelperProcessTransport(helperPath: "/nonexistent/aurora-http")
        let result = await transport.send(HTTPRequestData(method: "GET", url: "http://127.0.0.1:9/", timeout: 1))
        guard case .failure(.notSent(let message)) = result else { Issue.record("expected a not-sent failure"); return }
        #expect(message.contains("/nonexistent/aurora-http is missing"))
    }
}
