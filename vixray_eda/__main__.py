"""`python -m vixray_eda` runs the CLI."""
from vixray_eda.cli import entry

entry()
