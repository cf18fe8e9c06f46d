"""CLI subcommands contributed by feature modules (each exposes ``add_parser(subparsers)``)."""
