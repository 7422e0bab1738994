"""The command line: one module per command group (main: parse, check, version; documents;
corpus; card; web), each parsing arguments, calling one library function and printing."""

from gongkai.cli.main import app, main

__all__ = ["app", "main"]
