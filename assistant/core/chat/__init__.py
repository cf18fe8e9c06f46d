"""A conversation: the Backend protocol, prompt families, reasoning/answer post-processing, one turn,
and the SQLite history."""
