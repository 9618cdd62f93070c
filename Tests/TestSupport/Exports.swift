// Test code gets the deterministic signals and the hostile corpus with TestSupport.
@_exported import SyntheticAudio
