"""What the scripted server answers: models it reports and replies it gives, fault by fault.

Bodies and texts copy LM Studio's (see /work/shared/LMSTUDIO.md): errors come as a string or an
object under ``error``, unknown routes answer 200 with an error, llama-server reports context
overflow as ``exceed_context_size_error``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

NO_MODELS_LOADED = (
    "No models loaded. Please load a model in the developer page or use the `lms load` command."
)


@dataclass
class ScriptedModel:
    """One model as LM Studio's model routes describe it."""

    id: str
    type: str = "llm"  # "llm", "vlm" or "embedding" (LM Studio's words)
    loaded: bool = True
    context_length: int = 4096  # the loaded context length
    max_context_length: int = 32768
    parallel: int = 4

    def api_v1(self) -> dict[str, Any]:
        instances = (
            [
                {
                    "id": self.id,
                    "config": {"context_length": self.context_length, "parallel": self.parallel},
                }
            ]
            if self.loaded
            else []
        )
        return {
            "type": "embedding" if self.type == "embedding" else "llm",
            "publisher": self.id.split("/")[0] if "/" in self.id else "lmstudio-community",
            "key": self.id,
            "display_name": self.id.rsplit("/", 1)[-1],
            "max_context_length": self.max_context_length,
            "format": "gguf",
            "loaded_instances": instances,
        }

    def api_v0(self) -> dict[str, Any]:
        item: dict[str, Any] = {
            "id": self.id,
            "object": "model",
            "type": "embeddings" if self.type == "embedding" else self.type,
            "publisher": "lmstudio-community",
            "arch": "gemma3",
            "compatibility_type": "gguf",
            "quantization": "Q4_K_M",
            "state": "loaded" if self.loaded else "not-loaded",
            "max_context_length": self.max_context_length,
        }
        if self.loaded:
            item["loaded_context_length"] = self.context_length
        return item


def default_models() -> list[ScriptedModel]:
    return [
        ScriptedModel("qwen/qwen3-8b"),
        ScriptedModel("text-embedding-nomic-embed-text-v1.5", type="embedding", parallel=1),
    ]


@dataclass
class ScriptedReply:
    """One chat answer, or one fault. Consumed by one chat request.

    Streamed answers send ``chunks`` (default: ``content`` split into words) after the
    ``reasoning`` pieces; ``*_after_chunks`` count those text pieces.
    """

    content: str = "OK"
    chunks: list[str] | None = None
    reasoning: str | None = None
    reasoning_field: str = "reasoning_content"  # or "reasoning"
    finish_reason: str | None = "stop"
    status: int = 200
    error_body: str | dict[str, Any] | None = None  # sent as {"error": error_body}
    json_body: Any = None  # route overrides: send this JSON instead
    first_token_delay: float = 0.0  # seconds after the headers before the first chunk
    chunk_delay: float = 0.0
    stall_after_chunks: int | None = None  # then silence (connection kept open)
    drop_after_chunks: int | None = None  # then the connection is cut
    malformed: bool = False  # a chunk (or the whole body) that is not JSON
    stream_error: str | dict[str, Any] | None = None  # an error object inside the stream
    usage: dict[str, int] | None = field(default_factory=dict)  # {} = computed
    timings: dict[str, float] | None = None
    send_done: bool = True  # end the stream with "data: [DONE]"
    ignore_stream: bool = False  # answer a streaming request with one JSON body

    # --- ready-made faults ---

    @classmethod
    def no_model_loaded(cls) -> ScriptedReply:
        return cls(status=400, error_body=NO_MODELS_LOADED)

    @classmethod
    def unknown_model(cls, model: str) -> ScriptedReply:
        return cls(status=400, error_body=model_not_found_error(model))

    @classmethod
    def context_overflow(
        cls, prompt_tokens: int = 6000, context_tokens: int = 4096, *, llama: bool = False
    ) -> ScriptedReply:
        if llama:
            return cls(
                status=400,
                error_body={
                    "code": 400,
                    "message": "the request exceeds the available context size, try increasing it",
                    "type": "exceed_context_size_error",
                    "n_prompt_tokens": prompt_tokens,
                    "n_ctx": context_tokens,
                },
            )
        return cls(status=400, error_body=lmstudio_overflow_message(prompt_tokens, context_tokens))

    @classmethod
    def server_error(
        cls, status: int = 500, message: str = "Internal server error"
    ) -> ScriptedReply:
        return cls(status=status, error_body={"message": message, "type": "server_error"})

    @classmethod
    def busy(cls) -> ScriptedReply:
        return cls(
            status=503,
            error_body={"code": 503, "message": "Loading model", "type": "unavailable_error"},
        )

    def pieces(self) -> tuple[list[str], list[str]]:
        """(reasoning pieces, content pieces) as they will be streamed."""
        return split_words(self.reasoning or ""), (
            list(self.chunks) if self.chunks is not None else split_words(self.content)
        )


def split_words(text: str) -> list[str]:
    return re.findall(r"\s*\S+\s*", text) if text.strip() else ([text] if text else [])


def model_not_found_error(model: str) -> dict[str, Any]:
    return {
        "message": f'Invalid model identifier "{model}". Please specify a valid downloaded model.',
        "type": "invalid_request_error",
        "param": "model",
        "code": "model_not_found",
    }


def lmstudio_overflow_message(prompt_tokens: int, context_tokens: int) -> str:
    return (
        f"Trying to keep the first {prompt_tokens} tokens when context the overflows. However, "
        f"the model is loaded with context length of {context_tokens} tokens, which is not "
        "enough. Try to load the model with a larger context length, or provide a shorter input"
    )
