"""The LM Studio client: async httpx, wire schemas, SSE parsing. No Qt."""
