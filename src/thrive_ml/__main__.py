"""`python -m thrive_ml` is the same command line as `thrive-ml`."""

from thrive_ml.cli import app

app(prog_name="thrive-ml")
