"""The model: record types (the schema of every table), the immutable ``Design`` with its queries, a
reader's ``View`` and an organisation's ``Scenario``. Imports nothing else of officenet."""
