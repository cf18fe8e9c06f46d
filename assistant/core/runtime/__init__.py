"""What runs on this machine: hardware detection, llama.cpp loaded with the modules proven to work
here (the per-machine probe), and the diagnostics report."""
