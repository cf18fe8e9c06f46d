"""Answers in a shape the caller asks for (issue 26): JSON schemas and tool calls as llama.cpp grammars, tool
calls (Hermes/Qwen ``<tool_call>`` style) rendered through the model's own chat template and parsed back.

Qt-free and below ``chat`` in the layers: the turn hands a :class:`~.grammar.Grammar` to the backend, which
applies it to the answer only (after ``</think>`` for a reasoning model); the API maps OpenAI's
``response_format``/``tools`` and Ollama's ``format`` onto it.
"""
