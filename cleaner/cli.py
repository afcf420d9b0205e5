"""The ``cleaner`` command: parses options, opens streams, calls the library, maps errors to exit codes."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import click

from . import __version__
from .batch import FolderSink, Outcome, StreamSink, clean_all, clean_input, walk
from .config import ERROR_POLICIES, Config
from .detect import detect as detect_encoding
from .errors import CleanerError
from .output import FORMATS

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


def _error(source: str, cause: str) -> None:
    click.echo(f"cleaner: {source}: {cause}", err=True)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="cleaner")
def main() -> None:
    """Clean text scraped from Chinese document-sharing sites into split, clean UTF-8 documents.

    \b
    Example:
        cleaner clean scraped/ -o cleaned/
    """


@main.command()
@click.argument("inputs", nargs=-1, required=True, metavar="INPUT...")
@click.option("-o", "--output", type=click.Path(file_okay=False, path_type=Path),
              help="Write files under this folder, mirroring the inputs, instead of to standard output.")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="txt", show_default=True,
              help="txt: documents separated by a form-feed line; jsonl: one {id, text, metadata} per line.")
@click.option("--encoding", help="Decode every input with this codec instead of detecting it.")
@click.option("--errors", type=click.Choice(ERROR_POLICIES), default="replace", show_default=True,
              help="replace: undecodable bytes become U+FFFD (counted); strict: the input fails.")
@click.option("--rules", "rule_files", multiple=True, type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="A TOML rules file to use besides the bundled ones (repeatable).")
@click.option("--overwrite", is_flag=True, help="Replace output files that exist already.")
@click.option("--explain", is_flag=True,
              help="Show each input with what was removed (and by which rule) and where it splits; write nothing.")
@click.option("-q", "--quiet", is_flag=True, help="Print nothing but errors.")
def clean(inputs, output, fmt, encoding, errors, rule_files, overwrite, explain, quiet) -> None:
    """Clean files, folders (walked for *.txt) or standard input (-).

    \b
    Examples:
        cleaner clean page.txt                      # documents to standard output
        cat page.txt | cleaner clean - > clean.txt
        cleaner clean scraped/ -o cleaned/          # page.txt -> page.txt, or page.1.txt, page.2.txt
        cleaner clean scraped/ --format jsonl > corpus.jsonl
        cleaner clean --explain page.txt            # removed spans [-…-]{rule}, split points [=part N: 篇二:=]

    Exit status: 0 all inputs cleaned, 1 some input failed (the rest are still done), 2 usage error.
    """
    try:
        config = Config(encoding=encoding, errors=errors, rule_files=tuple(rule_files))
        if encoding:
            import codecs

            codecs.lookup(encoding)
        from .rules import load_rules

        load_rules(config.rule_files)
    except LookupError:
        raise click.BadParameter(f"unknown encoding {encoding!r}", param_hint="--encoding")
    except CleanerError as error:
        raise click.UsageError(str(error))
    if explain:
        if output:
            raise click.UsageError("--explain shows the cleaning on standard output; it cannot be used with -o")
        sys.exit(_explain(inputs, config))
    sink = FolderSink(output, fmt, overwrite) if output else StreamSink(sys.stdout.buffer, fmt)

    def report(outcome: Outcome) -> None:
        if outcome.error:
            _error(outcome.input.source, outcome.error)
        elif not outcome.documents and not quiet:
            _error(outcome.input.source, "no document left after cleaning (only boilerplate or empty)")

    tally = clean_all(walk(inputs), config, sink, report)
    sys.exit(EXIT_FAILED if tally.failures else EXIT_OK)


def _explain(inputs, config: Config) -> int:
    """Explain each input on standard output: colour on a terminal unless NO_COLOR is set."""
    from .explain import show

    colour = sys.stdout.isatty() and not os.environ.get("NO_COLOR")
    failed = False
    for item in walk(inputs):
        outcome = item if isinstance(item, Outcome) else clean_input(item, config)
        if outcome.error:
            _error(outcome.input.source, outcome.error)
            failed = True
        else:
            show(outcome.page, sys.stdout, colour)
    return EXIT_FAILED if failed else EXIT_OK


@main.command("rules")
@click.option("--rules", "rule_files", multiple=True, type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="A TOML rules file to list besides the bundled ones (repeatable).")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per rule: name, kind, origin, comment, pattern.")
def rules_command(rule_files, as_json) -> None:
    """List the rules in force: the bundled ones, then those of --rules files.

    \b
    Example:
        $ cleaner rules
        NAME        KIND         ORIGIN        COMMENT
        breadcrumb  drop-header  generic.toml  当前位置 / 當前位置 / 您现在的位置 line …
    """
    from .rules import load_rules

    try:
        rules = load_rules(tuple(rule_files))
    except CleanerError as error:
        raise click.UsageError(str(error))
    if as_json:
        for rule in rules:
            record = {"name": rule.name, "kind": rule.kind, "origin": rule.origin, "comment": rule.comment,
                      "pattern": rule.pattern.pattern}
            click.echo(json.dumps(record, ensure_ascii=False))
        return
    rows = [("NAME", "KIND", "ORIGIN", "COMMENT")] + [(r.name, r.kind, r.origin, r.comment) for r in rules]
    widths = [max(len(row[column]) for row in rows) for column in range(3)]
    for row in rows:
        click.echo("  ".join(cell.ljust(width) for cell, width in zip(row, widths)) + "  " + row[3])


@main.command()
@click.argument("files", nargs=-1, required=True, metavar="FILE...")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per file: path, encoding, confidence, method.")
def detect(files, as_json) -> None:
    """Print the encoding detected for each file (- for standard input).

    \b
    Example:
        $ cleaner detect page.txt
        page.txt: gb18030 (confidence 1.00, chardet)
    """
    failed = False
    for item in walk(files, include=("*",)):
        if isinstance(item, Outcome):
            _error(item.input.source, item.error)
            failed = True
            continue
        try:
            found = detect_encoding(item.read())
        except OSError as error:
            _error(item.source, f"cannot read: {error.strerror or error}")
            failed = True
            continue
        if as_json:
            record = {"path": item.source, "encoding": found.encoding, "confidence": found.confidence,
                      "method": found.method, "reason": found.reason}
            click.echo(json.dumps(record, ensure_ascii=False))
        else:
            click.echo(f"{item.source}: {found.encoding} (confidence {found.confidence:.2f}, {found.method})")
    sys.exit(EXIT_FAILED if failed else EXIT_OK)
