"""medscribe: clinical documentation from consultation transcripts, against a local LM Studio."""

__version__ = "0.1.0"
