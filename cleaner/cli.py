"""The ``cleaner`` command: parses options, opens streams, calls the library, maps errors to exit codes."""

from __future__ import annotations

import json
import os
import sys
import unicodedata
from pathlib import Path

import click

from . import __version__, pipeline
from .batch import STOP_SIGNALS, OptionsError, RunOptions, clean_paths, default_jobs, read_input
from .batch import diff as batch_diff
from .config import ERROR_POLICIES, Config
from .detect import detect as detect_encoding
from .errors import CleanerError
from .normalise import DEFAULT_STEPS, PUNCT_DIRECTIONS, STEP_NAMES, STEPS
from .normalise.punctuation import to_ascii, to_fullwidth
from .output import FORMATS, write_atomic
from .progress import Display
from .report import CHANGED, Result, Summary
from .shard import WHOLE, parse_shard
from .walk import DEFAULT_INCLUDE, Input, Skip, walk

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2
EXIT_BROKEN_PIPE = 141
#: Stopped by a signal (Ctrl-C: 130, SIGTERM: 143): 128 + its number, as a shell reports it.
EXIT_STOPPED = {stopped: 128 + signum for signum, stopped in STOP_SIGNALS.items()}
#: ``check --diff`` shows the diffs of this many files; the others are only listed.
DIFF_LIMIT = 20


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


def _cleaning_options(command):
    """Options shared by ``clean`` and ``check``: what to read, how to clean it, how to run."""
    options = [
        click.argument("inputs", nargs=-1, required=True, metavar="INPUT..."),
        click.option("--include", multiple=True, metavar="GLOB",
                     help="Take files matching GLOB from folders (repeatable; default: *.txt). A GLOB with a / "
                          "matches the path under the folder, else the name."),
        click.option("--exclude", multiple=True, metavar="GLOB",
                     help="Leave out files and folders matching GLOB (repeatable)."),
        click.option("--follow-symlinks", is_flag=True,
                     help="Follow symbolic links met in folders (loops are reported, not followed)."),
        click.option("-j", "--jobs", type=click.IntRange(min=1), default=default_jobs, show_default="cores",
                     help="Worker processes."),
        click.option("--encoding", help="Decode every input with this codec instead of detecting it."),
        click.option("--errors", type=click.Choice(ERROR_POLICIES), default="replace", show_default=True,
                     help="replace: undecodable bytes become U+FFFD (counted); strict: the input fails."),
        click.option("--rules", "rule_files", multiple=True,
                     type=click.Path(exists=True, dir_okay=False, path_type=Path),
                     help="A TOML rules file to use besides the bundled ones (repeatable)."),
        click.option("--shard", callback=_shard, metavar="I/N",
                     help="Clean only shard I of N (I from 0 to N-1, like SLURM_ARRAY_TASK_ID): "
                          "walked input i goes to shard i mod N."),
        click.option("--report", type=click.Path(dir_okay=False, path_type=Path), metavar="FILE.json",
                     help="Write the run's summary as JSON, with every failure and empty input by name."),
        click.option("--summary", is_flag=True,
                     help="Print the summary table on standard error even when it is not a terminal."),
        click.option("-q", "--quiet", is_flag=True, help="Print nothing but errors."),
        click.option("--debug", is_flag=True, help="Show the traceback of an unexpected error."),
    ]
    for option in reversed(options):
        command = option(command)
    return _normalise_options(command)


def _config(encoding, errors, rule_files, steps, skip, reflow, punct, no_steps) -> Config:
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
    return config


def _run_options(include: tuple[str, ...], exclude: tuple[str, ...], **options) -> RunOptions:
    """``--include`` replaces the default ``*.txt``; ``--exclude`` adds to nothing."""
    return RunOptions(include=tuple(include) or DEFAULT_INCLUDE, exclude=tuple(exclude), **options)


def _run(inputs, config: Config, options: RunOptions, quiet: bool, summary_flag: bool) -> Summary:
    """Run the batch with messages, progress and summary on standard error, and the report if asked."""
    try:
        options.validate(inputs)
    except OptionsError as error:
        raise click.UsageError(str(error))
    walk_options = dict(include=options.include, exclude=options.exclude, follow_symlinks=options.follow_symlinks)
    display = Display(inputs, walk_options, quiet, options.shard.select)
    shown_diffs, reader_gone = 0, False

    def emit(text: str) -> None:
        nonlocal reader_gone
        if not reader_gone:
            try:
                click.echo(text, nl=False)
            except BrokenPipeError:
                reader_gone = True
                raise

    def on_result(result: Result) -> None:
        nonlocal shown_diffs
        display.result(result)
        if result.status == CHANGED:
            emit(f"would change: {result.source} ({result.reason})\n")
            if options.diff and shown_diffs < DIFF_LIMIT and result.path is not None:
                shown_diffs += 1
                try:
                    emit(batch_diff(Input(result.source, result.path, ""), config))
                except (OSError, CleanerError) as error:
                    display.say(result.source, f"no diff: {error}")

    try:
        summary = clean_paths(inputs, config, options, sys.stdout.buffer, on_result, display.start)
    except Exception as error:
        display.stop()
        if options.debug:
            raise
        _error("internal error", f"{type(error).__name__}: {error} (--debug shows the traceback)")
        sys.exit(EXIT_USAGE)
    display.finish(summary, summary_flag)
    if summary.stopped in EXIT_STOPPED:
        done = summary.files + summary.skipped
        hint = "; run again with --skip-existing to resume" if options.mode == "folder" else ""
        _error(summary.stopped, f"{done:,} files finished, {summary.unfinished:,} in hand were not{hint}")
    if options.report is not None:
        try:
            write_atomic(options.report, (json.dumps(summary.to_json(), ensure_ascii=False, indent=2) + "\n").encode())
        except CleanerError as error:
            _error("--report", str(error))
    return summary


def _exit(summary: Summary, code: int) -> None:
    if summary.stopped in EXIT_STOPPED:
        sys.exit(EXIT_STOPPED[summary.stopped])
    if summary.stopped == "broken pipe":
        # The reader went away (cleaner clean DIR | head): stop quietly, as other filters do.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(EXIT_BROKEN_PIPE)
    sys.exit(code)


def _check_exit(summary: Summary, quiet: bool) -> None:
    if not quiet:
        checked = summary.files - len(summary.failures)
        verdict = f"{len(summary.changed):,} of {checked:,} files would change" if summary.changed else (
            f"nothing would change ({checked:,} files)")
        _error("check", verdict + (f"; {len(summary.failures):,} failed" if summary.failures else ""))
    _exit(summary, EXIT_USAGE if summary.failures else EXIT_FAILED if summary.changed else EXIT_OK)


@main.command()
@click.option("-o", "--output", type=click.Path(file_okay=False, path_type=Path),
              help="Write files under this folder, mirroring the inputs, instead of to standard output.")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="txt", show_default=True,
              help="txt: documents separated by a form-feed line; jsonl: one {id, text, metadata} per line.")
@click.option("--overwrite", is_flag=True, help="Replace output files that exist already.")
@click.option("--skip-existing", is_flag=True, help="Leave inputs whose output exists (resume a stopped run).")
@click.option("--in-place", is_flag=True,
              help="Replace each input with its cleaned text (a page that splits becomes NAME.1.txt …).")
@click.option("--check", is_flag=True, help="Write nothing; exit 1 when a file would change (as `cleaner check`).")
@click.option("--diff", is_flag=True, help="With --check: show a unified diff of the first files that would change.")
@click.option("--explain", is_flag=True,
              help="Show each input with what was removed (and by which rule) and where it splits; write nothing.")
@_cleaning_options
def clean(inputs, output, fmt, overwrite, skip_existing, in_place, check, diff, explain, include, exclude,
          follow_symlinks, jobs, encoding, errors, rule_files, shard, report, summary, quiet, debug,
          steps, skip, reflow, punct, **no_steps) -> None:
    """Clean files, folders (walked for *.txt) or standard input (-).

    \b
    Examples:
        cleaner clean page.txt                      # documents to standard output
        cat page.txt | cleaner clean - > clean.txt
        cleaner clean scraped/ -o cleaned/          # page.txt -> page.txt, or page.1.txt, page.2.txt
        cleaner clean scraped/ -o cleaned/ --skip-existing   # resume a stopped run
        cleaner clean scraped/ --format jsonl > corpus.jsonl
        cleaner clean scraped/ --in-place           # replace the inputs
        cleaner clean --explain page.txt            # removed spans [-…-]{rule}, split points [=part N: 篇二:=]
        cleaner clean page.txt --reflow --no-spacing   # normalisation steps: see `cleaner steps`

    Exit status: 0 all inputs cleaned, 1 some input failed (the rest are still done), 2 usage or internal
    error, 130 interrupted (Ctrl-C; what was finished is kept, nothing is left half written), 143
    terminated (SIGTERM, likewise).
    """
    if overwrite and skip_existing:
        raise click.UsageError("--overwrite and --skip-existing exclude each other")
    config = _config(encoding, errors, rule_files, steps, skip, reflow, punct, no_steps)
    options = _run_options(
        include, exclude, output=output, fmt=fmt, in_place=in_place, check=check, diff=diff,
        existing="overwrite" if overwrite else "skip" if skip_existing else "refuse",
        jobs=jobs, follow_symlinks=follow_symlinks, debug=debug, report=report, shard=shard,
    )
    if explain:
        if output or in_place or check:
            raise click.UsageError("--explain shows the cleaning on standard output; it goes with no -o, --in-place or --check")
        sys.exit(_explain(inputs, config, options))
    result = _run(inputs, config, options, quiet, summary)
    if check:
        _check_exit(result, quiet)
    _exit(result, EXIT_FAILED if result.failures else EXIT_OK)


@main.command()
@click.option("--diff", is_flag=True, help="Show a unified diff of the first files that would change.")
@_cleaning_options
def check(inputs, diff, include, exclude, follow_symlinks, jobs, encoding, errors, rule_files, shard, report,
          summary, quiet, debug, steps, skip, reflow, punct, **no_steps) -> None:
    """Check that files are clean: clean them in memory, write nothing, list those that would change.

    A file would change unless cleaning gives exactly one document whose bytes, as `clean -o` writes
    them (UTF-8, one final newline), are the file's bytes.

    \b
    Examples:
        cleaner check corpus/                       # in CI: fails when a file is not clean
        cleaner check --diff corpus/ | less

    Exit status: 0 nothing would change, 1 some file would change (listed on standard output), 2 some
    file could not be read or cleaned (or a usage error), 130 interrupted, 143 terminated (SIGTERM).
    """
    config = _config(encoding, errors, rule_files, steps, skip, reflow, punct, no_steps)
    options = _run_options(
        include, exclude, check=True, diff=diff, jobs=jobs, follow_symlinks=follow_symlinks, debug=debug,
        report=report, shard=shard,
    )
    _check_exit(_run(inputs, config, options, quiet, summary), quiet)


def _explain(inputs, config: Config, options: RunOptions) -> int:
    """Explain each input on standard output: colour on a terminal unless NO_COLOR is set."""
    from .explain import show

    colour = sys.stdout.isatty() and not os.environ.get("NO_COLOR")
    failed = False
    for item in options.shard.select(walk(inputs, options.include, options.exclude, options.follow_symlinks)):
        if isinstance(item, Skip):
            _error(item.source, item.reason)
            failed = failed or item.failed
            continue
        try:
            page = pipeline.run(read_input(item), item.source, config)
        except OSError as error:
            _error(item.source, f"cannot read: {error.strerror or error}")
            failed = True
        except CleanerError as error:
            _error(item.source, str(error))
            failed = True
        else:
            show(page, sys.stdout, colour)
    return EXIT_FAILED if failed else EXIT_OK


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
        if isinstance(item, Skip):
            _error(item.source, item.reason)
            failed = failed or item.failed
            continue
        try:
            found = detect_encoding(read_input(item))
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

    Switch them on `clean` with --steps LIST, --skip LIST, --no-<step>, --reflow and --punct ascii.

    \b
    Example:
        $ cleaner steps
        cleaner clean page.txt --no-spacing --reflow
    """
    width = max(map(len, STEP_NAMES))
    click.echo(f"{'NAME':<{width}}  DEFAULT  EXAMPLE")
    for step in STEPS:
        default = "on" if step.default else "off"
        click.echo(f"{step.name:<{width}}  {default:<7}  {_shown(step.example)} → {_shown(step.run(step.example))}")
    reverse = to_fullwidth(STEPS[STEP_NAMES.index("punctuation")].example)
    click.echo(f"{'':<{width}}  {'':<7}  --punct ascii: {reverse} → {to_ascii(reverse)}")
