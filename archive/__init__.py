"""The digital archive: EEP packages, the four checks, intake, catalogue, export."""
