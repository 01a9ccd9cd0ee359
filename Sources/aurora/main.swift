import AuroraCLI
