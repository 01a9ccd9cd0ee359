import Foundation
import Testing
@testable import AuroraPrometheus

/// The byte scanner for successful answers gives exactly what the `Decodable` path gives, or nothing
/// (and the `Decodable` path decides).
@Suite struct QueryAnswerScannerTests {
    static func decoded(_ text: String) -> QueryAnswer? {
        QueryAnswerDecoder.envelope(Array(text.utf8)).flatMap { $0.status == "success" ? QueryAnswerDecoder.answer($0) : nil }
    }

    static let answers = [
        #"{"status":"success","data":{"resultType":"matrix","result":[{"metric":{"__name__":"up","job":"a"},"values":[[1700000000,"1"],[1700000001.5,"NaN"],[1700000002.001,"+Inf"],[1.7e9,"-Inf"],[1700000003,"2.5e-3"]]}]}}"#,
        #"{ "status" : "success" , "data" : { "resultType" : "vector" , "result" : [ { "metric" : { } , "value" : [ 1700000000.123 , "42" ] } ] } , "warnings" : [ "partial" , "again" ] }"#,
        #"{"status":"success","data":{"resultType":"matrix","result":[]}}"#,
        #"{"status":"success","data":{"resultType":"matrix","result":[{"metric":{"q":"a \"quoted\" \\ back\/slash \u00e9 \ud83d\ude00 tab\t","é":"ü"},"values":[]}]},"infos":["x"]}"#,
        #"{"status":"success","data":{"resultType":"matrix","result":[{"metric":{"a":"b"},"histograms":[[1,{"count":"2","buckets":[[0,"1","2","3"]]}]],"values":[[-1,"0"]],"extra":[true,false,null,-0.5e+2]}]}}"#,
        #"{"status":"success","data":{"resultType":"vector","result":[{"metric":{"a":"b"},"value":[1,"3"],"values":[[2,"4"]]}]}}"#,
    ]

    static let refused = [
        #"{"status":"error","errorType":"bad_data","error":"parse error"}"#,
        #"{"status":"success","data":{"resultType":"scalar","result":[1700000000,"1"]}}"#,
        #"{"status":"success","data":{"result":[],"resultType":"matrix"}}"#,
        #"{"status":"success","data":{"resultType":"matrix","result":[{"metric":{"a":"b","a":"c"},"values":[]}]}}"#,
        #"{"status":"success","data":{"resultType":"matrix","result":[{"metric":{"a":1},"values":[]}]}}"#,
        #"{"status":"success","data":{"resultType":"matrix","result":[{"metric":{},"values":[[01,"1"]]}]}}"#,
        #"{"status":"success","data":{"resultType":"matrix","result":[{"metric":{},"values":[[1,"one"]]}]}}"#,
        #"{"status":"success","data":{"resultType":"matrix","result":[{"metric":{"a":"\ud83d"},"values":[]}]}}"#,
        #"{"status":"success","data":{"resultType":"matrix","result":[{"metric":{"a":"\x41"},"values":[]}]}}"#,
        #"{"status":"success","data":{"resultType":"matrix","result":[{"metric":{"a":"\ude00"},"values":[]}]}}"#,
        #"{"status":"success","data":{"resultType":"matrix","result":[{"metric":{"a":"\u12g4"},"values":[]}]}}"#,
        #"{"status":"success","data":{"resultType":"matrix","result":[]}} trailing"#,
        #"{"status":"success","data":{"resultType":"matrix","result":[{"metric":{}}]"#,
        "not json",
    ]

    @Test func answersAreThoseTheDecoderGives() throws {
        for text in Self.answers {
            let scanned = try #require(QueryAnswerScanner.answer(Array(text.utf8)), "\(text)")
            let decoded = try #require(Self.decoded(text), "\(text)")
            #expect(scanned.warnings == decoded.warnings)
            #expect(scanned.series.map(\.labels) == decoded.series.map(\.labels))
            #expect(scanned.series.map(\.timestamps) == decoded.series.map(\.timestamps))
            // NaN compares unequal: compare bit patterns.
            #expect(scanned.series.map { $0.values.map(\.bitPattern) } == decoded.series.map { $0.values.map(\.bitPattern) }, "\(text)")
        }
    }

    @Test func anythingElseIsLeftToTheDecoder() {
        for text in Self.refused {
            #expect(QueryAnswerScanner.answer(Array(text.utf8)) == nil, "\(text)")
        }
        #expect(QueryAnswerScanner.answer([0x7B, 0x22, 0xFF, 0x22, 0x3A, 0x31, 0x7D]) == nil, "invalid UTF-8")
    }
}
