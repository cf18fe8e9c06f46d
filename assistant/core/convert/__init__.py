"""Hugging Face safetensors to GGUF: the pipeline, the checkpoint and tokenizer readers, quantization."""
