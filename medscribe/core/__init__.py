"""Pure domain: models, transcript readers, PHI rules, prompts, budgeting, pipeline.

Nothing here imports Qt or an HTTP library (checked by tests/test_architecture.py).
"""
