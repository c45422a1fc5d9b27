"""The medical steps (PHI, entities, SOAP note, structured document) and their orchestration.

Pure core: talks to the model server only through :class:`medscribe.core.llm_port.ChatBackend`.
"""

from medscribe.core.pipeline.budget import ContextTooSmallError
from medscribe.core.pipeline.orchestrator import Pipeline, ServerUnavailable
from medscribe.core.pipeline.soap_text import split_soap_sections

__all__ = ["ContextTooSmallError", "Pipeline", "ServerUnavailable", "split_soap_sections"]
