"""A scripted chat model shipped with Beacon for tests: it answers from a script, in order, and
fails loudly when the script runs out (no silent defaults)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from langchain_core.language_models.chat_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage
from langchain_core.outputs import ChatGeneration, ChatResult
from pydantic import Field, PrivateAttr


class ScriptExhaustedError(RuntimeError):
    pass


Step = str | Exception | Callable[[list[BaseMessage]], str]


class ScriptedChatModel(BaseChatModel):
    """Replies with `script[n]` on the n-th call: a string, an exception to raise, or a function
    of the messages. `calls` keeps every prompt it was sent."""

    script: list[Any]
    _lock: threading.Lock = PrivateAttr(default_factory=threading.Lock)
    _n: int = PrivateAttr(default=0)
    calls: list[list[BaseMessage]] = Field(default_factory=list)

    @property
    def _llm_type(self) -> str:
        return "beacon-scripted-fake"

    def _generate(
        self, messages: list[BaseMessage], stop: list[str] | None = None, run_manager: Any = None, **kwargs: Any
    ) -> ChatResult:
        with self._lock:
            n = self._n
            self._n += 1
            self.calls.append(list(messages))
        if n >= len(self.script):
            raise ScriptExhaustedError(
                f"ScriptedChatModel: no responses left for call {n + 1} (the script has {len(self.script)})"
            )
        step = self.script[n]
        if isinstance(step, Exception):
            raise step
        text = step(messages) if callable(step) else str(step)
        return ChatResult(generations=[ChatGeneration(message=AIMessage(content=text))])
