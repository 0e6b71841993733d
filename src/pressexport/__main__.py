"""Allow `python -m pressexport`."""

from pressexport.cli import main

main()
