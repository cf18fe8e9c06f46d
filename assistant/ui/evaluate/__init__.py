"""The Evaluate page: a task suite run on a model in the background, its report as a table and a chart."""
