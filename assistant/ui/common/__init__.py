"""What every part of the window shares: small widgets, error titles and hooks, languages and fonts, the theme,
and background jobs on a QThread. Imports nothing else of the ui (import-linter: the lowest ui layer)."""
