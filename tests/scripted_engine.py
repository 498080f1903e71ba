"""An engine that answers every request with a fixed text: for tests of what the code around the engine
does with an answer (keep it, check it, store it), where the tiny real model's answer would make the
outcome a matter of luck. Generation itself is tested with the real model."""

from __future__ import annotations

from desktop.core.engine import Finished, GenerationRequest, TextDelta


class ScriptedEngine:
    model_id = "scripted"
    model_path = "scripted.gguf"
    model_sha256 = "0" * 64

    def __init__(self, *answers: str) -> None:
        self.answers = list(answers)
        self.requests: list[GenerationRequest] = []

    def stream(self, request: GenerationRequest):
        self.requests.append(request)
        answer = self.answers[min(len(self.requests), len(self.answers)) - 1]
        pieces = [answer[i:i + 3] for i in range(0, len(answer), 3)]
        for piece in pieces:
            yield TextDelta(piece)
        yield Finished(answer, 10, len(pieces), 0.01, 100.0, "end", 0.02)

    def count_tokens(self, text: str) -> int:
        return len(text)

    def cancel(self) -> None:
        pass
