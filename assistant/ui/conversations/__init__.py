"""The list of conversations: the sidebar with search, rename, delete with undo, export and import."""
