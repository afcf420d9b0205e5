"""The ``cleaner`` command: parses options, opens streams, calls the library, maps errors to exit codes."""

from __future__ import annotations

import json
import os
import sys
import unicodedata
from pathlib import Path

import click

from . import __version__
from .batch import FolderSink, Outcome, StreamSink, clean_all, clean_input, walk
from .config import ERROR_POLICIES, Config
from .detect import detect as detect_encoding
from .errors import CleanerError
from .normalise import DEFAULT_STEPS, PUNCT_DIRECTIONS, STEP_NAMES, STEPS
from .normalise.punctuation import to_ascii, to_fullwidth
from .output import FORMATS
from .shard import WHOLE, parse_shard

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


def _error(source: str, cause: str) -> None:
    click.echo(f"cleaner: {source}: {cause}", err=True)


# --- normalisation options (--steps, --skip, --no-<step>, --reflow, --punct) ---------------------------

def _step_list(value: str | None, option: str) -> tuple[str, ...]:
    names = tuple(name.strip() for name in (value or "").split(",") if name.strip())
    for name in names:
        if name not in STEP_NAMES:
            raise click.BadParameter(f"unknown step {name!r} (the steps are {', '.join(STEP_NAMES)})",
                                     param_hint=option)
    return names


def _normalise_options(command):
    """The options that choose the normalisation steps, and one --no-<step> flag per step."""
    for step in reversed(STEPS):
        command = click.option(f"--no-{step.name}", f"no_{step.name}", is_flag=True, hidden=not step.default,
                               help=f"Skip the {step.name} step: {step.summary}.")(command)
    options = [
        click.option("--steps", "steps", metavar="LIST",
                     help=f"Run exactly these normalisation steps (comma-separated; see `cleaner steps`). "
                          f"Default: {', '.join(DEFAULT_STEPS)}."),
        click.option("--skip", "skip", metavar="LIST", help="Skip these normalisation steps (comma-separated)."),
        click.option("--reflow", is_flag=True, help="Also join lines hard-wrapped mid-sentence (PDF extraction)."),
        click.option("--punct", type=click.Choice(PUNCT_DIRECTIONS), default="fullwidth", show_default=True,
                     help="fullwidth: ASCII , : ; ? ! ( ) in Chinese text become ，：；？！（）; ascii: the reverse."),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def _normalise_config(steps, skip, reflow, punct, no_steps) -> dict:
    """Config fields for the chosen normalisation steps."""
    chosen = set(_step_list(steps, "--steps") if steps is not None else DEFAULT_STEPS)
    chosen |= {"reflow"} if reflow else set()
    chosen -= set(_step_list(skip, "--skip")) | {name for name in STEP_NAMES if no_steps[f"no_{name}"]}
    if punct == "ascii" and "punctuation" not in chosen:
        raise click.UsageError("--punct ascii needs the punctuation step, which is skipped")
    return {"normalise": tuple(name for name in STEP_NAMES if name in chosen), "punct": punct}


def _shard(ctx, param, value):
    try:
        return parse_shard(value) if value is not None else WHOLE
    except ValueError as error:
        raise click.BadParameter(str(error)) from None


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
@_normalise_options
@click.option("--overwrite", is_flag=True, help="Replace output files that exist already.")
@click.option("--explain", is_flag=True,
              help="Show each input with what was removed (and by which rule) and where it splits; write nothing.")
@click.option("-q", "--quiet", is_flag=True, help="Print nothing but errors.")
@click.option("--shard", callback=_shard, metavar="I/N",
              help="Clean only shard I of N (I from 0 to N-1, like SLURM_ARRAY_TASK_ID): "
                   "walked input i goes to shard i mod N.")
def clean(inputs, output, fmt, encoding, errors, rule_files, steps, skip, reflow, punct, overwrite, explain, quiet,
          shard, **no_steps) -> None:
    """Clean files, folders (walked for *.txt) or standard input (-).

    \b
    Examples:
        cleaner clean page.txt                      # documents to standard output
        cat page.txt | cleaner clean - > clean.txt
        cleaner clean scraped/ -o cleaned/          # page.txt -> page.txt, or page.1.txt, page.2.txt
        cleaner clean scraped/ --format jsonl > corpus.jsonl
        cleaner clean --explain page.txt            # removed spans [-…-]{rule}, split points [=part N: 篇二:=]
        cleaner clean page.txt --reflow --no-spacing   # normalisation steps: see `cleaner steps`

    Exit status: 0 all inputs cleaned, 1 some input failed (the rest are still done), 2 usage error.
    """
    try:
        config = Config(encoding=encoding, errors=errors, rule_files=tuple(rule_files),
                        **_normalise_config(steps, skip, reflow, punct, no_steps))
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

    tally = clean_all(shard.select(walk(inputs)), config, sink, report)
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


#: Unicode categories shown as escapes by `cleaner steps`: controls, format characters, combining marks, spaces.
_INVISIBLE = {"Cc", "Cf", "Mn", "Zs", "Zl", "Zp"}


def _shown(text: str) -> str:
    """Text on one line, invisible characters written as escapes."""
    return "".join(
        {"\n": "\\n", "\r": "\\r", "\t": "\\t"}.get(char)
        or (f"\\u{ord(char):04x}" if char != " " and unicodedata.category(char) in _INVISIBLE else char)
        for char in text
    )


@main.command("steps")
def steps_command() -> None:
    """List the normalisation steps: name, on or off by default, and an example.

    \b
    Switch them on `clean` with --steps LIST, --skip LIST, --no-<step>, --reflow and --punct ascii.
    """
    width = max(map(len, STEP_NAMES))
    click.echo(f"{'NAME':<{width}}  DEFAULT  EXAMPLE")
    for step in STEPS:
        default = "on" if step.default else "off"
        click.echo(f"{step.name:<{width}}  {default:<7}  {_shown(step.example)} → {_shown(step.run(step.example))}")
    reverse = to_fullwidth(STEPS[STEP_NAMES.index("punctuation")].example)
    click.echo(f"{'':<{width}}  {'':<7}  --punct ascii: {reverse} → {to_ascii(reverse)}")
