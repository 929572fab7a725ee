"""Demo data (stub)."""


def load_demo():
    pass
