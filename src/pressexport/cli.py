"""The `pressexport` command line: parse arguments, call the pipeline, map errors to exit codes."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from pressexport import collector
from pressexport.envelope import BATCH_SIZE

if TYPE_CHECKING:
    from pressexport.build import BuildOptions, BuildReport

def _parse_now(_ctx: click.Context, _param: click.Parameter, value: str | None) -> datetime | None:
    if value is None:
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"'{value}' is not an ISO 8601 date-time") from None


def common_options(function: Callable[..., Any]) -> Callable[..., Any]:
    """--source, --out, --templates, --now, -j/--jobs, -q/--quiet."""
    options = [
        click.option("--source", type=click.Path(path_type=Path), default=Path("source"),
                     show_default=True, help="Folder holding site.yaml, releases/ and media/."),
        click.option("--out", type=click.Path(path_type=Path), default=Path("out"),
                     show_default=True, help="Output folder."),
        click.option("--templates", type=click.Path(path_type=Path), default=None,
                     help="Template folder overriding the defaults file by file "
                          "[default: ./templates when present]."),
        click.option("--embargoed", type=click.Path(path_type=Path), default=None,
                     help="Folder for the documents of releases under embargo (never "
                          "published) [default: embargoed/ beside the output folder]."),
        click.option("--now", callback=_parse_now, metavar="ISO-DATETIME",
                     help="Build time for embargoes (default: now)."),
        click.option("-j", "--jobs", type=click.IntRange(min=1), default=None,
                     help="Worker processes [default: CPU count]."),
        click.option("-q", "--quiet", is_flag=True, help="Print only errors."),
    ]
    for option in reversed(options):
        function = option(function)
    return function


def reporting(function: Callable[..., Any]) -> Callable[..., Any]:
    """Print pressexport's errors to stderr and exit with their status (2 input, 1 build)."""

    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from pressexport.errors import PressexportError

        try:
            return function(*args, **kwargs)
        except PressexportError as exc:
            click.echo(str(exc), err=True)
            sys.exit(exc.exit_status)

    return wrapper


class _Guarded(click.Group):
    """The command group, with a last resort: whatever escapes every command's own handling is
    one line (exit 1), never a Python traceback."""

    def main(self, *args: Any, **kwargs: Any) -> Any:
        """Run the command line; the process then exits without a last garbage collection."""
        collector.quick_exit()
        return super().main(*args, **kwargs)

    def invoke(self, ctx: click.Context) -> Any:
        """Run the command; an unexpected exception is reported as an internal error."""
        try:
            return super().invoke(ctx)
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except Exception as exc:
            if isinstance(exc, BrokenPipeError):
                raise  # the reader went away (`| head`): click exits quietly
            from pressexport.errors import escaped

            click.echo(escaped(f"pressexport: internal error: {type(exc).__name__}: {exc}"),
                       err=True)
            sys.exit(1)


@click.group(cls=_Guarded, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="pressexport")
def main() -> None:
    """Write a press release once as YAML; publish it as PDF, DOCX, web page, email and feeds."""


def _options(source: Path, out: Path, templates: Path | None, embargoed: Path | None,
             now: datetime | None, jobs: int | None, **fields: Any) -> BuildOptions:
    from pressexport.build import BuildOptions, default_jobs

    if templates is None and Path("templates").is_dir():
        templates = Path("templates")
    from pressexport.errors import UsageError

    if not source.is_dir():
        raise UsageError(f"source folder '{source}' not found (use --source DIR)")
    if templates is not None and not templates.is_dir():
        raise UsageError(f"template folder '{templates}' not found (--templates DIR)")
    return BuildOptions(source=source, out=out, templates=templates, embargoed=embargoed,
                        now=now, jobs=jobs or default_jobs(), **fields)


def _run(options: BuildOptions, quiet: bool, count: int) -> BuildReport:
    from pressexport.build import build

    if quiet or not sys.stderr.isatty() or count < 2:
        report = build(options)
    else:
        with click.progressbar(length=count, label="Building", file=sys.stderr) as bar:
            report = build(options, progress=lambda slug: bar.update(1))
    _summary(report, options, quiet)
    if report.failures:
        from pressexport.errors import BuildError

        kept = "; the feeds and index were left as they were" if options.site_outputs else ""
        raise BuildError(f"build failed (the failed releases' earlier outputs were kept{kept}):\n"
                         + "\n".join(f"  {f}" for f in report.failures))
    return report


def _summary(report: BuildReport, options: BuildOptions, quiet: bool) -> None:
    from pressexport.errors import display_path
    from pressexport.view import embargo_time

    embargoed = display_path(options.trees.embargoed)
    for release in report.held_back:
        click.echo(f"held back (embargo): {release.slug} until {embargo_time(release)}; "
                   f"not published, its documents are in {embargoed}/{release.slug}/")
    for slug in report.published:
        click.echo(f"published {slug}: its embargo has passed")
    for slug in report.deleted:
        click.echo(f"removed the outputs of {slug}: its release file is gone")
    if not quiet:
        for path in report.written:
            click.echo(f"wrote {path}")
        for path in report.removed:
            click.echo(f"removed {path}")
    click.echo(f"{_count(report.rendered, 'output')} rendered, {report.up_to_date} up to date; "
               f"{_count(len(report.written), 'file')} written")


def _count(n: int, noun: str) -> str:
    """`1 release`, `2 releases`."""
    return f"{n} {noun}{'' if n == 1 else 's'}"


def _release_count(source: Path, slugs: tuple[str, ...]) -> int:
    return len(slugs) or len(list((source / "releases").glob("*.yaml")))


@main.command()
@common_options
@reporting
def all(quiet: bool, **common: Any) -> None:
    """Validate everything, then build every output for every release, feeds and index."""
    options = _options(**common)
    _run(options, quiet, _release_count(options.source, ()))


def _format_command(name: str, formats: tuple[str, ...]) -> click.Command:
    @common_options
    @click.argument("slugs", nargs=-1)
    @reporting
    def command(slugs: tuple[str, ...], quiet: bool, **common: Any) -> None:
        options = _options(**common, formats=formats, slugs=slugs, site_outputs=False)
        _run(options, quiet, _release_count(options.source, slugs))

    command.__doc__ = f"Build the {name.upper() if name != 'email' else 'email'} version of all " \
                      "releases, or of the named SLUGs."
    return click.command(name)(command)


def _add_format_commands() -> None:
    from pressexport.formats import COMMANDS

    for name, formats in COMMANDS.items():
        main.add_command(_format_command(name, formats))


_add_format_commands()


@main.command()
@common_options
@reporting
def feed(quiet: bool, **common: Any) -> None:
    """Build the feeds and the index only.

    Enclosure sizes come from the PDF and DOCX files already in the output folder; a missing
    one is rendered.
    """
    options = _options(**common, formats=())
    _run(options, quiet, 0)


@main.command()
@common_options
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True,
              help="Port on 127.0.0.1 (0: any free port).")
@reporting
def serve(port: int, quiet: bool, **common: Any) -> None:
    """Serve the output folder on 127.0.0.1; rebuild when sources or templates change, and
    publish a release held back by an embargo at the instant the embargo passes.

    A feed reader on this machine can subscribe to http://127.0.0.1:PORT/atom.xml. Ctrl-C stops.
    """
    from pressexport.serve import serve as serve_forever

    options = _options(**common)
    serve_forever(options, port, quiet,
                  lambda: _run(options, quiet, _release_count(options.source, ())))


@main.command()
@click.argument("files", nargs=-1, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--source", type=click.Path(path_type=Path), default=Path("source"),
              show_default=True, help="Folder holding site.yaml, releases/ and media/.")
@click.option("-q", "--quiet", is_flag=True, help="Print only errors, not warnings.")
@reporting
def validate(files: tuple[Path, ...], source: Path, quiet: bool) -> None:
    """Check the sources (or only FILEs) without writing anything; warn on conventions."""
    from pressexport.load import load_project

    # site.yaml is always checked; the files named are the releases to check with it.
    releases = tuple(f for f in files if f.name != "site.yaml")
    project = load_project(source, only=releases or None)
    if not quiet:
        for warning in project.warnings:
            click.echo(str(warning), err=True)
        click.echo(f"{_count(len(project.releases), 'release')} valid"
                   f"{', ' + _count(len(project.warnings), 'warning') if project.warnings else ''}")


@main.command()
@click.option("--site", "site_schema", is_flag=True, help="The schema of site.yaml instead.")
def schema(site_schema: bool) -> None:
    """Print the JSON Schema of the release YAML (for editors' autocompletion)."""
    import json

    from pressexport.model import ReleaseFile, Site

    schema = (Site if site_schema else ReleaseFile).model_json_schema()
    schema = {"$schema": "https://json-schema.org/draft/2020-12/schema", **schema}
    click.echo(json.dumps(schema, indent=2, ensure_ascii=False))


@main.command()
@click.argument("headline")
@click.option("--source", type=click.Path(path_type=Path), default=Path("source"),
              show_default=True, help="Folder holding site.yaml and releases/.")
@click.option("--now", callback=_parse_now, metavar="ISO-DATETIME",
              help="Date the release this day (default: today).")
@reporting
def new(headline: str, source: Path, now: datetime | None) -> None:
    """Write a new release YAML with today's date, ready to fill in."""
    from pressexport.newrelease import create

    path = create(source, headline, now)
    click.echo(f"wrote {path}")


@main.command("import")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--source", type=click.Path(path_type=Path), default=Path("source"),
              show_default=True, help="Folder holding site.yaml and releases/.")
@click.option("--slug", help="The release's slug [default: the one the document came from, "
                             "else DATE-HEADLINE as `new` makes it].")
@click.option("--language", metavar="TAG", help="The document's language; another language "
                                                "than its release's makes a linked translation.")
@click.option("--date", "date_", metavar="ISO-DATE", help="The release date, if the document "
                                                           "gives none.")
@click.option("--dateline", metavar="PLACE", help="The dateline, if the document gives none.")
@click.option("--force", is_flag=True, help="Replace an existing release of that slug.")
@reporting
def import_(file: Path, source: Path, slug: str | None, language: str | None,
            date_: str | None, dateline: str | None, force: bool) -> None:
    """Turn a Word document into source/releases/SLUG.yaml (see README: Word round trip)."""
    from pressexport.wordimport.command import Options, run

    result = run(file, source, Options(slug, language, date_, dateline, force))
    for warning in result.warnings:
        click.echo(str(warning), err=True)
    click.echo(f"wrote {result.path}")


@main.command()
@click.option("--source", type=click.Path(path_type=Path), default=Path("source"),
              show_default=True, help="Folder holding site.yaml, releases/ and media/.")
@click.option("--out", type=click.Path(path_type=Path), default=Path("out"), show_default=True,
              help="Output folder to read back.")
@click.option("--embargoed", type=click.Path(path_type=Path), default=None,
              help="Folder of the documents under embargo [default: embargoed/ beside --out].")
@click.option("--now", callback=_parse_now, metavar="ISO-DATETIME",
              help="Build time the feeds were made for (default: now).")
@click.option("-q", "--quiet", is_flag=True, help="Print only what is wrong.")
@reporting
def verify(source: Path, out: Path, embargoed: Path | None, now: datetime | None,
           quiet: bool) -> None:
    """Read every output back with independent readers; report facts missing in any format,
    and anything of a release under embargo found in the public tree."""
    from pressexport.clock import build_time
    from pressexport.errors import BuildError
    from pressexport.load import load_project
    from pressexport.stage import Trees
    from pressexport.verify import verify as verify_outputs

    project = load_project(source)
    moment = build_time(project.site, now)
    findings = verify_outputs(project, Trees(out, embargoed or out.parent / "embargoed"), moment)
    if findings:
        raise BuildError("\n".join(map(str, findings)))
    if not quiet:
        click.echo(f"{_count(len(project.releases), 'release')} verified in every format in {out}/")


@main.command()
@click.argument("slug")
@click.option("--to", "to", multiple=True, metavar="ADDR",
              help="Recipient, in the envelope only (repeat for more). The addresses in the "
                   "message's To header (site.yaml email.to) get no copy unless listed here.")
@click.option("--bcc-file", type=click.Path(dir_okay=False, path_type=Path), metavar="FILE",
              help="More recipients, one address a line; # starts a comment.")
@click.option("--smtp", "smtp_server", required=True, metavar="HOST:PORT",
              help="SMTP server [port: 587, or 465 with --ssl].")
@click.option("--starttls", is_flag=True, help="Require STARTTLS (default: use it when offered).")
@click.option("--ssl", "implicit_tls", is_flag=True, help="Implicit TLS (SMTPS, usually port 465).")
@click.option("--batch-size", type=click.IntRange(min=1), default=BATCH_SIZE, show_default=True,
              help="Recipients per SMTP transaction.")
@click.option("--dry-run", is_flag=True, help="Show what would be sent to whom; send nothing.")
@common_options
@reporting
def send(slug: str, to: tuple[str, ...], bcc_file: Path | None, smtp_server: str, starttls: bool,
         implicit_tls: bool, batch_size: int, dry_run: bool, quiet: bool, **common: Any) -> None:
    """Send out/SLUG/SLUG.eml through SMTP to --to and --bcc-file addresses, privately.

    Login from PRESSEXPORT_SMTP_USER and PRESSEXPORT_SMTP_PASSWORD, only over TLS. A missing
    or stale .eml is rebuilt first. Exit status: 0 sent to all, 1 failed or sent to only some
    (both lists are printed), 2 bad addresses or options (nothing sent).
    """
    from pressexport import send as sending
    from pressexport.smtp import Server

    if starttls and implicit_tls:
        raise click.UsageError("--starttls and --ssl exclude each other")
    security = "ssl" if implicit_tls else "starttls" if starttls else "auto"
    request = sending.Request(slug, to, bcc_file, Server.parse(smtp_server, security), dry_run,
                              batch_size)
    from pressexport.errors import escaped

    # The lines quote the server's replies: escaped like any other outside text.
    say = (lambda line: None) if quiet and not dry_run else lambda line: click.echo(escaped(line))
    sending.run(request, _options(**common), say,
                lambda line: click.echo(escaped(line), err=True))
