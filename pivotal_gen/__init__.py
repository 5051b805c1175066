"""pivotal-gen: compile one platform spec into every config file of the stack."""

__version__ = "0.1.0"
