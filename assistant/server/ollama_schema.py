"""Ollama's API as it is sent (https://github.com/ollama/ollama/blob/main/docs/api.md): the request bodies the
/api routes validate. Types are strict like the OpenAI routes'; fields Ollama has and this server does not use
are ignored, fields that would change the reply and cannot be honoured are refused by the routes."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from assistant.core.settings import TEMPERATURE_RANGE

from .schema import Int, NonNegativeInt, PositiveInt, ToolSpec, _integral

_OLLAMA = ConfigDict(strict=True, extra="ignore")
KeepAlive = str | float | None
Format = Literal["", "json"] | dict[str, Any] | None
Think = bool | Literal["low", "medium", "high"] | None


class OllamaError(BaseModel):
    error: str


_WHY = {400: "Invalid request", 401: "Missing or wrong API key", 404: "Unknown model", 413: "Request body too large",
        500: "Generation failed", 503: "Queue full or no model loaded"}
ERRORS: dict[int | str, dict[str, Any]] = {c: {"model": OllamaError, "description": d} for c, d in _WHY.items()}
# chat and generate stream by default: JSON objects, one a line
STREAMED: dict[int | str, dict[str, Any]] = {
    200: {"description": "The reply; with stream (the default) newline-delimited JSON objects, the last with done: "
          "true", "content": {"application/json": {}, "application/x-ndjson": {"schema": {"type": "string"}}}},
    **ERRORS,
}


class Options(BaseModel):
    """The model options a request may set (Ollama's "options"); others in that object are ignored."""

    model_config = _OLLAMA
    temperature: float | None = Field(None, ge=TEMPERATURE_RANGE[0], le=TEMPERATURE_RANGE[1])
    top_p: float | None = Field(None, gt=0, le=1)
    top_k: NonNegativeInt | None = None
    min_p: float | None = Field(None, ge=0, le=1)
    repeat_penalty: float | None = Field(None, gt=0, le=10)
    num_ctx: Annotated[int, Field(ge=64), BeforeValidator(_integral)] | None = Field(
        None, description="load the model with this context size (assistant serve)")
    num_predict: Int | None = Field(None, description="most tokens in the reply; -1 or -2: the server's limit")
    seed: Int | None = None
    stop: str | list[str] | None = None


class FunctionCall(BaseModel):
    model_config = _OLLAMA
    name: str = Field(max_length=64)
    arguments: dict[str, Any] = Field(default_factory=dict)


class ToolCall(BaseModel):
    model_config = _OLLAMA
    function: FunctionCall


class Message(BaseModel):
    model_config = _OLLAMA
    role: Literal["system", "user", "assistant", "tool"]
    content: str = ""
    thinking: str | None = None
    images: list[str] | None = Field(None, description="not supported: a non-empty list is refused")
    tool_calls: list[ToolCall] | None = None
    tool_name: str | None = None


class ChatRequest(BaseModel):
    model_config = _OLLAMA
    model: str
    messages: list[Message] = Field(default_factory=list, description="none: only load (or unload) the model")
    tools: list[ToolSpec] | None = None
    format: Format = Field(None, description='"json", or a JSON schema the answer follows')
    options: Options | None = None
    stream: bool = True
    keep_alive: KeepAlive = None
    think: Think = Field(None, description="true: reasoning in message.thinking; false: no reasoning (models "
                         "with a thinking switch)")
    logprobs: bool | None = None
    top_logprobs: Annotated[int, Field(ge=0, le=20), BeforeValidator(_integral)] | None = None


class GenerateRequest(BaseModel):
    model_config = _OLLAMA
    model: str
    prompt: str = Field("", description="empty: only load (or unload) the model")
    suffix: str | None = Field(None, description="not supported: a non-empty suffix is refused")
    system: str | None = None
    template: str | None = Field(None, description="not supported: the model's own template is used")
    context: list[int] | None = Field(None, description="deprecated in Ollama; ignored")
    raw: bool = Field(False, description="the prompt is sent as is, without the chat template")
    images: list[str] | None = None
    format: Format = None
    options: Options | None = None
    stream: bool = True
    keep_alive: KeepAlive = None
    think: Think = None
    logprobs: bool | None = None
    top_logprobs: Annotated[int, Field(ge=0, le=20), BeforeValidator(_integral)] | None = None


class ShowRequest(BaseModel):
    model_config = _OLLAMA
    model: str | None = None
    name: str | None = Field(None, description="older clients' name for model")
    verbose: bool | None = None


class EmbedRequest(BaseModel):
    model_config = _OLLAMA
    model: str
    input: str | Annotated[list[str], Field(min_length=1, max_length=256)]
    truncate: bool = True
    options: Options | None = None
    keep_alive: KeepAlive = None
    dimensions: PositiveInt | None = None


class EmbeddingsRequest(BaseModel):
    """The older single-text route, /api/embeddings."""

    model_config = _OLLAMA
    model: str
    prompt: str
    options: Options | None = None
    keep_alive: KeepAlive = None
