"""drill: spaced-repetition drills for the fundamentals of deep learning."""


def __getattr__(name: str) -> str:
    # Looked up on demand: importlib.metadata costs start-up time every command would pay.
    if name == "__version__":
        from importlib.metadata import PackageNotFoundError, version

        try:
            return version("drill")
        except PackageNotFoundError:  # a source tree that was never installed
            return "0.0.0+unknown"
    raise AttributeError(f"module 'drill' has no attribute {name!r}")
