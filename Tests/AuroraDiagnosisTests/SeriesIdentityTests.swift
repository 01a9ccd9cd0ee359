import AuroraCore
import AuroraDiagnosis
import Testing

/// Issue 17, point 5: an unlabelled name is read as `service_metric` only when it is written like one.
@Suite struct SeriesIdentityTests {
    @Test(arguments: [
        ("checkout_latency", "checkout", "latency"),
        ("redis-cart_mem", "redis-cart", "mem"),
        ("ec2_cpu_utilization_5f5533", "ec2", "cpu_utilization_5f5533"),
        ("Twitter_volume_AAPL", "Twitter_volume_AAPL", "Twitter_volume_AAPL"),
        ("speed_6005", "speed_6005", "speed_6005"),
        ("latency", "latency", "latency"),
    ])
    func unlabelledNames(name: String, service: String, metric: String) {
        let identity = SeriesIdentity(SeriesKey(name: name))
        #expect(identity.service == service)
        #expect(identity.metric == metric)
    }
}
