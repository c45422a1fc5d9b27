"""DOCX and plain-text writers. No Qt."""
