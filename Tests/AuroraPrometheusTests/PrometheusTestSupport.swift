import AuroraCore
import Foundation

/// The form fields of a request's body.
func formFields(_ request: HTTPRequestData) -> [String: String] {
    var fields: [String: String] = [:]
    for pair in String(decoding: request.body ?? [], as: UTF8.self).split(separator: "&") {
        let parts = pair.split(separator: "=", maxSplits: 1).map { String($0).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? "" }
        fields[parts[0]] = parts.count > 1 ? parts[1] : ""
    }
    return fields
}

func json(_ status: Int, _ body: String, headers: [String: String] = [:]) -> Result<HTTPResponseData, HTTPTransportError> {
    .success(HTTPResponseData(status: status, headers: headers, body: Array(body.utf8)))
}

/// A `query_range` success body for one series.
func matrix(_ labels: String, _ samples: [(Double, String)], warnings: [String]? = nil) -> String {
    let values = samples.map { "[\($0.0),\"\($0.1)\"]" }.joined(separator: ",")
    let warningText = warnings.map { ",\"warnings\":[" + $0.map { "\"\($0)\"" }.joined(separator: ",") + "]" } ?? ""
    return #"{"status":"success","data":{"resultType":"matrix","result":[{"metric":{\#(labels)},"values":[\#(values)]}]}\#(warningText)}"#
}
