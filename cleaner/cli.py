"""The ``cleaner`` command: parses options, opens streams, calls the library, maps errors to exit codes."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from . import __version__
from .batch import FolderSink, Outcome, StreamSink, clean_all, walk
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
@click.option("-q", "--quiet", is_flag=True, help="Print nothing but errors.")
def clean(inputs, output, fmt, encoding, errors, rule_files, overwrite, quiet) -> None:
    """Clean files, folders (walked for *.txt) or standard input (-).

    \b
    Examples:
        cleaner clean page.txt                      # documents to standard output
        cat page.txt | cleaner clean - > clean.txt
        cleaner clean scraped/ -o cleaned/          # page.txt -> page.txt, or page.1.txt, page.2.txt
        cleaner clean scraped/ --format jsonl > corpus.jsonl

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
    sink = FolderSink(output, fmt, overwrite) if output else StreamSink(sys.stdout.buffer, fmt)

    def report(outcome: Outcome) -> None:
        if outcome.error:
            _error(outcome.input.source, outcome.error)
        elif not outcome.documents and not quiet:
            _error(outcome.input.source, "no document left after cleaning (only boilerplate or empty)")

    tally = clean_all(walk(inputs), config, sink, report)
    sys.exit(EXIT_FAILED if tally.failures else EXIT_OK)


@main.command()
@click.argument("files", nargs=-1, required=True, metavar="FILE...")
@click.option("--json", "as_json", is_flag=True,
              help="One JSON object per file: path, encoding, confidence, method, reason.")
def detect(files, as_json) -> None:
    """Print the encoding detected for each file (- for standard input).

    Methods: bom, utf-16-pattern, utf-32-pattern, ascii, utf-8, chinese-score, hz, latin, chardet.
    A binary file, or bytes that are text in no encoding, is an error (exit status 1).

    \b
    Example:
        $ cleaner detect page.txt
        page.txt: gb18030 (confidence 0.99, chinese-score)
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
        except CleanerError as error:  # binary, or not text in any encoding
            _error(item.source, str(error))
            failed = True
            continue
        if as_json:
            record = {"path": item.source, "encoding": found.encoding, "confidence": found.confidence,
                      "method": found.method, "reason": found.reason}
            click.echo(json.dumps(record, ensure_ascii=False))
        else:
            click.echo(f"{item.source}: {found.encoding} (confidence {found.confidence:.2f}, {found.method})")
    sys.exit(EXIT_FAILED if failed else EXIT_OK)
