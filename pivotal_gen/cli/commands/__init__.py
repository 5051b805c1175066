"""One module per command; each has `run(options) -> exit code`."""
