"""detente's pipeline stages: spaCy components that read and write records on ``doc._``."""
