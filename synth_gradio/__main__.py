"""`python -m synth_gradio` runs the command line."""

from synth_gradio.cli import main

raise SystemExit(main())
