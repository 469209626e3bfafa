"""`python -m vixray_eda` runs the CLI."""
from vixray_eda.cli import main

raise SystemExit(main())
