"""What one run of one LLM step needs: backend, budget, cache, progress and its notices."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from medscribe.core.errors import ContextOverflowError
from medscribe.core.llm_port import ChatMessage, ServerStatus
from medscribe.core.pipeline import prompts
from medscribe.core.pipeline.budget import (
    TEMPLATE_TOKENS,
    Plan,
    TokenCounter,
    answer_tokens,
    plan_transcript,
)
from medscribe.core.pipeline.cache import StepCache, cache_key
from medscribe.core.pipeline.metering import Emitter, MeteredBackend, TokenRate
from medscribe.core.steps import StepState, StepStats
from medscribe.core.transcript import Transcript
from medscribe.settings import Settings

log = logging.getLogger(__name__)
X = TypeVar("X")

# Below this many instruction tokens, steps share one chunk plan (and so the server's prompt
# cache across steps); a longer instruction gets a plan of its own.
INSTRUCTION_RESERVE = 256


@dataclass
class StepRun:
    """State of one step run: what it needs, and what the user must be told about it."""

    emit: Emitter
    backend: MeteredBackend
    settings: Settings
    status: ServerStatus
    counter: TokenCounter
    cache: StepCache
    stats: StepStats
    transcript: Transcript
    context_tokens: int | None = None
    notices: list[str] = field(default_factory=list)  # also kept in result.notices
    remarks: list[str] = field(default_factory=list)  # for this run's DONE message only
    degraded: bool = False  # a fallback answered: do not cache this result

    def __post_init__(self) -> None:
        if self.context_tokens is None and self.status.chat_model is not None:
            self.context_tokens = self.status.chat_model.context_length

    @property
    def step_title(self) -> str:
        return self.emit.step.title

    @property
    def model_id(self) -> str | None:
        model = self.status.chat_model
        return model.id if model is not None else self.settings.chat_model

    @property
    def answer_tokens(self) -> int:
        return answer_tokens(self.settings.max_tokens, self.context_tokens)

    def params(self, max_tokens: int | None = None) -> dict[str, Any]:
        return {
            "temperature": self.settings.temperature,
            "max_tokens": max_tokens if max_tokens is not None else self.answer_tokens,
        }

    async def plan(self, instruction: str) -> Plan:
        header = await self.counter.count(prompts.system_text(None))
        instr = max(INSTRUCTION_RESERVE, await self.counter.count(instruction))
        return await plan_transcript(
            self.transcript,
            counter=self.counter,
            context_tokens=self.context_tokens,
            answer=self.answer_tokens,
            header_tokens=header + 40,  # + the longer "PART i OF n" header of a split visit
            instruction_tokens=instr,
        )

    async def fits(self, messages: list[ChatMessage], answer: int) -> bool:
        if self.context_tokens is None:
            return True
        used = sum([await self.counter.count(m.content) for m in messages])
        return used + TEMPLATE_TOKENS * len(messages) + answer <= self.context_tokens

    def key(
        self, step: str, request_prompts: list[Any], extra: dict[str, Any] | None = None
    ) -> str:
        return cache_key(
            server=self.settings.base_url,
            model=self.model_id,
            step=step,
            prompts=request_prompts,
            params={**self.params(), "ctx": self.context_tokens, **(extra or {})},
        )

    def note_split(self, plan: Plan) -> None:
        self.stats.chunks = len(plan.chunks)
        if plan.split:
            self.notices.append(
                f"{self.step_title}: this visit is longer than the model's loaded context "
                f"({plan.context_tokens} tokens), so it was read in {len(plan.chunks)} "
                "overlapping parts and the results were combined. Check the result closely."
            )

    async def with_plan(self, instruction: str, body: Callable[[Plan], Awaitable[X]]) -> X:
        """Run ``body`` on a plan; if the server refuses the prompt as too long, re-plan
        with the context size it reports (or a smaller one) and try once more."""
        plan = await self.plan(instruction)
        try:
            return await body(plan)
        except ContextOverflowError as exc:
            known = self.context_tokens
            reported = exc.context_tokens
            if reported is not None and (known is None or reported < known):
                new = reported
            elif known is not None:
                new = int(known * 0.8)  # our count was off: leave a wider margin
            else:
                raise
            log.info("context overflow (ctx %s -> %s); re-planning", known, new)
            self.context_tokens = new
            self.notices.clear()
            return await body(await self.plan(instruction))

    async def stream_text(
        self, messages: list[ChatMessage], *, live: bool, max_tokens: int | None = None
    ) -> tuple[str, bool]:
        """Stream one answer. Returns (text, cut_by_length). ``live`` sends the text to the UI."""
        self.emit(StepState.PROMPT, stats=self.stats.model_copy())
        rate = TokenRate()
        base = self.stats.completion_tokens
        pieces: list[str] = []
        finish: str | None = None
        final_content = ""
        params = self.params(max_tokens)
        async for delta in self.backend.stream_chat(messages, **params):
            if delta.result is not None:
                finish = delta.result.finish_reason
                final_content = delta.result.content
                continue
            if not (delta.content or delta.reasoning):
                continue
            rate.tick()
            if delta.content:
                pieces.append(delta.content)
            self.emit(
                StepState.GENERATING,
                completion_tokens=base + rate.tokens,
                tokens_per_second=rate.per_second,
                text_delta=delta.content if live else "",
            )
        text = "".join(pieces) or final_content
        return text, finish == "length"
