"""Maths answers read and compared as mathematics, for the chat's vote and the evaluation's scorer.

``reading`` reads the plain numbers people write (units, ``%``, full-width digits, Chinese units, ``x = 54``,
thousands separators, fractions, mixed numbers) without any library; ``compare`` hands everything else to
Hugging Face's ``math-verify`` (LaTeX parsed by ``latex2sympy2_extended`` into SymPy), with the cost bounded
so that any thread may call it.
"""
