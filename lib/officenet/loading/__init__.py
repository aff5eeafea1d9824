"""Loading: a design folder read and validated into a ``Design`` (CSV reader, cells, row rules, rules
between rows). Imports only the model."""
