"""pressexport: write a press release once as YAML, publish it everywhere."""

__version__ = "0.1.0"
