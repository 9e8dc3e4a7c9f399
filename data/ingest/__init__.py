"""Ingest of the N source systems' exports into the one schema ("1+N"), losing nothing.

Three ways in, one code path (pipeline.import_file): the CLI (python -m data.ingest), the data-import page,
and the inbox folder the running app polls. See inbox.py for how the CLI and the app share the DuckDB file.
"""
from .mapping import SOURCES
from .pipeline import REASONS, ImportResult, ensure_tables, import_file, reimport_quarantined
from .readers import FileUnreadable

__all__ = ["SOURCES", "REASONS", "ImportResult", "FileUnreadable", "ensure_tables", "import_file",
           "reimport_quarantined"]
