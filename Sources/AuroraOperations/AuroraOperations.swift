// AuroraOperations: the self-healing loop as a library.
//
// Every operation takes an `OperationsContext` (store, configuration, wall clock, environment, actor,
// process runner, HTTP transport) and knows nothing of argv, terminals, colours or exit codes.
//
//   StoredDetection.detect(detection:store:serviceLabel:context:)  score stored series, record events, group incidents
//   IncidentDiagnoser(context:).diagnose(incident)                  immunise through a learned pattern, else analyse; recorded
//   RemediationFlow(context:)                                       recover() · run(request) · approve(id,approver:) ·
//                                                                   reject(id,actor:reason:) · pending()
//   IncidentResolution.complete(result,action:incident:automatically:context:)  resolve and learn, or escalate and weaken
//   ServiceLevels.measure(since:service:context:)                   the SLO report
//   HealingPass(context:dryRun:actor:).run(observer:)               one pass of the whole loop; the observer hears
//                                                                   `.detected(…)` then `.incident(step)` per incident
//
// `aurora watch` runs `HealingPass` on a schedule with one long-lived context (one database connection).
