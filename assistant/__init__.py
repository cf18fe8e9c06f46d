"""Assistant: an offline desktop assistant for small local reasoning models."""

from assistant.core.offline import go_offline as _go_offline

# Offline by default: Hugging Face libraries read HF_HUB_OFFLINE when first imported, so it
# is set as soon as any part of the app is. Downloads lift it for their own requests only.
_go_offline()
