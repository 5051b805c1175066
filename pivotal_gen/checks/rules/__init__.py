"""Policy rules: what a platform team requires of every stack, beyond validity.

One module per rule, each exporting RULE (base.py's tiny interface); registry.py
lists them; engine.py runs them with the spec's `policy:` settings applied.
"""
