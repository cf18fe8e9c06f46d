"""Wire format of the local OpenAI-compatible API: request/response models and error bodies.

The request models are what FastAPI validates and what the OpenAPI description (checked by
schemathesis) publishes. Types are strict: ``"5"`` is not an integer here, so a client bug is
reported instead of guessed at. Unknown fields are ignored, as OpenAI clients send many optional ones.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from assistant.core.settings import TEMPERATURE_RANGE

# ---------------------------------------------------------------------------------------------------
# Errors


class APIError(Exception):
    """Becomes an OpenAI-style error body: ``{"error": {"message", "type", "param", "code"}}``."""

    def __init__(
        self,
        status: int,
        message: str,
        type: str = "invalid_request_error",
        *,
        param: str | None = None,
        code: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.type = type
        self.param = param
        self.code = code
        self.headers = headers or {}

    def body(self) -> dict[str, Any]:
        return error_body(self.message, self.type, self.param, self.code)


def error_body(message: str, type: str, param: str | None = None, code: str | None = None) -> dict[str, Any]:
    return {"error": {"message": message, "type": type, "param": param, "code": code}}


class ErrorDetail(BaseModel):
    message: str
    type: str
    param: str | None = None
    code: str | None = None


class ErrorResponse(BaseModel):
    error: ErrorDetail


# ---------------------------------------------------------------------------------------------------
# Requests

_STRICT = ConfigDict(strict=True, extra="ignore")


def _integral(value: Any) -> Any:
    # JSON Schema counts 5.0 as an integer, and some clients serialise numbers that way.
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


Int = Annotated[int, BeforeValidator(_integral)]
PositiveInt = Annotated[int, Field(ge=1), BeforeValidator(_integral)]
NonNegativeInt = Annotated[int, Field(ge=0), BeforeValidator(_integral)]


class TextPart(BaseModel):
    model_config = _STRICT
    type: Literal["text"]
    text: str


class FunctionCallIn(BaseModel):
    model_config = _STRICT
    name: str = Field(max_length=64)
    arguments: str | dict[str, Any] = Field("{}", description="a JSON object, as text (or as an object)")


class ToolCallIn(BaseModel):
    model_config = _STRICT
    id: str | None = None
    type: Literal["function"] = "function"
    function: FunctionCallIn


class ChatMessageIn(BaseModel):
    model_config = _STRICT
    # "developer" is OpenAI's newer name for "system".
    role: Literal["system", "developer", "user", "assistant", "tool"]
    content: str | list[TextPart] | None = None
    name: str | None = None
    tool_calls: list[ToolCallIn] | None = Field(None, description="an assistant message's calls")
    tool_call_id: str | None = Field(None, description="a tool message: the call it answers")

    def text(self) -> str:
        if self.content is None:
            return ""
        if isinstance(self.content, str):
            return self.content
        return "\n".join(p.text for p in self.content)


class StreamOptions(BaseModel):
    model_config = _STRICT
    include_usage: bool | None = None


class JsonSchemaFormat(BaseModel):
    model_config = ConfigDict(strict=True, extra="ignore", populate_by_name=True)
    name: str = Field("response", max_length=64)
    description: str | None = None
    schema_: dict[str, Any] = Field(default_factory=dict, alias="schema", description="a JSON schema")
    strict: bool | None = None


class ResponseFormat(BaseModel):
    model_config = _STRICT
    type: Literal["text", "json_object", "json_schema"]
    json_schema: JsonSchemaFormat | None = Field(None, description="with type json_schema")


class FunctionSpec(BaseModel):
    model_config = _STRICT
    name: str = Field(pattern=r"^[A-Za-z0-9_.-]{1,64}$")
    description: str | None = None
    parameters: dict[str, Any] | None = Field(None, description="a JSON schema of the arguments")
    strict: bool | None = None


class ToolSpec(BaseModel):
    model_config = _STRICT
    type: Literal["function"]
    function: FunctionSpec


class NamedFunction(BaseModel):
    model_config = _STRICT
    name: str


class NamedToolChoice(BaseModel):
    model_config = _STRICT
    type: Literal["function"]
    function: NamedFunction


class DocumentsOption(BaseModel):
    """The ``documents`` extension of a chat request: answer from these collections (``assistant docs add``)."""

    model_config = _STRICT
    collections: Annotated[list[Annotated[str, Field(min_length=1, max_length=64)]],
                           Field(min_length=1, max_length=16)] = Field(
        description="names of document collections on the server's machine (`assistant docs list`)")
    top_k: Annotated[int, Field(ge=1, le=20), BeforeValidator(_integral)] = Field(
        5, description="passages retrieved for the question")


class ChatCompletionRequest(BaseModel):
    """``max_tokens``/``n`` maxima are the server's limits; they are added to the OpenAPI description."""

    model_config = _STRICT

    model: str = Field(description="the served model's id (see GET /v1/models)")
    messages: list[ChatMessageIn] = Field(min_length=1, description="the conversation; the last one from the user")
    stream: bool | None = False
    stream_options: StreamOptions | None = None
    max_tokens: PositiveInt | None = None
    max_completion_tokens: PositiveInt | None = Field(None, description="newer name for max_tokens")
    temperature: float | None = Field(None, ge=TEMPERATURE_RANGE[0], le=TEMPERATURE_RANGE[1],
                                      description="default: the user's setting (0.6)")
    top_p: float | None = Field(None, gt=0, le=1, description="default: the model family's (0.95)")
    n: PositiveInt | None = Field(None, description="number of choices, generated one after another")
    stop: str | Annotated[list[str], Field(max_length=4)] | None = None
    seed: Int | None = None
    presence_penalty: float | None = Field(None, ge=-2, le=2, description="accepted, not applied")
    frequency_penalty: float | None = Field(None, ge=-2, le=2, description="accepted, not applied")
    logprobs: bool | None = Field(None, description="each answer token's log-probability (llama.cpp models)")
    top_logprobs: Annotated[int, Field(ge=0, le=20), BeforeValidator(_integral)] | None = Field(
        None, description="with logprobs: this many likeliest tokens at each place")
    tools: list[ToolSpec] | None = Field(None, description="functions the model may call (models whose chat "
                                         "template renders tools); the server never runs them")
    tool_choice: Literal["none", "auto", "required"] | NamedToolChoice | None = None
    parallel_tool_calls: bool | None = None
    response_format: ResponseFormat | None = Field(
        None, description="json_object or json_schema: the answer (after any reasoning) follows it")
    keep_alive: str | float | None = Field(None, description="how long the model stays loaded after this "
                                           "request, as Ollama's keep_alive ('5m', '30s', 0, -1) (extension)")
    user: str | None = None
    # Extensions. vLLM has ignore_eos too; maths is this app's prompt practice for R1 models.
    ignore_eos: bool | None = Field(None, description="keep generating past the end-of-text token")
    maths: bool | None = Field(
        None, description="append 'reason step by step, put the final answer in \\boxed{}' to the question"
    )
    # OpenAI's reasoning_effort, as a thinking budget (the user's settings map each level to tokens).
    reasoning_effort: Literal["none", "minimal", "low", "medium", "high"] | None = Field(
        None, description="a thinking budget by level (low/medium/high: the app's settings, 512/1536/4096 tokens); "
        "none: no reasoning, for models with a thinking switch (Qwen3)")
    # The thinking switch (extensions): `thinking`, or vLLM's way, chat_template_kwargs.enable_thinking.
    thinking: bool | None = Field(None, description="false: answer without reasoning; true: reason (models "
                                  "with a thinking switch, such as Qwen3); absent: the model's default")
    chat_template_kwargs: dict[str, Any] | None = Field(
        None, description="as vLLM: only enable_thinking is read (the same as `thinking`)")
    thinking_budget: NonNegativeInt | None = Field(
        None, description="at most this many tokens of reasoning, then the model answers; 0: no limit (extension)")
    documents: DocumentsOption | Annotated[list[Annotated[str, Field(min_length=1, max_length=64)]],
                                           Field(min_length=1, max_length=16)] | None = Field(
        None, description="answer from these document collections (extension): the last user message is searched "
        "in them, the passages go into that turn, numbered, and the response says which were given and cited "
        "(`documents`, and `sources` in each message); a list of names is short for {\"collections\": [...]}")


# ---------------------------------------------------------------------------------------------------
# Responses (for the OpenAPI description; handlers build plain dicts, which is faster)


class CompletionTokensDetails(BaseModel):
    reasoning_tokens: int


class Usage(BaseModel):
    prompt_tokens: int
    completion_tokens: int
    total_tokens: int
    completion_tokens_details: CompletionTokensDetails | None = None


class FunctionCallOut(BaseModel):
    name: str
    arguments: str


class ToolCallOut(BaseModel):
    id: str
    type: Literal["function"]
    function: FunctionCallOut


class TopLogprob(BaseModel):
    token: str
    logprob: float
    bytes: list[int] | None


class TokenLogprobOut(TopLogprob):
    top_logprobs: list[TopLogprob]


class ChoiceLogprobs(BaseModel):
    content: list[TokenLogprobOut] | None


class ChatMessageOut(BaseModel):
    role: Literal["assistant"]
    content: str | None
    reasoning_content: str | None = None
    tool_calls: list[ToolCallOut] | None = None


FinishReason = Literal["stop", "length", "tool_calls"]


class Choice(BaseModel):
    index: int
    message: ChatMessageOut
    finish_reason: FinishReason
    logprobs: ChoiceLogprobs | None = None


class ChatCompletion(BaseModel):
    id: str
    object: Literal["chat.completion"]
    created: int
    model: str
    choices: list[Choice]
    usage: Usage


class FunctionCallDelta(BaseModel):
    name: str | None = None
    arguments: str | None = None


class ToolCallDelta(BaseModel):
    index: int
    id: str | None = None
    type: Literal["function"] | None = None
    function: FunctionCallDelta | None = None


class Delta(BaseModel):
    role: Literal["assistant"] | None = None
    content: str | None = None
    reasoning_content: str | None = None
    tool_calls: list[ToolCallDelta] | None = None


class ChunkChoice(BaseModel):
    index: int
    delta: Delta
    finish_reason: FinishReason | None
    logprobs: ChoiceLogprobs | None = None


class ChatCompletionChunk(BaseModel):
    id: str
    object: Literal["chat.completion.chunk"]
    created: int
    model: str
    choices: list[ChunkChoice]
    usage: Usage | None = None  # only with stream_options.include_usage: null, then the totals last


class ModelCard(BaseModel):
    id: str
    object: Literal["model"]
    created: int
    owned_by: str
    loaded: bool | None = None  # extension: whether the model is in memory now (idle unload, issue 26)


class ModelList(BaseModel):
    object: Literal["list"]
    data: list[ModelCard]


def _errors(*codes: int) -> dict[int | str, dict[str, Any]]:
    text = {400: "Invalid request", 401: "Missing or wrong API key", 404: "Unknown model",
            413: "Request body too large", 503: "Queue full or no model loaded", 500: "Generation failed"}
    return {c: {"model": ErrorResponse, "description": text[c]} for c in codes}


# One server-sent event (Open API 3.1 reads an event-stream schema per event): its data is a chunk or an
# error as JSON, or the final "[DONE]".
SSE_EVENT: dict[str, Any] = {
    "type": "object",
    "required": ["data"],
    "properties": {
        "data": {"anyOf": [
            {"const": "[DONE]"},
            {"type": "string", "contentMediaType": "application/json", "contentSchema": {"anyOf": [
                {"$ref": "#/components/schemas/ChatCompletionChunk"},
                {"$ref": "#/components/schemas/ErrorResponse"},
            ]}},
        ]},
        "event": {"type": "string"},
    },
}
STREAM_MODELS = (ChatCompletionChunk, ErrorResponse)

CHAT_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {
        "model": ChatCompletion,
        "description": "A chat.completion, or with stream=true server-sent events: chat.completion.chunk "
        "objects, then `data: [DONE]`",
        "content": {"text/event-stream": {"schema": SSE_EVENT}},
    },
    **_errors(400, 401, 404, 413, 500, 503),
}
MODEL_RESPONSES: dict[int | str, dict[str, Any]] = {**_errors(401, 404)}
