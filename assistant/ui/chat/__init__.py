"""The conversation shown: the message list and the message box, each message (header, thinking section,
answer, samples of a voted reply), Markdown and maths rendering, the conversation's LoRA adapters, and the
worker thread that runs the loaded model."""
