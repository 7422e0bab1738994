"""`python -m gongkai …`: the same command line as `gongkai …`."""

from gongkai.cli import main

main()
