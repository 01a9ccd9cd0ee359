import AuroraCLI

await AuroraCommandLine.main()
