"""Models: the model manager (catalog, downloads, the library on disk), the conversion wizard, and what a
model costs on this computer (the speed line, the first-start benchmark)."""
