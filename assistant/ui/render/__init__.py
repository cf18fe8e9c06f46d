"""Model text made readable, without Qt: Markdown to HTML (code highlighted, tables, the ``\\boxed{}`` answer)
and formulas typeset as images. The chat's messages use it; so can any feature that shows model text."""
