"""Derivations: pure functions from a ``Design`` (and a view or scenario) to tables, DOT text, zone files,
ACL and HAProxy text, traces and findings. They read no file and call no program."""
