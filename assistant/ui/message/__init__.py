"""One message as the window shows it: the widget (widget.py) with its header (who, the reply's facts, the
buttons), the reasoning section rendered as it streams (thinking.py, rich_stream.py), the samples of a voted
reply (samples_strip.py) and the controls of its code blocks (code_blocks.py). Below the features: the chat
shows its conversation with it, and any feature that shows a reply can."""
