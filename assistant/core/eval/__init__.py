"""Evaluation of a model on this machine: task suites (tasks.py), deterministic scorers (scorers.py), a
sandbox for code answers (sandbox.py), the runner (runner.py) and reports (report.py). Qt-free; the CLI
(`assistant eval`) and the GUI drive :func:`assistant.core.eval.runner.run_eval`."""
