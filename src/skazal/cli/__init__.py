"""The `skazal` command: a thin layer over the library."""
from __future__ import annotations

import argparse
import sys

from skazal.cli import corpus_commands, extract_command, ingest_commands, link_command, serve_command, spark_command

COMMANDS = (extract_command, ingest_commands, corpus_commands, serve_command, link_command, spark_command)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="skazal", description="Who said what in Russian-language news.")
    subparsers = parser.add_subparsers(dest="command", required=True)
    for command in COMMANDS:
        command.register(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.run(args)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        sys.stderr.close()
        return 0


if __name__ == "__main__":
    sys.exit(main())
