"""Documents: the user's own files, indexed on this machine and searched for the passages a question needs.

``extract`` turns a file into contiguous segments of text (with pages for PDFs), ``chunking`` packs them into
passages of a stated size in the embedding model's tokens, ``store`` keeps one SQLite database per collection
(BM25 over FTS5 and float32 vectors), ``indexing`` keeps a collection in step with its files, ``retrieval``
fuses both rankings, and ``answer`` writes the retrieved passages into the user turn with numbered sources.
Qt-free: the window, the CLI, the API server and the evaluation all call the same functions.
"""
