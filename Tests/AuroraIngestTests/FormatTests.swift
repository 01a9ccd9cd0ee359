import AuroraCore
import Testing
@testable import AuroraIngest

/// Each format reads a realistic sample written after the format's documentation.
@Suite struct FormatTests {
    @Test func nabCSV() throws {
        let text = """
        timestamp,value
        2014-04-02 14:29:00,42.652
        2014-04-02 14:34:00,41.361
        2014-04-02 14:39:00,43.408

        """
        let result = try ingestText(text, name: "data/realKnownCause/ec2_cpu_utilization_24ae8d.csv")
        #expect(result.report.inputs.first?.format == .nabCSV)
        #expect(result.series.count == 1)
        let series = try #require(result.series.first)
        #expect(series.key == key("ec2_cpu_utilization_24ae8d"))
        #expect(series.values == [42.652, 41.361, 43.408])
        #expect(series.timestamps == [1_396_448_940_000, 1_396_449_240_000, 1_396_449_540_000])
        #expect(result.report.series.first?.step == 300_000)
        #expect(result.report.series.first?.gapCount == 0)
    }

    @Test func commentPreambleBeforeTheHeader() throws {
        let result = try ingestText("# exported by grafana\n# unit: percent\ntimestamp,value\n1709251200,1.5\n", name: "g.csv")
        #expect(result.series.first?.values == [1.5])
    }

    @Test func nabWithoutHeaderTabsAndQuotes() throws {
        let plain = try ingestText("1396448940,1.5\n1396449240,2.5\n", name: "x.csv")
        #expect(plain.series.first?.values == [1.5, 2.5])
        let tabs = try ingestText("timestamp\tvalue\n1396448940\t1.5\n", name: "t.tsv")
        #expect(tabs.series.first?.values == [1.5])
        let quoted = try ingestText("\"timestamp\",\"value\"\n\"2014-04-02 14:29:00\",\"42.5\"\n", name: "q.csv")
        #expect(quoted.series.first?.values == [42.5])
    }

    @Test func longCSV() throws {
        let text = """
        timestamp,metric,value,service,instance
        2024-03-01T00:00:00Z,http_requests_total,1027,checkout,10.0.0.1:9090
        2024-03-01T00:00:00Z,http_requests_total,3,payments,10.0.0.2:9090
        2024-03-01T00:01:00Z,http_requests_total,1090,checkout,10.0.0.1:9090
        2024-03-01T00:01:00Z,http_requests_total,5,payments,10.0.0.2:9090
        2024-03-01T00:01:00Z,process_cpu_seconds,0.25,checkout,

        """
        let result = try ingestText(text)
        #expect(result.report.inputs.first?.format == .longCSV)
        #expect(result.series.map(\.key.description) == [
            "http_requests_total{instance=\"10.0.0.1:9090\",service=\"checkout\"}",
            "http_requests_total{instance=\"10.0.0.2:9090\",service=\"payments\"}",
            "process_cpu_seconds{service=\"checkout\"}",
        ])
        #expect(result.series[0].values == [1027, 1090])
        #expect(result.series[1].timestamps == [march1, march1 + 60_000])
        #expect(result.report.series[0].service == "checkout")
    }

    @Test func wideCSVWithPrometheusHeaders() throws {
        let text = """
        time,"cpu{service=""checkout""}","cpu{service=""payments""}",memory_bytes
        1709251200,0.5,0.25,1048576
        1709251260,0.75,,2097152

        """
        let result = try ingestText(text)
        #expect(result.report.inputs.first?.format == .wideCSV)
        #expect(result.series.map(\.key) == [key("cpu", ["service": "checkout"]), key("cpu", ["service": "payments"]), key("memory_bytes")])
        #expect(result.series[1].values == [0.25])
        #expect(result.series[2].values == [1_048_576, 2_097_152])
    }

    @Test func wideCSVWithTemplate() throws {
        let text = "timestamp,checkout_http_requests_total,payments_latency_seconds\n2024-03-01 00:00:00,10,0.2\n"
        let options = IngestOptions(columnsTemplate: "{service}_{metric}", serviceLabel: "app")
        let result = try ingestText(text, options: options)
        #expect(result.series.map(\.key) == [key("http_requests_total", ["app": "checkout"]), key("latency_seconds", ["app": "payments"])])
        #expect(result.report.series.map(\.service) == ["checkout", "payments"])
    }

    @Test func jsonLines() throws {
        let text = """
        {"ts":"2024-03-01T00:00:00Z","metric":"http_request_duration_seconds","labels":{"service":"checkout","quantile":"0.99"},"value":0.412}
        {"ts":1709251260,"metric":"http_request_duration_seconds","labels":{"quantile":"0.99","service":"checkout"},"value":"0.398"}
        {"timestamp":1709251320000,"name":"up","value":1}

        """
        let result = try ingestText(text, name: "dump.jsonl")
        #expect(result.report.inputs.first?.format == .jsonLines)
        #expect(result.series.map(\.key) == [key("http_request_duration_seconds", ["service": "checkout", "quantile": "0.99"]), key("up")])
        #expect(result.series[0].values == [0.412, 0.398])
        #expect(result.series[0].timestamps == [march1, march1 + 60_000])
        #expect(result.series[1].timestamps == [march1 + 120_000])
    }

    @Test func jsonLinesWrittenByPython() throws {
        let text = "{\"ts\": 1709251200, \"metric\": \"cpu\", \"value\": NaN, \"extra\": -Infinity}\n{\"ts\": 1709251260, \"metric\": \"cpu\", \"value\": 1.5}\n"
        let result = try ingestText(text, name: "py.jsonl")
        #expect(result.series.first?.values == [1.5])
        #expect(result.report.totalNonFinite == 1)
    }

    /// VictoriaMetrics' `/api/v1/export`: one series per line, its name the `__name__` label, values and
    /// timestamps (milliseconds) as two arrays; a series split over several lines is one series.
    @Test func victoriaMetricsExport() throws {
        let text = """
        {"metric":{"__name__":"node_load1","instance":"db-1:9100","job":"node"},"values":[0.5,null,0.75],"timestamps":[1709251200000,1709251260000,1709251320000]}
        {"metric":{"__name__":"up","job":"node"},"values":[1],"timestamps":[1709251200000]}
        {"metric":{"job":"node","__name__":"node_load1","instance":"db-1:9100"},"values":[2],"timestamps":[1709251380000]}

        """
        let result = try ingestText(text, name: "export.jsonl")
        #expect(result.report.inputs.first?.format == .jsonLines)
        #expect(result.series.map(\.key) == [key("node_load1", ["instance": "db-1:9100", "job": "node"]), key("up", ["job": "node"])])
        #expect(result.series[0].values == [0.5, 0.75, 2])
        #expect(result.series[0].timestamps == [march1, march1 + 120_000, march1 + 180_000])
        #expect(result.report.totalNonFinite == 1)
    }

    @Test func victoriaMetricsExportWithUnpairedArraysIsALocatedError() throws {
        let text = "{\"metric\":{\"__name__\":\"up\"},\"values\":[1,1],\"timestamps\":[1709251200000]}\n"
        #expect {
            try ingestText(text, name: "export.jsonl")
        } throws: { error in
            "\(error)".hasPrefix("export.jsonl:1:41: \"values\" and \"timestamps\" differ in length")
        }
        #expect {
            try ingestText("{\"metric\":{\"job\":\"a\"},\"values\":[1],\"timestamps\":[1709251200000]}\n", name: "x.jsonl")
        } throws: { error in
            "\(error)".contains("x.jsonl:1:11: \"metric\" has no \"__name__\"")
        }
    }

    /// A result without `__name__` (`sum by (service) (rate(…))`) is named after its file, as a NAB file
    /// names its series: two files of different queries with the same labels stay two series.
    @Test func namelessQueryResultsAreNamedAfterTheirFile() throws {
        func answer(_ value: String) -> [UInt8] {
            Array(#"{"status":"success","data":{"resultType":"matrix","result":[{"metric":{"service":"api"},"values":[[1709251200,"\#(value)"]]}]}}"#.utf8)
        }
        let result = try ingest([.bytes(name: "dumps/latency.json", answer("0.2")), .bytes(name: "dumps/errors.json", answer("5"))])
        #expect(result.series.map(\.key) == [key("errors", ["service": "api"]), key("latency", ["service": "api"])])
        #expect(result.series.map { $0.values } == [[5], [0.2]])
        let piped = try ingest([.bytes(name: "<stdin>", answer("1"))])
        #expect(piped.series.map(\.key) == [key("query", ["service": "api"])])
    }

    /// The example response of the Prometheus HTTP API documentation for `query_range`.
    @Test func prometheusQueryRange() throws {
        let text = """
        {
           "status" : "success",
           "data" : {
              "resultType" : "matrix",
              "result" : [
                 {
                    "metric" : {
                       "__name__" : "up",
                       "job" : "prometheus",
                       "instance" : "localhost:9090"
                    },
                    "values" : [
                       [ 1435781430.781, "1" ],
                       [ 1435781445.781, "1" ],
                       [ 1435781460.781, "1" ]
                    ]
                 },
                 {
                    "metric" : {
                       "__name__" : "up",
                       "job" : "node",
                       "instance" : "localhost:9091"
                    },
                    "values" : [
                       [ 1435781430.781, "0" ],
                       [ 1435781445.781, "0" ],
                       [ 1435781460.781, "1" ]
                    ]
                 }
              ]
           }
        }
        """
        let result = try ingestText(text, name: "range.json")
        #expect(result.report.inputs.first?.format == .prometheusJSON)
        #expect(result.series.map(\.key) == [key("up", ["job": "prometheus", "instance": "localhost:9090"]),
                                             key("up", ["job": "node", "instance": "localhost:9091"])])
        #expect(result.series[1].values == [0, 0, 1])
        #expect(result.series[0].timestamps == [1_435_781_430_781, 1_435_781_445_781, 1_435_781_460_781])
        #expect(result.report.series[0].step == 15_000)
    }

    /// The example response of the Prometheus HTTP API documentation for an instant `query`.
    @Test func prometheusInstantQuery() throws {
        let text = """
        {"status":"success","data":{"resultType":"vector","result":[{"metric":{"__name__":"up","job":"prometheus","instance":"localhost:9090"},"value":[1435781451.781,"1"]},{"metric":{"__name__":"up","job":"node","instance":"localhost:9100"},"value":[1435781451.781,"NaN"]}]}}
        """
        let result = try ingestText(text, name: "instant.json")
        #expect(result.series.count == 2)
        #expect(result.series.first { $0.key[label: "job"] == "prometheus" }?.values == [1])
        #expect(result.report.totalNonFinite == 1)
    }

    /// The example of the Prometheus exposition format documentation, two scrapes concatenated.
    @Test func exposition() throws {
        let text = """
        # HELP http_requests_total The total number of HTTP requests.
        # TYPE http_requests_total counter
        http_requests_total{method="post",code="200"} 1027 1395066363000
        http_requests_total{method="post",code="400"}    3 1395066363000

        # Escaping in label values:
        msdos_file_access_time_seconds{path="C:\\\\DIR\\\\FILE.TXT",error="Cannot find file:\\n\\"FILE.TXT\\""} 1.458255915e9 1395066363000

        # Minimalistic line:
        metric_without_timestamp_and_labels 12.47 1395066363000
        # HELP http_requests_total The total number of HTTP requests.
        # TYPE http_requests_total counter
        http_requests_total{method="post",code="200"} 1087 1395066423000
        http_requests_total{code="400",method="post"}    4 1395066423000
        something_weird{problem="division by zero"} +Inf -3982045

        """
        let result = try ingestText(text, name: "scrapes.prom")
        #expect(result.report.inputs.first?.format == .exposition)
        let requests = try #require(result.series.first { $0.key == key("http_requests_total", ["method": "post", "code": "200"]) })
        #expect(requests.values == [1027, 1087])
        let errors = try #require(result.series.first { $0.key == key("http_requests_total", ["method": "post", "code": "400"]) })
        #expect(errors.values == [3, 4])
        let msdos = try #require(result.series.first { $0.key.name == "msdos_file_access_time_seconds" })
        #expect(msdos.key[label: "path"] == "C:\\DIR\\FILE.TXT")
        #expect(msdos.key[label: "error"] == "Cannot find file:\n\"FILE.TXT\"")
        #expect(result.report.totalNonFinite == 1)
        #expect(result.series.contains { $0.key == key("metric_without_timestamp_and_labels") })
    }

    @Test func openMetricsSecondsAndDefaultTimestamp() throws {
        let text = """
        # TYPE acme_http_router_request_seconds summary
        # UNIT acme_http_router_request_seconds seconds
        acme_http_router_request_seconds_sum{path="/api/v1",method="GET"} 9036.32 1709251200.000
        acme_http_router_request_seconds_count{path="/api/v1",method="GET"} 807283.0 1709251200.000 # {trace_id="KOO5S4vxi0o"} 0.67
        # EOF

        """
        let result = try ingestText(text, name: "om.txt")
        #expect(result.series.map(\.timestamps) == [[march1], [march1]])
        let noTimes = try ingestText("cpu 1\nmem 2\n", name: "m.prom", options: IngestOptions(defaultTimestamp: march1))
        #expect(noTimes.series.map(\.timestamps) == [[march1], [march1]])
    }

    /// The examples of the InfluxDB line protocol reference.
    @Test func influxLineProtocol() throws {
        let text = """
        # comment
        myMeasurement,tag1=value1,tag2=value2 fieldKey="fieldValue" 1556813561098000000
        home,room=Living\\ Room temp=21.1,hum=35.9,co=0i 1641024000000000000
        home,room=Kitchen temp=21.0,hum=35.9,co=0i,door_open=true 1641024000000000000
        home,room=Kitchen temp=23.0,hum=36.2,co=1u 1641027600000000000

        """
        let result = try ingestText(text, name: "home.lp")
        #expect(result.report.inputs.first?.format == .influx)
        #expect(result.report.inputs.first?.skippedNonNumeric == 1)
        let kitchenTemp = try #require(result.series.first { $0.key == key("home_temp", ["room": "Kitchen"]) })
        #expect(kitchenTemp.values == [21.0, 23.0])
        #expect(kitchenTemp.timestamps == [1_641_024_000_000, 1_641_027_600_000])
        #expect(result.series.contains { $0.key == key("home_temp", ["room": "Living Room"]) })
        #expect(result.series.first { $0.key == key("home_door_open", ["room": "Kitchen"]) }?.values == [1])
        #expect(result.series.first { $0.key == key("home_co", ["room": "Kitchen"]) }?.values == [0, 1])
    }

    /// The shape `aws cloudwatch get-metric-data` prints (timestamps newest first, as it returns them).
    @Test func cloudWatch() throws {
        let text = """
        {
            "MetricDataResults": [
                {
                    "Id": "m1",
                    "Label": "CPUUtilization",
                    "Timestamps": [
                        "2024-03-01T00:10:00+00:00",
                        "2024-03-01T00:05:00+00:00",
                        "2024-03-01T00:00:00+00:00"
                    ],
                    "Values": [
                        12.5,
                        10.25,
                        9.0
                    ],
                    "StatusCode": "Complete"
                },
                {
                    "Id": "m2",
                    "Label": "",
                    "Timestamps": [],
                    "Values": [],
                    "StatusCode": "Complete"
                }
            ],
            "Messages": []
        }
        """
        let result = try ingestText(text, name: "cw.json")
        #expect(result.report.inputs.first?.format == .cloudWatch)
        let cpu = try #require(result.series.first { $0.key.name == "CPUUtilization" })
        #expect(cpu.key == key("CPUUtilization", ["id": "m1"]))
        #expect(cpu.timestamps == [march1, march1 + 300_000, march1 + 600_000])
        #expect(cpu.values == [9.0, 10.25, 12.5])
        #expect(result.report.series.first { $0.key.name == "CPUUtilization" }?.wasSorted == true)
    }

    static let roundTripSeries: [Series] = [
        Series(key: key("http_requests_total", ["service": "checkout", "code": "200"]),
               timestamps: [march1, march1 + 15_000, march1 + 30_000, march1 + 45_250],
               values: [1027, 1030.5, 1.25e-7, -3]),
        Series(key: key("queue_depth", ["service": "pay ments,eu", "id": "m2"]),
               timestamps: [march1 + 15_000, march1 + 30_000], values: [12, 13.125]),
    ]

    /// Writing series in a format and reading them back gives the same series.
    @Test(arguments: [MetricFormat.longCSV, .wideCSV, .jsonLines, .prometheusJSON, .exposition, .influx])
    func roundTrip(format: MetricFormat) throws {
        let bytes = MetricWriter.render(Self.roundTripSeries, format: format)
        let result = try ingestBytes(bytes, name: "round.\(format)")
        #expect(result.report.inputs.first?.format == format)
        #expect(result.series == Self.roundTripSeries)
    }

    @Test func roundTripNAB() throws {
        let one = Series(key: key("cpu"), timestamps: [march1, march1 + 300_000, march1 + 600_500], values: [1.5, 2, 3])
        let result = try ingestBytes(MetricWriter.render([one], format: .nabCSV), name: "dir/cpu.csv")
        #expect(result.series == [one])
    }

    @Test func roundTripCloudWatch() throws {
        let series = [Series(key: key("CPUUtilization", ["id": "m1"]), timestamps: [march1, march1 + 60_000], values: [1.5, 2])]
        let result = try ingestBytes(MetricWriter.render(series, format: .cloudWatch), name: "cw.json")
        #expect(result.series == series)
    }

    @Test func forcedFormat() throws {
        // Two columns without a "value" header sniff as wide; forcing NAB names the series after the file.
        let text = "timestamp,cpu\n1709251200,1\n"
        #expect(try ingestText(text, name: "x.csv").series.first?.key == key("cpu"))
        #expect(try ingestText(text, name: "x.csv", options: IngestOptions(format: .nabCSV)).series.first?.key == key("x"))
    }
}
