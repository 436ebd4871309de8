"""The command line: argparse, one module per command, the screen and files."""
