// Placeholder until this module lands.
import AuroraCore
