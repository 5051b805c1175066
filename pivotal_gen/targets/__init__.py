"""Output targets: one module per kind of file, each a Target (context.py), listed in
registry.py. Adding an output (Kubernetes manifests, say) is one new module and one
line in the registry."""
