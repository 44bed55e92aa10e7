"""The benchmark's data generator: `python -m bench.datagen N [--seed S]` (see generator.py and
docs/performance.md). Outside the shipped package because it writes the engine's and the domains'
rows itself, in bulk. `generate` is imported lazily so that `python -m bench.datagen` can set up
Django before the models load."""


def generate(*args, **kwargs) -> dict:
    from .generator import generate as run

    return run(*args, **kwargs)
