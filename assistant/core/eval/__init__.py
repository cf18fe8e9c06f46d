"""Evaluation of a model on this machine: task suites (tasks.py), deterministic scorers (scorers.py; code
answers run in :mod:`assistant.core.sandbox`), the runner (runner.py) and reports (report.py). Qt-free; the CLI
(`assistant eval`) and the GUI drive :func:`assistant.core.eval.runner.run_eval`."""
