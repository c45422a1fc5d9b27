"""The LM Studio client: async httpx, wire schemas, SSE parsing. No Qt."""

from medscribe.llm.client import LMStudioClient, create_client

__all__ = ["LMStudioClient", "create_client"]
