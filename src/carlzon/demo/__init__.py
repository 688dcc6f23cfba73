"""The bundled demo: synthetic restaurant feedback with planted patterns, run end to end."""

from carlzon.demo.generate import OWN_BRAND, PLANTED, generate_example_feedback, write_example_csv
from carlzon.demo.run import DemoResult, run_demo

__all__ = ["OWN_BRAND", "PLANTED", "DemoResult", "generate_example_feedback", "run_demo", "write_example_csv"]
