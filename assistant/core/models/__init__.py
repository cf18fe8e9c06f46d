"""Model files: the catalog, GGUF reading and validation, the load probe, downloads and the library on disk."""
